// extract/number_rules.h
// The data behind figure reading, loaded from rules/numbers/*.toml: numeral
// words and scales, qualifiers, counters, currencies, date words. The C++ in
// mention_parser.cc holds no word lists of its own.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace newsclaim::extract {

// Immutable after loading; shared read-only by every extraction thread.
// The members are filled by LoadNumberRules; see rules/README.md for the
// schema of each file.
struct NumberRules {
  // Every file that was read, for the rule-set fingerprint.
  std::vector<std::filesystem::path> files;
  // Implementation-defined tables (scales, qualifiers, counters, currencies,
  // date words...). Owned by mention_parser.cc.
  struct Tables;
  std::shared_ptr<const Tables> tables;
};

// Loads rules/numbers/*.toml under `rules_dir`. Fails with InvalidArgument
// "FILE:LINE: message" on the first malformed file or entry.
StatusOr<NumberRules> LoadNumberRules(const std::filesystem::path& rules_dir);

}  // namespace newsclaim::extract
