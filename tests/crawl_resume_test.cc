// A crawl killed with kill -9 at random moments resumes without loss or
// waste. Real parts only: tests/testdata/resume/serve.py serves corpus/site
// on 127.0.0.1, slowly, logging every request; the real newsclaim binary
// crawls it into a real SQLite file and is killed (SIGKILL) again and again,
// then allowed to finish. Checked:
//   - PRAGMA integrity_check is ok after every kill;
//   - no page is lost: the final database holds the pages (and as many live
//     claims) as one uninterrupted crawl stores;
//   - no finished URL is fetched again: a URL the database showed as
//     finished after a kill is never requested by a later run, and no URL
//     is requested more often than once plus the kills it was in flight at.
// The seed is printed; NEWSCLAIM_RESUME_SEED=N replays a run.
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
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

using Clock = std::chrono::steady_clock;

// The first column of every row of `sql`.
std::set<std::string> Column(const std::string& db_path, const std::string& sql) {
  std::set<std::string> values;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return values;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) values.insert(reinterpret_cast<const char*>(text));
    }
  } else {
    // A database killed before its schema was created has no tables yet.
    values.insert("<error: " + std::string(sqlite3_errmsg(db)) + ">");
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return values;
}

bool HasTable(const std::string& db_path, const std::string& table) {
  return !Column(db_path, "SELECT name FROM sqlite_master WHERE name = '" + table + "'").empty();
}

std::string StripOrigin(const std::string& url, const std::string& origin) {
  return url.starts_with(origin) ? url.substr(origin.size()) : url;
}

// What the database says is finished: frontier rows marked done, pages
// stored (by final or requested URL) and recorded fetch failures. As paths.
std::set<std::string> FinishedPaths(const std::string& db_path, const std::string& origin) {
  std::set<std::string> paths;
  if (!HasTable(db_path, "frontier")) return paths;
  for (const char* sql :
       {"SELECT url FROM frontier WHERE done_at IS NOT NULL", "SELECT url FROM pages",
        "SELECT requested_url FROM pages", "SELECT url FROM failures WHERE stage = 'fetch'"}) {
    for (const std::string& url : Column(db_path, sql)) paths.insert(StripOrigin(url, origin));
  }
  return paths;
}

int CountLiveClaims(const std::string& db_path) {
  std::set<std::string> count = Column(db_path, "SELECT count(*) FROM claims WHERE live = 1");
  return count.empty() ? -1 : std::atoi(count.begin()->c_str());
}

