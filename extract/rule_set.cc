#include "extract/rule_set.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/hash.h"

namespace newsclaim::extract {

namespace fs = std::filesystem;

namespace {

// HexHash64 over "relative path NUL bytes NUL" of every file, in path order,
// so that renaming, adding or editing any rule file changes the result.
StatusOr<std::string> Fingerprint(const fs::path& dir,
                                  const std::vector<fs::path>& files) {
  std::vector<std::pair<std::string, fs::path>> named;
  for (const fs::path& file : files) {
    named.emplace_back(file.lexically_relative(dir).generic_string(), file);
  }
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  std::string data;
  for (const auto& [relative, file] : named) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return IoError(file.string() + ": cannot read");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    data += relative;
    data.push_back('\0');
    data += bytes.str();
    data.push_back('\0');
  }
  return HexHash64(data);
}

// Every .toml file under `dir` is at most kMaxRuleFileBytes.
Status CheckRuleFileSizes(const fs::path& dir) {
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".toml") continue;
    const std::uintmax_t size = it->file_size(error);
    if (!error && size > kMaxRuleFileBytes) {
      return InvalidArgumentError(it->path().string() + ": rule file of " + std::to_string(size) +
                                  " bytes is larger than the limit of " +
                                  std::to_string(kMaxRuleFileBytes));
    }
  }
  if (error) return IoError(dir.string() + ": cannot list: " + error.message());
  return Status::Ok();
}

}  // namespace

StatusOr<RuleSet> LoadRuleSet(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return NotFoundError(dir.string() + ": no such rule directory");
  }
  RETURN_IF_ERROR(CheckRuleFileSizes(dir));
  RuleSet rules;
  rules.dir = dir;
  ASSIGN_OR_RETURN(rules.numbers, LoadNumberRules(dir));
  ASSIGN_OR_RETURN(rules.claims, LoadClaimRules(dir));
  std::vector<fs::path> files = rules.numbers.files;
  files.insert(files.end(), rules.claims.files.begin(), rules.claims.files.end());
  ASSIGN_OR_RETURN(rules.fingerprint, Fingerprint(dir, files));
  return rules;
}

}  // namespace newsclaim::extract
