#include "store/gold.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "store/json_internal.h"

namespace newsclaim::store {
namespace {

using nlohmann::json;

struct GoldClaim {
  std::string url;  // root-relative path
  std::string kind;
  std::string subject;
  std::string counterparty;
  std::string product;
  std::string status;
  std::optional<double> value, low, high;
  bool low_inclusive = true;
  bool high_inclusive = true;
  std::optional<EvalTime> time;
  std::string text;
  std::string note;
  // The stored claim MatchPage paired with this one (one-to-one), if any;
  // points into the `stored` vector Evaluate was given.
  const Claim* matched = nullptr;
};

// A claim named in conflicts.json by page and surface as written in the gold
// files, with the subject only when the surface occurs twice on the page
// (corpus/README.md, gold/conflicts.json).
struct ClaimRef {
  std::string url;
  std::string text;
  std::string subject;  // "" when the reference gives none
  // Filled by ResolveRefs: the ids of the stored claims matched to the gold
  // claim(s) the reference names, and whether one of those gold claims went
  // unmatched, so that the old exact-surface lookup applies to it.
  std::vector<std::string> stored_ids;
  bool text_fallback = false;
};

struct GoldConflict {
  std::string conflict_class;  // "" for must_not_raise
  std::string subject;
  std::vector<ClaimRef> claims;
};

std::optional<double> OptionalNumber(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string OptionalText(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Gold writes null for the inclusivity of an absent bound; that reads as true.
bool OptionalBool(const json& object, const char* field) {
  auto it = object.find(field);
  return it == object.end() || !it->is_boolean() || it->get<bool>();
}

bool SameNumber(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return !a && !b;
  return std::fabs(*a - *b) <= 1e-6 * std::max({std::fabs(*a), std::fabs(*b), 1e-12});
}

// The URL without query or fragment.
std::string PathPart(const std::string& url) {
  const size_t cut = url.find_first_of("?#");
  return cut == std::string::npos ? url : url.substr(0, cut);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return !suffix.empty() && text.size() >= suffix.size() &&
         text.substr(text.size() - suffix.size()) == suffix;
}

StatusOr<std::vector<GoldClaim>> ReadGoldFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string());
  std::vector<GoldClaim> claims;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(line_number);
    json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object()) {
      return InvalidArgumentError(where + ": not a JSON object");
    }
    GoldClaim claim;
    claim.url = OptionalText(object, "url");
    claim.kind = OptionalText(object, "kind");
    if (claim.url.empty() || claim.kind.empty()) {
      return InvalidArgumentError(where + ": gold claim needs \"url\" and \"kind\"");
    }
    claim.subject = OptionalText(object, "subject");
    claim.counterparty = OptionalText(object, "counterparty");
    claim.product = OptionalText(object, "product");
    claim.status = OptionalText(object, "status");
    claim.value = OptionalNumber(object, "value");
    claim.low = OptionalNumber(object, "low");
    claim.high = OptionalNumber(object, "high");
    claim.low_inclusive = OptionalBool(object, "low_inclusive");
    claim.high_inclusive = OptionalBool(object, "high_inclusive");
    claim.text = OptionalText(object, "text");
    claim.note = OptionalText(object, "note");
    if (auto it = object.find("time"); it != object.end() && it->is_object()) {
      claim.time = EvalTime{OptionalText(*it, "start"), OptionalText(*it, "end"),
                            OptionalText(*it, "relation")};
    }
    claims.push_back(std::move(claim));
  }
  return claims;
}

StatusOr<std::vector<GoldConflict>> ReadConflictList(const json& root, const char* field,
                                                     const std::string& path) {
  std::vector<GoldConflict> out;
  auto it = root.find(field);
  if (it == root.end()) return out;
  if (!it->is_array()) return InvalidArgumentError(path + ": \"" + field + "\" is not an array");
  for (const json& entry : *it) {
    if (!entry.is_object()) return InvalidArgumentError(path + ": an entry of \"" + field + "\" is not an object");
    GoldConflict conflict;
    conflict.conflict_class = OptionalText(entry, "class");
    conflict.subject = OptionalText(entry, "subject");
    auto claims = entry.find("claims");
    if (claims == entry.end() || !claims->is_array()) {
      return InvalidArgumentError(path + ": an entry of \"" + field + "\" has no \"claims\" array");
    }
    for (const json& ref : *claims) {
      if (!ref.is_object()) return InvalidArgumentError(path + ": a claim reference is not an object");
      ClaimRef claim_ref;
      claim_ref.url = OptionalText(ref, "url");
      claim_ref.text = OptionalText(ref, "text");
      claim_ref.subject = OptionalText(ref, "subject");
      conflict.claims.push_back(std::move(claim_ref));
    }
    out.push_back(std::move(conflict));
  }
  return out;
}

