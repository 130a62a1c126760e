// app/conflicts_command.cc
// `newsclaim conflicts`: the contradictions, discrepancies and revisions
// the store found, by review status, each with its latest verdict.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/report.h"

namespace newsclaim::app {
namespace {

struct ConflictsFlags {
  std::string status = "open";
  std::string format = "table";
  std::string conflict_class;
  std::string subject;
};

store::ConflictStatusFilter StatusFilter(const std::string& name) {
  if (name == "confirmed") return store::ConflictStatusFilter::kConfirmed;
  if (name == "dismissed") return store::ConflictStatusFilter::kDismissed;
  if (name == "resolved") return store::ConflictStatusFilter::kResolved;
  if (name == "all") return store::ConflictStatusFilter::kAll;
  return store::ConflictStatusFilter::kOpen;
}

// The terminal's width, $COLUMNS, or 160 when output goes to a file or pipe.
int TerminalWidth() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && std::atoi(columns) > 0) {
    return std::atoi(columns);
  }
  return 160;
}

int RunConflicts(const ConflictsFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<store::Conflict>> listed = db->ListConflicts(StatusFilter(flags.status));
  if (!listed.ok()) return ReportFatal(listed.status());
  StatusOr<store::ReviewSummaries> reviews = store::LoadReviewSummaries(db->path());
  if (!reviews.ok()) return ReportFatal(reviews.status());

  std::vector<store::Conflict> conflicts;
  for (store::Conflict& conflict : *listed) {
    if (!flags.conflict_class.empty() && conflict.conflict_class != flags.conflict_class) continue;
    if (!flags.subject.empty() && conflict.subject != flags.subject) continue;
    conflicts.push_back(std::move(conflict));
  }
  if (flags.format == "json") {
    std::cout << store::ConflictsJson(conflicts, *reviews) << '\n';
  } else {
    std::cout << store::ConflictsTable(conflicts, *reviews, TerminalWidth());
  }
  return kExitOk;
}

}  // namespace

void AddConflictsCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ConflictsFlags>();
  CLI::App* command = root.add_subcommand(
      "conflicts",
      "List where sources disagree: contradictions, discrepancies, revisions, "
      "scope, attribution and status conflicts, with each one's latest verdict.");
  command->add_option("--status", flags->status, "Review status to list")
      ->capture_default_str()
      ->check(CLI::IsMember({"open", "confirmed", "dismissed", "resolved", "all"}));
  command->add_option("--class", flags->conflict_class, "Only conflicts of this class")
      ->check(CLI::IsMember(
          {"contradiction", "discrepancy", "revision", "scope", "attribution", "status"}));
  command->add_option("--subject", flags->subject, "Only conflicts about this canonical subject");
  command->add_option("--format", flags->format, "table for people; json for programs")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunConflicts(*flags, globals); };
  });
}

}  // namespace newsclaim::app
