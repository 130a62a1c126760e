// Scheduled crawls through the real binary: `crawl --config` validation
// (file:line, exit 2), the run lock (a second run exits 0, or waits with
// --wait), per-source re-crawl intervals, --stats-json, flags over config
// values, and the progress line (a terminal only). The site is corpus/site
// served on 127.0.0.1 by tests/testdata/resume/serve.py, which logs every
// request so a test can tell whether a run fetched anything.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"


namespace newsclaim::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// tests/testdata/resume/serve.py on corpus/site, logging each request path
// to DIR/requests.log.
class LoggingServer : public LoggingHttpServer {
 public:
  LoggingServer(const std::string& dir, int delay_ms)
      : LoggingHttpServer(SourceDir() + "/corpus/site", dir + "/requests.log", delay_ms,
                          dir + "/server.err") {}
  size_t RequestCount() const { return Requests().size(); }
};

int64_t CountRows(const std::string& db_path, const std::string& table) {
  sqlite3* db = nullptr;
  int64_t count = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return count;
}

class CrawlConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() + "/claims.db";
    config_ = dir_.path() + "/crawl.toml";
  }

  void WriteConfig(const std::string& text) { std::ofstream(config_) << text; }

  // One source over the corpus server, with `extra` top-level lines.
  std::string CorpusConfig(const LoggingServer& server, const std::string& extra = "") {
    return "user_agent = \"newsclaim-test/1.0 (+https://example.org/test)\"\n"
           "delay_ms = 0\n" +
           extra +
           "\n[[source]]\n"
           "name = \"corpus\"\n"
           "start = [\"" + server.Url("/") + "\"]\n"
           "feeds = [\"" + server.Url("/feed.xml") + "\"]\n";
  }

  std::vector<std::string> CrawlArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {NewsclaimBinary(), "--db", db_, "crawl", "--config", config_};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Holds the run lock the way a running crawl does.
  int HoldLock() {
    const int fd = open((db_ + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(flock(fd, LOCK_EX | LOCK_NB), 0);
    return fd;
  }

  TempDir dir_;
  std::string db_, config_;
};

TEST_F(CrawlConfigTest, ABadConfigReportsFileAndLineAndExitsTwo) {
  struct Case {
    const char* what;
    std::string text;
    std::string where;  // ":LINE: "
    std::string message;
  };
  const std::string ua = "user_agent = \"t/1 (+https://example.org/t)\"\n";
  const std::string source = "[[source]]\nname = \"a\"\nstart = [\"https://example.org/\"]\n";
  const Case cases[] = {
      {"unknown key", ua + "max_deph = 3\n" + source, ":2: ", "unknown key \"max_deph\""},
      {"bad url", ua + "[[source]]\nname = \"a\"\nstart = [\"example.org\"]\n", ":4: ",
       "start: not an absolute http(s) URL: \"example.org\""},
      {"no contact url", "user_agent = \"t/1\"\n" + source, ":1: ",
       "user agent \"t/1\" has no contact URL"},
      {"missing user_agent", source, ":1: ", "user_agent is required"},
      {"toml syntax", ua + source + "max_pages = \n", ":5: ", ""},
      {"out of range", ua + source + "per_host_connections = 0\n", ":5: ",
       "per_host_connections must be between 1 and 64"},
  };
  for (const Case& c : cases) {
    WriteConfig(c.text);
    ProcessResult result = RunProcess(CrawlArgs());
    EXPECT_EQ(result.exit_code, 2) << c.what << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(config_ + c.where + c.message)) << c.what;
    EXPECT_FALSE(std::filesystem::exists(db_)) << c.what << ": the database was touched";
  }
}

TEST_F(CrawlConfigTest, AMissingConfigFileExitsTwo) {
  ProcessResult result = RunProcess(CrawlArgs());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config_));
}

TEST_F(CrawlConfigTest, AnInvalidUserAgentFlagExitsTwo) {
  ProcessResult result = RunProcess({NewsclaimBinary(), "--db", db_, "crawl", "--user-agent",
                                     "bot/1.0", "http://127.0.0.1:9/"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--user-agent: "));
  EXPECT_THAT(result.err, HasSubstr("no contact URL"));
}

TEST_F(CrawlConfigTest, ASecondRunExitsZeroWhileTheLockIsHeld) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server));
  const std::string stats = dir_.path() + "/stats.json";
  const int lock = HoldLock();
  ProcessResult result = RunProcess(CrawlArgs({"--stats-json", stats}));
  close(lock);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("another crawl of " + db_ + " is running"));
  EXPECT_EQ(server.RequestCount(), 0u);
  const json report = json::parse(ReadAll(stats));
  EXPECT_EQ(report["status"], "locked");
  EXPECT_EQ(report["exit_code"], 0);
}

