// store/claim_json.h
// Claims and conflicts as the CLI contract prints them (docs/contract.md:
// `query --format jsonl|csv|table`, `conflicts --format json|table`), and
// back from JSON (for tests and tools). No I/O.
#pragma once

#include <string>
#include <vector>

#include "base/claim.h"
#include "base/status.h"
#include "store/reconcile.h"

namespace newsclaim::store {

// One claim object with exactly the contract's fields (plus "counterparty",
// null when empty). Empty strings of optional fields (subject, product,
// status, published) are null; integral figures print without ".0";
// `date` claims have null number fields. `indent` < 0 gives one line.
std::string ClaimToJson(const Claim& claim, int indent = -1);

// ClaimToJson on one line, without the newline: one line of `query --format jsonl`.
std::string ClaimToJsonLine(const Claim& claim);

// Parses a claim object as ClaimToJson writes it. InvalidArgument naming the
// field when the JSON is malformed or a field has the wrong type or value.
StatusOr<Claim> ClaimFromJson(const std::string& json);

// {"conflicts": [CONFLICT, ...]} with full claim objects, one line.
std::string ConflictsToJson(const std::vector<Conflict>& conflicts);

// RFC 4180 CSV with a header row; the columns are the contract's fields in
// contract order, `time` split into time_start, time_end, time_relation.
std::string ClaimsToCsv(const std::vector<Claim>& claims);

// Aligned columns for people: kind, subject, figure, time, published, source.
std::string ClaimsToTable(const std::vector<Claim>& claims);

// One block per conflict: id, class, severity, status, key, the figures and
// the explanation.
std::string ConflictsToTable(const std::vector<Conflict>& conflicts);

}  // namespace newsclaim::store
