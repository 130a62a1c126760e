#include "store/sqlite.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace newsclaim::store::internal {
namespace {

constexpr int kBusyTimeoutMs = 10000;

// The first line of a statement, shortened, for error messages.
std::string Excerpt(std::string_view sql) {
  std::string text;
  for (char c : sql) {
    if (c == '\n') c = ' ';
    if (c == ' ' && !text.empty() && text.back() == ' ') continue;
    text.push_back(c);
    if (text.size() >= 90) {
      text += "...";
      break;
    }
  }
  const size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? text : text.substr(first);
}

bool IsDiskFullErrno(int error) {
  return error == ENOSPC || error == EFBIG || error == EDQUOT;
}

// ENOSPC, EFBIG or EDQUOT if the OS call behind the last error on `db`
// failed with one, else 0. sqlite3_system_errno() is asked first, but the
// unix VFS answers it with the errno of a later call (0 after a failed
// write, in SQLite 3.40), so the errno each file kept for itself is asked
// too (SQLITE_FCNTL_LAST_ERRNO): the main database file's, and that of its
// rollback journal or WAL file, whichever the failed write went to.
int DiskFullErrno(sqlite3* db) {
  const int system_errno = sqlite3_system_errno(db);
  if (IsDiskFullErrno(system_errno)) return system_errno;
  int main_errno = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &main_errno) == SQLITE_OK &&
      IsDiskFullErrno(main_errno)) {
    return main_errno;
  }
  sqlite3_file* journal = nullptr;
  int journal_errno = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK &&
      journal != nullptr && journal->pMethods != nullptr &&
      journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &journal_errno) ==
          SQLITE_OK &&
      IsDiskFullErrno(journal_errno)) {
    return journal_errno;
  }
  return 0;
}

// "disk full (REASON): " when SQLite failed for want of room, else "".
// SQLite reports ENOSPC as SQLITE_FULL ("database or disk is full") but
// EFBIG (RLIMIT_FSIZE, or the file system's largest file) and EDQUOT (a
// quota) as a plain SQLITE_IOERR_WRITE ("disk I/O error"): to the user all
// three are a full disk.
std::string DiskFull(int rc, sqlite3* db) {
  const int primary = rc & 0xff;
  if (primary != SQLITE_IOERR && primary != SQLITE_FULL) return "";
  const int error = DiskFullErrno(db);
  if (error != 0) return std::string("disk full (") + std::strerror(error) + "): ";
  return primary == SQLITE_FULL ? "disk full: " : "";
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(other.stmt_),
      sql_(other.sql_),
      bind_status_(std::move(other.bind_status_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

#define NEWSCLAIM_CHECK_BIND(call)                                        \
  do {                                                                    \
    const int rc = (call);                                                \
    if (rc != SQLITE_OK && bind_status_.ok()) {                           \
      bind_status_ = connection_->Error(rc, sql_);                        \
    }                                                                     \
  } while (0)

Statement& Statement::Bind(int index, int64_t value) {
  NEWSCLAIM_CHECK_BIND(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  NEWSCLAIM_CHECK_BIND(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  NEWSCLAIM_CHECK_BIND(sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                           SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<double>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  NEWSCLAIM_CHECK_BIND(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::BindOrNull(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

#undef NEWSCLAIM_CHECK_BIND

StatusOr<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->Error(rc, sql_);
}

Status Statement::Run() {
  while (true) {
    StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<double> Statement::OptionalDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Double(column);
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return "";
  return std::string(text, sqlite3_column_bytes(stmt_, column));
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return IoError("cannot open DB: " + path.string() + ": " + reason);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  Status status = Error(rc, sql);
  sqlite3_free(message);
  return status;
}

StatusOr<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, sql);
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(this, it->second, it->first);
}

Status Connection::Error(int rc, std::string_view sql) const {
  std::string message = "sqlite: ";
  message += DiskFull(rc, db_);
  message += sqlite3_errmsg(db_);
  message += " (";
  message += sqlite3_errstr(rc);
  message += ", rc " + std::to_string(rc) + ") in `" + Excerpt(sql) + "` on " + path_.string();
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return CorruptionError(std::move(message));
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return InvalidArgumentError(std::move(message));
    default:
      return IoError(std::move(message));
  }
}

int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Connection::Changes() const { return sqlite3_changes(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Transaction::Transaction(Connection& connection)
    : connection_(connection), nested_(connection.InTransaction()) {
  status_ = connection_.Exec(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
  if (!status_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (done_) return;
  if (nested_) {
    connection_.Exec("ROLLBACK TO nested; RELEASE nested");
  } else {
    connection_.Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  if (!status_.ok()) return status_;
  Status committed = connection_.Exec(nested_ ? "RELEASE nested" : "COMMIT");
  if (committed.ok()) done_ = true;
  return committed;
}

}  // namespace newsclaim::store::internal
