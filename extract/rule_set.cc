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

}  // namespace

StatusOr<RuleSet> LoadRuleSet(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return NotFoundError(dir.string() + ": no such rule directory");
  }
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
