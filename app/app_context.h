// app/app_context.h
// What every command shares: the global options, logging to stderr, where
// the rules and the database live, and how a Status becomes an exit code.
// Only app/ prints or exits.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/fx.h"

namespace newsclaim::app {

// Exit codes of the contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeInputsFailed = 1;
inline constexpr int kExitUsage = 2;

struct GlobalOptions {
  std::string db_path;     // --db, else $NEWSCLAIM_DB, else newsclaim.db
  std::string rules_dir;   // --rules, else the rules/ shipped with the binary
  int verbosity = 1;       // 0 with -q, 2 with -v
};

// Fills unset db_path and rules_dir with their defaults.
void ResolveDefaults(GlobalOptions& options);

// Loads and validates <rules_dir>/fx.toml, the dated FX table that
// reconciliation annotates money in other currencies with (never compares
// with). A rules folder without the file gives an empty table; a bad file is
// InvalidArgument "FILE:LINE: message", a configuration error (exit 2).
// Store it with store::Database::SetFxRates before Reconcile.
StatusOr<store::FxTable> LoadFxTable(const GlobalOptions& options);

// The rules/ folder shipped with the binary: next to it (build tree:
// <binary>/../rules is the source tree's), under an install prefix
// (<prefix>/share/newsclaim/rules), or the source tree it was built from.
std::filesystem::path DefaultRulesDir();

// Logging on stderr. Results go to stdout, never through these.
void SetVerbosity(int verbosity);
void LogInfo(std::string_view message);     // shown unless -q
void LogWarning(std::string_view message);  // shown unless -q
void LogError(std::string_view message);    // always shown
void LogDebug(std::string_view message);    // shown with -v

// Prints `status` as an error and returns the exit code it deserves:
// 2 for configuration and usage errors (bad rule file, unreadable DB,
// bad argument), 1 otherwise.
int ReportFatal(const Status& status);

// The whole file at `path`. IoError naming the path when it cannot be read.
StatusOr<std::string> ReadFileBytes(const std::filesystem::path& path);

// The current time as ISO 8601 UTC, e.g. 2025-11-01T09:30:00Z.
std::string UtcNow();

}  // namespace newsclaim::app
