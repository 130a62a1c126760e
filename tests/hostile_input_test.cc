// Hostile input end to end, with real parts only: the real newsclaim
// binary, real SQLite files in temp dirs, and
//   - ../shared/data's broken inputs (legacy charsets, ill-formed feeds,
//     compressed and bomb bodies, broken WARC files) given to `ingest`:
//     every run ends by itself (a timeout catches hangs) with exit code 0
//     or 1, never a signal; the database passes integrity_check; every
//     recorded failure has a stage and a reason; every input file is
//     either a stored page or a recorded failure;
//   - `query` filters holding quotes, LIKE wildcards, control characters,
//     emoji and bidi marks: they are bound as values (no SQL error, no
//     injection, no wildcard matching) and still find what they name;
//   - one sentence of 2,000 figures (about 100 KB) given to `ingest` ends
//     well within a timeout with every figure a claim;
//   - crawl limits at their edges, against tests/testdata/hardening/
//     serve_limits.py on 127.0.0.1: a redirect chain of exactly
//     max_redirects (10) is followed and one more is a recorded failure; a
//     page of exactly max_body_bytes is stored and one byte more is a
//     recorded failure.
// The limits that live inside the libraries are tested next to their code
// (see docs/hardening.md for the list).
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ::testing::AnyOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using json = nlohmann::json;

// Generous: a sanitizer build is several times slower than a release one.
constexpr int kIngestTimeoutSeconds = 300;

fs::path SharedData() { return fs::path(SourceDir()) / ".." / "shared" / "data"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

struct Outcome {
  bool timed_out = false;
  int signal = 0;      // the signal that ended it, 0 if none
  int exit_code = -1;  // when it exited
  std::string log;     // stdout and stderr
};

// Runs `argv` with stdout and stderr to a log file; kills it (and says so)
// after `timeout_seconds`.
Outcome RunWithTimeout(const std::vector<std::string>& argv, const fs::path& log_path,
                       int timeout_seconds) {
  std::vector<char*> c_argv;
  for (const std::string& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      dup2(log, 1);
      dup2(log, 2);
      close(log);
    }
    execv(c_argv[0], c_argv.data());
    _exit(127);
  }
  Outcome outcome;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!outcome.timed_out) {
    if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
    if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  }
  outcome.log = ReadFile(log_path);
  return outcome;
}

// Every row of `sql` with `params` bound, columns joined by '\t'.
std::vector<std::string> Rows(const std::string& db_path, const std::string& sql,
                              const std::vector<std::string>& params = {}) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].data(),
                        static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (i > 0) row += '\t';
        if (text != nullptr) {
          row.append(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt, i));
        }
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

int64_t Count(const std::string& db_path, const std::string& sql,
              const std::vector<std::string>& params = {}) {
  std::vector<std::string> rows = Rows(db_path, sql, params);
  return rows.empty() ? -1 : std::stoll(rows[0]);
}

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

// The URL `ingest` gives a local file.
std::string FileUrl(const fs::path& path) {
  return "file://" + fs::absolute(path).lexically_normal().string();
}

