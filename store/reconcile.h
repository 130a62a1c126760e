// store/reconcile.h
// Reconciliation: which live claims answer the same question and disagree.
// Pure functions over plain data (no SQLite), so every rule is unit-tested
// with small tables; database.cc feeds it the live claims and stores the result.
// The classes and the preference order are explained for reviewers in
// store/README.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "base/status.h"
#include "store/fx.h"

namespace newsclaim::store {

// Entity containment from the gazetteer (extract/ owns the data; app/ copies
// it here): parent["Samsung Electronics"] == "South Korea" says Samsung's
// figures are part of South Korea's total, not rivals to it.
struct PartOfLinks {
  std::map<std::string, std::string> parent;
};

// What reconciliation knows about a claim's page beyond the claim's own
// page fields: database.cc fills it from the pages table and from
// near-duplicate detection (store/near_duplicates.h).
struct PageInfo {
  std::string site_name;  // og:site_name or the like; may be empty
  // The page this one copies (a near-duplicate found by shingles), 0 when
  // the page is independent. A copy's claims are derived: they stay in the
  // store and in conflicts, but a figure they repeat counts once.
  int64_t copy_of = 0;
  std::string copy_of_url;
};

// Everything FindConflicts reads besides the claims. Missing pages are
// independent pages with no site name.
struct ReconcileContext {
  PartOfLinks part_of;
  std::map<int64_t, PageInfo> pages;  // by page id
  // Dated rates for annotating money in other currencies; null for none.
  // Never used to compare or raise anything.
  const FxTable* fx = nullptr;
  // False: leave Conflict::claims empty and fill only claim_ids (what the
  // database stores), which saves copying every member claim.
  bool copy_claims = true;
  // True: classify every pair of claims of a question one by one. The
  // default classifies claims with equal figures, dates and wording once
  // per pair of such signatures, which gives the same conflicts in time
  // linear in the claims when few signatures repeat over many pages (a
  // story copied by thousands of pages); tests compare the two.
  bool exhaustive_pairs = false;
};

// Why `claim`'s page is a primary source for it (the subject's or the
// counterparty's own statement), for the explanation; "" for a secondary
// source. Primary when the page's host names the subject or counterparty
// ("nvidianews.nvidia.com" for NVIDIA, "news.samsung.com" for Samsung
// Electronics: a host label equals the name's first word of 3+ letters or
// digits, folded to ASCII lower case), or when the site name, title or URL
// path marks a press release or wire ("PR Wirefeed", "プレスリリース",
// "Business Wire", "/press-release/", "/newsroom/").
std::string PrimarySourceReason(const Claim& claim, const PageInfo& page);

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
  std::vector<Claim> claims;  // empty when ReconcileContext::copy_claims is false
  std::vector<std::string> claim_ids;  // the members' ids, in the order of `claims`
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
// "first tranche") or a word right before the figure opens it ("the first
// 18,000 GB300s", "the initial 1 GW", "最初の1万基"), "annual" when a rate word
// sits next to the figure ("年間30億ドル", "$3 billion a year"), "" otherwise.
// An annual rate never compares with another scope; a phase may agree with
// an unmarked figure (the same tranche, reported without the word) but never
// disagrees with it (it is a part of the whole).
std::string ScopeOf(const Claim& claim);

// Finds the conflicts among `claims` (live claims with page fields filled).
// Only claims with a subject and a figure are compared; dates never conflict;
// claims from the same page never conflict with each other.
//
// Which claims answer the same question: subject, kind and unit agree
// (gpu_count in any counter; quantity units in one spelling, "GW" =
// "gigawatts", but megawatts stay apart from gigawatts), as do measure,
// scope and (where both name one) product. Money and quantity claims must
// name the same counterparty (the deal: a subject's gigawatts or dollars
// span many deals), or with none on either side share a measure or product;
// percentages need the same measure. Times must be comparable (see below).
//
// How a pair is classed, in order:
// * deadlines ("by") that differ: the same figure is a revision; different
//   figures from pages of different dates are a revision unless the earlier
//   deadline has the smaller figure (milestones of one growing plan);
// * periods ("during") that differ: a revision only for the same planned
//   figure restated by a later page ("the initial 1 GW" slipping a quarter);
// * different stages (planned/announced vs delivered/operational): the same
//   figure is a status conflict; different figures never conflict (a target
//   and today's count);
// * a claim whose own page gives another figure for the same question
//   ("ambiguous": a site and the company total, a deal value and its lease
//   obligations), a phase against an unmarked figure, and an undated figure
//   not said to be a plan against a deadline target (it may be today's
//   count) may only agree: they are never raised as rivals;
// * two lower bounds (以上, 超, more than) never conflict;
// * disjoint intervals are a contradiction; overlapping point figures that
//   differ are a discrepancy, but a one-sided bound is a rival of a point
//   figure only within a factor of 2 of it ("more than 23,000" is no reading
//   of "about 200,000");
// * a value "as of" a day against an undated one from a page of another
//   date that disagrees is a revision (the figure moved), not a
//   contradiction.
// Conflicts are the connected components of the pairs of one class.
//
// With `part_of`, a part's figure is also checked against its wholes' (scope
// and attribution conflicts). Each returned conflict has status "open";
// the result is sorted by subject, then class, then id. Deterministic:
// the same input in any order gives the same conflicts and ids.
//
// Preference (contradiction, discrepancy): a primary source over secondary
// ones, then the tighter figure (exact, approx, range, bound; between ranges
// the narrower relative to its size), then the figure stated by more
// independent pages (a near-duplicate page counts with the page it copies),
// then the most recent page. Revisions prefer the newer statement, status
// conflicts the most recent report. The explanation names the rule that
// decided. Money conflicts name the same question's figures in other
// currencies, converted with `context.fx` ("≈ USD 3.0 billion at the rate
// of 2025-10-31"), skipping figures from the members' own pages (a
// parenthesised conversion is one amount).
std::vector<Conflict> FindConflicts(const std::vector<Claim>& claims,
                                    const ReconcileContext& context);

// A live claim as Database::Reconcile hands it to FindSubjectConflicts:
// MeasureOf and ScopeOf are computed when the claim is read, so that its
// rule and quote (most of a claim's bytes) need not stay in memory.
struct ReconcileClaim {
  Claim claim;          // quote and rule may be empty
  std::string measure;  // MeasureOf(claim) of the claim as stored
  std::string scope;    // ScopeOf(claim) of the claim as stored
};

// For each subject that has parts, the subjects below it through part-of
// links (those with it among their ancestors), sorted by name.
std::map<std::string, std::vector<std::string>> SubjectsBelow(const PartOfLinks& part_of);

// The part of FindConflicts that concerns one subject, for reconciling a
// store too big to hold in memory at once: gives `sink` every conflict
// whose subject is `subject` (the same conflicts, in the same order, as
// FindConflicts over all the claims lists for it: by class, then id).
// `own` must hold every comparable claim of `subject` (claims of other
// subjects are ignored) and `parts` every claim of the subjects below it
// (SubjectsBelow; only needed with part-of links, for scope and
// attribution conflicts). Memory: the items of `own` and `parts` plus one
// conflict at a time. Returns the first error of `sink`, which stops the
// search.
Status FindSubjectConflicts(const std::string& subject, const std::vector<ReconcileClaim>& own,
                            const std::vector<ReconcileClaim>& parts,
                            const ReconcileContext& context,
                            const std::function<Status(Conflict)>& sink);

// FindConflicts with only part-of links: no page information, no FX table.
std::vector<Conflict> FindConflicts(const std::vector<Claim>& claims,
                                    const PartOfLinks& part_of);

// The stable id of a conflict: 16 hex digits of HexHash64 over its class,
// key and sorted member claim ids.
std::string ConflictId(std::string_view conflict_class, std::string_view key,
                       std::vector<std::string> claim_ids);

}  // namespace newsclaim::store
