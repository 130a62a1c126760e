#include "store/sqlite.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace newsclaim::store::internal {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sqlite_test.XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::unique_ptr<Connection> OpenOrDie(const fs::path& path) {
  StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(path);
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  return connection.ok() ? std::move(connection).value() : nullptr;
}

TEST(SqliteTest, AWriteCutShortByTheFileSizeLimitReadsAsDiskFull) {
  // RLIMIT_FSIZE makes write(2) fail with EFBIG past the limit (SIGXFSZ
  // ignored), which SQLite reports as "disk I/O error".
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path path = dir.path() / "full.db";
  std::unique_ptr<Connection> db = OpenOrDie(path);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x BLOB)").ok());

  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct sigaction ignore = {}, saved_action = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGXFSZ, &ignore, &saved_action), 0);
  struct rlimit limited = saved;
  limited.rlim_cur = fs::file_size(path) + 256 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  Status status;
  for (int i = 0; i < 100 && status.ok(); ++i) {
    status = db->Exec("INSERT INTO t VALUES (randomblob(100000))");
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  sigaction(SIGXFSZ, &saved_action, nullptr);

  ASSERT_FALSE(status.ok()) << "10 MB were written under a 256 KiB limit";
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_NE(status.message().find("disk full (File too large)"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find(path.string()), std::string::npos) << status.message();
}

TEST(SqliteTest, OtherErrorsDoNotMentionTheDisk) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::unique_ptr<Connection> db = OpenOrDie(dir.path() / "ok.db");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  const Status duplicate = db->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(duplicate.message().find("disk full"), std::string::npos) << duplicate.message();
  const Status missing = db->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.message().find("disk full"), std::string::npos) << missing.message();
}

}  // namespace
}  // namespace newsclaim::store::internal