// Whether `ingest` reads a file of this name as a page (HTML, Markdown,
// text) rather than skipping it or reading it as WARC.
bool IngestReadsAsPage(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* suffix : {".html", ".htm", ".xhtml", ".md", ".markdown", ".mdown", ".mkd",
                             ".txt", ".text"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

// ---- broken inputs through `ingest` ------------------------------------------------

class HostileIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(SharedData())) {
      GTEST_SKIP() << "../shared/data is absent (" << SharedData()
                   << "); the broken-input ingest tests need it";
    }
  }

  // Ingests `inputs` into a fresh database and checks what every such run
  // must give, whatever the input.
  void IngestAndCheck(const std::vector<fs::path>& inputs) {
    const std::string db = work_.path() + "/claims.db";
    std::vector<std::string> argv = {NewsclaimBinary(), "--db", db, "ingest"};
    for (const fs::path& input : inputs) argv.push_back(input.string());
    const Clock::time_point start = Clock::now();
    const Outcome outcome = RunWithTimeout(argv, work_.path() + "/ingest.log",
                                           kIngestTimeoutSeconds);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    ASSERT_FALSE(outcome.timed_out) << "ingest hung for " << kIngestTimeoutSeconds << " s";
    ASSERT_EQ(outcome.signal, 0) << "ingest died of signal " << outcome.signal << "\n"
                                 << outcome.log;
    ASSERT_THAT(outcome.exit_code, AnyOf(Eq(0), Eq(1))) << outcome.log;

    EXPECT_EQ(Rows(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // A "warning" row (a page read only in part, such as a binary file past
    // the figure limit) records a page that was stored: not a failure.
    const int64_t failures = Count(db, "SELECT count(*) FROM failures WHERE stage <> 'warning'");
    EXPECT_EQ(Count(db, "SELECT count(*) FROM v_failures WHERE trim(reason) = '' OR "
                        "trim(stage) = ''"),
              0)
        << "a failure without a stage or reason";
    // Exit code 1 means "some inputs failed", and then each is recorded.
    EXPECT_EQ(outcome.exit_code == 1, failures > 0) << outcome.log;

    // Every file ingest reads as a page is a page or a recorded failure.
    std::set<std::string> accounted;
    for (const std::string& url : Rows(db, "SELECT url FROM pages")) accounted.insert(url);
    for (const std::string& url : Rows(db, "SELECT requested_url FROM pages")) {
      accounted.insert(url);
    }
    for (const std::string& url : Rows(db, "SELECT url FROM failures")) accounted.insert(url);
    int pages_expected = 0;
    for (const fs::path& input : inputs) {
      std::vector<fs::path> files;
      if (fs::is_directory(input)) {
        for (const auto& entry : fs::recursive_directory_iterator(input)) {
          if (entry.is_regular_file()) files.push_back(entry.path());
        }
      } else {
        files.push_back(input);
      }
      for (const fs::path& file : files) {
        if (!IngestReadsAsPage(file)) continue;
        ++pages_expected;
        EXPECT_TRUE(accounted.contains(FileUrl(file)))
            << file << " is neither a stored page nor a recorded failure";
      }
    }
    std::printf("ingest of %zu inputs: exit %d in %lld ms, %d page files, %lld pages, %lld "
                "failures\n",
                inputs.size(), outcome.exit_code, static_cast<long long>(ms.count()),
                pages_expected, static_cast<long long>(Count(db, "SELECT count(*) FROM pages")),
                static_cast<long long>(failures));
    for (const std::string& row : Rows(db, "SELECT stage, reason FROM v_failures LIMIT 5")) {
      std::printf("  failure: %s\n", row.c_str());
    }
  }

  // Copies every file under `from` into the work dir with `suffix` added,
  // so ingest reads them as pages whatever their real kind.
  fs::path CopyAs(const fs::path& from, const std::string& suffix) {
    const fs::path to = fs::path(work_.path()) / ("inputs" + std::to_string(++copies_) + suffix);
    fs::create_directories(to);
    int n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(from)) {
      if (!entry.is_regular_file()) continue;
      fs::copy_file(entry.path(),
                    to / (std::to_string(n++) + "-" + entry.path().filename().string() + suffix));
    }
    return to;
  }

  TempDir work_;
  int copies_ = 0;
};

TEST_F(HostileIngestTest, LegacyCharsetDocumentsIngestWithoutCrashing) {
  IngestAndCheck({SharedData() / "charset-ja"});
}

TEST_F(HostileIngestTest, IllFormedFeedsIngestWithoutCrashing) {
  // As they are (ingest skips .xml), and read as HTML pages.
  const fs::path feeds = SharedData() / "feeds" / "feedparser" / "illformed";
  IngestAndCheck({feeds, CopyAs(feeds, ".html")});
}

TEST_F(HostileIngestTest, CompressedBodiesAndBombsIngestWithoutCrashing) {
  // Raw gzip, deflate, brotli and zstd bytes and decompression bombs,
  // as they are and read as HTML and as text.
  const fs::path samples = SharedData() / "http-compression";
  IngestAndCheck({samples, CopyAs(samples, ".html"), CopyAs(samples, ".txt")});
}

