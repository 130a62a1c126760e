// store/reconcile.h
// Reconciliation: which live claims answer the same question and disagree.
// Pure functions over plain data (no SQLite), so every rule is unit-tested
// with small tables; database.cc feeds it the live claims and stores the result.
// The classes and the preference order are explained for reviewers in
// store/README.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"

namespace newsclaim::store {

// Entity containment from the gazetteer (extract/ owns the data; app/ copies
// it here): parent["Samsung Electronics"] == "South Korea" says Samsung's
// figures are part of South Korea's total, not rivals to it.
struct PartOfLinks {
  std::map<std::string, std::string> parent;
};

// One disagreement among claims from different pages. `claims` holds the full
// member claims (at least two), sorted by published date then id.
struct Conflict {
  std::string id;  // stable: HexHash64(class, key, sorted member claim ids)
  std::string conflict_class;  // contradiction|discrepancy|revision|scope|attribution|status
  std::string severity;        // high|medium|low
  std::string status = "open"; // open|confirmed|dismissed|resolved (latest review)
  std::string subject;
  ClaimKind kind = ClaimKind::kQuantity;
  std::string key;          // the question the figures answer, for people
  std::string explanation;  // one or two sentences a reviewer can act on
  std::string preferred_claim_id;  // empty when the store has no preference
  std::vector<Claim> claims;
};

// The interval a claim's figure allows once the rounding of its surface is
// taken into account. Infinite bounds are +-infinity.
struct FigureInterval {
  double low = 0;
  double high = 0;
  bool low_inclusive = true;
  bool high_inclusive = true;
  bool has_point = false;  // the text gave a point figure (or a single bound)
  double point = 0;        // that figure
};

// Half a unit of the last significant digit written in `text`, for a figure
// whose value is `value`: "26万枚" (260000) -> 5000, "260,000" -> 5000
// (a run of three or more trailing zeros is read as rounding; "20%" and
// "30万" keep theirs), "2.5万" -> 500, "1万8000" -> 500. When `text` has no
// ASCII or full-width digits, the digits of `value` itself are used. 0 for
// a zero value.
double RoundingTolerance(std::string_view text, double value);

// The interval the claim allows: exact -> value +- RoundingTolerance;
// approx -> value +- 5%; bounds and ranges from
// low/high with their inclusivity (an unset bound is infinite).
// std::nullopt when the claim has no figure at all.
std::optional<FigureInterval> ClaimInterval(const Claim& claim);

// The measure a claim is about ("supply", "deployment", "target",
// "installed_base", "production", "investment", "revenue"), read from
// tokens of its rule id (e.g. "ja.gpu_count.supply"); "" when the rule
// does not say. Claims with different non-empty measures never conflict.
std::string MeasureOf(const Claim& claim);

// The scope of a claim read from its quote: "phase" when the sentence marks
// the figure as one phase of a programme ("as a first step", "第1弾",
// "first tranche"), "annual" when a rate word sits next to the figure
// ("年間30億ドル", "$3 billion a year"), "" otherwise. Claims of different
// scopes never conflict.
std::string ScopeOf(const Claim& claim);

// Finds the conflicts among `claims` (live claims with page fields filled).
// Only claims with a subject and a figure are compared; dates never conflict;
// claims from the same page never conflict with each other. Claims compare
// when subject, kind, unit, measure, scope and (where both name one) product
// and counterparty agree, and their times are comparable. Money claims must
// also name the same counterparty (the deal), and percentages the same
// measure. With `part_of`, a part's figure is also checked against its
// wholes' (scope and attribution conflicts). Each returned conflict has status "open";
// the result is sorted by subject, then class, then id. Deterministic:
// the same input in any order gives the same conflicts and ids.
std::vector<Conflict> FindConflicts(const std::vector<Claim>& claims,
                                    const PartOfLinks& part_of);

// The stable id of a conflict: 16 hex digits of HexHash64 over its class,
// key and sorted member claim ids.
std::string ConflictId(std::string_view conflict_class, std::string_view key,
                       std::vector<std::string> claim_ids);

}  // namespace newsclaim::store
