// The real build/newsclaim crawling a 127.0.0.1 server that misbehaves on
// purpose (tests/testdata/fetch/serve.py): slow answers, 500, 503 with
// Retry-After, a redirect loop, charset headers that lie, truncated gzip,
// decompression bombs (../shared/data/http-compression), a 50 MB page, a
// robots.txt answering 5xx, a sitemap index naming 50,000 pages and a feed
// that is not XML. One crawl, shared by the tests; each test reads one
// aspect of what it left in the SQLite file. The run must end normally with
// every failure recorded and every good page stored.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/process.h"
#include "tests/testdata/fetch/local_server.h"

namespace newsclaim::testing {
namespace {

using crawler::testing::LocalServer;
namespace fs = std::filesystem;

constexpr const char* kJapanese = "韓国に26万枚のGPUを供給する";
constexpr int kSitemapPagesWanted = 30;

fs::path CompressionSamples() { return fs::path(crawler::testing::SharedDataDir()) / "http-compression"; }
bool HaveCompressionSamples() { return fs::exists(CompressionSamples() / "bomb-gzip.bin"); }

// Rows of a one-column or two-column query, as text.
std::vector<std::vector<std::string>> Query(const std::string& db_path, const std::string& sql,
                                            const std::vector<std::string>& params = {}) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    sqlite3_bind_text(statement, static_cast<int>(i + 1), params[i].c_str(), -1,
                      SQLITE_TRANSIENT);
  }
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int column = 0; column < sqlite3_column_count(statement); ++column) {
      const unsigned char* text = sqlite3_column_text(statement, column);
      row.push_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

class CrawlHostileServerTest : public ::testing::Test {
 protected:
  // What a seed should end as: stored as a page, or recorded as a failure
  // whose reason starts with `failure`.
  struct Case {
    std::string path;
    std::string failure;  // empty: the page is stored
  };

  static std::vector<Case> Cases() {
    std::vector<Case> cases = {
        {"/a.html", ""},
        {"/slow?seconds=2", ""},  // slow, but within the 30 s timeout
        {"/status/500", "HTTP 500"},
        {"/flaky?key=hostile&fail=1&retry_after=1", ""},  // 503 once, then the page
        {"/redirect-loop", "too many redirects (more than 10)"},
        {"/charset-lie/utf8-as-sjis", ""},
        {"/charset-lie/utf8-as-latin1", ""},
        {"/charset-lie/sjis-as-utf8", ""},
        {"/truncated-gzip", "truncated gzip body"},
        {"/truncated-gzip?chunked=1", "truncated gzip body"},
        {"/big?mb=50", "body exceeds 10485760 bytes"},
        {"/not-a-feed.rss", "unreadable feed"},
        {"/sitemap-index-big.xml", ""},  // not a page: leads to pages
    };
    if (HaveCompressionSamples()) {
      for (const char* bomb : {"/encoded/gzip/bomb-gzip.bin", "/encoded/deflate/bomb-deflate.bin",
                               "/encoded/br/bomb-br.bin", "/encoded/zstd/bomb-zstd.bin"}) {
        cases.push_back({bomb, "body exceeds 10485760 bytes"});
      }
      cases.push_back({"/encoded/gzip/unexpected-eof.gz", "truncated gzip body"});
      cases.push_back({"/encoded/gzip/truncated-crc-error.gz", "truncated gzip body"});
    }
    return cases;
  }

  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->path() + "/claims.db";
    std::vector<std::string> server_args;
    if (HaveCompressionSamples()) {
      server_args = {"--encoded-dir", CompressionSamples().string()};
    }
    server_ = new LocalServer("site", server_args);
    robots_5xx_ = new LocalServer("site", {"--robots-status", "500"});
    if (server_->port() == 0 || robots_5xx_->port() == 0) return;

    std::vector<std::string> args = {NewsclaimBinary(), "--db", db_, "crawl", "--depth", "0",
                                     "--delay-ms", "0"};
    // Every seed, the child sitemap, then kSitemapPagesWanted of its 50,000
    // entries: max_pages is what keeps the big sitemap in check.
    const int seeds = static_cast<int>(Cases().size());
    max_pages_ = seeds + 1 + kSitemapPagesWanted;
    args.insert(args.end(), {"--max-pages", std::to_string(max_pages_)});
    for (const Case& test : Cases()) args.push_back(server_->Url(test.path));
    args.push_back(robots_5xx_->Url("/index.html"));
    args.push_back(robots_5xx_->Url("/a.html"));

    const auto start = std::chrono::steady_clock::now();
    crawl_ = new ProcessResult(RunProcess(args));
    crawl_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  static void TearDownTestSuite() {
    delete crawl_;
    delete robots_5xx_;
    delete server_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_NE(server_->port(), 0) << "could not start tests/testdata/fetch/serve.py";
    ASSERT_NE(crawl_, nullptr);
  }

  static std::vector<std::vector<std::string>> Db(const std::string& sql,
                                                  const std::vector<std::string>& params = {}) {
    return Query(db_, sql, params);
  }

  // The failure recorded for `url` (latest), if any.
  static std::optional<std::string> FailureOf(const std::string& url) {
    auto rows = Db("SELECT reason FROM v_failures WHERE url = ?", {url});
    if (rows.empty()) return std::nullopt;
    return rows[0][0];
  }

  static std::optional<std::string> StoredHtml(const std::string& url) {
    auto rows = Db("SELECT html FROM pages WHERE url = ? OR requested_url = ?", {url, url});
    if (rows.empty()) return std::nullopt;
    return rows[0][0];
  }

  static TempDir* dir_;
  static std::string db_;
  static LocalServer* server_;
  static LocalServer* robots_5xx_;
  static ProcessResult* crawl_;
  static double crawl_seconds_;
  static int max_pages_;
};

TempDir* CrawlHostileServerTest::dir_ = nullptr;
std::string CrawlHostileServerTest::db_;
LocalServer* CrawlHostileServerTest::server_ = nullptr;
LocalServer* CrawlHostileServerTest::robots_5xx_ = nullptr;
ProcessResult* CrawlHostileServerTest::crawl_ = nullptr;
double CrawlHostileServerTest::crawl_seconds_ = 0;
int CrawlHostileServerTest::max_pages_ = 0;

TEST_F(CrawlHostileServerTest, EndsNormallyReportingThatSomeInputsFailed) {
  EXPECT_EQ(crawl_->exit_code, 1) << crawl_->err;
  EXPECT_EQ(Db("PRAGMA integrity_check"), (std::vector<std::vector<std::string>>{{"ok"}}));
  // The summary line counts exactly max_pages documents: the 50,000-entry
  // sitemap was capped, and quickly.
  std::smatch fetched;
  ASSERT_TRUE(std::regex_search(crawl_->err, fetched, std::regex(R"(crawl: (\d+) fetched)")))
      << crawl_->err;
  EXPECT_EQ(std::stoi(fetched[1]), max_pages_);
  EXPECT_LT(crawl_seconds_, 60);
}

TEST_F(CrawlHostileServerTest, StoresEveryGoodPageAndRecordsEveryFailure) {
  if (!HaveCompressionSamples()) {
    std::printf("note: %s absent; the decompression-bomb cases are left out\n",
                CompressionSamples().c_str());
  }
  for (const Case& test : Cases()) {
    const std::string url = server_->Url(test.path);
    if (test.path == "/sitemap-index-big.xml") continue;  // a listing, not a page
    const std::optional<std::string> failure = FailureOf(url);
    const std::optional<std::string> html = StoredHtml(url);
    if (test.failure.empty()) {
      EXPECT_TRUE(html.has_value()) << url << " not stored";
      EXPECT_FALSE(failure.has_value()) << url << ": " << *failure;
    } else {
      EXPECT_FALSE(html.has_value()) << url << " stored although it should fail";
      ASSERT_TRUE(failure.has_value()) << url << ": no failure recorded";
      EXPECT_EQ(failure->rfind(test.failure, 0), 0u) << url << ": " << *failure;
    }
  }
}

TEST_F(CrawlHostileServerTest, StoresThePageA503GaveAfterRetryAfter) {
  const std::optional<std::string> html =
      StoredHtml(server_->Url("/flaky?key=hostile&fail=1&retry_after=1"));
  ASSERT_TRUE(html.has_value());
  EXPECT_NE(html->find("flaky hostile served"), std::string::npos);
  // Asked twice: once answered 503, once the page.
  LocalServer& server = *server_;
  ProcessResult count =
      RunProcess({"python3", "-c",
                  "import urllib.request,sys;"
                  "print(urllib.request.urlopen(sys.argv[1]).read().decode())",
                  server.Url("/requests?key=hostile")});
  EXPECT_EQ(count.out, "2\n");
}

TEST_F(CrawlHostileServerTest, DecodesPagesWhoseCharsetHeaderLies) {
  const struct {
    const char* path;
    const char* charset;  // what the bytes really are
  } kCases[] = {
      {"/charset-lie/utf8-as-sjis", "utf-8"},    // header: shift_jis
      {"/charset-lie/utf8-as-latin1", "utf-8"},  // header: iso-8859-1
      {"/charset-lie/sjis-as-utf8", "shift_jis"},  // header: utf-8; <meta>: shift_jis
  };
  for (const auto& test : kCases) {
    const std::string url = server_->Url(test.path);
    const std::optional<std::string> html = StoredHtml(url);
    ASSERT_TRUE(html.has_value()) << test.path;
    EXPECT_NE(html->find(kJapanese), std::string::npos) << test.path << ": " << *html;
    auto charsets = Db("SELECT charset FROM pages WHERE url = ?", {url});
    ASSERT_EQ(charsets.size(), 1u);
    EXPECT_EQ(charsets[0][0], test.charset) << test.path;
  }
}

TEST_F(CrawlHostileServerTest, FetchesNothingFromAHostWhoseRobotsTxtAnswers5xx) {
  EXPECT_EQ(FailureOf(robots_5xx_->Url("/robots.txt")),
            "robots.txt: HTTP 500, treated as disallow-all");
  auto stored = Db("SELECT count(*) FROM pages WHERE url LIKE ?",
                   {"http://" + robots_5xx_->authority() + "/%"});
  EXPECT_EQ(stored[0][0], "0");
}

TEST_F(CrawlHostileServerTest, CapsTheBigSitemapAtMaxPages) {
  auto pages = Db("SELECT count(*) FROM pages WHERE url LIKE ?",
                  {server_->Url("/sitemap-page/%")});
  EXPECT_EQ(pages[0][0], std::to_string(kSitemapPagesWanted));
  // The first entries, in sitemap order.
  EXPECT_TRUE(StoredHtml(server_->Url("/sitemap-page/0.html")).has_value());
  EXPECT_TRUE(
      StoredHtml(server_->Url("/sitemap-page/" + std::to_string(kSitemapPagesWanted - 1) + ".html"))
          .has_value());
  EXPECT_FALSE(
      StoredHtml(server_->Url("/sitemap-page/" + std::to_string(kSitemapPagesWanted) + ".html"))
          .has_value());
}

TEST_F(CrawlHostileServerTest, RecordsEachFailureOnce) {
  auto repeated = Db("SELECT url, attempts FROM v_failures WHERE attempts > 1");
  EXPECT_TRUE(repeated.empty()) << repeated[0][0] << " recorded " << repeated[0][1] << " times";
  // Failures are only the expected ones: each failing case, and robots.txt.
  int expected = 1;
  for (const Case& test : Cases()) expected += test.failure.empty() ? 0 : 1;
  EXPECT_EQ(Db("SELECT count(*) FROM v_failures")[0][0], std::to_string(expected));
}

}  // namespace
}  // namespace newsclaim::testing