TEST_F(HostileIngestTest, BrokenWarcFilesIngestWithoutCrashing) {
  // The folder, plus the broken files named one by one (two of them have
  // names ingest would otherwise skip).
  const fs::path warc = SharedData() / "warc";
  IngestAndCheck({warc, warc / "warcio" / "example-trunc.warc",
                  warc / "warcio" / "example-bad.warc.gz.bad",
                  warc / "warcio" / "example-bad-non-chunked.warc.gz",
                  warc / "warcio" / "example-wrong-chunks.warc.gz", warc / "warcio" / "bad.arc"});
}

// ---- query filters with hostile strings --------------------------------------------

// Quotes, LIKE wildcards, SQL, a backslash, NUL-free control characters,
// emoji (astral plane, ZWJ sequence), bidi overrides and marks, a BOM,
// combining marks, an unpaired-surrogate-free but odd CJK compatibility form.
const std::vector<std::string>& OddStrings() {
  static const std::vector<std::string> strings = {
      "'",
      "\"",
      "%",
      "_",
      "%_%",
      "' OR '1'='1",
      "\" OR \"\"=\"",
      "x'); DROP TABLE claims; --",
      "\\",
      "a\tb\x01\x1b[31m\x7f",
      "\xF0\x9F\x98\x80",                              // 😀
      "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",  // 👩‍💻
      "\xE2\x80\x8F\xE2\x80\xAE" "NVIDIA" "\xE2\x80\xAC",  // RLM, RLO ... PDF
      "\xEF\xBB\xBF" "Samsung",                        // BOM
      "Sa\xCC\x81msung",                               // combining acute
      "\xE3\x8D\xBB",                                  // ㍻
  };
  return strings;
}

// Whether `--contains` should find the claim: its quote, figure or title
// holds `needle`.
bool Mentions(const json& claim, const std::string& needle) {
  for (const char* field : {"quote", "text", "title"}) {
    if (claim[field].is_string() &&
        claim[field].get<std::string>().find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Two pages whose file names differ only where a LIKE pattern or a quote
// would blur them; the claim sentences likewise.
class HostileQueryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_ = new TempDir();
    db_ = work_->path() + "/claims.db";
    const std::string odd = "q'u\"o%t_e \xF0\x9F\x98\x80\xE2\x80\x8F\t\x01";
    hostile_path_ = fs::path(work_->path()) / ("page-" + odd + ".html");
    twin_path_ = fs::path(work_->path()) / "page-q'u\"oXtYe \xF0\x9F\x98\x80\xE2\x80\x8F\t\x01.html";
    const std::string fixture =
        ReadFile(fs::path(SourceDir()) / "tests" / "testdata" / "hardening" / "odd-quote.html");
    WriteFile(hostile_path_, fixture);
    std::string twin = fixture;
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"100%_", "100xy"},
                                   {"26万枚", "27万枚"}}) {
      for (size_t at = twin.find(from); at != std::string::npos; at = twin.find(from, at)) {
        twin.replace(at, from.size(), to);
      }
    }
    WriteFile(twin_path_, twin);
    ingest_ = new ProcessResult(RunProcess({NewsclaimBinary(), "--db", db_, "ingest",
                                            hostile_path_.string(), twin_path_.string()}));
  }
  static void TearDownTestSuite() {
    delete ingest_;
    delete work_;
  }

  void SetUp() override {
    ASSERT_EQ(ingest_->exit_code, 0) << ingest_->err;
    ASSERT_EQ(Count(db_, "SELECT count(*) FROM pages"), 2);
  }

  static ProcessResult Query(std::vector<std::string> args) {
    args.insert(args.begin(), {NewsclaimBinary(), "--db", db_, "query", "--format", "jsonl"});
    return RunProcess(args);
  }

  static TempDir* work_;
  static std::string db_;
  static fs::path hostile_path_;
  static fs::path twin_path_;
  static ProcessResult* ingest_;
};

