// extract/rule_set.h
// Everything under rules/, loaded and validated once at start-up: the number
// tables, the claim rules, the gazetteer of entities and the product list.
// A bad file stops the run before any page is touched.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "base/status.h"
#include "extract/claim_rules.h"
#include "extract/number_rules.h"

namespace newsclaim::extract {

// Immutable after loading; shared read-only by every extraction thread.
struct RuleSet {
  std::filesystem::path dir;
  // 16 hex digits over the path and bytes of every file read. Stored with
  // each claim, so re-extraction knows which pages are stale.
  std::string fingerprint;
  NumberRules numbers;
  ClaimRules claims;
};

// Loads every rule file under `dir`. Fails with InvalidArgument
// "FILE:LINE: message" for the first bad file, InvalidArgument "FILE: ..."
// for a .toml file larger than kMaxRuleFileBytes (checked before anything
// is parsed), NotFound if `dir` is missing, IoError if it cannot be listed.
StatusOr<RuleSet> LoadRuleSet(const std::filesystem::path& dir);

// The largest rule file LoadRuleSet reads. The shipped files are under
// 16 KiB; a file a thousand times that is a mistake (a data dump saved
// into rules/), and its tables would slow every page down.
inline constexpr std::uintmax_t kMaxRuleFileBytes = 1 << 20;

}  // namespace newsclaim::extract
