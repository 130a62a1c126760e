// Crash safety of the store, with real parts only: the real newsclaim
// binary, a real SQLite file in a temp dir, corpus/site served on 127.0.0.1
// by scripts/serve.py.
//   - `crawl` into a fresh database and `extract --all` over a full one are
//     killed with SIGKILL at random moments (uniform over the length of an
//     uninterrupted run). After every kill PRAGMA integrity_check is ok and
//     nothing stored before is gone; the run after the last kill completes
//     the work, and the final state equals one uninterrupted run's.
//   - A full disk, two ways: `ingest` with RLIMIT_FSIZE set in the child
//     (every file it writes, the database and its WAL included, stops
//     growing at the limit: EFBIG), and `ingest` into a database on a small
//     tmpfs (ENOSPC; skipped where mounting is not allowed). Each ends with
//     an error that says so and exit code 1; the database passes
//     integrity_check and still holds the earlier pages, and the same
//     ingest with room again finishes the work.
// The seed is printed; NEWSCLAIM_CRASH_SEED=N replays a run.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ::testing::AnyOf;
using ::testing::HasSubstr;

int64_t ElapsedMs(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Starts `argv` in a child with stdout and stderr appended to `log_path`.
// With `max_file_bytes` > 0 the child may not grow any file past that many
// bytes (RLIMIT_FSIZE) and ignores SIGXFSZ, so an over-long write fails
// with a short count or EFBIG, as on a full disk, instead of killing it.
pid_t Start(const std::vector<std::string>& argv, const std::string& log_path,
            rlim_t max_file_bytes = 0) {
  std::vector<char*> c_argv;
  for (const std::string& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // The child: only async-signal-safe calls until exec.
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log >= 0) {
    dup2(log, 1);
    dup2(log, 2);
    close(log);
  }
  if (max_file_bytes > 0) {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {max_file_bytes, max_file_bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  execv(c_argv[0], c_argv.data());
  _exit(127);
}

// Waits for `pid`; its exit code, or -1 when a signal ended it.
int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `argv` to the end; its exit code.
int RunToEnd(const std::vector<std::string>& argv, const std::string& log_path,
             rlim_t max_file_bytes = 0) {
  const pid_t pid = Start(argv, log_path, max_file_bytes);
  return pid > 0 ? Wait(pid) : -1;
}

// Starts `argv` and kills it with SIGKILL after `after_ms`, unless it ends
// first. True when it was killed, false when it had already exited (its
// exit code then goes to `*exit_code`).
bool RunAndKill(const std::vector<std::string>& argv, const std::string& log_path,
                int after_ms, int* exit_code) {
  const pid_t pid = Start(argv, log_path);
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(after_ms);
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return true;
}

// Every row of `sql`, its columns joined by '\t'. A database without the
// table (killed before its schema was made) reads as no rows; any other
// error fails the test.
std::vector<std::string> Rows(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> rows;
  if (!fs::exists(db_path)) return rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (i > 0) row += '\t';
        row += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else if (std::string(sqlite3_errmsg(db)).find("no such table") == std::string::npos) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

std::set<std::string> RowSet(const std::string& db_path, const std::string& sql) {
  std::vector<std::string> rows = Rows(db_path, sql);
  return std::set<std::string>(rows.begin(), rows.end());
}

bool IntegrityOk(const std::string& db_path) {
  if (!fs::exists(db_path)) return true;
  return Rows(db_path, "PRAGMA integrity_check") == std::vector<std::string>{"ok"};
}

// What must survive a crash and what a finished run must reproduce.
constexpr char kPagesSql[] = "SELECT url, content_hash FROM pages";
constexpr char kLiveClaimsSql[] = "SELECT claim_id FROM claims WHERE live = 1";
constexpr char kConflictsSql[] = "SELECT id, class FROM conflicts WHERE stale = 0";

struct Snapshot {
  std::set<std::string> pages;
  std::set<std::string> claims;
  std::set<std::string> conflicts;
};

Snapshot Take(const std::string& db_path) {
  return {RowSet(db_path, kPagesSql), RowSet(db_path, kLiveClaimsSql),
          RowSet(db_path, kConflictsSql)};
}

// Elements of `before` missing from `after`.
std::vector<std::string> Lost(const std::set<std::string>& before,
                              const std::set<std::string>& after) {
  std::vector<std::string> lost;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(lost));
  return lost;
}

unsigned Seed() {
  unsigned seed = static_cast<unsigned>(std::random_device{}());
  if (const char* env = std::getenv("NEWSCLAIM_CRASH_SEED")) seed = std::strtoul(env, nullptr, 10);
  std::printf("crash seed: %u (replay with NEWSCLAIM_CRASH_SEED=%u)\n", seed, seed);
  return seed;
}

class CrashSafetyTest : public ::testing::Test {
 protected:
  // One uninterrupted crawl of the corpus, shared by the tests: the
  // reference state, and how long a run takes.
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new LocalHttpServer(SourceDir() + "/corpus/site");
    reference_db_ = dir_->path() + "/reference.db";
    const Clock::time_point start = Clock::now();
    reference_exit_ = RunToEnd(CrawlArgs(reference_db_), dir_->path() + "/reference.log");
    crawl_ms_ = ElapsedMs(start);
  }

  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_EQ(reference_exit_, 0) << ReadFile(dir_->path() + "/reference.log");
    reference_ = Take(reference_db_);
    ASSERT_GE(reference_.pages.size(), 20u) << "the corpus crawl stores too few pages";
    ASSERT_GE(reference_.claims.size(), 20u) << "the corpus crawl stores too few claims";
  }

  static std::vector<std::string> CrawlArgs(const std::string& db) {
    // --warc-dir inside the temp dir; --no-progress keeps the log short.
    return {NewsclaimBinary(), "--db", db, "crawl", "--delay-ms", "0", "--no-progress",
            server_->Url("/")};
  }

  static std::vector<std::string> ExtractAllArgs(const std::string& db) {
    return {NewsclaimBinary(), "--db", db, "extract", "--all"};
  }

  static TempDir* dir_;
  static LocalHttpServer* server_;
  static std::string reference_db_;
  static int reference_exit_;
  static int64_t crawl_ms_;
  Snapshot reference_;
};

TempDir* CrashSafetyTest::dir_ = nullptr;
LocalHttpServer* CrashSafetyTest::server_ = nullptr;
std::string CrashSafetyTest::reference_db_;
int CrashSafetyTest::reference_exit_ = -1;
int64_t CrashSafetyTest::crawl_ms_ = 0;

TEST_F(CrashSafetyTest, CrawlKilledAtRandomPointsLosesNothingAndResumesToTheSameState) {
  std::mt19937 random(Seed());
  std::uniform_int_distribution<int> kill_after_ms(
      1, static_cast<int>(std::max<int64_t>(crawl_ms_, 50)));
  const std::string log = dir_->path() + "/crawl.log";

  // Each database starts fresh and is crawled again and again, each run
  // killed at a random moment, until a run gets to the end; that run's
  // result must equal the reference. Then the next database starts. So
  // every kill lands in a crawl that still has work to do.
  constexpr int kKills = 12;
  int kills = 0;
  int chains = 0;
  int completed = 0;
  std::string db;
  Snapshot previous;
  auto start_chain = [&] {
    db = dir_->path() + "/crawl-" + std::to_string(++chains) + ".db";
    previous = Snapshot();
  };
  auto check_complete = [&](const std::string& when) {
    ASSERT_TRUE(IntegrityOk(db)) << when;
    const Snapshot final_state = Take(db);
    EXPECT_EQ(final_state.pages, reference_.pages) << when;
    EXPECT_EQ(final_state.claims, reference_.claims) << when;
    EXPECT_EQ(final_state.conflicts, reference_.conflicts) << when;
  };
  start_chain();
  for (int attempt = 0; kills < kKills && attempt < 4 * kKills; ++attempt) {
    const int after_ms = kill_after_ms(random);
    int exit_code = -1;
    if (!RunAndKill(CrawlArgs(db), log, after_ms, &exit_code)) {
      ASSERT_EQ(exit_code, 0) << ReadFile(log);
      ++completed;
      check_complete("database " + std::to_string(chains) + " completed after kill " +
                     std::to_string(kills));
      start_chain();
      continue;
    }
    ++kills;
    const std::string when = "after kill " + std::to_string(kills) + " at " +
                             std::to_string(after_ms) + " ms (database " +
                             std::to_string(chains) + ")";
    ASSERT_TRUE(IntegrityOk(db)) << when;
    const Snapshot now = Take(db);
    EXPECT_THAT(Lost(previous.pages, now.pages), ::testing::IsEmpty()) << "pages lost " << when;
    EXPECT_THAT(Lost(previous.claims, now.claims), ::testing::IsEmpty())
        << "live claims lost " << when;
    std::printf("crawl kill %d at %d ms (database %d): %zu pages, %zu live claims\n", kills,
                after_ms, chains, now.pages.size(), now.claims.size());
    previous = now;
  }
  ASSERT_EQ(kills, kKills);

  // The run after the last kill completes the work.
  ASSERT_EQ(RunToEnd(CrawlArgs(db), log), 0) << ReadFile(log);
  check_complete("the run after the last kill");
  std::printf("crawl: %d kills over %d databases, %d runs completed; reference run %lld ms\n",
              kills, chains, completed + 1, static_cast<long long>(crawl_ms_));
}

TEST_F(CrashSafetyTest, ExtractAllKilledAtRandomPointsKeepsEveryPageAndLiveClaim) {
  const std::string db = dir_->path() + "/extract.db";
  const std::string log = dir_->path() + "/extract.log";
  fs::copy_file(reference_db_, db, fs::copy_options::overwrite_existing);
  ASSERT_TRUE(IntegrityOk(db));

  // How long one uninterrupted `extract --all` takes.
  const Clock::time_point start = Clock::now();
  ASSERT_EQ(RunToEnd(ExtractAllArgs(db), log), 0) << ReadFile(log);
  const int64_t extract_ms = ElapsedMs(start);
  ASSERT_EQ(Take(db).claims, reference_.claims) << "extract --all changes an unchanged store";

  std::mt19937 random(Seed());
  std::uniform_int_distribution<int> kill_after_ms(1, static_cast<int>(std::max<int64_t>(extract_ms, 50)));
  constexpr int kKills = 10;
  int kills = 0;
  for (int attempt = 0; kills < kKills && attempt < 3 * kKills; ++attempt) {
    const int after_ms = kill_after_ms(random);
    int exit_code = -1;
    if (!RunAndKill(ExtractAllArgs(db), log, after_ms, &exit_code)) {
      ASSERT_EQ(exit_code, 0) << ReadFile(log);
      continue;
    }
    ++kills;
    ASSERT_TRUE(IntegrityOk(db)) << "after kill " << kills << " at " << after_ms << " ms";
    // Re-extraction replaces a page's claims in one transaction, so a kill
    // leaves every page with either its old or its new claims: with the
    // same rules, the same ones.
    const Snapshot now = Take(db);
    EXPECT_EQ(now.pages, reference_.pages) << "after kill " << kills << " at " << after_ms << " ms";
    EXPECT_EQ(now.claims, reference_.claims) << "after kill " << kills << " at " << after_ms << " ms";
    std::printf("extract kill %d at %d ms (of %lld)\n", kills, after_ms,
                static_cast<long long>(extract_ms));
  }
  ASSERT_EQ(kills, kKills);

  ASSERT_EQ(RunToEnd(ExtractAllArgs(db), log), 0) << ReadFile(log);
  EXPECT_TRUE(IntegrityOk(db));
  const Snapshot final_state = Take(db);
  EXPECT_EQ(final_state.pages, reference_.pages);
  EXPECT_EQ(final_state.claims, reference_.claims);
  EXPECT_EQ(final_state.conflicts, reference_.conflicts);
}

// The corpus's article pages, sorted.
std::vector<std::string> CorpusPages() {
  std::vector<std::string> pages;
  const fs::path site = fs::path(SourceDir()) / "corpus" / "site" / "news";
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (entry.path().extension() == ".html") pages.push_back(entry.path().string());
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

// A full disk during `ingest`: three pages go into `db` while there is
// room; then the other pages are ingested with little room left (the disk
// `db` is on is nearly full, or `max_file_bytes` > 0 is the child's
// RLIMIT_FSIZE). The run must end with a clear error (`error_words`) naming
// the database and exit code 1 (stopped with work undone; never a crash),
// leaving an intact database with the earlier data. Output goes to `log`,
// which must not be on the full disk.
void CheckFullDisk(const std::string& db, const std::string& log, rlim_t max_file_bytes,
                   const std::vector<std::string>& error_words) {
  const std::vector<std::string> pages = CorpusPages();
  ASSERT_GE(pages.size(), 20u);
  std::vector<std::string> first = {NewsclaimBinary(), "--db", db, "ingest"};
  first.insert(first.end(), pages.begin(), pages.begin() + 3);
  ASSERT_EQ(RunToEnd(first, log), 0) << ReadFile(log);
  const Snapshot earlier = Take(db);
  ASSERT_EQ(earlier.pages.size(), 3u);

  std::vector<std::string> rest = {NewsclaimBinary(), "--db", db, "ingest"};
  rest.insert(rest.end(), pages.begin() + 3, pages.end());
  fs::remove(log);
  const int exit_code = RunToEnd(rest, log, max_file_bytes);
  const std::string err = ReadFile(log);
  std::printf("full disk: exit %d: %s\n", exit_code, err.c_str());
  EXPECT_EQ(exit_code, 1);
  for (const std::string& words : error_words) EXPECT_THAT(err, HasSubstr(words));
  EXPECT_THAT(err, HasSubstr(db));

  EXPECT_TRUE(IntegrityOk(db));
  const Snapshot after = Take(db);
  EXPECT_THAT(Lost(earlier.pages, after.pages), ::testing::IsEmpty());
  EXPECT_THAT(Lost(earlier.claims, after.claims), ::testing::IsEmpty());
  EXPECT_LT(after.pages.size(), pages.size()) << "the disk never filled";
}

TEST_F(CrashSafetyTest, FileSizeLimitEndsIngestWithAnIoErrorAndAnIntactDatabase) {
  // RLIMIT_FSIZE just above the database's size after the first pages: the
  // WAL and the database can hold a page or two more, not twenty. A write
  // past the limit fails with EFBIG, which SQLite reports as a disk I/O
  // error and the store as a full disk (a real full disk, ENOSPC, is the
  // next test).
  TempDir work;
  const std::string db = work.path() + "/full.db";
  const std::vector<std::string> pages = CorpusPages();
  // The limit is known only after the first ingest; CheckFullDisk runs
  // that first, so measure a twin run here.
  {
    std::vector<std::string> first = {NewsclaimBinary(), "--db", work.path() + "/probe.db",
                                      "ingest"};
    first.insert(first.end(), pages.begin(), pages.begin() + 3);
    ASSERT_EQ(RunToEnd(first, work.path() + "/probe.log"), 0);
  }
  const rlim_t limit =
      static_cast<rlim_t>(fs::file_size(work.path() + "/probe.db")) + 64 * 1024;
  CheckFullDisk(db, db + ".log", limit, {"disk full (File too large)"});

  // With room again, the same ingest finishes the work.
  std::vector<std::string> rest = {NewsclaimBinary(), "--db", db, "ingest"};
  rest.insert(rest.end(), pages.begin() + 3, pages.end());
  ASSERT_EQ(RunToEnd(rest, db + ".log"), 0) << ReadFile(db + ".log");
  EXPECT_TRUE(IntegrityOk(db));
  EXPECT_EQ(Take(db).pages.size(), pages.size());
}

TEST_F(CrashSafetyTest, FullTmpfsEndsIngestWithDiskFullAndAnIntactDatabase) {
  // A real ENOSPC: the database on a tmpfs mounted with a size a little
  // above what the first pages need. Needs the right to mount (root, as in
  // CI).
  TempDir work;
  const std::string mount_point = work.path() + "/disk";
  fs::create_directories(mount_point);
  const std::vector<std::string> pages = CorpusPages();
  std::vector<std::string> first = {NewsclaimBinary(), "--db", work.path() + "/probe.db",
                                    "ingest"};
  first.insert(first.end(), pages.begin(), pages.begin() + 3);
  ASSERT_EQ(RunToEnd(first, work.path() + "/probe.log"), 0);
  // Room for the database and a WAL as large while the first pages go in;
  // the other pages need ten times that.
  const uintmax_t size = 3 * fs::file_size(work.path() + "/probe.db");
  const std::string options = "size=" + std::to_string(size);
  if (mount("tmpfs", mount_point.c_str(), "tmpfs", 0, options.c_str()) != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                 << "); FileSizeLimitEndsIngestWithAnIoErrorAndAnIntactDatabase covers a "
                    "full disk without one";
  }
  // Unmounted however the test ends, before the temp dir goes.
  struct Unmount {
    std::string path;
    ~Unmount() { umount(path.c_str()); }
  } unmount{mount_point};
  const std::string db = mount_point + "/full.db";
  CheckFullDisk(db, work.path() + "/full.log", 0, {"disk full", "database or disk is full"});
  // Room again: the database moves to a real disk, the ingest finishes.
  const std::string moved = work.path() + "/moved.db";
  fs::copy_file(db, moved);
  for (const char* suffix : {"-wal", "-shm"}) {
    if (fs::exists(db + suffix)) fs::copy_file(db + suffix, moved + suffix);
  }
  std::vector<std::string> rest = {NewsclaimBinary(), "--db", moved, "ingest"};
  rest.insert(rest.end(), pages.begin() + 3, pages.end());
  ASSERT_EQ(RunToEnd(rest, moved + ".log"), 0) << ReadFile(moved + ".log");
  EXPECT_TRUE(IntegrityOk(moved));
  EXPECT_EQ(Take(moved).pages.size(), pages.size());
}

}  // namespace
}  // namespace newsclaim::testing
