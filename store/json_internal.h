// store/json_internal.h
// nlohmann::json builders shared by claim_json.cc, report.cc and gold.cc.
// Internal to store/: public headers expose strings only, so nlohmann stays
// a PRIVATE dependency.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/claim.h"
#include "store/reconcile.h"

namespace newsclaim::store::internal {

// A figure as a JSON number, integral values as integers.
nlohmann::json NumberJson(double value);

// The contract's claim object (see ClaimToJson).
nlohmann::json ClaimJson(const Claim& claim);

// The contract's conflict object with full claim objects.
nlohmann::json ConflictJson(const Conflict& conflict);

// json::dump that replaces invalid UTF-8 instead of throwing.
std::string Dump(const nlohmann::json& value, int indent);

}  // namespace newsclaim::store::internal
