// extract/toml_rule_file.h
// What every rule loader under extract/ reports errors with: "FILE:LINE:
// message" for a toml++ node or line, and the unknown-key check. Internal to
// extract/ (number_rules.cc, claim_rules.cc).
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "base/status.h"

namespace newsclaim::extract {

// InvalidArgument "FILE:LINE: message".
inline Status RuleFileError(const std::filesystem::path& path, int line,
                            std::string_view message) {
  return InvalidArgumentError(path.string() + ":" + std::to_string(line) + ": " +
                              std::string(message));
}

inline Status RuleFileError(const std::filesystem::path& path, const toml::node& node,
                            std::string_view message) {
  return RuleFileError(path, static_cast<int>(node.source().begin.line), message);
}

// Every key of `table` must be one of `allowed`; else an error naming the
// first unknown key, its line and `where` it stood.
inline Status CheckRuleKeys(const std::filesystem::path& path, const toml::table& table,
                            std::initializer_list<std::string_view> allowed,
                            std::string_view where) {
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      int line = static_cast<int>(key.source().begin.line);
      if (line == 0) line = static_cast<int>(node.source().begin.line);
      return RuleFileError(path, line,
                           "unknown key \"" + std::string(key.str()) + "\" in " +
                               std::string(where));
    }
  }
  return Status::Ok();
}

}  // namespace newsclaim::extract
