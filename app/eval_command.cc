// app/eval_command.cc
// `newsclaim eval --gold DIR`: precision, recall and F1 per claim kind of
// the stored claims against gold files, and the planted conflicts.
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/gold.h"

namespace newsclaim::app {
namespace {

struct EvalFlags {
  std::string gold_dir;
  std::string format = "text";
};

int RunEval(const EvalFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<Claim>> claims = db->QueryClaims({});
  if (!claims.ok()) return ReportFatal(claims.status());
  StatusOr<std::vector<store::Conflict>> conflicts =
      db->ListConflicts(store::ConflictStatusFilter::kAll);
  if (!conflicts.ok()) return ReportFatal(conflicts.status());

  StatusOr<store::EvalReport> report =
      store::EvaluateAgainstGold(*claims, *conflicts, flags.gold_dir);
  if (!report.ok()) return ReportFatal(report.status());
  std::cout << (flags.format == "json" ? store::EvalReportToJson(*report) + "\n"
                                       : store::EvalReportToText(*report));
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* command = root.add_subcommand(
      "eval",
      "Score the stored claims against gold files (the corpus format: "
      "corpus/README.md): precision, recall and F1 per kind, subject accuracy, "
      "and whether the planted conflicts were raised.");
  command->add_option("--gold", flags->gold_dir, "Folder of <slug>.jsonl gold files")
      ->required()
      ->type_name("DIR");
  command->add_option("--format", flags->format, "text for people; json for scripts")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunEval(*flags, globals); };
  });
}

}  // namespace newsclaim::app
