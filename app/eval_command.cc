// app/eval_command.cc
// `newsclaim eval --gold DIR`: precision, recall and F1 per claim kind of
// the stored claims against gold files, field accuracies, the planted
// conflicts, and the lists an engineer fixes from (misses, false positives,
// wrong kind / subject / time ...).
#include <cstdint>
#include <iostream>
#include <limits>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/gold.h"

namespace newsclaim::app {
namespace {

struct EvalFlags {
  std::string gold_dir;
  std::string format = "text";
  int64_t max_list = -1;  // negative: every entry
};

int RunEval(const EvalFlags& flags, const GlobalOptions& globals) {
  // Resolve the gold folder first: a wrong --gold is a usage error, before
  // the database is opened (and possibly created).
  StatusOr<std::filesystem::path> gold_dir = store::ResolveGoldDir(flags.gold_dir);
  if (!gold_dir.ok()) return ReportFatal(gold_dir.status());
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<Claim>> claims = db->QueryClaims({});
  if (!claims.ok()) return ReportFatal(claims.status());
  StatusOr<std::vector<store::Conflict>> conflicts =
      db->ListConflicts(store::ConflictStatusFilter::kAll);
  if (!conflicts.ok()) return ReportFatal(conflicts.status());

  StatusOr<store::EvalReport> report = store::EvaluateAgainstGold(*claims, *conflicts, *gold_dir);
  if (!report.ok()) return ReportFatal(report.status());
  store::EvalRenderOptions render;
  if (flags.max_list >= 0) render.max_list = static_cast<size_t>(flags.max_list);
  std::cout << (flags.format == "json" ? store::EvalReportToJson(*report, render) + "\n"
                                       : store::EvalReportToText(*report, render));
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* command = root.add_subcommand(
      "eval",
      "Score the stored claims against gold files (the corpus format: "
      "corpus/README.md): precision, recall and F1 per kind; subject, time, "
      "counterparty, status and product accuracy; whether the planted conflicts "
      "were raised; then the misses, false positives and wrong fields, by page.");
  command
      ->add_option("--gold", flags->gold_dir,
                   "Folder of <slug>.jsonl gold files, or a corpus folder with them in gold/")
      ->required()
      ->type_name("DIR");
  command->add_option("--format", flags->format, "text for people; json for scripts")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  command
      ->add_option("--max-list", flags->max_list,
                   "Show at most N entries in each list (misses, false positives, ...); "
                   "default: all")
      ->type_name("N")
      ->check(CLI::Range(int64_t{0}, std::numeric_limits<int64_t>::max()));
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunEval(*flags, globals); };
  });
}

}  // namespace newsclaim::app
