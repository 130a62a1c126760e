// fuzz/rule_set_fuzzer.cc
// extract/rule_set.h: the TOML rule loader (numbers, entities, products,
// claim rules) and what is compiled from its tables. At start-up the shipped
// rules/ is copied to a temporary folder; each input replaces one of its
// files (the first byte picks which) and the folder is loaded. Checked: the
// loader returns a Status (never throws or crashes), an error names the file,
// and a folder that loads builds a MentionParser.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "extract/mention_parser.h"
#include "extract/rule_set.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

// Real rule files are a few KiB; the loader's own cap is tested elsewhere.
constexpr size_t kMaxInputBytes = 64 * 1024;

struct Workspace {
  fs::path dir;                      // the copy of rules/
  std::vector<fs::path> files;       // every .toml in it, sorted
  std::vector<std::string> originals;  // their bytes, to restore
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const Workspace& GetWorkspace() {
  static const Workspace* workspace = [] {
    auto* w = new Workspace();
    std::string pattern = (fs::temp_directory_path() / "rule_set_fuzzer.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    w->dir = fs::path(pattern) / "rules";
    fs::copy(newsclaim::fuzz::SourceDir() / "rules", w->dir, fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(w->dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        w->files.push_back(entry.path());
      }
    }
    std::sort(w->files.begin(), w->files.end());
    for (const fs::path& file : w->files) w->originals.push_back(ReadAll(file));
    if (w->files.empty()) std::abort();
    // The copy goes when the fuzzer exits normally.
    static const fs::path root = w->dir.parent_path();
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(root, ignored);
    });
    return w;
  }();
  return *workspace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size == 0 || size > kMaxInputBytes) return 0;
  const Workspace& workspace = GetWorkspace();
  const size_t index = data[0] % workspace.files.size();
  const fs::path& file = workspace.files[index];
  WriteAll(file, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));

  StatusOr<extract::RuleSet> rules = extract::LoadRuleSet(workspace.dir);
  if (rules.ok()) {
    FUZZ_CHECK(rules->fingerprint.size() == 16);
    StatusOr<extract::MentionParser> parser = extract::MentionParser::Create(rules->numbers);
    if (parser.ok()) {
      (void)parser->Parse("NVIDIAは韓国に26万枚のGPUを2030年までに供給する。$3.5 billion, 95%");
    }
  } else {
    FUZZ_CHECK(!rules.status().message().empty());
  }

  WriteAll(file, workspace.originals[index]);
  return 0;
}
