// app/main.cc
// The newsclaim binary. main() reads as the architecture: global options,
// then one subcommand per stage of the flow (crawl/ingest -> extract ->
// query/conflicts/report -> review -> eval).
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/app_context.h"
#include "app/commands.h"

int main(int argc, char** argv) {
  using namespace newsclaim::app;

  CLI::App root(
      "newsclaim: turns Japanese and English news articles and press releases "
      "into figure claims (who says what figure, about whom, for when), and "
      "reports where sources disagree.\n\n"
      "A typical run: crawl or ingest pages, then read the contradiction "
      "report:\n"
      "  newsclaim crawl https://example.com/news/\n"
      "  newsclaim report --format md\n",
      "newsclaim");
  root.set_version_flag("--version", "newsclaim 0.1.0");
  root.require_subcommand(1, 1);
  root.fallthrough();

  GlobalOptions globals;
  bool quiet = false;
  bool verbose = false;
  root.add_option("--db", globals.db_path,
                  "Claim database (SQLite). Default: $NEWSCLAIM_DB or ./newsclaim.db")
      ->type_name("PATH");
  root.add_option("--rules", globals.rules_dir,
                  "Rule data folder. Default: the rules/ shipped with newsclaim")
      ->type_name("DIR");
  root.add_flag("-q,--quiet", quiet, "Log only errors on stderr");
  root.add_flag("-v,--verbose", verbose, "Log more on stderr");

  CommandRun run;
  AddCrawlCommand(root, globals, run);
  AddIngestCommand(root, globals, run);
  AddExtractCommand(root, globals, run);
  AddTextCommand(root, globals, run);
  AddParseCommand(root, globals, run);
  AddQueryCommand(root, globals, run);
  AddConflictsCommand(root, globals, run);
  AddReportCommand(root, globals, run);
  AddReviewCommand(root, globals, run);
  AddEvalCommand(root, globals, run);

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = root.exit(error);
    // CLI11 has its own codes for usage errors; the contract has one.
    return code == 0 ? kExitOk : kExitUsage;
  }

  globals.verbosity = quiet ? 0 : verbose ? 2 : 1;
  SetVerbosity(globals.verbosity);
  ResolveDefaults(globals);
  return run ? run() : kExitUsage;
}
