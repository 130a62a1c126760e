// fuzz/warc_reader_fuzzer.cc
// crawler/warc_reader.h (ISO 28500 WARC 1.0/1.1 and legacy ARC; plain,
// per-record gzip or whole-file gzip): the input is written to a temporary
// file and read to the end with WarcReader, then with ReadWarcPages.
// Checked: every Next() makes progress, so the end is reached within one
// call per input byte (plus the final nullopt) even after errors; records
// carry a version; pages have a URL and well-formed UTF-8 html.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "crawler/warc_reader.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxInputBytes = 256 * 1024;

const fs::path& InputPath() {
  static const fs::path* path = [] {
    std::string pattern = (fs::temp_directory_path() / "warc_reader_fuzzer.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    static const fs::path dir = pattern;
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    });
    return new fs::path(dir / "input.warc");
  }();
  return *path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size > kMaxInputBytes) return 0;
  const fs::path& path = InputPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }

  crawler::WarcReaderOptions options;
  options.max_block_bytes = 64 * 1024;  // small, so the skip path runs too
  StatusOr<crawler::WarcReader> reader = crawler::WarcReader::Open(path, options);
  FUZZ_CHECK(reader.ok());
  size_t calls = 0;
  while (true) {
    ++calls;
    FUZZ_CHECK(calls <= size + 2);
    StatusOr<std::optional<crawler::WarcRecord>> record = reader->Next();
    if (!record.ok()) {
      FUZZ_CHECK(!record.status().message().empty());
      continue;
    }
    if (!record->has_value()) break;
    FUZZ_CHECK(!(*record)->version.empty());
    FUZZ_CHECK((*record)->offset >= 0 && static_cast<size_t>((*record)->offset) <= size);
  }

  const Status read = crawler::ReadWarcPages(
      path,
      [](Page page) {
        FUZZ_CHECK(!page.url.empty());
        FUZZ_CHECK(fuzz::IsValidUtf8(page.html));
        return Status::Ok();
      },
      [](const std::string& where, const std::string& reason) {
        FUZZ_CHECK(!where.empty());
        FUZZ_CHECK(!reason.empty());
      });
  FUZZ_CHECK(read.ok());
  return 0;
}