std::optional<EvalTime> StoredTime(const Claim& claim) {
  if (!claim.time) return std::nullopt;
  return EvalTime{claim.time->range.start, claim.time->range.end,
                  std::string(TimeRelationName(claim.time->relation))};
}

// Whether the figures agree, whatever the kinds: for a gold date, the day
// range; otherwise the point figure, or else both bounds.
bool FigureAgrees(const Claim& stored, const GoldClaim& gold) {
  if (gold.kind == "date") {
    return stored.time && gold.time && stored.time->range.start == gold.time->start &&
           stored.time->range.end == gold.time->end;
  }
  const Interval& in = stored.interval;
  if (in.value && gold.value) return SameNumber(in.value, gold.value);
  if (!in.low && !in.high) return false;
  return SameNumber(in.low, gold.low) && SameNumber(in.high, gold.high);
}

void Finish(EvalRow& row) {
  row.precision = row.tp + row.fp > 0 ? static_cast<double>(row.tp) / (row.tp + row.fp) : 0;
  row.recall = row.tp + row.fn > 0 ? static_cast<double>(row.tp) / (row.tp + row.fn) : 0;
  row.f1 = row.precision + row.recall > 0
               ? 2 * row.precision * row.recall / (row.precision + row.recall)
               : 0;
}

double Share(int64_t correct, int64_t total) {
  return total > 0 ? static_cast<double>(correct) / total : 0;
}

// Points every reference of `entries` (the conflicts.json list `list`) at
// the gold claims it names (same url and text, and subject when the
// reference gives one; several when a surface without a subject occurs twice)
// and through them at the stored claims the matching paired with them.
// InvalidArgument when a reference names no gold claim.
Status ResolveRefs(std::vector<GoldConflict>& entries, const char* list,
                   const std::map<std::string, std::vector<GoldClaim>>& gold_by_page,
                   const std::string& path) {
  for (size_t i = 0; i < entries.size(); ++i) {
    for (ClaimRef& ref : entries[i].claims) {
      bool named = false;
      auto page = gold_by_page.find(ref.url);
      if (page != gold_by_page.end()) {
        for (const GoldClaim& gold : page->second) {
          if (gold.text != ref.text || (!ref.subject.empty() && gold.subject != ref.subject)) continue;
          named = true;
          // A stored claim without an id cannot be told apart inside a
          // conflict; treat its gold claim as unmatched.
          if (gold.matched != nullptr && !gold.matched->id.empty()) {
            ref.stored_ids.push_back(gold.matched->id);
          } else {
            ref.text_fallback = true;
          }
        }
      }
      if (!named) {
        return InvalidArgumentError(path + ": " + list + " entry " + std::to_string(i + 1) +
                                    ": no gold claim " + ref.url + " " + ref.text +
                                    (ref.subject.empty() ? "" : " (subject " + ref.subject + ")"));
      }
    }
  }
  return Status::Ok();
}

// Whether a conflict member is the stored claim a reference stands for: one
// the matching paired with the referenced gold claim, whatever its surface
// ("more than 23,000" for gold "more than 23,000 GB300s"). Only when that gold
// claim went unmatched does the old lookup apply: the same surface, exactly,
// on the same page.
bool RefMatches(const Claim& claim, const ClaimRef& ref) {
  if (!claim.id.empty() &&
      std::find(ref.stored_ids.begin(), ref.stored_ids.end(), claim.id) != ref.stored_ids.end()) {
    return true;
  }
  return ref.text_fallback && claim.text == ref.text && EndsWith(PathPart(claim.url), ref.url);
}

std::string Describe(const GoldConflict& gold) {
  std::string text = gold.conflict_class.empty() ? "must not raise" : gold.conflict_class;
  if (!gold.subject.empty()) text += " " + gold.subject;
  text += ":";
  for (size_t i = 0; i < gold.claims.size(); ++i) {
    text += (i == 0 ? " " : "; ") + gold.claims[i].text + " @ " + gold.claims[i].url;
  }
  return text;
}