TempDir* HostileQueryTest::work_ = nullptr;
std::string HostileQueryTest::db_;
fs::path HostileQueryTest::hostile_path_;
fs::path HostileQueryTest::twin_path_;
ProcessResult* HostileQueryTest::ingest_ = nullptr;

TEST_F(HostileQueryTest, UrlFilterWithQuotesWildcardsEmojiAndControlsFindsExactlyThatPage) {
  const std::string url = FileUrl(hostile_path_);
  ASSERT_EQ(Count(db_, "SELECT count(*) FROM pages WHERE url = ?1", {url}), 1)
      << "the page is not stored under its raw file URL";
  ProcessResult result = Query({"--url", url});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> claims = JsonLines(result.out);
  ASSERT_FALSE(claims.empty()) << "the fixture's claim was not found";
  for (const json& claim : claims) EXPECT_EQ(claim["url"], url);
  EXPECT_EQ(claims.size(),
            static_cast<size_t>(Count(db_, "SELECT count(*) FROM v_claims WHERE url = ?1", {url})));
}

TEST_F(HostileQueryTest, ContainsFilterTakesPercentAndUnderscoreLiterally) {
  ProcessResult literal = Query({"--contains", "100%_"});
  ASSERT_EQ(literal.exit_code, 0) << literal.err;
  std::vector<json> claims = JsonLines(literal.out);
  ASSERT_FALSE(claims.empty());
  for (const json& claim : claims) EXPECT_EQ(claim["url"], FileUrl(hostile_path_));
  // As LIKE patterns both would also match the twin's "100xy".
  for (const char* pattern : {"100__", "100%", "100_"}) {
    ProcessResult result = Query({"--contains", pattern});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (const json& claim : JsonLines(result.out)) {
      EXPECT_TRUE(Mentions(claim, pattern)) << pattern << ": " << claim.dump();
    }
  }
  ProcessResult twin = Query({"--contains", "100xy"});
  ASSERT_EQ(twin.exit_code, 0) << twin.err;
  ASSERT_FALSE(JsonLines(twin.out).empty());
  for (const json& claim : JsonLines(twin.out)) EXPECT_EQ(claim["url"], FileUrl(twin_path_));
}

TEST_F(HostileQueryTest, QuoteWithQuotesAndEmojiRoundTripsThroughJsonl) {
  ProcessResult result = Query({"--url", FileUrl(hostile_path_)});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> claims = JsonLines(result.out);
  ASSERT_FALSE(claims.empty());
  bool found = false;
  for (const json& claim : claims) {
    const std::string quote = claim["quote"];
    if (quote.find("26万枚") == std::string::npos) continue;
    found = true;
    EXPECT_THAT(quote, HasSubstr("'\"100%_\""));
    EXPECT_THAT(quote, HasSubstr("\xF0\x9F\x98\x80"));
  }
  EXPECT_TRUE(found) << result.out;
}

