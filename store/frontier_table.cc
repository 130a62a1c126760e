#include "store/frontier_table.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "store/sqlite.h"

namespace newsclaim::store {

using internal::Connection;
using internal::Statement;
using internal::Transaction;

namespace {

// The format database.cc writes pages.last_seen and failures.at in (ISO
// 8601 UTC with milliseconds), so that the strings compare as times.
std::string UtcNowMillis() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
      1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

constexpr std::string_view kRunColumns =
    "SELECT source, last_started, last_finished, last_status, "
    "CAST(strftime('%s', last_started) AS INTEGER) FROM source_runs WHERE ";

}  // namespace

FrontierTable::FrontierTable(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}
FrontierTable::FrontierTable(FrontierTable&&) noexcept = default;
FrontierTable& FrontierTable::operator=(FrontierTable&&) noexcept = default;
FrontierTable::~FrontierTable() = default;

StatusOr<FrontierTable> FrontierTable::Open(const std::filesystem::path& db_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(db_path));
  // synchronous is per connection; journal_mode=WAL persists in the file.
  // NORMAL in WAL mode can lose the last commits on power loss but never
  // corrupts, and a process kill loses nothing.
  RETURN_IF_ERROR(connection->Exec("PRAGMA synchronous=NORMAL"));
  ASSIGN_OR_RETURN(Statement check,
                   connection->Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND name IN ('frontier', 'source_runs')"));
  ASSIGN_OR_RETURN(bool row, check.Step());
  if (!row || check.Int(0) != 2) {
    return NotFoundError(db_path.string() +
                         ": no frontier tables (open it with store::Database first)");
  }
  return FrontierTable(std::move(connection));
}

StatusOr<std::optional<SourceRun>> FrontierTable::ReadRun(std::string_view where_sql,
                                                          std::string_view arg) {
  // Two fixed statements; the cache keys on the text, so keep them static.
  static const std::string kBySource = std::string(kRunColumns) + "source = ?1";
  static const std::string kRunning =
      std::string(kRunColumns) + "last_status = 'running' ORDER BY last_started DESC LIMIT 1";
  const std::string& sql = where_sql == "source" ? kBySource : kRunning;
  ASSIGN_OR_RETURN(Statement query, connection_->Prepare(sql));
  if (where_sql == "source") query.Bind(1, arg);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<SourceRun>();
  SourceRun run{query.Text(0), query.Text(1), query.Text(2), query.Text(3), std::nullopt};
  if (!query.IsNull(4)) run.last_started_unix = query.Int(4);
  return std::optional<SourceRun>(std::move(run));
}

StatusOr<std::optional<SourceRun>> FrontierTable::UnfinishedRun() {
  return ReadRun("running", "");
}

StatusOr<std::optional<SourceRun>> FrontierTable::LastRun(std::string_view source) {
  return ReadRun("source", source);
}

StatusOr<FrontierResume> FrontierTable::Begin(std::string_view scope) {
  if (scope.empty()) return InvalidArgumentError("FrontierTable::Begin: empty scope");
  ASSIGN_OR_RETURN(std::optional<SourceRun> unfinished, UnfinishedRun());
  Transaction transaction(*connection_);
  RETURN_IF_ERROR(transaction.status());
  const std::string now = UtcNowMillis();
  FrontierResume resume;

  if (unfinished && unfinished->source == scope) {
    // Resume. Step 1: URLs whose result reached the store after the run
    // started but whose MarkDone did not: they are done, not to be fetched
    // again. (Pages are stored before MarkDone, after their links were
    // queued, so nothing they lead to is lost.)
    resume.resumed = true;
    resume.started = unfinished->last_started;
    {
      static constexpr std::string_view kRecover = R"sql(
UPDATE frontier SET done_at = ?2, outcome = 'recovered'
WHERE done_at IS NULL AND (
  EXISTS (SELECT 1 FROM pages p WHERE p.url = frontier.url AND p.last_seen >= ?1) OR
  EXISTS (SELECT 1 FROM pages p WHERE p.requested_url = frontier.url AND p.last_seen >= ?1) OR
  EXISTS (SELECT 1 FROM failures f
          WHERE f.url = frontier.url AND f.stage = 'fetch' AND f.at >= ?1))
RETURNING url)sql";
      ASSIGN_OR_RETURN(Statement recover, connection_->Prepare(kRecover));
      recover.Bind(1, resume.started).Bind(2, now);
      while (true) {
        ASSIGN_OR_RETURN(bool row, recover.Step());
        if (!row) break;
        resume.recovered.push_back(recover.Text(0));
      }
    }
    // Step 2: read the frontier back, breadth-first order.
    {
      ASSIGN_OR_RETURN(Statement rows,
                       connection_->Prepare("SELECT url, depth, source, done_at IS NOT NULL "
                                            "FROM frontier ORDER BY depth, rowid"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, rows.Step());
        if (!row) break;
        if (rows.Int(3) != 0) {
          resume.done.push_back(rows.Text(0));
        } else {
          resume.queued.push_back(
              {rows.Text(0), static_cast<int>(rows.Int(1)), rows.Text(2)});
        }
      }
    }
  } else {
    // A fresh run. Another scope's unfinished frontier cannot be resumed
    // by this run's seeds and options: drop it.
    if (unfinished) {
      resume.abandoned = unfinished->source;
      ASSIGN_OR_RETURN(Statement abandon,
                       connection_->Prepare("UPDATE source_runs SET last_status = 'abandoned' "
                                            "WHERE source = ?1"));
      abandon.Bind(1, unfinished->source);
      RETURN_IF_ERROR(abandon.Run());
    }
    RETURN_IF_ERROR(connection_->Exec("DELETE FROM frontier"));
    static constexpr std::string_view kStart = R"sql(
INSERT INTO source_runs (source, last_started, last_status) VALUES (?1, ?2, 'running')
ON CONFLICT(source) DO UPDATE SET last_started = excluded.last_started,
                                  last_status = 'running')sql";
    ASSIGN_OR_RETURN(Statement start, connection_->Prepare(kStart));
    start.Bind(1, scope).Bind(2, now);
    RETURN_IF_ERROR(start.Run());
    resume.started = now;
  }
  RETURN_IF_ERROR(transaction.Commit());
  scope_ = std::string(scope);
  pending_ = static_cast<int64_t>(resume.queued.size());
  return resume;
}