// The best-matching conflict for a gold entry: most listed claims held (at
// least two, from two different listed pages or entries), right class first.
ConflictCheck Check(const GoldConflict& gold, const std::vector<Conflict>& conflicts) {
  ConflictCheck check;
  check.description = Describe(gold);
  check.expected_class = gold.conflict_class;
  int best_held = 0;
  for (const Conflict& conflict : conflicts) {
    int held = 0;
    for (const ClaimRef& ref : gold.claims) {
      for (const Claim& claim : conflict.claims) {
        if (RefMatches(claim, ref)) {
          ++held;
          break;
        }
      }
    }
    if (held < 2) continue;
    const bool class_ok = conflict.conflict_class == gold.conflict_class;
    const bool better = held > best_held || (held == best_held && class_ok && !check.class_ok);
    if (!better) continue;
    best_held = held;
    check.found = true;
    check.all_members = held == static_cast<int>(gold.claims.size());
    check.class_ok = class_ok;
    check.conflict_id = conflict.id;
    check.found_class = conflict.conflict_class;
  }
  return check;
}

EvalListedClaim ListGold(const GoldClaim& gold) {
  EvalListedClaim listed;
  listed.url = gold.url;
  listed.kind = gold.kind;
  listed.text = gold.text;
  listed.value = gold.value;
  listed.low = gold.low;
  listed.high = gold.high;
  listed.low_inclusive = gold.low_inclusive;
  listed.high_inclusive = gold.high_inclusive;
  listed.time = gold.time;
  listed.subject = gold.subject;
  listed.counterparty = gold.counterparty;
  listed.status = gold.status;
  listed.product = gold.product;
  listed.note = gold.note;
  return listed;
}

EvalListedClaim ListStored(const Claim& claim, const std::string& page) {
  EvalListedClaim listed;
  listed.url = page;
  listed.kind = std::string(ClaimKindName(claim.kind));
  listed.text = claim.text;
  listed.value = claim.interval.value;
  listed.low = claim.interval.low;
  listed.high = claim.interval.high;
  listed.low_inclusive = claim.interval.low_inclusive;
  listed.high_inclusive = claim.interval.high_inclusive;
  listed.time = StoredTime(claim);
  listed.subject = claim.subject;
  listed.counterparty = claim.counterparty;
  listed.status = std::string(ClaimStatusName(claim.status));
  listed.product = claim.product;
  listed.claim_id = claim.id;
  listed.rule = claim.rule;
  return listed;
}

// "by 2030-01-01..2030-12-31", "on 2025-10-31", or "" for no time.
std::string TimeText(const std::optional<EvalTime>& time) {
  if (!time) return "";
  std::string text = time->relation.empty() ? "" : time->relation + " ";
  return text + (time->start == time->end ? time->start : time->start + ".." + time->end);
}

std::string NumberText(double number) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.15g", number);
  return buffer;
}

// The figure for people: "260000", "≥ 250000", "> 50000", "≤ 7700000000",
// "[7800000000, 10500000000]", a point inside its bounds as "5 ([4, 6])";
// a date claim's figure is its day range.
std::string FigureText(const EvalListedClaim& claim) {
  if (claim.kind == "date") return TimeText(claim.time);
  const auto& low = claim.low;
  const auto& high = claim.high;
  std::string bounds;
  if (low && high && SameNumber(low, high)) {
    bounds = NumberText(*low);
  } else if (low && high) {
    bounds = std::string(claim.low_inclusive ? "[" : "(") + NumberText(*low) + ", " +
             NumberText(*high) + (claim.high_inclusive ? "]" : ")");
  } else if (low) {
    bounds = (claim.low_inclusive ? "≥ " : "> ") + NumberText(*low);
  } else if (high) {
    bounds = (claim.high_inclusive ? "≤ " : "< ") + NumberText(*high);
  }
  if (!claim.value) return bounds.empty() ? "(no figure)" : bounds;
  // A point figure that is one of the bounds (25万基以上: value = low) adds nothing.
  if (!bounds.empty() && (SameNumber(claim.value, low) || SameNumber(claim.value, high))) return bounds;
  if (bounds.empty()) return NumberText(*claim.value);
  return NumberText(*claim.value) + " (" + bounds + ")";
}

std::string OrNone(const std::string& text) { return text.empty() ? "(none)" : text; }

