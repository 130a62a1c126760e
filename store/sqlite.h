// store/sqlite.h
// A thin wrapper over the SQLite C API for database.cc: one connection, a
// cache of prepared statements, and every rc turned into a Status that names
// the statement and the database file. Internal to store/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace newsclaim::store::internal {

class Connection;

// A prepared statement borrowed from the connection's cache, bound and
// stepped by its user. Resets and clears its bindings when it goes out of
// scope, so the cached statement is ready for the next user. Bind indexes
// start at 1, column indexes at 0 (as in SQLite).
class Statement {
 public:
  Statement(Connection* connection, sqlite3_stmt* stmt, std::string_view sql)
      : connection_(connection), stmt_(stmt), sql_(sql) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);  // copied (SQLITE_TRANSIENT)
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::optional<double>& value);  // NULL when unset
  Statement& BindNull(int index);
  // Binds NULL for an empty string, the text otherwise.
  Statement& BindOrNull(int index, std::string_view text);

  // Steps once: true when a row is ready, false when done. A bind error
  // recorded earlier is returned here.
  StatusOr<bool> Step();
  // Steps until done (for statements that return no rows).
  Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Double(int column) const;
  std::optional<double> OptionalDouble(int column) const;
  std::string Text(int column) const;  // "" for NULL

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
  std::string_view sql_;
  Status bind_status_;
};

// Owns one sqlite3 handle and its statement cache. Move-only.
class Connection {
 public:
  // Opens (creating if missing) the file read-write. IoError "cannot open DB:
  // PATH: reason" when SQLite cannot open it.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::filesystem::path& path);
  ~Connection();

  // Runs one or more statements without parameters (schema, pragmas).
  Status Exec(std::string_view sql);

  // A cached prepared statement for `sql` (a string literal or other
  // long-lived text: the cache keys on its content).
  StatusOr<Statement> Prepare(std::string_view sql);

  // The Status for SQLite result `rc` while running `sql`: Corruption for
  // SQLITE_CORRUPT / SQLITE_NOTADB, InvalidArgument for constraint
  // violations, IoError otherwise; the message names the statement and file.
  Status Error(int rc, std::string_view sql) const;

  int64_t LastInsertRowId() const;
  int Changes() const;
  // True while a transaction is open on this connection.
  bool InTransaction() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  Connection(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit()
// succeeded. Begin errors are reported by status(). Inside a transaction
// already open on the connection it is a savepoint instead: its work
// commits with the outer transaction, or is undone alone.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  const Status& status() const { return status_; }
  Status Commit();

 private:
  Connection& connection_;
  Status status_;
  bool done_ = false;
  bool nested_ = false;
};

}  // namespace newsclaim::store::internal
