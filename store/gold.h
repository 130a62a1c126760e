// store/gold.h
// `newsclaim eval`: scores stored claims and conflicts against the corpus
// gold (corpus/gold/<slug>.jsonl and conflicts.json; format in
// corpus/README.md). Reads the gold files; everything else is in memory.
#pragma once

#include <cstdint>
#include <filesystem>
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

struct EvalReport {
  std::vector<EvalRow> by_kind;  // one row per kind present in gold or stored, sorted
  EvalRow overall;
  int64_t gold_files = 0;
  int64_t gold_claims = 0;
  int64_t stored_claims_scored = 0;
  int64_t stored_claims_ignored = 0;  // from pages that have no gold file
  int64_t subject_matched = 0;        // matched pairs
  int64_t subject_correct = 0;        // of which the subject agrees
  double subject_accuracy = 0;
  std::vector<std::string> false_positives;  // "url: kind text", for debugging
  std::vector<std::string> false_negatives;
  bool conflicts_evaluated = false;  // conflicts.json present and conflicts given
  std::vector<ConflictCheck> expected;
  std::vector<ConflictCheck> must_not_raise;
  int expected_found = 0;            // found with the right class
  int must_not_raise_violated = 0;
};

// Scores `stored` claims against the gold under `gold_dir`. A stored claim
// matches a gold claim when its URL ends with the gold URL path (query and
// fragment ignored), the kinds agree and the figure agrees (value, or
// low/high, within 1e-6 relative; for dates the time range); matching is
// greedy and one-to-one, same-surface pairs first. Stored claims from pages
// without gold are ignored and counted. With `conflicts`, also checks
// conflicts.json's expected and must_not_raise entries against them.
// NotFound when `gold_dir` has no *.jsonl file; InvalidArgument naming
// file:line for a malformed gold line or conflicts.json.
StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::filesystem::path& gold_dir);
StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::vector<Conflict>& conflicts,
                                         const std::filesystem::path& gold_dir);

// A table for people: one row per kind, the overall row, subject accuracy,
// ignored claims and the conflict checks.
std::string EvalReportToText(const EvalReport& report);

// The same as one JSON object (for scripts).
std::string EvalReportToJson(const EvalReport& report);

}  // namespace newsclaim::store