TEST_F(HostileQueryTest, EveryTextFilterBindsOddStringsAsPlainValues) {
  const int64_t claims_before = Count(db_, "SELECT count(*) FROM claims");
  ASSERT_GT(claims_before, 0);
  // The fixture's quotes hold ', ", %, _ and an emoji: --contains finds
  // exactly the claims that hold the string.
  bool contains_found_some = false;
  for (const std::string& odd : OddStrings()) {
    ProcessResult contains = Query({"--contains", odd});
    EXPECT_EQ(contains.exit_code, 0) << odd << ": " << contains.err;
    for (const json& claim : JsonLines(contains.out)) {
      EXPECT_TRUE(Mentions(claim, odd)) << odd << ": " << claim.dump();
      contains_found_some = true;
    }
    for (const char* flag : {"--subject", "--url", "--kind", "--product", "--counterparty",
                             "--site", "--lang", "--status", "--rule"}) {
      ProcessResult result = Query({flag, odd});
      // A value that names nothing finds nothing; a flag that takes a
      // closed set may reject it as a usage error. Never an SQL error.
      EXPECT_THAT(result.exit_code, AnyOf(Eq(0), Eq(2))) << flag << " " << odd << ": "
                                                         << result.err;
      EXPECT_THAT(result.err, ::testing::Not(HasSubstr("sqlite"))) << flag << " " << odd;
      if (result.exit_code == 0) {
        EXPECT_THAT(JsonLines(result.out), ::testing::IsEmpty()) << flag << " " << odd;
      }
    }
    for (const char* flag : {"--since", "--until"}) {
      ProcessResult result = Query({flag, odd});
      EXPECT_EQ(result.exit_code, 2) << flag << " " << odd;
      EXPECT_THAT(result.err, HasSubstr("expected YYYY-MM-DD")) << flag << " " << odd;
    }
  }
  EXPECT_TRUE(contains_found_some);
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM claims"), claims_before);
  EXPECT_EQ(Rows(db_, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// ---- one endless sentence ------------------------------------------------------------

// A page whose article is one sentence of 2,000 supply deals joined by 、
// (about 100 KB). Claim assembly used to take time cubic in the figures of
// a sentence: 56 s for 400 deals, and no end in sight for 2,000. Now the
// sentence is cut into pieces of at most 2,000 code points (at a 、) and
// each piece's figures share one scan of its topics.
TEST(HostileSentenceTest, IngestOfOneSentenceOfTwoThousandDealsEndsAndKeepsEveryFigure) {
  constexpr int kDeals = 2000;
  constexpr int kTimeoutSeconds = 120;  // a few seconds in a Debug build
  TempDir work;
  std::string sentence;
  for (int i = 0; i < kDeals; ++i) {
    if (i > 0) sentence += "、";
    sentence += "NVIDIAは韓国に" + std::to_string(i % 90 + 1) + "万枚のGPUを供給する";
  }
  const fs::path page = fs::path(work.path()) / "long-sentence.html";
  WriteFile(page,
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
            "<title>長い一文</title></head><body><article><h1>長い一文</h1><p>" +
                sentence + "。</p></article></body></html>");
  ASSERT_GT(fs::file_size(page), 95000u);

  const std::string db = work.path() + "/claims.db";
  const Outcome outcome = RunWithTimeout({NewsclaimBinary(), "--db", db, "ingest", page.string()},
                                         work.path() + "/ingest.log", kTimeoutSeconds);
  ASSERT_FALSE(outcome.timed_out) << "ingest of one long sentence ran past " << kTimeoutSeconds
                                  << " s";
  ASSERT_EQ(outcome.signal, 0) << outcome.log;
  EXPECT_EQ(outcome.exit_code, 0) << outcome.log;
  EXPECT_EQ(Count(db, "SELECT count(*) FROM pages WHERE url = ?1", {FileUrl(page)}), 1);
  // Every deal is a claim about South Korea supplied by NVIDIA: the cuts
  // fall between figures, never through one.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM claims WHERE kind = 'gpu_count' AND "
                      "subject = 'South Korea' AND counterparty = 'NVIDIA'"),
            kDeals);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM claims"), kDeals);
}

TEST(HostileSentenceTest, APagePastTheFigureLimitIsStoredWithAWarningRow) {
  // 5,200 figures in short sentences: past extract::kMaxPageMentions (5,000)
  // the rest of the page is not read, and the store says so.
  constexpr int kFigures = 5200;
  TempDir work;
  std::string text;
  for (int i = 0; i < kFigures; ++i) {
    text += "NVIDIAは韓国に" + std::to_string(i % 90 + 1) + "万枚のGPUを供給する。";
  }
  const fs::path page = fs::path(work.path()) / "many-figures.html";
  WriteFile(page,
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
            "<title>数字の多いページ</title></head><body><article><h1>数字</h1><p>" +
                text + "</p></article></body></html>");
  const std::string db = work.path() + "/claims.db";
  const Outcome outcome = RunWithTimeout({NewsclaimBinary(), "--db", db, "ingest", page.string()},
                                         work.path() + "/ingest.log", 300);
  ASSERT_FALSE(outcome.timed_out);
  ASSERT_EQ(outcome.signal, 0) << outcome.log;
  EXPECT_EQ(outcome.exit_code, 0) << outcome.log;  // a warning is not a failure
  EXPECT_EQ(Count(db, "SELECT count(*) FROM pages WHERE url = ?1", {FileUrl(page)}), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM claims"), 5000);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM failures WHERE url = ?1 AND stage = 'warning' AND "
                  "reason LIKE 'more than 5000 figures: the text from code point % was not "
                  "read for claims'",
                  {FileUrl(page)}),
            1);
  EXPECT_NE(outcome.log.find("more than 5000 figures"), std::string::npos) << outcome.log;
}

