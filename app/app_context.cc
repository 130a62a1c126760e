#include "app/app_context.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <iostream>

namespace newsclaim::app {
namespace {

int g_verbosity = 1;

std::filesystem::path ExecutableDir() {
  std::error_code error;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : exe.parent_path();
}

bool IsRulesDir(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_directory(dir / "numbers", error);
}

}  // namespace

void ResolveDefaults(GlobalOptions& options) {
  if (options.db_path.empty()) {
    const char* env = std::getenv("NEWSCLAIM_DB");
    options.db_path = (env != nullptr && *env != '\0') ? env : "newsclaim.db";
  }
  if (options.rules_dir.empty()) options.rules_dir = DefaultRulesDir().string();
}

StatusOr<store::FxTable> LoadFxTable(const GlobalOptions& options) {
  const std::filesystem::path path = std::filesystem::path(options.rules_dir) / "fx.toml";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return store::FxTable();
  StatusOr<store::FxTable> table = store::FxTable::Load(path);
  if (!table.ok()) return Status(StatusCode::kInvalidArgument, table.status().message());
  LogDebug(path.string() + ": " + std::to_string(table->rates().size()) + " FX rates");
  return table;
}

std::filesystem::path DefaultRulesDir() {
  const std::filesystem::path exe_dir = ExecutableDir();
  const std::array<std::filesystem::path, 3> candidates = {
      exe_dir.parent_path() / "rules",                       // build/ in the source tree
      exe_dir.parent_path() / "share" / "newsclaim" / "rules",  // installed
      std::filesystem::path(NEWSCLAIM_SOURCE_DIR) / "rules",  // where it was built from
  };
  for (const auto& candidate : candidates) {
    if (IsRulesDir(candidate)) return candidate;
  }
  return candidates.back();
}

void SetVerbosity(int verbosity) { g_verbosity = verbosity; }

void LogInfo(std::string_view message) {
  if (g_verbosity >= 1) std::cerr << "newsclaim: " << message << '\n';
}

void LogWarning(std::string_view message) {
  if (g_verbosity >= 1) std::cerr << "newsclaim: warning: " << message << '\n';
}

void LogError(std::string_view message) {
  std::cerr << "newsclaim: error: " << message << '\n';
}

void LogDebug(std::string_view message) {
  if (g_verbosity >= 2) std::cerr << "newsclaim: " << message << '\n';
}

int ReportFatal(const Status& status) {
  // The message already carries file:line or the path; the code name adds
  // nothing a user needs for configuration errors.
  LogError(status.message().empty() ? status.ToString() : status.message());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kUnimplemented:
    case StatusCode::kCorruption:
      return kExitUsage;
    default:
      return kExitSomeInputsFailed;
  }
}

StatusOr<std::string> ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return IoError("error reading " + path.string());
  return bytes.str();
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace newsclaim::app
