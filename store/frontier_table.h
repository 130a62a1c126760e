// store/frontier_table.h
// The crawl frontier, per-source run history and cached robots.txt answers
// in the claim database (tables `frontier` and `source_runs`, schema v3;
// `robots_cache`, schema v5). app/ adapts it to
// crawler::FrontierStore, so a crawl killed at any moment resumes where it
// stopped, and reads it to decide which configured sources are due.
//
// One run at a time owns the frontier: a "scope" (a config source name, or
// a key for a command-line crawl) whose source_runs row says 'running'.
// The run lock (crawler/run_lock.h) guarantees a single writer process.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace newsclaim::store {

namespace internal {
class Connection;
}

struct FrontierRow {
  std::string url;  // canonical
  int depth = 0;
  std::string source;  // what the crawler says it was reached from
};

// A row of source_runs. Times are ISO 8601 UTC with milliseconds.
struct SourceRun {
  std::string source;
  std::string last_started;   // start of the latest run (resumes keep it)
  std::string last_finished;  // end of the latest completed run, or ""
  std::string last_status;    // "running", "complete" or "abandoned"
  std::optional<int64_t> last_started_unix;
};

// What Begin() found.
struct FrontierResume {
  bool resumed = false;          // an unfinished run of this scope was picked up
  std::string started;           // the run's start time (kept across resumes)
  std::vector<FrontierRow> queued;  // still to fetch
  std::vector<std::string> done;    // finished by the unfinished run
  // Of `done`: URLs not marked done whose page (or failure) the store holds
  // from this run, i.e. the process died between storing and MarkDone.
  std::vector<std::string> recovered;
  std::string abandoned;  // the scope of another unfinished run dropped, or ""
};

// A robots.txt answer kept between runs.
struct RobotsRow {
  int http_status = 0;
  std::string body;
  int64_t fetched_unix = 0;  // stored as ISO 8601 UTC, to the second
};

// One connection to the database file (a second one beside store::Database
// is fine: WAL mode, busy timeout). Move-only; not thread-safe.
class FrontierTable {
 public:
  // Opens the database at `db_path`, which store::Database::Open must have
  // created and migrated to version 3 or later. IoError when it cannot be
  // opened; NotFound when it has no frontier table.
  static StatusOr<FrontierTable> Open(const std::filesystem::path& db_path);

  FrontierTable(FrontierTable&&) noexcept;
  FrontierTable& operator=(FrontierTable&&) noexcept;
  ~FrontierTable();

  // The run that has not finished (its source_runs row says 'running'),
  // if any.
  StatusOr<std::optional<SourceRun>> UnfinishedRun();

  // The source_runs row of `source`, if any.
  StatusOr<std::optional<SourceRun>> LastRun(std::string_view source);

  // Starts a run of `scope`, or resumes its unfinished one, in one
  // transaction. Resuming first marks as done every queued URL that has a
  // page row (by url or requested_url) with last_seen, or a failures row of
  // stage 'fetch', at or after the run's start (FrontierResume::recovered;
  // other stages, such as a salvaged feed's 'warning', are recorded before
  // the links they carry are queued, so they prove nothing). Another
  // scope's unfinished run is abandoned: its rows are deleted and its
  // status set to 'abandoned'.
  StatusOr<FrontierResume> Begin(std::string_view scope);

  // Adds URLs not yet in the frontier, all in one transaction; a URL
  // already there (queued or done) is left as it is.
  Status Enqueue(const std::vector<FrontierRow>& rows);

  // Marks `url` done with `outcome`; adds it as done if it was never queued.
  Status MarkDone(std::string_view url, std::string_view outcome);

  // The run of the current scope completed: deletes the frontier rows and
  // records the finish time and status 'complete', in one transaction.
  // InvalidArgument before Begin(); a second call only moves last_finished.
  Status Complete();

  // The robots.txt answer stored for `url`, if any; and storing one
  // (replacing the last).
  StatusOr<std::optional<RobotsRow>> FindRobots(std::string_view url);
  Status StoreRobots(std::string_view url, const RobotsRow& row);

  // Queued-but-not-done URLs of the current run, as this connection knows
  // them (for progress lines; no query).
  int64_t pending() const { return pending_; }
  const std::string& scope() const { return scope_; }

 private:
  explicit FrontierTable(std::unique_ptr<internal::Connection> connection);
  StatusOr<std::optional<SourceRun>> ReadRun(std::string_view where_sql, std::string_view arg);

  std::unique_ptr<internal::Connection> connection_;
  std::string scope_;
  int64_t pending_ = 0;
};

}  // namespace newsclaim::store