// Step 3's bookkeeping for one matched pair: every accuracy and mismatch list.
void ScoreMatchedPair(const Claim& claim, const GoldClaim& gold, const std::string& page,
                      EvalReport& report) {
  auto mismatch = [&](std::vector<EvalMismatch>& list, const char* field, std::string expected,
                      std::string got) {
    list.push_back({field, std::move(expected), std::move(got), ListGold(gold), ListStored(claim, page)});
  };
  // One field of the pair: counted, and listed when the two disagree.
  auto tally = [&](int64_t& matched, int64_t& correct, std::vector<EvalMismatch>& wrong,
                   const char* field, bool agree, std::string expected, std::string got) {
    ++matched;
    if (agree) {
      ++correct;
    } else {
      mismatch(wrong, field, std::move(expected), std::move(got));
    }
  };
  tally(report.subject_matched, report.subject_correct, report.wrong_subject, "subject",
        gold.subject == claim.subject, gold.subject, claim.subject);
  if (gold.kind != "date") {
    const std::optional<EvalTime> stored_time = StoredTime(claim);
    tally(report.time_matched, report.time_correct, report.wrong_time, "time",
          stored_time == gold.time, TimeText(gold.time), TimeText(stored_time));
  }
  if (!gold.counterparty.empty()) {
    tally(report.counterparty_matched, report.counterparty_correct, report.wrong_counterparty,
          "counterparty", gold.counterparty == claim.counterparty, gold.counterparty,
          claim.counterparty);
  }
  if (!gold.status.empty()) {
    const std::string status(ClaimStatusName(claim.status));
    tally(report.status_matched, report.status_correct, report.wrong_status, "status",
          gold.status == status, gold.status, status);
  }
  if (!gold.product.empty() || !claim.product.empty()) {
    tally(report.product_matched, report.product_correct, report.wrong_product, "product",
          gold.product == claim.product, gold.product, claim.product);
  }
}

// Greedy one-to-one matching of one page's stored claims to its gold claims,
// then the wrong-kind pairs among what is left. Adds to `rows` and `report`;
// sets each matched gold claim's `matched`.
void MatchPage(const std::string& page, std::vector<GoldClaim>& gold_claims,
               const std::vector<const Claim*>& candidates, std::map<std::string, EvalRow>& rows,
               EvalReport& report) {
  std::vector<bool> gold_used(gold_claims.size(), false);
  std::vector<bool> stored_used(candidates.size(), false);
  // Same surface first; within that, the same subject first, so that a text
  // stated twice for two subjects (5万枚 Samsung, 5万枚 Hyundai) pairs up
  // right (corpus/README.md: match on url, text and subject).
  struct Pass {
    bool same_text;
    bool same_subject;
  };
  for (const Pass pass : {Pass{true, true}, Pass{true, false}, Pass{false, true}, Pass{false, false}}) {
    for (size_t s = 0; s < candidates.size(); ++s) {
      if (stored_used[s]) continue;
      const Claim& claim = *candidates[s];
      for (size_t g = 0; g < gold_claims.size(); ++g) {
        GoldClaim& gold = gold_claims[g];
        if (gold_used[g] || gold.kind != ClaimKindName(claim.kind)) continue;
        if (pass.same_text && gold.text != claim.text) continue;
        if (pass.same_subject && gold.subject != claim.subject) continue;
        if (!FigureAgrees(claim, gold)) continue;
        gold_used[g] = stored_used[s] = true;
        gold.matched = &claim;
        ++rows[gold.kind].tp;
        ScoreMatchedPair(claim, gold, page, report);
        break;
      }
    }
  }

  // What is left: a stored claim with a gold claim's surface and figure but
  // another kind is one miss and one false positive, listed once as a pair.
  std::vector<bool> gold_paired(gold_claims.size(), false);
  std::vector<bool> stored_paired(candidates.size(), false);
  for (size_t g = 0; g < gold_claims.size(); ++g) {
    if (gold_used[g]) continue;
    for (size_t s = 0; s < candidates.size(); ++s) {
      if (stored_used[s] || stored_paired[s]) continue;
      const Claim& claim = *candidates[s];
      if (claim.text != gold_claims[g].text || !FigureAgrees(claim, gold_claims[g])) continue;
      gold_paired[g] = stored_paired[s] = true;
      report.wrong_kind.push_back({"kind", gold_claims[g].kind, std::string(ClaimKindName(claim.kind)),
                                   ListGold(gold_claims[g]), ListStored(claim, page)});
      break;
    }
  }
  for (size_t s = 0; s < candidates.size(); ++s) {
    if (stored_used[s]) continue;
    const std::string kind(ClaimKindName(candidates[s]->kind));
    ++rows[kind].fp;
    report.false_positives.push_back(page + ": " + kind + " " + candidates[s]->text);
    if (!stored_paired[s]) report.false_positive_claims.push_back(ListStored(*candidates[s], page));
  }
  for (size_t g = 0; g < gold_claims.size(); ++g) {
    if (gold_used[g]) continue;
    ++rows[gold_claims[g].kind].fn;
    report.false_negatives.push_back(page + ": " + gold_claims[g].kind + " " + gold_claims[g].text);
    if (!gold_paired[g]) report.missed.push_back(ListGold(gold_claims[g]));
  }
}

