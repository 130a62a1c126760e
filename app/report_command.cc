// app/report_command.cc
// `newsclaim report`: the contradiction report for reviewers, every current
// conflict (open or reviewed) with its latest verdict; -o writes it atomically.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/report.h"

namespace newsclaim::app {
namespace {

struct ReportFlags {
  std::string format = "md";
  std::string output_path;
};

int RunReport(const ReportFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<store::Conflict>> conflicts =
      db->ListConflicts(store::ConflictStatusFilter::kAll);
  if (!conflicts.ok()) return ReportFatal(conflicts.status());
  StatusOr<store::StoreStats> stats = db->Stats();
  if (!stats.ok()) return ReportFatal(stats.status());
  StatusOr<store::ReviewSummaries> reviews = store::LoadReviewSummaries(db->path());
  if (!reviews.ok()) return ReportFatal(reviews.status());

  const store::ReportFormat format = flags.format == "html" ? store::ReportFormat::kHtml
                                     : flags.format == "json" ? store::ReportFormat::kJson
                                                              : store::ReportFormat::kMarkdown;
  const std::string report = store::RenderReport(*conflicts, *stats, *reviews, format);
  if (flags.output_path.empty() || flags.output_path == "-") {
    std::cout << report;
    return kExitOk;
  }
  // Write beside the target and rename, so a reader never sees half a report.
  const std::string temp_path = flags.output_path + ".tmp";
  {
    std::ofstream out(temp_path, std::ios::binary);
    out << report;
    if (!out.flush()) {
      return ReportFatal(IoError("cannot write " + temp_path));
    }
  }
  std::error_code error;
  std::filesystem::rename(temp_path, flags.output_path, error);
  if (error) return ReportFatal(IoError("cannot write " + flags.output_path + ": " + error.message()));
  LogInfo("report written to " + flags.output_path);
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* command = root.add_subcommand(
      "report",
      "Write the contradiction report for reviewers: each conflict with its "
      "figures side by side, quotes, sources and the preferred figure.");
  command->add_option("--format", flags->format, "md, html or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"md", "html", "json"}));
  command->add_option("-o,--output", flags->output_path, "Write to FILE instead of stdout")
      ->type_name("FILE");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunReport(*flags, globals); };
  });
}

}  // namespace newsclaim::app