TEST(CrawlResumeTest, KilledCrawlsResumeWithoutLossOrRefetching) {
  const std::string corpus = SourceDir() + "/corpus/site";
  TempDir dir;
  const std::string err_log = dir.path() + "/stderr.log";

  // The reference: one uninterrupted crawl, which also tells how long
  // newsclaim takes to start (load rules, open MeCab) before its first request.
  constexpr int kDelayMs = 60;
  LoggingHttpServer reference_server(corpus, dir.path() + "/reference.log", kDelayMs, err_log);
  ASSERT_GT(reference_server.port(), 0);
  const std::string reference_db = dir.path() + "/reference.db";
  const auto crawl_args = [&](const std::string& db, const LoggingHttpServer& server) {
    return std::vector<std::string>{NewsclaimBinary(), "--db", db, "crawl", "--delay-ms", "0",
                                    "--no-progress", server.Url("/")};
  };
  const Clock::time_point reference_start = Clock::now();
  const pid_t reference = SpawnProcess(crawl_args(reference_db, reference_server), -1, err_log);
  ASSERT_GT(reference, 0);
  Clock::duration startup{};
  while (reference_server.Requests().empty() && Clock::now() - reference_start < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  startup = Clock::now() - reference_start;
  int status = 0;
  waitpid(reference, &status, 0);
  const auto reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                Clock::now() - reference_start).count();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "reference crawl failed; see "
                                                             << err_log;
  const std::string reference_origin = reference_server.Url("");
  std::set<std::string> reference_pages;
  for (const std::string& url : Column(reference_db, "SELECT url FROM pages")) {
    reference_pages.insert(StripOrigin(url, reference_origin));
  }
  ASSERT_GE(reference_pages.size(), 20u) << "the corpus crawl stores too few pages";
  const int reference_claims = CountLiveClaims(reference_db);
  const auto startup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(startup).count();
  std::printf("reference crawl: %zu pages, %d claims, %lld ms (first request after %lld ms)\n",
              reference_pages.size(), reference_claims, static_cast<long long>(reference_ms),
              static_cast<long long>(startup_ms));

  // The killed runs.
  unsigned seed = static_cast<unsigned>(std::random_device{}());
  if (const char* env = std::getenv("NEWSCLAIM_RESUME_SEED")) seed = std::strtoul(env, nullptr, 10);
  std::printf("kill seed: %u (replay with NEWSCLAIM_RESUME_SEED=%u)\n", seed, seed);
  std::mt19937 random(seed);
  // Most kills land after start-up, while pages are being fetched and
  // stored; some land during start-up (schema creation, rule loading).
  const int crawl_ms = static_cast<int>(std::max<int64_t>(reference_ms - startup_ms, 200));
  std::uniform_int_distribution<int> kill_after_ms(static_cast<int>(startup_ms / 2),
                                                   static_cast<int>(startup_ms) + crawl_ms / 10);

  LoggingHttpServer server(corpus, dir.path() + "/server.log", kDelayMs, err_log);
  ASSERT_GT(server.port(), 0);
  const std::string origin = server.Url("");
  const std::string db = dir.path() + "/claims.db";

  constexpr int kKills = 12;
  std::vector<std::set<std::string>> finished_after_kill;  // per kill
  std::vector<size_t> requests_before_run = {0};           // server log offsets
  std::map<std::string, int> in_flight_at_kills;           // path -> kills it was in flight at
  int kills = 0;
  bool completed_early = false;
  while (kills < kKills) {
    const int delay_ms = kill_after_ms(random);
    const pid_t pid = SpawnProcess(crawl_args(db, server), -1, err_log);
    ASSERT_GT(pid, 0);
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(delay_ms);
    bool exited = false;
    while (Clock::now() < deadline) {
      if (waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (exited) {
      // It finished before its kill point: the crawl is complete.
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "see " << err_log;
      completed_early = true;
      break;
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ++kills;

    // A request the killed run sent may reach the server's log a moment
    // later; read the log once it has stopped growing, or that request
    // would count against the next run.
    std::vector<std::string> requests = server.Requests();
    for (int settled = 0, i = 0; settled < 3 && i < 100; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::vector<std::string> again = server.Requests();
      settled = again.size() == requests.size() ? settled + 1 : 0;
      requests = std::move(again);
    }
    if (HasTable(db, "pages")) {
      std::set<std::string> integrity = Column(db, "PRAGMA integrity_check");
      EXPECT_EQ(integrity, std::set<std::string>{"ok"}) << "after kill " << kills << " at "
                                                        << delay_ms << " ms";
    }
    std::set<std::string> finished = FinishedPaths(db, origin);
    for (size_t i = requests_before_run.back(); i < requests.size(); ++i) {
      if (!finished.contains(requests[i])) ++in_flight_at_kills[requests[i]];
    }
    std::printf("kill %d at %d ms: %zu requests in this run, %zu URLs finished\n", kills,
                delay_ms, requests.size() - requests_before_run.back(), finished.size());
    finished_after_kill.push_back(std::move(finished));
    requests_before_run.push_back(requests.size());
    // Killed after its frontier was complete (while reconciling, say, which
    // a loaded machine makes slow): the crawl's work is done, and a further
    // run would start the next scheduled crawl afresh.
    if (HasTable(db, "source_runs") &&
        Column(db, "SELECT last_status FROM source_runs") == std::set<std::string>{"complete"}) {
      std::printf("kill %d landed after the crawl completed\n", kills);
      completed_early = true;
      break;
    }
  }
  std::fflush(stdout);
  // Issue 7 asks for at least 10 kill points. A run that outlives its kill
  // point (or is killed only after completing its frontier) completes the
  // crawl; otherwise one last run goes to the end. (A run after a completed
  // one would start the next scheduled crawl afresh, revalidating every
  // page, so there is none.)
  EXPECT_GE(kills, 10) << "the crawl completed after only " << kills
                       << " kills; slow the server down";
  if (!completed_early) {
    ProcessResult last = RunProcess(crawl_args(db, server));
    ASSERT_EQ(last.exit_code, 0) << last.err;
  }
  EXPECT_THAT(Column(db, "PRAGMA integrity_check"), ::testing::ElementsAre("ok"));

  // No page lost, no claim lost or doubled.
  std::set<std::string> pages;
  for (const std::string& url : Column(db, "SELECT url FROM pages")) {
    pages.insert(StripOrigin(url, origin));
  }
  EXPECT_EQ(pages, reference_pages);
  EXPECT_EQ(CountLiveClaims(db), reference_claims);

  // No finished URL fetched again. robots.txt is not a URL of the frontier:
  // a run killed before it stored the answer asks again.
  const std::vector<std::string> requests = server.Requests();
  for (size_t k = 0; k < finished_after_kill.size(); ++k) {
    for (size_t i = requests_before_run[k + 1]; i < requests.size(); ++i) {
      EXPECT_FALSE(finished_after_kill[k].contains(requests[i]))
          << requests[i] << " was finished at kill " << k + 1 << " but fetched again";
    }
  }
  std::map<std::string, int> fetches;
  for (const std::string& path : requests) ++fetches[path];
  for (const auto& [path, count] : fetches) {
    if (path == "/robots.txt") continue;
    EXPECT_LE(count, 1 + in_flight_at_kills[path]) << path << " fetched " << count << " times";
  }
  int refetched = 0;
  for (const auto& [path, count] : fetches) {
    if (path != "/robots.txt" && count > 1) refetched += count - 1;
  }
  std::printf("%d kills, %zu requests in all, %d repeated requests of URLs in flight at a kill\n",
              kills, requests.size(), refetched);
}

}  // namespace
}  // namespace newsclaim::testing