// The *.jsonl files directly in `dir`, sorted; NotFound when `dir` is absent.
StatusOr<std::vector<std::filesystem::path>> GoldFilesIn(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return NotFoundError("no gold folder " + dir.string());
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == ".jsonl") files.push_back(it->path());
  }
  if (error) return IoError("cannot list " + dir.string() + ": " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

StatusOr<EvalReport> Evaluate(const std::vector<Claim>& stored, const std::vector<Conflict>* conflicts,
                              const std::filesystem::path& requested_dir) {
  // Step 1: read every gold file (sorted, so the report is stable).
  ASSIGN_OR_RETURN(std::filesystem::path gold_dir, ResolveGoldDir(requested_dir));
  ASSIGN_OR_RETURN(std::vector<std::filesystem::path> files, GoldFilesIn(gold_dir));
  EvalReport report;
  report.gold_dir = gold_dir.string();
  report.gold_files = static_cast<int64_t>(files.size());
  std::map<std::string, std::vector<GoldClaim>> gold_by_page;
  for (const auto& file : files) {
    ASSIGN_OR_RETURN(std::vector<GoldClaim> claims, ReadGoldFile(file));
    report.gold_claims += static_cast<int64_t>(claims.size());
    for (GoldClaim& claim : claims) gold_by_page[claim.url].push_back(std::move(claim));
  }

  // Step 2: assign stored claims to gold pages by URL path suffix.
  std::map<std::string, std::vector<const Claim*>> stored_by_page;
  for (const Claim& claim : stored) {
    const std::string path = PathPart(claim.url);
    const std::string* page = nullptr;
    for (const auto& [gold_url, unused] : gold_by_page) {
      if (EndsWith(path, gold_url) && (page == nullptr || gold_url.size() > page->size())) {
        page = &gold_url;
      }
    }
    if (page == nullptr) {
      ++report.stored_claims_ignored;
      continue;
    }
    ++report.stored_claims_scored;
    stored_by_page[*page].push_back(&claim);
  }

  // Step 3: match page by page; tally rows and accuracies.
  std::map<std::string, EvalRow> rows;
  for (auto& [page, gold_claims] : gold_by_page) {
    MatchPage(page, gold_claims, stored_by_page[page], rows, report);
  }
  report.overall.kind = "all";
  for (auto& [kind, row] : rows) {
    row.kind = kind;
    Finish(row);
    report.overall.tp += row.tp;
    report.overall.fp += row.fp;
    report.overall.fn += row.fn;
    report.by_kind.push_back(row);
  }
  Finish(report.overall);
  report.subject_accuracy = Share(report.subject_correct, report.subject_matched);
  report.time_accuracy = Share(report.time_correct, report.time_matched);
  report.counterparty_accuracy = Share(report.counterparty_correct, report.counterparty_matched);
  report.status_accuracy = Share(report.status_correct, report.status_matched);
  report.product_accuracy = Share(report.product_correct, report.product_matched);

  // Step 4: conflicts, when asked and conflicts.json exists.
  const std::filesystem::path conflicts_path = gold_dir / "conflicts.json";
  if (conflicts != nullptr && std::filesystem::exists(conflicts_path)) {
    std::ifstream in(conflicts_path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    json root = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded() || !root.is_object()) {
      return InvalidArgumentError(conflicts_path.string() + ": not a JSON object");
    }
    ASSIGN_OR_RETURN(std::vector<GoldConflict> expected,
                     ReadConflictList(root, "expected", conflicts_path.string()));
    ASSIGN_OR_RETURN(std::vector<GoldConflict> must_not,
                     ReadConflictList(root, "must_not_raise", conflicts_path.string()));
    // Unscored, but its references must name gold claims too.
    ASSIGN_OR_RETURN(std::vector<GoldConflict> tolerated,
                     ReadConflictList(root, "tolerated", conflicts_path.string()));
    RETURN_IF_ERROR(ResolveRefs(expected, "expected", gold_by_page, conflicts_path.string()));
    RETURN_IF_ERROR(ResolveRefs(must_not, "must_not_raise", gold_by_page, conflicts_path.string()));
    RETURN_IF_ERROR(ResolveRefs(tolerated, "tolerated", gold_by_page, conflicts_path.string()));
    report.conflicts_evaluated = true;
    for (const GoldConflict& gold : expected) {
      ConflictCheck check = Check(gold, *conflicts);
      if (check.found && check.class_ok) ++report.expected_found;
      report.expected.push_back(std::move(check));
    }
    for (const GoldConflict& gold : must_not) {
      ConflictCheck check = Check(gold, *conflicts);
      if (check.found) ++report.must_not_raise_violated;
      report.must_not_raise.push_back(std::move(check));
    }
  }
  return report;
}

// ---- Rendering ---------------------------------------------------------------

std::string Percent(double fraction) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%.3f", fraction);
  return buffer;
}