TEST_F(CrawlConfigTest, WithWaitARunWaitsForTheLockThenCrawls) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server));
  const int lock = HoldLock();
  const std::string err = dir_.path() + "/wait.err";
  const pid_t pid = SpawnProcess(CrawlArgs({"--wait"}), -1, err);
  ASSERT_GT(pid, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0) << "it did not wait: " << ReadAll(err);
  EXPECT_EQ(server.RequestCount(), 0u);
  close(lock);
  EXPECT_EQ(WaitExit(pid), 0) << ReadAll(err);
  EXPECT_THAT(ReadAll(err), HasSubstr("waiting for it to finish"));
  EXPECT_GT(server.RequestCount(), 0u);
  EXPECT_GT(CountRows(db_, "pages"), 10);
}

TEST_F(CrawlConfigTest, OverlappingRunsNeverCrawlTwice) {
  LoggingServer server(dir_.path(), 40);  // slow enough to overlap
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server));
  const std::string err = dir_.path() + "/first.err";
  const pid_t first = SpawnProcess(CrawlArgs(), -1, err);
  ASSERT_GT(first, 0);
  while (server.RequestCount() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ProcessResult second = RunProcess(CrawlArgs());
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err, HasSubstr("is running"));
  EXPECT_THAT(second.err, HasSubstr("pid " + std::to_string(first)));
  EXPECT_EQ(WaitExit(first), 0) << ReadAll(err);
  // Each document once, robots.txt included: the second run fetched nothing.
  std::map<std::string, int> counts;
  for (const std::string& path : server.Requests()) ++counts[path];
  ASSERT_GT(counts.size(), 10u);
  for (const auto& [path, count] : counts) {
    EXPECT_EQ(count, 1) << path;
  }
}

TEST_F(CrawlConfigTest, ARunWithinADayReadsRobotsTxtFromTheDatabase) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server));
  const std::string stats = dir_.path() + "/stats.json";
  ProcessResult first = RunProcess(CrawlArgs({"--stats-json", stats}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(json::parse(ReadAll(stats))["totals"]["robots_files"], 1);
  EXPECT_EQ(CountRows(db_, "robots_cache"), 1);

  ProcessResult second = RunProcess(CrawlArgs({"--stats-json", stats}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const json totals = json::parse(ReadAll(stats))["totals"];
  EXPECT_EQ(totals["robots_files"], 0);
  EXPECT_EQ(totals["robots_cached"], 1);
  // The second run did crawl (revalidating every page), but asked for
  // robots.txt only in the first.
  EXPECT_GT(totals["fetched"].get<int>(), 10);
  int robots = 0;
  for (const std::string& path : server.Requests()) robots += path == "/robots.txt";
  EXPECT_EQ(robots, 1);
}

TEST_F(CrawlConfigTest, ASourceCrawledWithinItsIntervalIsSkippedUnlessForced) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server, "recrawl_interval = \"1h\"\n"));
  ProcessResult first = RunProcess(CrawlArgs());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const size_t after_first = server.RequestCount();
  ASSERT_GT(after_first, 0u);

  ProcessResult second = RunProcess(CrawlArgs());
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err, HasSubstr("source corpus: crawled "));
  EXPECT_THAT(second.err, HasSubstr("recrawl_interval 1h; skipped, due in "));
  EXPECT_EQ(server.RequestCount(), after_first);

  ProcessResult forced = RunProcess(CrawlArgs({"--force"}));
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_THAT(forced.err, Not(HasSubstr("skipped")));
  EXPECT_GT(server.RequestCount(), after_first);
}

