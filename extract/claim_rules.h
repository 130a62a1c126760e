// extract/claim_rules.h
// The data claim assembly needs, loaded from rules/: the gazetteer of
// organizations and countries (rules/entities/), product names
// (rules/products.toml), and the claim rules with their examples
// (rules/claims/): GPU words, status words, time relations.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <memory>
#include <vector>

#include "base/status.h"

namespace newsclaim::extract {

// Immutable after loading; shared read-only by every extraction thread.
struct ClaimRules {
  std::vector<std::filesystem::path> files;  // every file read
  struct Tables;                             // defined in claim_tables.h
  std::shared_ptr<const Tables> tables;
};

// Loads the files above under `rules_dir`. Fails with InvalidArgument
// "FILE:LINE: message" on the first malformed file or entry.
StatusOr<ClaimRules> LoadClaimRules(const std::filesystem::path& rules_dir);

// The gazetteer's part-of links, child canonical name -> parent canonical
// name (SK hynix -> SK Group), for reconciliation: a part's figure is not a
// rival to its whole's.
std::map<std::string, std::string> EntityParents(const ClaimRules& rules);

// One gazetteer entry, for the store's entities tables.
struct GazetteerEntry {
  std::string name;  // canonical
  std::string type;
  std::string part_of;
  std::vector<std::string> aliases;
};

// Every organization, government and country of the gazetteer, in file order.
std::vector<GazetteerEntry> Gazetteer(const ClaimRules& rules);

}  // namespace newsclaim::extract