std::string AccuracyLine(const char* what, double accuracy, int64_t correct, int64_t matched) {
  return std::string(what) + ": " + Percent(accuracy) + " (" + std::to_string(correct) + "/" +
         std::to_string(matched) + ")\n";
}

// One entry of a claim list: "kind  text  figure" plus what the caller adds.
std::string ClaimLine(const EvalListedClaim& claim) {
  return claim.kind + "  " + claim.text + "  " + FigureText(claim);
}

std::string MissLine(const EvalListedClaim& claim) {
  std::string line = ClaimLine(claim);
  if (!claim.subject.empty()) line += "  subject " + claim.subject;
  if (!claim.note.empty()) line += "  -- " + claim.note;
  return line;
}

std::string FalsePositiveLine(const EvalListedClaim& claim) {
  std::string line = ClaimLine(claim);
  if (!claim.subject.empty()) line += "  subject " + claim.subject;
  if (!claim.rule.empty()) line += "  [" + claim.rule + "]";
  return line;
}

std::string MismatchLine(const EvalMismatch& mismatch) {
  // For a wrong kind the stored kind is the news, so the line leads with the surface.
  const std::string head = mismatch.field == "kind"
                               ? mismatch.gold.text + "  " + FigureText(mismatch.gold)
                               : ClaimLine(mismatch.gold);
  std::string line = head + "  " + mismatch.field + ": got " + OrNone(mismatch.got) + ", gold " +
                     OrNone(mismatch.expected);
  if (!mismatch.stored.rule.empty()) line += "  [" + mismatch.stored.rule + "]";
  return line;
}

// "Title (N)", then the first max_list entries grouped under their page, then
// "... and K more" when cut.
template <typename T>
void AppendSection(std::ostringstream& out, const std::string& title, const std::vector<T>& list,
                   const std::function<const std::string&(const T&)>& page_of,
                   const std::function<std::string(const T&)>& line_of,
                   const EvalRenderOptions& options) {
  out << "\n" << title << " (" << list.size() << ")\n";
  const size_t shown = std::min(list.size(), options.max_list.value_or(list.size()));
  const std::string* page = nullptr;
  for (size_t i = 0; i < shown; ++i) {
    const std::string& this_page = page_of(list[i]);
    if (page == nullptr || *page != this_page) {
      out << "  " << this_page << "\n";
      page = &this_page;
    }
    out << "    " << line_of(list[i]) << "\n";
  }
  if (shown < list.size()) out << "  ... and " << list.size() - shown << " more\n";
}

json RowJson(const EvalRow& row) {
  return {{"kind", row.kind}, {"tp", row.tp},         {"fp", row.fp}, {"fn", row.fn},
          {"precision", row.precision}, {"recall", row.recall}, {"f1", row.f1}};
}

json CheckJson(const ConflictCheck& check) {
  return {{"description", check.description}, {"expected_class", check.expected_class},
          {"found", check.found},             {"all_members", check.all_members},
          {"class_ok", check.class_ok},       {"conflict_id", check.conflict_id},
          {"found_class", check.found_class}};
}

json OptionalNumberJson(const std::optional<double>& number) {
  return number ? internal::NumberJson(*number) : json(nullptr);
}

