// app/review_command.cc
// `newsclaim review ID --verdict ...`: records a reviewer's decision and
// prints what was recorded. It survives re-crawls and re-extraction because
// conflict ids are stable. Ids may be shortened to a unique prefix, as
// `conflicts` and the report print them in full.
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/report.h"

namespace newsclaim::app {
namespace {

struct ReviewFlags {
  std::string conflict_id;
  std::string verdict;
  std::string prefer_claim_id;
  std::string note;
};

constexpr size_t kMinPrefix = 4;

// The one id in `ids` equal to `wanted` or, failing that, starting with it
// (at least kMinPrefix characters). "" when none; InvalidArgument listing
// the candidates when several share the prefix.
StatusOr<std::string> UniqueMatch(const std::vector<std::string>& ids, const std::string& wanted,
                                  std::string_view what) {
  std::vector<std::string> matches;
  for (const std::string& id : ids) {
    if (id == wanted) return id;
    if (wanted.size() >= kMinPrefix && id.starts_with(wanted)) matches.push_back(id);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) return std::string();
  std::string list;
  for (const std::string& id : matches) list += (list.empty() ? "" : ", ") + id;
  return InvalidArgumentError(std::string(what) + " '" + wanted + "' is ambiguous: " + list);
}

std::string ClaimLine(const Claim& claim) {
  std::string line = (claim.text.empty() ? std::string("?") : claim.text) + " — claim " + claim.id;
  if (const std::string site = store::SiteOf(claim.url); !site.empty()) line += ", " + site;
  if (!claim.published.empty()) line += ", " + claim.published;
  return line;
}

int RunReview(ReviewFlags flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());

  // Step 1: find the conflict (a stale one is not listed; the store still
  // accepts its full id, and rejects an unknown one).
  StatusOr<std::vector<store::Conflict>> conflicts =
      db->ListConflicts(store::ConflictStatusFilter::kAll);
  if (!conflicts.ok()) return ReportFatal(conflicts.status());
  std::vector<std::string> ids;
  for (const store::Conflict& conflict : *conflicts) ids.push_back(conflict.id);
  StatusOr<std::string> conflict_id = UniqueMatch(ids, flags.conflict_id, "conflict id");
  if (!conflict_id.ok()) return ReportFatal(conflict_id.status());
  const store::Conflict* conflict = nullptr;
  if (!conflict_id->empty()) {
    flags.conflict_id = *conflict_id;
    for (const store::Conflict& c : *conflicts) {
      if (c.id == flags.conflict_id) conflict = &c;
    }
  }

  // Step 2: --prefer must name one of its claims.
  if (conflict != nullptr && !flags.prefer_claim_id.empty()) {
    std::vector<std::string> members;
    for (const Claim& claim : conflict->claims) members.push_back(claim.id);
    StatusOr<std::string> prefer = UniqueMatch(members, flags.prefer_claim_id, "claim id");
    if (!prefer.ok()) return ReportFatal(prefer.status());
    if (prefer->empty()) {
      std::string list;
      for (const Claim& claim : conflict->claims) list += "\n  " + ClaimLine(claim);
      return ReportFatal(InvalidArgumentError("--prefer: claim '" + flags.prefer_claim_id +
                                              "' is not a member of conflict " + conflict->id +
                                              "; its claims are:" + list));
    }
    flags.prefer_claim_id = *prefer;
  }

  // Step 3: record it; the store checks again (unknown id: NotFound, exit 2).
  const std::string before = conflict != nullptr ? conflict->status : "";
  Status recorded = db->RecordReview(flags.conflict_id, flags.verdict, flags.prefer_claim_id,
                                     flags.note);
  if (!recorded.ok()) {
    if (recorded.code() == StatusCode::kNotFound) {
      return ReportFatal(NotFoundError("no conflict with id '" + flags.conflict_id +
                                       "' (list them with `newsclaim conflicts --status all`)"));
    }
    return ReportFatal(recorded);
  }

  // Step 4: say what was recorded.
  std::cout << "recorded review of conflict " << flags.conflict_id;
  if (conflict != nullptr) {
    std::cout << " (" << conflict->conflict_class << ", " << conflict->severity
              << "): " << conflict->key;
  }
  std::cout << "\n  verdict:   " << flags.verdict
            << (before.empty() ? "" : " (status was " + before + ")") << "\n";
  if (!flags.prefer_claim_id.empty()) {
    std::cout << "  preferred: ";
    const Claim* preferred = nullptr;
    if (conflict != nullptr) {
      for (const Claim& claim : conflict->claims) {
        if (claim.id == flags.prefer_claim_id) preferred = &claim;
      }
    }
    std::cout << (preferred != nullptr ? ClaimLine(*preferred) : "claim " + flags.prefer_claim_id)
              << "\n";
  }
  if (!flags.note.empty()) std::cout << "  note:      " << flags.note << "\n";
  LogInfo("conflict " + flags.conflict_id + ": " + flags.verdict);
  return kExitOk;
}

}  // namespace

void AddReviewCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ReviewFlags>();
  CLI::App* command = root.add_subcommand(
      "review", "Record a reviewer's verdict on a conflict (see `conflicts` for ids).");
  command->add_option("id", flags->conflict_id, "Conflict id (or a unique prefix of 4+ characters)")
      ->required();
  command->add_option("--verdict", flags->verdict, "confirmed, dismissed or resolved")
      ->required()
      ->check(CLI::IsMember({"confirmed", "dismissed", "resolved"}));
  command->add_option("--prefer", flags->prefer_claim_id,
                      "The member claim the reviewer believes (id or unique prefix)")
      ->type_name("CLAIM_ID");
  command->add_option("--note", flags->note, "Why, for the next reviewer")->type_name("TEXT");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunReview(*flags, globals); };
  });
}

}  // namespace newsclaim::app
