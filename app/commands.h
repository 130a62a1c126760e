// app/commands.h
// One Add*Command per subcommand, each in its own file. Each registers its
// flags on `root` and, when chosen, sets `run` to the steps that carry it
// out; main() runs it after parsing and exits with what it returns.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "app/app_context.h"

namespace newsclaim::app {

using CommandRun = std::function<int()>;

void AddCrawlCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddIngestCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddExtractCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddTextCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddParseCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddQueryCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddConflictsCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddReportCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddReviewCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);
void AddEvalCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run);

}  // namespace newsclaim::app