json OptionalTextJson(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json TimeJson(const std::optional<EvalTime>& time) {
  if (!time) return nullptr;
  return {{"start", time->start}, {"end", time->end}, {"relation", time->relation}};
}

json ListedJson(const EvalListedClaim& claim) {
  json object = {{"url", claim.url},
                 {"kind", claim.kind},
                 {"text", claim.text},
                 {"value", OptionalNumberJson(claim.value)},
                 {"low", OptionalNumberJson(claim.low)},
                 {"high", OptionalNumberJson(claim.high)},
                 {"low_inclusive", claim.low_inclusive},
                 {"high_inclusive", claim.high_inclusive},
                 {"time", TimeJson(claim.time)},
                 {"subject", OptionalTextJson(claim.subject)},
                 {"counterparty", OptionalTextJson(claim.counterparty)},
                 {"status", OptionalTextJson(claim.status)},
                 {"product", OptionalTextJson(claim.product)}};
  if (!claim.note.empty()) object["note"] = claim.note;
  if (!claim.claim_id.empty()) object["claim_id"] = claim.claim_id;
  if (!claim.rule.empty()) object["rule"] = claim.rule;
  return object;
}

// The gold side's url/kind/text/figure at the top level, for scripts that
// only want to know where to look; both full claims nested.
json MismatchJson(const EvalMismatch& mismatch) {
  return {{"url", mismatch.gold.url},
          {"kind", mismatch.gold.kind},
          {"text", mismatch.gold.text},
          {"value", OptionalNumberJson(mismatch.gold.value)},
          {"low", OptionalNumberJson(mismatch.gold.low)},
          {"high", OptionalNumberJson(mismatch.gold.high)},
          {"field", mismatch.field},
          {"expected", OptionalTextJson(mismatch.expected)},
          {"got", OptionalTextJson(mismatch.got)},
          {"gold", ListedJson(mismatch.gold)},
          {"stored", ListedJson(mismatch.stored)}};
}

template <typename T>
json ListJson(const std::vector<T>& list, json (*to_json)(const T&), const EvalRenderOptions& options) {
  json array = json::array();
  const size_t shown = std::min(list.size(), options.max_list.value_or(list.size()));
  for (size_t i = 0; i < shown; ++i) array.push_back(to_json(list[i]));
  return array;
}

}  // namespace

StatusOr<std::filesystem::path> ResolveGoldDir(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::vector<std::filesystem::path> here, GoldFilesIn(path));
  if (!here.empty()) return path;
  const std::filesystem::path nested = path / "gold";
  std::error_code error;
  if (std::filesystem::is_directory(nested, error)) {
    ASSIGN_OR_RETURN(std::vector<std::filesystem::path> below, GoldFilesIn(nested));
    if (!below.empty()) return nested;
  }
  return NotFoundError("no gold *.jsonl files in " + path.string() + " nor in " + nested.string());
}

StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::filesystem::path& gold_dir) {
  return Evaluate(stored, nullptr, gold_dir);
}

StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::vector<Conflict>& conflicts,
                                         const std::filesystem::path& gold_dir) {
  return Evaluate(stored, &conflicts, gold_dir);
}

std::string EvalReportToText(const EvalReport& report, const EvalRenderOptions& options) {
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof(line), "%-12s %6s %6s %6s %9s %7s %6s\n", "kind", "tp", "fp", "fn",
                "precision", "recall", "f1");
  out << line;
  std::vector<EvalRow> rows = report.by_kind;
  rows.push_back(report.overall);
  for (const EvalRow& row : rows) {
    std::snprintf(line, sizeof(line), "%-12s %6lld %6lld %6lld %9s %7s %6s\n", row.kind.c_str(),
                  static_cast<long long>(row.tp), static_cast<long long>(row.fp),
                  static_cast<long long>(row.fn), Percent(row.precision).c_str(),
                  Percent(row.recall).c_str(), Percent(row.f1).c_str());
    out << line;
  }
  out << AccuracyLine("subject accuracy on matched claims", report.subject_accuracy,
                      report.subject_correct, report.subject_matched);
  out << AccuracyLine("time accuracy on matched non-date claims", report.time_accuracy,
                      report.time_correct, report.time_matched);
  out << AccuracyLine("counterparty accuracy where gold names one", report.counterparty_accuracy,
                      report.counterparty_correct, report.counterparty_matched);
  out << AccuracyLine("status accuracy where gold has one", report.status_accuracy,
                      report.status_correct, report.status_matched);
  out << AccuracyLine("product accuracy where either side names one", report.product_accuracy,
                      report.product_correct, report.product_matched);
  out << report.gold_claims << " gold claims in " << report.gold_files << " files";
  if (!report.gold_dir.empty()) out << " (" << report.gold_dir << ")";
  out << "; " << report.stored_claims_scored << " stored claims scored, "
      << report.stored_claims_ignored << " ignored (pages without gold)\n";
  if (report.conflicts_evaluated) {
    out << "conflicts: " << report.expected_found << "/" << report.expected.size()
        << " expected found with the right class; " << report.must_not_raise_violated << "/"
        << report.must_not_raise.size() << " must-not-raise violated\n";
    for (const ConflictCheck& check : report.expected) {
      out << "  " << (check.found && check.class_ok ? "ok      " : check.found ? "class?  " : "MISSED  ")
          << check.description;
      if (check.found && !check.class_ok) out << " (found as " << check.found_class << ")";
      out << "\n";
    }
    for (const ConflictCheck& check : report.must_not_raise) {
      if (check.found) {
        out << "  RAISED  " << check.description << " (conflict " << check.conflict_id << ", "
            << check.found_class << ")\n";
      }
    }
  }

  using Listed = EvalListedClaim;
  const std::function<const std::string&(const Listed&)> listed_page =
      [](const Listed& claim) -> const std::string& { return claim.url; };
  const std::function<const std::string&(const EvalMismatch&)> mismatch_page =
      [](const EvalMismatch& mismatch) -> const std::string& { return mismatch.gold.url; };
  const std::function<std::string(const EvalMismatch&)> mismatch_line = MismatchLine;
  AppendSection<Listed>(out, "Missed", report.missed, listed_page, MissLine, options);
  AppendSection<Listed>(out, "False positives", report.false_positive_claims, listed_page,
                        FalsePositiveLine, options);
  const std::pair<const char*, const std::vector<EvalMismatch>*> mismatch_sections[] = {
      {"Wrong kind", &report.wrong_kind},
      {"Wrong subject", &report.wrong_subject},
      {"Wrong time", &report.wrong_time},
      {"Wrong counterparty", &report.wrong_counterparty},
      {"Wrong status", &report.wrong_status},
      {"Wrong product", &report.wrong_product},
  };
  for (const auto& [title, list] : mismatch_sections) {
    AppendSection<EvalMismatch>(out, title, *list, mismatch_page, mismatch_line, options);
  }
  return out.str();
}