Status FrontierTable::Enqueue(const std::vector<FrontierRow>& rows) {
  if (rows.empty()) return Status::Ok();
  static constexpr std::string_view kInsert =
      "INSERT INTO frontier (url, depth, source, queued_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(url) DO NOTHING";
  Transaction transaction(*connection_);
  RETURN_IF_ERROR(transaction.status());
  const std::string now = UtcNowMillis();
  int64_t added = 0;
  for (const FrontierRow& row : rows) {
    ASSIGN_OR_RETURN(Statement insert, connection_->Prepare(kInsert));
    insert.Bind(1, row.url).Bind(2, row.depth).BindOrNull(3, row.source).Bind(4, now);
    RETURN_IF_ERROR(insert.Run());
    added += connection_->Changes();
  }
  RETURN_IF_ERROR(transaction.Commit());
  pending_ += added;
  return Status::Ok();
}

Status FrontierTable::MarkDone(std::string_view url, std::string_view outcome) {
  const std::string now = UtcNowMillis();
  {
    ASSIGN_OR_RETURN(Statement update,
                     connection_->Prepare("UPDATE frontier SET done_at = ?2, outcome = ?3 "
                                          "WHERE url = ?1 AND done_at IS NULL"));
    update.Bind(1, url).Bind(2, now).Bind(3, outcome);
    RETURN_IF_ERROR(update.Run());
  }
  if (connection_->Changes() > 0) {
    --pending_;
    return Status::Ok();
  }
  // Never queued (or done already): record it, so a resume skips it too.
  ASSIGN_OR_RETURN(Statement insert,
                   connection_->Prepare(
                       "INSERT INTO frontier (url, depth, queued_at, done_at, outcome) "
                       "VALUES (?1, 0, ?2, ?2, ?3) ON CONFLICT(url) DO NOTHING"));
  insert.Bind(1, url).Bind(2, now).Bind(3, outcome);
  return insert.Run();
}

Status FrontierTable::Complete() {
  if (scope_.empty()) return InvalidArgumentError("FrontierTable::Complete before Begin");
  Transaction transaction(*connection_);
  RETURN_IF_ERROR(transaction.status());
  RETURN_IF_ERROR(connection_->Exec("DELETE FROM frontier"));
  ASSIGN_OR_RETURN(Statement finish,
                   connection_->Prepare("UPDATE source_runs SET last_finished = ?2, "
                                        "last_status = 'complete' WHERE source = ?1"));
  finish.Bind(1, scope_).Bind(2, UtcNowMillis());
  RETURN_IF_ERROR(finish.Run());
  RETURN_IF_ERROR(transaction.Commit());
  pending_ = 0;
  return Status::Ok();
}

StatusOr<std::optional<RobotsRow>> FrontierTable::FindRobots(std::string_view url) {
  ASSIGN_OR_RETURN(Statement query,
                   connection_->Prepare("SELECT http_status, body, "
                                        "CAST(strftime('%s', fetched_at) AS INTEGER) "
                                        "FROM robots_cache WHERE url = ?1"));
  query.Bind(1, url);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<RobotsRow>();
  return std::optional<RobotsRow>(
      RobotsRow{static_cast<int>(query.Int(0)), query.Text(1), query.Int(2)});
}

Status FrontierTable::StoreRobots(std::string_view url, const RobotsRow& row) {
  static constexpr std::string_view kUpsert = R"sql(
INSERT INTO robots_cache (url, http_status, body, fetched_at)
VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', ?4, 'unixepoch'))
ON CONFLICT(url) DO UPDATE SET http_status = excluded.http_status, body = excluded.body,
                               fetched_at = excluded.fetched_at)sql";
  ASSIGN_OR_RETURN(Statement upsert, connection_->Prepare(kUpsert));
  upsert.Bind(1, url).Bind(2, row.http_status).Bind(3, row.body).Bind(4, row.fetched_unix);
  return upsert.Run();
}

}  // namespace newsclaim::store
