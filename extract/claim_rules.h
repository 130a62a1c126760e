// extract/claim_rules.h
// The data claim assembly needs, loaded from rules/: the gazetteer of
// organizations and countries (rules/entities/), product names
// (rules/products.toml), and the claim rules with their examples
// (rules/claims/): GPU words, status words, time relations.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "base/status.h"

namespace newsclaim::extract {

// Immutable after loading; shared read-only by every extraction thread.
struct ClaimRules {
  std::vector<std::filesystem::path> files;  // every file read
  struct Tables;                             // owned by claim_extractor.cc
  std::shared_ptr<const Tables> tables;
};

// Loads the files above under `rules_dir`. Fails with InvalidArgument
// "FILE:LINE: message" on the first malformed file or entry.
StatusOr<ClaimRules> LoadClaimRules(const std::filesystem::path& rules_dir);

}  // namespace newsclaim::extract