std::string EvalReportToJson(const EvalReport& report, const EvalRenderOptions& options) {
  json rows = json::array();
  for (const EvalRow& row : report.by_kind) rows.push_back(RowJson(row));
  json expected = json::array();
  for (const ConflictCheck& check : report.expected) expected.push_back(CheckJson(check));
  json must_not = json::array();
  for (const ConflictCheck& check : report.must_not_raise) must_not.push_back(CheckJson(check));
  json root = {
      {"by_kind", rows},
      {"overall", RowJson(report.overall)},
      {"gold_dir", report.gold_dir},
      {"gold_files", report.gold_files},
      {"gold_claims", report.gold_claims},
      {"stored_claims_scored", report.stored_claims_scored},
      {"stored_claims_ignored", report.stored_claims_ignored},
      {"subject_accuracy", report.subject_accuracy},
      {"subject_matched", report.subject_matched},
      {"subject_correct", report.subject_correct},
      {"time_accuracy", report.time_accuracy},
      {"time_matched", report.time_matched},
      {"time_correct", report.time_correct},
      {"counterparty_accuracy", report.counterparty_accuracy},
      {"counterparty_matched", report.counterparty_matched},
      {"counterparty_correct", report.counterparty_correct},
      {"status_accuracy", report.status_accuracy},
      {"status_matched", report.status_matched},
      {"status_correct", report.status_correct},
      {"product_accuracy", report.product_accuracy},
      {"product_matched", report.product_matched},
      {"product_correct", report.product_correct},
      {"false_positives", report.false_positives},
      {"false_negatives", report.false_negatives},
  };
  const std::pair<const char*, const std::vector<EvalListedClaim>*> claim_lists[] = {
      {"missed", &report.missed},
      {"false_positive_claims", &report.false_positive_claims},
  };
  const std::pair<const char*, const std::vector<EvalMismatch>*> mismatch_lists[] = {
      {"wrong_kind", &report.wrong_kind},
      {"wrong_subject", &report.wrong_subject},
      {"wrong_time", &report.wrong_time},
      {"wrong_counterparty", &report.wrong_counterparty},
      {"wrong_status", &report.wrong_status},
      {"wrong_product", &report.wrong_product},
  };
  json counts = json::object();
  for (const auto& [key, list] : claim_lists) {
    root[key] = ListJson(*list, ListedJson, options);
    counts[key] = list->size();
  }
  for (const auto& [key, list] : mismatch_lists) {
    root[key] = ListJson(*list, MismatchJson, options);
    counts[key] = list->size();
  }
  root["list_counts"] = counts;
  if (report.conflicts_evaluated) {
    root["conflicts"] = {{"expected", expected},
                         {"expected_found", report.expected_found},
                         {"must_not_raise", must_not},
                         {"must_not_raise_violated", report.must_not_raise_violated}};
  }
  return internal::Dump(root, 2);
}

}  // namespace newsclaim::store