// ---- crawl limits at their edges ---------------------------------------------------

// tests/testdata/hardening/serve_limits.py.
class LimitServer : public ScriptServer {
 public:
  LimitServer() : ScriptServer(SourceDir() + "/tests/testdata/hardening/serve_limits.py", {}) {}
};

class CrawlLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GT(server_.port(), 0) << "serve_limits.py did not start"; }

  // Crawls `urls` (depth 0) with the crawl config `config_toml` when given.
  ProcessResult Crawl(const std::vector<std::string>& urls, const std::string& config_toml = "") {
    std::vector<std::string> args = {NewsclaimBinary(), "--db", db_, "crawl", "--depth", "0",
                                     "--delay-ms", "0", "--no-progress"};
    if (!config_toml.empty()) {
      const std::string config = work_.path() + "/crawl.toml";
      WriteFile(config, config_toml);
      args.insert(args.end(), {"--config", config});
    }
    args.insert(args.end(), urls.begin(), urls.end());
    return RunProcess(args);
  }

  std::vector<std::string> FailureReasons(const std::string& url) {
    return Rows(db_, "SELECT reason FROM failures WHERE url = ?1", {url});
  }
  bool Stored(const std::string& url) {
    return Count(db_, "SELECT count(*) FROM pages WHERE requested_url = ?1 OR url = ?1", {url}) > 0;
  }

  LimitServer server_;
  TempDir work_;
  std::string db_ = work_.path() + "/claims.db";
};

TEST_F(CrawlLimitTest, FollowsARedirectChainOfExactlyMaxRedirectsAndRecordsOneMore) {
  const std::string at_limit = server_.Url("/chain/10");
  const std::string past_limit = server_.Url("/chain/11");
  ProcessResult result = Crawl({at_limit, past_limit});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(Stored(at_limit));
  EXPECT_THAT(FailureReasons(at_limit), ::testing::IsEmpty());
  EXPECT_FALSE(Stored(past_limit));
  EXPECT_THAT(FailureReasons(past_limit),
              ::testing::Contains(HasSubstr("too many redirects (more than 10)")));
}

TEST_F(CrawlLimitTest, StoresAPageOfExactlyMaxBodyBytesAndRecordsOneByteMore) {
  constexpr int kMaxBodyBytes = 100000;
  const std::string at_limit = server_.Url("/bytes/" + std::to_string(kMaxBodyBytes));
  const std::string past_limit = server_.Url("/bytes/" + std::to_string(kMaxBodyBytes + 1));
  const std::string config =
      "user_agent = \"newsclaim-test/1 (+https://example.com/contact)\"\n"
      "max_body_bytes = " + std::to_string(kMaxBodyBytes) + "\n"
      "max_retries = 0\n"
      "max_depth = 0\n"
      "delay_ms = 0\n"
      "[[source]]\n"
      "name = \"limits\"\n"
      "start = [\"" + at_limit + "\", \"" + past_limit + "\"]\n";
  ProcessResult result = Crawl({}, config);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(Stored(at_limit));
  EXPECT_EQ(Count(db_, "SELECT length(CAST(html AS BLOB)) FROM pages WHERE url = ?1", {at_limit}),
            kMaxBodyBytes);
  EXPECT_FALSE(Stored(past_limit));
  EXPECT_THAT(FailureReasons(past_limit),
              ::testing::Contains(HasSubstr("body exceeds " + std::to_string(kMaxBodyBytes))));
}

}  // namespace
}  // namespace newsclaim::testing
