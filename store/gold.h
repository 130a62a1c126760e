// store/gold.h
// `newsclaim eval`: scores stored claims and conflicts against the corpus
// gold (corpus/gold/<slug>.jsonl and conflicts.json; format in
// corpus/README.md). Reads the gold files; everything else is in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/claim.h"
#include "base/status.h"
#include "store/reconcile.h"

namespace newsclaim::store {

// Precision, recall and F1 of one claim kind (or "all").
struct EvalRow {
  std::string kind;
  int64_t tp = 0;
  int64_t fp = 0;
  int64_t fn = 0;
  double precision = 0;  // tp / (tp + fp); 0 when nothing was stored
  double recall = 0;     // tp / (tp + fn); 0 when the gold is empty
  double f1 = 0;
};

// One planted conflict or must-not pair and whether the store got it right.
struct ConflictCheck {
  std::string description;  // "discrepancy South Korea: 26万枚 @ /news/...; ..."
  std::string expected_class;  // "" for must_not_raise entries
  bool found = false;        // expected: a conflict holds >= 2 of the listed claims
                             // (from different pages); must_not: violated
  bool all_members = false;  // that conflict holds every listed claim
  bool class_ok = false;     // and has the expected class
  std::string conflict_id;   // the conflict that matched, if any
  std::string found_class;
};

// A claim's time as the eval compares and lists it (relation is the
// contract's name: by, as_of, during, on).
struct EvalTime {
  std::string start;
  std::string end;
  std::string relation;
  friend bool operator==(const EvalTime&, const EvalTime&) = default;
};

// A gold claim (in the misses) or a stored claim (in the false positives and
// on either side of a mismatch), reduced to what an engineer needs to find it.
struct EvalListedClaim {
  std::string url;  // the gold page path ("/news/..."): stored claims are listed under it
  std::string kind;
  std::string text;
  std::optional<double> value;
  std::optional<double> low;
  std::optional<double> high;
  bool low_inclusive = true;
  bool high_inclusive = true;
  std::optional<EvalTime> time;
  std::string subject;       // "" when none
  std::string counterparty;  // "" when none
  std::string status;        // "" when none
  std::string product;       // "" when none
  std::string note;          // gold only: the analyst's note, when present
  std::string claim_id;      // stored only
  std::string rule;          // stored only: the rule that produced it
};

// A gold claim and a stored claim that agree on page and figure but differ in
// `field`: "kind" (same surface and figure, other kind: not a match, so
// counted as one miss and one false positive) or, for matched pairs,
// "subject", "time", "counterparty", "status" or "product".
struct EvalMismatch {
  std::string field;
  std::string expected;  // the gold's value, display form ("" = none)
  std::string got;       // the stored claim's
  EvalListedClaim gold;
  EvalListedClaim stored;
};

struct EvalReport {
  std::vector<EvalRow> by_kind;  // one row per kind present in gold or stored, sorted
  EvalRow overall;
  std::string gold_dir;  // the folder the gold was read from (after ResolveGoldDir)
  int64_t gold_files = 0;
  int64_t gold_claims = 0;
  int64_t stored_claims_scored = 0;
  int64_t stored_claims_ignored = 0;  // from pages that have no gold file
  int64_t subject_matched = 0;        // matched pairs
  int64_t subject_correct = 0;        // of which the subject agrees
  double subject_accuracy = 0;
  // Matched pairs of non-date kinds; correct when both times are null or
  // start, end and relation all agree.
  int64_t time_matched = 0;
  int64_t time_correct = 0;
  double time_accuracy = 0;
  // Matched pairs whose gold names a counterparty; correct when equal.
  int64_t counterparty_matched = 0;
  int64_t counterparty_correct = 0;
  double counterparty_accuracy = 0;
  // Matched pairs whose gold has a status; correct when equal.
  int64_t status_matched = 0;
  int64_t status_correct = 0;
  double status_accuracy = 0;
  // Matched pairs where either side names a product; correct when equal.
  int64_t product_matched = 0;
  int64_t product_correct = 0;
  double product_accuracy = 0;
  // Every unmatched claim as "url: kind text" (wrong-kind pairs included).
  std::vector<std::string> false_positives;
  std::vector<std::string> false_negatives;
  // The same, in detail, in page order. A wrong-kind pair is listed once, in
  // wrong_kind, instead of here: missed.size() + wrong_kind.size() ==
  // overall.fn and false_positive_claims.size() + wrong_kind.size() ==
  // overall.fp.
  std::vector<EvalListedClaim> missed;
  std::vector<EvalListedClaim> false_positive_claims;
  std::vector<EvalMismatch> wrong_kind;
  // Matched pairs whose field differs from the gold (field as named).
  std::vector<EvalMismatch> wrong_subject;
  std::vector<EvalMismatch> wrong_time;  // non-date kinds only
  std::vector<EvalMismatch> wrong_counterparty;
  std::vector<EvalMismatch> wrong_status;
  std::vector<EvalMismatch> wrong_product;
  bool conflicts_evaluated = false;  // conflicts.json present and conflicts given
  std::vector<ConflictCheck> expected;
  std::vector<ConflictCheck> must_not_raise;
  int expected_found = 0;            // found with the right class
  int must_not_raise_violated = 0;
};

// The folder holding the gold *.jsonl files: `path` itself when it has one,
// else `path`/gold when that has one, so that both `corpus/gold` and
// `corpus/` name the corpus gold. NotFound (naming `path`) when neither has a
// *.jsonl file or `path` does not exist; IoError when it cannot be listed.
StatusOr<std::filesystem::path> ResolveGoldDir(const std::filesystem::path& path);

// Scores `stored` claims against the gold under ResolveGoldDir(`gold_dir`).
// A stored claim matches a gold claim when its URL ends with the gold URL
// path (query and fragment ignored), the kinds agree and the figure agrees
// (value, or low/high, within 1e-6 relative; for dates the time range);
// matching is greedy and one-to-one, in passes: same surface and subject,
// same surface, same subject, then figure only. An unmatched stored claim
// with the surface and figure of an unmatched gold claim of another kind
// is paired with it in wrong_kind (still one miss and one false positive).
// Stored claims from pages without gold are ignored and counted. With
// `conflicts`, also checks conflicts.json's expected and must_not_raise
// entries against them: each claim reference ({url, text[, subject]}, as
// written in the gold files) names gold claims, and a conflict member stands
// for it when it is the stored claim (by id) matched to such a gold claim,
// whatever its surface; only for a gold claim left unmatched does a member
// with exactly the referenced text on that page count instead. Errors: those
// of ResolveGoldDir; InvalidArgument naming file:line for a malformed gold
// line, naming conflicts.json for a malformed conflicts.json, and
// "<path>/conflicts.json: <list> entry N: no gold claim <url> <text>" (N from
// 1; list expected, must_not_raise or tolerated) for a reference that names
// no gold claim.
StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::filesystem::path& gold_dir);
StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::vector<Conflict>& conflicts,
                                         const std::filesystem::path& gold_dir);

// How many entries each list of the rendered report shows; nullopt: all.
struct EvalRenderOptions {
  std::optional<size_t> max_list;
};

// For people: first a table (one row per kind, the overall row), the
// accuracies, ignored claims and the conflict checks; then the sections
// "Missed (N)", "False positives (N)", "Wrong kind (N)", "Wrong subject (N)",
// "Wrong time (N)", "Wrong counterparty (N)", "Wrong status (N)" and
// "Wrong product (N)", each grouped by page, one claim per line. A list
// cut by max_list ends with "... and K more".
std::string EvalReportToText(const EvalReport& report, const EvalRenderOptions& options = {});

// The same as one JSON object (for scripts): the table fields, then the lists
// as arrays of objects ("missed", "false_positive_claims", "wrong_kind",
// "wrong_subject", ...; cut by max_list) and "list_counts", their full sizes.
std::string EvalReportToJson(const EvalReport& report, const EvalRenderOptions& options = {});

}  // namespace newsclaim::store