TEST_F(CrawlConfigTest, StatsJsonDescribesTheRunAndEachSource) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server, "recrawl_interval = \"2h\"\n") +
              "\n[[source]]\nname = \"off\"\nenabled = false\nstart = [\"" + server.Url("/") +
              "\"]\n");
  const std::string stats = dir_.path() + "/stats.json";
  ProcessResult first = RunProcess(CrawlArgs({"--stats-json", stats}));
  ASSERT_EQ(first.exit_code, 0) << first.err;

  const json report = json::parse(ReadAll(stats));
  EXPECT_EQ(report["format"], "newsclaim-crawl-stats/1");
  EXPECT_EQ(report["status"], "ok");
  EXPECT_EQ(report["exit_code"], 0);
  EXPECT_EQ(report["db"], db_);
  EXPECT_EQ(report["config"], config_);
  EXPECT_GT(report["elapsed_seconds"].get<double>(), 0.0);
  const json& totals = report["totals"];
  EXPECT_EQ(totals["stored_pages"].get<int64_t>(), CountRows(db_, "pages"));
  EXPECT_EQ(totals["claims"].get<int64_t>(), CountRows(db_, "claims WHERE live = 1"));
  // Every request but robots.txt is a fetched document.
  EXPECT_EQ(totals["fetched"].get<size_t>() + totals["robots_files"].get<size_t>(),
            server.RequestCount());
  ASSERT_EQ(report["sources"].size(), 2u);
  std::map<std::string, json> sources;
  for (const json& source : report["sources"]) sources[source["name"]] = source;
  EXPECT_EQ(sources["corpus"]["status"], "crawled");
  EXPECT_EQ(sources["corpus"]["fetched"], totals["fetched"]);
  EXPECT_EQ(sources["off"]["status"], "skipped");
  EXPECT_EQ(sources["off"]["reason"], "disabled");

  ProcessResult second = RunProcess(CrawlArgs({"--stats-json", stats}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const json again = json::parse(ReadAll(stats));
  EXPECT_EQ(again["totals"]["fetched"], 0);
  for (const json& source : again["sources"]) {
    if (source["name"] != "corpus") continue;
    EXPECT_EQ(source["status"], "skipped");
    const int64_t due = source["next_due_in_seconds"].get<int64_t>();
    EXPECT_GT(due, 3600);
    EXPECT_LE(due, 7200);
  }
  // Written through a temporary file, which is gone.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp"))) << "left behind";
  }
}

TEST_F(CrawlConfigTest, ABadConfigStillWritesStatsJsonForMonitoring) {
  WriteConfig("user_agent = 3\n");
  const std::string stats = dir_.path() + "/stats.json";
  ProcessResult result = RunProcess(CrawlArgs({"--stats-json", stats}));
  EXPECT_EQ(result.exit_code, 2);
  const json report = json::parse(ReadAll(stats));
  EXPECT_EQ(report["status"], "config_error");
  EXPECT_EQ(report["exit_code"], 2);
  EXPECT_THAT(report["message"].get<std::string>(), HasSubstr(config_ + ":1: "));
}

TEST_F(CrawlConfigTest, CommandLineFlagsOverrideConfigValues) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server, "max_pages = 1000\n"));
  const std::string stats = dir_.path() + "/stats.json";
  ProcessResult result = RunProcess(CrawlArgs({"--max-pages", "3", "--stats-json", stats}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const json report = json::parse(ReadAll(stats));
  EXPECT_EQ(report["totals"]["fetched"], 3);
}

TEST_F(CrawlConfigTest, TheProgressLineAppearsOnATerminalOnly) {
  LoggingServer server(dir_.path(), 0);
  ASSERT_GT(server.port(), 0);
  WriteConfig(CorpusConfig(server));
  ProcessResult piped = RunProcess(CrawlArgs());
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_THAT(piped.err, Not(HasSubstr("\r")));
  EXPECT_THAT(piped.err, Not(HasSubstr("pages/s")));
  EXPECT_THAT(piped.err, HasSubstr("pages stored"));  // the summary

  // script(1) runs it on a pseudo-terminal.
  std::string command;
  for (const std::string& arg : CrawlArgs({"--force"})) command += "'" + arg + "' ";
  ProcessResult terminal = RunProcess({"script", "-q", "-e", "-c", command, "/dev/null"});
  ASSERT_EQ(terminal.exit_code, 0) << terminal.out << terminal.err;
  EXPECT_THAT(terminal.out, HasSubstr("\r\033[Kcrawl: "));
  EXPECT_THAT(terminal.out, HasSubstr(" queued, "));
  EXPECT_THAT(terminal.out, HasSubstr(" pages/s, "));
  EXPECT_THAT(terminal.out, HasSubstr("pages stored"));
}

}  // namespace
}  // namespace newsclaim::testing
