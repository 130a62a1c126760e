#include "store/gold.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace newsclaim::store {
namespace {

using nlohmann::json;

struct GoldClaim {
  std::string url;  // root-relative path
  std::string kind;
  std::string subject;
  std::optional<double> value, low, high;
  std::optional<DateRange> time;
  std::string text;
};

// A claim named by page and surface in conflicts.json.
struct ClaimRef {
  std::string url;
  std::string text;
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
    claim.value = OptionalNumber(object, "value");
    claim.low = OptionalNumber(object, "low");
    claim.high = OptionalNumber(object, "high");
    claim.text = OptionalText(object, "text");
    if (auto it = object.find("time"); it != object.end() && it->is_object()) {
      claim.time = DateRange{OptionalText(*it, "start"), OptionalText(*it, "end")};
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
      conflict.claims.push_back({OptionalText(ref, "url"), OptionalText(ref, "text")});
    }
    out.push_back(std::move(conflict));
  }
  return out;
}

bool FigureAgrees(const Claim& stored, const GoldClaim& gold) {
  if (gold.kind == "date") {
    return stored.time && gold.time && stored.time->range == *gold.time;
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

bool RefMatches(const Claim& claim, const ClaimRef& ref) {
  return claim.text == ref.text && EndsWith(PathPart(claim.url), ref.url);
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

std::string Percent(double fraction) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%.3f", fraction);
  return buffer;
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

StatusOr<EvalReport> Evaluate(const std::vector<Claim>& stored, const std::vector<Conflict>* conflicts,
                              const std::filesystem::path& gold_dir) {
  // Step 1: read every gold file (sorted, so the report is stable).
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::directory_iterator it(gold_dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == ".jsonl") files.push_back(it->path());
  }
  if (error) return IoError("cannot list " + gold_dir.string() + ": " + error.message());
  if (files.empty()) return NotFoundError("no gold *.jsonl files in " + gold_dir.string());
  std::sort(files.begin(), files.end());

  EvalReport report;
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

  // Step 3: greedy one-to-one matching per page, same surface first.
  std::map<std::string, EvalRow> rows;
  for (const auto& [page, gold_claims] : gold_by_page) {
    const std::vector<const Claim*>& candidates = stored_by_page[page];
    std::vector<bool> gold_used(gold_claims.size(), false);
    std::vector<bool> stored_used(candidates.size(), false);
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t s = 0; s < candidates.size(); ++s) {
        if (stored_used[s]) continue;
        const Claim& claim = *candidates[s];
        for (size_t g = 0; g < gold_claims.size(); ++g) {
          const GoldClaim& gold = gold_claims[g];
          if (gold_used[g] || gold.kind != ClaimKindName(claim.kind)) continue;
          if (pass == 0 && gold.text != claim.text) continue;
          if (!FigureAgrees(claim, gold)) continue;
          gold_used[g] = stored_used[s] = true;
          ++rows[gold.kind].tp;
          ++report.subject_matched;
          if (gold.subject == claim.subject) ++report.subject_correct;
          break;
        }
      }
    }
    for (size_t s = 0; s < candidates.size(); ++s) {
      if (stored_used[s]) continue;
      ++rows[std::string(ClaimKindName(candidates[s]->kind))].fp;
      report.false_positives.push_back(page + ": " + std::string(ClaimKindName(candidates[s]->kind)) +
                                       " " + candidates[s]->text);
    }
    for (size_t g = 0; g < gold_claims.size(); ++g) {
      if (gold_used[g]) continue;
      ++rows[gold_claims[g].kind].fn;
      report.false_negatives.push_back(page + ": " + gold_claims[g].kind + " " + gold_claims[g].text);
    }
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
  report.subject_accuracy = report.subject_matched > 0
                                ? static_cast<double>(report.subject_correct) / report.subject_matched
                                : 0;

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

}  // namespace

StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::filesystem::path& gold_dir) {
  return Evaluate(stored, nullptr, gold_dir);
}

StatusOr<EvalReport> EvaluateAgainstGold(const std::vector<Claim>& stored,
                                         const std::vector<Conflict>& conflicts,
                                         const std::filesystem::path& gold_dir) {
  return Evaluate(stored, &conflicts, gold_dir);
}

std::string EvalReportToText(const EvalReport& report) {
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
  out << "subject accuracy on matched claims: " << Percent(report.subject_accuracy) << " ("
      << report.subject_correct << "/" << report.subject_matched << ")\n";
  out << report.gold_claims << " gold claims in " << report.gold_files << " files; "
      << report.stored_claims_scored << " stored claims scored, " << report.stored_claims_ignored
      << " ignored (pages without gold)\n";
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
  return out.str();
}

std::string EvalReportToJson(const EvalReport& report) {
  json rows = json::array();
  for (const EvalRow& row : report.by_kind) rows.push_back(RowJson(row));
  json expected = json::array();
  for (const ConflictCheck& check : report.expected) expected.push_back(CheckJson(check));
  json must_not = json::array();
  for (const ConflictCheck& check : report.must_not_raise) must_not.push_back(CheckJson(check));
  json root = {
      {"by_kind", rows},
      {"overall", RowJson(report.overall)},
      {"gold_files", report.gold_files},
      {"gold_claims", report.gold_claims},
      {"stored_claims_scored", report.stored_claims_scored},
      {"stored_claims_ignored", report.stored_claims_ignored},
      {"subject_accuracy", report.subject_accuracy},
      {"subject_matched", report.subject_matched},
      {"subject_correct", report.subject_correct},
      {"false_positives", report.false_positives},
      {"false_negatives", report.false_negatives},
  };
  if (report.conflicts_evaluated) {
    root["conflicts"] = {{"expected", expected},
                         {"expected_found", report.expected_found},
                         {"must_not_raise", must_not},
                         {"must_not_raise_violated", report.must_not_raise_violated}};
  }
  return root.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace newsclaim::store
