// app/review_command.cc
// `newsclaim review ID --verdict ...`: records a reviewer's decision. It
// survives re-crawls and re-extraction because conflict ids are stable.
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"

namespace newsclaim::app {
namespace {

struct ReviewFlags {
  std::string conflict_id;
  std::string verdict;
  std::string prefer_claim_id;
  std::string note;
};

int RunReview(const ReviewFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  Status recorded = db->RecordReview(flags.conflict_id, flags.verdict,
                                     flags.prefer_claim_id, flags.note);
  if (!recorded.ok()) return ReportFatal(recorded);
  LogInfo("conflict " + flags.conflict_id + ": " + flags.verdict);
  return kExitOk;
}

}  // namespace

void AddReviewCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ReviewFlags>();
  CLI::App* command = root.add_subcommand(
      "review", "Record a reviewer's verdict on a conflict (see `conflicts` for ids).");
  command->add_option("id", flags->conflict_id, "Conflict id")->required();
  command->add_option("--verdict", flags->verdict, "confirmed, dismissed or resolved")
      ->required()
      ->check(CLI::IsMember({"confirmed", "dismissed", "resolved"}));
  command->add_option("--prefer", flags->prefer_claim_id, "The claim id the reviewer believes")
      ->type_name("CLAIM_ID");
  command->add_option("--note", flags->note, "Why, for the next reviewer")->type_name("TEXT");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunReview(*flags, globals); };
  });
}

}  // namespace newsclaim::app
