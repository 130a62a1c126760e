// app/conflicts_command.cc
// `newsclaim conflicts`: the contradictions, discrepancies and revisions
// the store found, by review status.
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/claim_json.h"

namespace newsclaim::app {
namespace {

struct ConflictsFlags {
  std::string status = "open";
  std::string format = "table";
};

store::ConflictStatusFilter StatusFilter(const std::string& name) {
  if (name == "confirmed") return store::ConflictStatusFilter::kConfirmed;
  if (name == "dismissed") return store::ConflictStatusFilter::kDismissed;
  if (name == "resolved") return store::ConflictStatusFilter::kResolved;
  if (name == "all") return store::ConflictStatusFilter::kAll;
  return store::ConflictStatusFilter::kOpen;
}

int RunConflicts(const ConflictsFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<store::Conflict>> conflicts =
      db->ListConflicts(StatusFilter(flags.status));
  if (!conflicts.ok()) return ReportFatal(conflicts.status());

  if (flags.format == "json") {
    std::cout << store::ConflictsToJson(*conflicts) << '\n';
  } else {
    std::cout << store::ConflictsToTable(*conflicts);
  }
  return kExitOk;
}

}  // namespace

void AddConflictsCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ConflictsFlags>();
  CLI::App* command = root.add_subcommand(
      "conflicts",
      "List where sources disagree: contradictions, discrepancies, revisions, "
      "scope, attribution and status conflicts.");
  command->add_option("--status", flags->status, "Review status to list")
      ->capture_default_str()
      ->check(CLI::IsMember({"open", "confirmed", "dismissed", "resolved", "all"}));
  command->add_option("--format", flags->format, "table for people; json for programs")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunConflicts(*flags, globals); };
  });
}

}  // namespace newsclaim::app
