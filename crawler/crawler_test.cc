#include "crawler/crawler.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "crawler/url.h"
#include "tests/testdata/fetch/local_server.h"

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::LocalServer;

// Plays app/'s part: records every callback and returns a page's hrefs
// (resolved against the page URL) as its links.
class RecordingHandler : public CrawlHandler {
 public:
  std::optional<PreviousFetch> Previous(const std::string& url) override {
    auto found = previous.find(url);
    if (found == previous.end()) return std::nullopt;
    return found->second;
  }
  std::vector<std::string> OnPage(const Page& page) override {
    pages.push_back(page);
    std::vector<std::string> links;
    std::optional<Url> base = ParseUrl(page.url);
    static const std::regex kHref(R"re(href="([^"]*)")re");
    for (std::sregex_iterator it(page.html.begin(), page.html.end(), kHref), end; it != end;
         ++it) {
      std::optional<Url> link = ResolveUrl(*base, (*it)[1].str());
      if (link) links.push_back(link->ToString());
    }
    return links;
  }
  void OnUnchanged(const std::string& url) override { unchanged.push_back(url); }
  void OnFailure(const std::string& url, const std::string& reason) override {
    failures[url] = reason;
  }
  void OnWarning(const std::string& url, const std::string& warning) override {
    warnings[url].push_back(warning);
  }
  void OnProgress(const CrawlStats& stats, const std::string&) override {
    last_progress = stats;
    ++progress_calls;
  }

  bool HasPage(const std::string& url) const {
    return std::any_of(pages.begin(), pages.end(),
                       [&](const Page& page) { return page.url == url; });
  }
  // Validators of every page seen, keyed as the crawler asks for them.
  std::map<std::string, PreviousFetch> Validators() const {
    std::map<std::string, PreviousFetch> out;
    for (const Page& page : pages) {
      out[page.url] = {page.etag, page.last_modified, page.content_hash};
    }
    return out;
  }

  std::map<std::string, PreviousFetch> previous;
  std::vector<Page> pages;
  std::vector<std::string> unchanged;
  std::map<std::string, std::string> failures;
  std::map<std::string, std::vector<std::string>> warnings;
  CrawlStats last_progress;
  int progress_calls = 0;
};

// Wraps a real fetcher and remembers each request and when it ran.
class RecordingFetcher : public Fetcher {
 public:
  explicit RecordingFetcher(Fetcher& inner) : inner_(inner) {}
  struct Call {
    FetchRequest request;
    Clock::time_point start, end;
  };
  FetchResponse Fetch(const FetchRequest& request) override {
    Call call{request, Clock::now(), {}};
    FetchResponse response = inner_.Fetch(request);
    call.end = Clock::now();
    calls.push_back(call);
    return response;
  }
  int CountPath(const std::string& suffix) const {
    return static_cast<int>(std::count_if(calls.begin(), calls.end(), [&](const Call& call) {
      return call.request.url.ends_with(suffix);
    }));
  }
  int IndexOf(const std::string& suffix) const {
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].request.url.ends_with(suffix)) return static_cast<int>(i);
    }
    return -1;
  }
  std::vector<Call> calls;

 private:
  Fetcher& inner_;
};

// Answers from a table, like a tiny web; anything else is a 404.
class FakeFetcher : public Fetcher {
 public:
  void Add(const std::string& url, std::string body, std::string content_type = "text/html",
           std::string final_url = "") {
    FetchResponse response;
    response.http_status = 200;
    response.final_url = final_url.empty() ? url : final_url;
    response.content_type = std::move(content_type);
    response.body = std::move(body);
    table_[url] = std::move(response);
  }
  // `url` answers with `status` and no body.
  void AddStatus(const std::string& url, int status) {
    FetchResponse response;
    response.http_status = status;
    response.final_url = url;
    table_[url] = std::move(response);
  }
  int Count(const std::string& url) const {
    return static_cast<int>(std::count(requested.begin(), requested.end(), url));
  }
  FetchResponse Fetch(const FetchRequest& request) override {
    requested.push_back(request.url);
    auto found = table_.find(request.url);
    if (found != table_.end()) return found->second;
    FetchResponse missing;
    missing.http_status = 404;
    missing.final_url = request.url;
    return missing;
  }
  std::vector<std::string> requested;

 private:
  std::map<std::string, FetchResponse> table_;
};

// Runs started transfers in the order they were started, but only when
// Wait() is called, one per call, so the crawl keeps as many in flight as
// it is allowed to; records how many that was.
class ConcurrentFakeFetcher : public FakeFetcher {
 public:
  void Start(uint64_t id, FetchRequest request) override {
    const std::string host = ParseUrl(request.url)->Authority();
    started_.push_back({id, std::move(request)});
    max_in_flight = std::max(max_in_flight, started_.size());
    max_per_host = std::max(max_per_host, ++per_host_[host]);
  }
  std::vector<FetchResult> Wait(int64_t) override {
    if (started_.empty()) return {};
    FetchResult result{started_.front().id, Fetch(started_.front().request)};
    --per_host_[ParseUrl(started_.front().request.url)->Authority()];
    started_.pop_front();
    std::vector<FetchResult> done;
    done.push_back(std::move(result));
    return done;
  }
  void Cancel() override {
    cancelled += static_cast<int>(started_.size());
    started_.clear();
  }
  size_t max_in_flight = 0;
  int max_per_host = 0;
  int cancelled = 0;

 private:
  struct Started {
    uint64_t id;
    FetchRequest request;
  };
  std::deque<Started> started_;
  std::map<std::string, int> per_host_;
};

// An in-memory FrontierStore that logs every call, and can be told to fail.
class FakeFrontierStore : public FrontierStore {
 public:
  StatusOr<Resume> Load() override {
    log.push_back("load");
    if (fail_load) return IoError("frontier: cannot read");
    return resume;
  }
  Status Enqueue(const std::vector<FrontierItem>& items) override {
    ++enqueue_calls;
    for (const FrontierItem& item : items) {
      log.push_back("enqueue " + item.url);
      EXPECT_FALSE(queued.contains(item.url)) << "enqueued twice: " << item.url;
      queued[item.url] = item;
    }
    return Status::Ok();
  }
  Status MarkDone(std::string_view url, std::string_view outcome) override {
    log.push_back("done " + std::string(url));
    done[std::string(url)] = std::string(outcome);
    if (++mark_done_calls == fail_mark_done_at) return IoError("frontier: disk full");
    return Status::Ok();
  }
  Status Complete() override {
    log.push_back("complete");
    ++complete_calls;
    return Status::Ok();
  }

  // Position of `entry` in the log, or -1.
  int Position(const std::string& entry) const {
    auto found = std::find(log.begin(), log.end(), entry);
    return found == log.end() ? -1 : static_cast<int>(found - log.begin());
  }

  Resume resume;
  bool fail_load = false;
  int fail_mark_done_at = 0;  // the n-th MarkDone fails; 0: none
  std::vector<std::string> log;
  std::map<std::string, FrontierItem> queued;
  std::map<std::string, std::string> done;  // url -> outcome
  int enqueue_calls = 0, mark_done_calls = 0, complete_calls = 0;
};

CrawlOptions FastOptions() {
  CrawlOptions options;
  options.per_host_delay_ms = 0;
  return options;
}

// A real fetcher that makes no retries: tests of the loop need not wait.
std::unique_ptr<CurlFetcher> QuickFetcher() {
  FetcherOptions options;
  options.max_retries = 0;
  StatusOr<std::unique_ptr<CurlFetcher>> fetcher = CurlFetcher::Create(options);
  EXPECT_TRUE(fetcher.ok()) << fetcher.status().ToString();
  return std::move(fetcher).value();
}

class CrawlerServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(server_.port(), 0) << "could not start tests/testdata/fetch/serve.py";
    curl_ = QuickFetcher();
    recorder_ = std::make_unique<RecordingFetcher>(*curl_);
  }

  CrawlStats Crawl(const CrawlOptions& options, const std::vector<std::string>& seeds) {
    Crawler crawler(options, *recorder_, handler_);
    StatusOr<CrawlStats> stats = crawler.Run(seeds);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() ? *stats : CrawlStats{};
  }

  LocalServer server_{"site"};
  std::unique_ptr<CurlFetcher> curl_;
  std::unique_ptr<RecordingFetcher> recorder_;
  RecordingHandler handler_;
};

TEST_F(CrawlerServerTest, FollowsSameSiteLinksBreadthFirstToMaxDepth) {
  CrawlOptions options = FastOptions();
  options.max_depth = 2;
  CrawlStats stats = Crawl(options, {server_.Url("/index.html")});

  EXPECT_TRUE(handler_.HasPage(server_.Url("/index.html")));
  EXPECT_TRUE(handler_.HasPage(server_.Url("/a.html")));       // depth 1
  EXPECT_TRUE(handler_.HasPage(server_.Url("/deep/c.html")));  // depth 2
  EXPECT_FALSE(handler_.HasPage(server_.Url("/deep/d.html")));  // depth 3
  EXPECT_EQ(recorder_->CountPath("/deep/d.html"), 0);
  // Breadth-first: every depth-1 page before any depth-2 page.
  EXPECT_LT(recorder_->IndexOf("/index.html"), recorder_->IndexOf("/a.html"));
  EXPECT_LT(recorder_->IndexOf("/a.html"), recorder_->IndexOf("/deep/c.html"));
  EXPECT_LT(recorder_->IndexOf("/feed.rss"), recorder_->IndexOf("/deep/c.html"));
  // "a.html#section" is the same canonical URL as "a.html".
  EXPECT_EQ(recorder_->CountPath("/a.html"), 1);
  EXPECT_EQ(stats.off_site, 1);  // elsewhere.invalid
  EXPECT_EQ(recorder_->CountPath("/page.html"), 0);
  EXPECT_GE(stats.filtered, 1);  // the PDF link
  EXPECT_EQ(recorder_->CountPath("/files/report.pdf"), 0);
  EXPECT_TRUE(handler_.failures.empty());
  EXPECT_EQ(stats.failed, 0);
  EXPECT_EQ(stats.pages, static_cast<int>(handler_.pages.size()));
  EXPECT_EQ(handler_.progress_calls, stats.fetched);
}

TEST_F(CrawlerServerTest, ObeysRobotsTxtDisallowAndFetchesItOncePerHost) {
  CrawlStats stats = Crawl(FastOptions(), {server_.Url("/index.html")});
  EXPECT_EQ(recorder_->CountPath("/robots.txt"), 1);
  EXPECT_EQ(recorder_->IndexOf("/robots.txt"), 0);
  EXPECT_EQ(recorder_->CountPath("/private/secret.html"), 0);
  EXPECT_EQ(stats.robots_denied, 1);
  EXPECT_EQ(stats.robots_files, 1);
  EXPECT_TRUE(handler_.failures.empty());
}

TEST(CrawlerRobotsTest, ReadsTheSitemapThatRobotsTxtDeclares) {
  LocalServer server("site", {"--robots-file", "robots-sitemap.txt"});
  ASSERT_NE(server.port(), 0);
  auto curl = QuickFetcher();
  RecordingFetcher recorder(*curl);
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_depth = 0;  // no page links: from-sitemap.html can only come from the sitemap
  StatusOr<CrawlStats> stats = Crawler(options, recorder, handler).Run({server.Url("/index.html")});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(recorder.CountPath("/sitemap.xml"), 1);
  EXPECT_EQ(stats->sitemaps, 1);
  EXPECT_TRUE(handler.HasPage(server.Url("/from-sitemap.html")));
  EXPECT_FALSE(handler.HasPage(server.Url("/a.html")));
  // The group for "newsclaim" applies, not "otherbot"'s Disallow: /.
  EXPECT_TRUE(handler.HasPage(server.Url("/index.html")));
  EXPECT_EQ(stats->robots_denied, 0);
}

TEST_F(CrawlerServerTest, FollowsTheEntriesOfASeedFeed) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  CrawlStats stats = Crawl(options, {server_.Url("/feed.rss")});
  EXPECT_EQ(stats.feeds, 1);
  EXPECT_TRUE(handler_.HasPage(server_.Url("/from-feed.html")));
  EXPECT_FALSE(handler_.HasPage(server_.Url("/feed.rss")));  // a feed is not a page
}

TEST_F(CrawlerServerTest, RevalidatesOnTheSecondRunAndReportsUnchangedPages) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  Crawl(options, {server_.Url("/a.html")});
  ASSERT_EQ(handler_.pages.size(), 1u);
  const Page first = handler_.pages[0];
  EXPECT_FALSE(first.etag.empty());
  EXPECT_EQ(first.content_hash.size(), 16u);

  RecordingHandler second_run;
  second_run.previous = handler_.Validators();
  RecordingFetcher recorder(*curl_);
  Crawler crawler(options, recorder, second_run);
  StatusOr<CrawlStats> stats = crawler.Run({server_.Url("/a.html")});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(second_run.pages.empty());
  EXPECT_EQ(second_run.unchanged, std::vector<std::string>{server_.Url("/a.html")});
  EXPECT_EQ(stats->unchanged, 1);
  const int index = recorder.IndexOf("/a.html");
  ASSERT_GE(index, 0);
  EXPECT_EQ(recorder.calls[index].request.if_none_match, first.etag);
  EXPECT_EQ(recorder.calls[index].request.if_modified_since, first.last_modified);
}

TEST_F(CrawlerServerTest, TreatsTheSameContentHashAsUnchangedWithoutValidators) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  Crawl(options, {server_.Url("/a.html")});
  ASSERT_EQ(handler_.pages.size(), 1u);

  RecordingHandler second_run;
  second_run.previous[server_.Url("/a.html")] = {"", "", handler_.pages[0].content_hash};
  Crawler crawler(options, *recorder_, second_run);
  ASSERT_TRUE(crawler.Run({server_.Url("/a.html")}).ok());
  EXPECT_TRUE(second_run.pages.empty());
  EXPECT_EQ(second_run.unchanged.size(), 1u);
}

TEST_F(CrawlerServerTest, WaitsThePerHostDelayBetweenRequests) {
  CrawlOptions options;
  options.per_host_delay_ms = 250;
  options.max_depth = 1;
  options.max_pages = 3;
  Crawl(options, {server_.Url("/index.html")});
  ASSERT_GE(recorder_->calls.size(), 3u);  // robots.txt + 3 documents
  for (size_t i = 1; i < recorder_->calls.size(); ++i) {
    const auto gap = recorder_->calls[i].start - recorder_->calls[i - 1].end;
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(gap).count(), 250)
        << "before " << recorder_->calls[i].request.url;
  }
}

TEST_F(CrawlerServerTest, ReadsAGzippedSitemap) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  CrawlStats stats = Crawl(options, {server_.Url("/sitemap-gz.xml.gz")});
  EXPECT_EQ(stats.sitemaps, 1);
  EXPECT_TRUE(handler_.HasPage(server_.Url("/deep/d.html")));
}

TEST(CrawlerRobotsTest, WaitsTheCrawlDelayWhenItIsLongerThanTheHostDelay) {
  LocalServer server("site", {"--robots-file", "robots-delay.txt"});  // Crawl-delay: 1
  ASSERT_NE(server.port(), 0);
  auto curl = QuickFetcher();
  RecordingFetcher recorder(*curl);
  RecordingHandler handler;
  CrawlOptions options = FastOptions();  // per_host_delay_ms = 0
  options.max_pages = 2;
  ASSERT_TRUE(Crawler(options, recorder, handler).Run({server.Url("/index.html")}).ok());
  ASSERT_EQ(recorder.calls.size(), 3u);  // robots.txt + 2 documents
  for (size_t i = 1; i < recorder.calls.size(); ++i) {
    const auto gap = recorder.calls[i].start - recorder.calls[i - 1].end;
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(gap).count(), 1000)
        << "before " << recorder.calls[i].request.url;
  }
}

TEST_F(CrawlerServerTest, StopsAtMaxPages) {
  CrawlOptions options = FastOptions();
  options.max_pages = 2;
  CrawlStats stats = Crawl(options, {server_.Url("/index.html")});
  EXPECT_EQ(stats.fetched, 2);
  EXPECT_EQ(static_cast<int>(recorder_->calls.size()) - recorder_->CountPath("/robots.txt"), 2);
}

TEST_F(CrawlerServerTest, DecodesAShiftJisPageToUtf8) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  Crawl(options, {server_.Url("/ja-sjis.html")});
  ASSERT_EQ(handler_.pages.size(), 1u);
  EXPECT_EQ(handler_.pages[0].charset, "shift_jis");
  EXPECT_NE(handler_.pages[0].html.find("韓国に26万枚のGPUを供給する"), std::string::npos);
}

TEST_F(CrawlerServerTest, ReportsEachFailedDocumentWithAReason) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  CrawlStats stats = Crawl(options, {server_.Url("/no-such-page.html"),
                                     server_.Url("/files/report.pdf"),
                                     server_.Url("/status/503")});
  EXPECT_EQ(handler_.failures[server_.Url("/no-such-page.html")], "HTTP 404");
  EXPECT_EQ(handler_.failures[server_.Url("/files/report.pdf")],
            "not a page: content type application/pdf");
  EXPECT_EQ(handler_.failures[server_.Url("/status/503")], "HTTP 503");
  EXPECT_EQ(stats.failed, 3);
  EXPECT_EQ(stats.fetched, 3);
}

TEST_F(CrawlerServerTest, ReportsATimeoutFromTheFetcher) {
  FetcherOptions fetcher_options;
  fetcher_options.total_timeout_ms = 300;
  fetcher_options.max_retries = 0;
  auto impatient = std::move(CurlFetcher::Create(fetcher_options)).value();
  Crawler crawler(FastOptions(), *impatient, handler_);
  StatusOr<CrawlStats> stats = crawler.Run({server_.Url("/slow?seconds=3")});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(handler_.failures[server_.Url("/slow?seconds=3")], "timeout after 300 ms");
}

TEST_F(CrawlerServerTest, FollowsARedirectAndReportsBothUrls) {
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  Crawl(options, {server_.Url("/redirect?to=/a.html"), server_.Url("/a.html")});
  ASSERT_EQ(handler_.pages.size(), 1u);
  EXPECT_EQ(handler_.pages[0].url, server_.Url("/a.html"));
  EXPECT_EQ(handler_.pages[0].requested_url, server_.Url("/redirect?to=/a.html"));
  // Reached through the redirect, so the seed /a.html is not fetched again.
  EXPECT_EQ(std::count_if(recorder_->calls.begin(), recorder_->calls.end(),
                          [&](const RecordingFetcher::Call& call) {
                            return call.request.url == server_.Url("/a.html");
                          }),
            0);
}

// Reads the record whose gzip member starts at `offset`.
std::string ReadWarcRecord(const std::string& path, int64_t offset) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string file = buffer.str();
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data() + offset));
  stream.avail_in = static_cast<uInt>(file.size() - offset);
  std::string out;
  char chunk[16384];
  int code = Z_OK;
  while (code == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    code = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  inflateEnd(&stream);
  return code == Z_STREAM_END ? out : "";
}

TEST_F(CrawlerServerTest, KeepsEveryExchangeInWarcIncludingRobotsTxt) {
  std::string pattern = (fs::temp_directory_path() / "crawler_test_XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  options.warc_dir = dir / "warc";
  Crawl(options, {server_.Url("/a.html")});

  ASSERT_EQ(handler_.pages.size(), 1u);
  const Page& page = handler_.pages[0];
  ASSERT_FALSE(page.warc_path.empty());
  EXPECT_EQ(fs::path(page.warc_path).parent_path(), dir / "warc");
  const std::string record = ReadWarcRecord(page.warc_path, page.warc_offset);
  EXPECT_EQ(record.rfind("WARC/1.1\r\n", 0), 0u);
  EXPECT_NE(record.find("WARC-Type: response\r\n"), std::string::npos);
  EXPECT_NE(record.find("WARC-Target-URI: " + page.url + "\r\n"), std::string::npos);
  EXPECT_NE(record.find("\r\n\r\n" + page.html + "\r\n\r\n"), std::string::npos);

  std::ifstream in(page.warc_path, std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int records = 0;
  bool saw_robots = false;
  for (int64_t offset = 0; offset < static_cast<int64_t>(file.size());) {
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    stream.next_in = reinterpret_cast<Bytef*>(file.data() + offset);
    stream.avail_in = static_cast<uInt>(file.size() - offset);
    std::string text(1 << 20, '\0');
    stream.next_out = reinterpret_cast<Bytef*>(text.data());
    stream.avail_out = static_cast<uInt>(text.size());
    ASSERT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END) << "member at " << offset;
    text.resize(stream.total_out);
    offset += static_cast<int64_t>(stream.total_in);
    inflateEnd(&stream);
    ++records;
    if (text.find("WARC-Target-URI: " + server_.Url("/robots.txt")) != std::string::npos) {
      saw_robots = true;
    }
  }
  // warcinfo, then a response and a request record per request (robots.txt included).
  EXPECT_EQ(records, 1 + 2 * static_cast<int>(recorder_->calls.size()));
  EXPECT_TRUE(saw_robots);
  fs::remove_all(dir);
}

TEST(CrawlerRobotsTest, FetchesNothingWhenRobotsTxtAnswers503) {
  LocalServer server("site", {"--robots-status", "503"});
  ASSERT_NE(server.port(), 0);
  auto curl = QuickFetcher();
  RecordingFetcher recorder(*curl);
  RecordingHandler handler;
  Crawler crawler(FastOptions(), recorder, handler);
  StatusOr<CrawlStats> stats = crawler.Run({server.Url("/index.html")});
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(recorder.calls.size(), 1u);
  EXPECT_EQ(recorder.calls[0].request.url, server.Url("/robots.txt"));
  EXPECT_EQ(stats->fetched, 0);
  EXPECT_EQ(stats->robots_denied, 1);
  EXPECT_TRUE(handler.pages.empty());
  EXPECT_EQ(handler.failures[server.Url("/robots.txt")],
            "robots.txt: HTTP 503, treated as disallow-all");
}

TEST(CrawlerRobotsTest, FetchesEverythingWhenRobotsTxtAnswers404) {
  LocalServer server("site", {"--robots-status", "404"});
  ASSERT_NE(server.port(), 0);
  auto curl = QuickFetcher();
  RecordingHandler handler;
  Crawler crawler(FastOptions(), *curl, handler);
  StatusOr<CrawlStats> stats = crawler.Run({server.Url("/private/secret.html")});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(handler.HasPage(server.Url("/private/secret.html")));
  EXPECT_EQ(stats->robots_denied, 0);
}

// --- The crawl loop against a fake web (no sockets) ------------------------

TEST(CrawlerFakeWebTest, ReadsASitemapIndexChildAtTheSameDepth) {
  FakeFetcher web;
  web.Add("https://a.example/sitemap-index.xml",
          R"(<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
             <sitemap><loc>https://a.example/sitemap-news.xml</loc></sitemap></sitemapindex>)",
          "application/xml");
  web.Add("https://a.example/sitemap-news.xml",
          R"(<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
             <url><loc>https://a.example/news/1.html</loc></url></urlset>)",
          "application/xml");
  web.Add("https://a.example/news/1.html",
          "<html><body><a href=\"https://a.example/news/2.html\">next</a></body></html>");
  web.Add("https://a.example/news/2.html", "<html><body>two</body></html>");
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_depth = 1;
  // Patterns apply to pages, not to the sitemaps that lead to them.
  options.allow_patterns = {"https://a.example/news/*"};
  Crawler crawler(options, web, handler);
  StatusOr<CrawlStats> stats = crawler.Run({"https://a.example/sitemap-index.xml"});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->sitemaps, 2);
  // news/1 is at depth 1 (index 0 -> child sitemap 0 -> entry 1), so its
  // link would be depth 2: not followed.
  EXPECT_TRUE(handler.HasPage("https://a.example/news/1.html"));
  EXPECT_FALSE(handler.HasPage("https://a.example/news/2.html"));
}

TEST(CrawlerFakeWebTest, AppliesDenyAndAllowPatternsToDiscoveredLinks) {
  FakeFetcher web;
  web.Add("https://a.example/",
          "<html><body><a href=\"/news/1.html\">1</a><a href=\"/news/tag/x.html\">t</a>"
          "<a href=\"/about.html\">about</a></body></html>");
  web.Add("https://a.example/news/1.html", "<html><body>one</body></html>");
  web.Add("https://a.example/news/tag/x.html", "<html><body>tag</body></html>");
  web.Add("https://a.example/about.html", "<html><body>about</body></html>");
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.allow_patterns = {"https://a.example/news/*"};
  options.deny_patterns = {"/tag/"};
  Crawler crawler(options, web, handler);
  StatusOr<CrawlStats> stats = crawler.Run({"https://a.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(handler.HasPage("https://a.example/"));  // seeds are not filtered
  EXPECT_TRUE(handler.HasPage("https://a.example/news/1.html"));
  EXPECT_FALSE(handler.HasPage("https://a.example/news/tag/x.html"));
  EXPECT_FALSE(handler.HasPage("https://a.example/about.html"));
  EXPECT_EQ(stats->filtered, 2);
}

TEST(CrawlerFakeWebTest, DropsAPageWhoseContentWasAlreadyHandled) {
  FakeFetcher web;
  web.Add("https://a.example/", "<html><body><a href=\"/print\">print</a></body></html>");
  web.Add("https://a.example/print", "<html><body><a href=\"/print\">print</a></body></html>");
  RecordingHandler handler;
  Crawler crawler(FastOptions(), web, handler);
  StatusOr<CrawlStats> stats = crawler.Run({"https://a.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(handler.pages.size(), 1u);
  EXPECT_EQ(stats->duplicates, 1);
  EXPECT_EQ(stats->fetched, 2);
}

TEST(CrawlerFakeWebTest, RejectsUnusableOptionsAndSeeds) {
  FakeFetcher web;
  RecordingHandler handler;
  EXPECT_EQ(Crawler(FastOptions(), web, handler).Run({}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Crawler(FastOptions(), web, handler).Run({"ftp://a.example/"}).status().code(),
            StatusCode::kInvalidArgument);
  CrawlOptions no_pages = FastOptions();
  no_pages.max_pages = 0;
  EXPECT_EQ(Crawler(no_pages, web, handler).Run({"https://a.example/"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(web.requested.empty());
}

TEST(CrawlerFakeWebTest, StopsWithIoErrorWhenTheWarcFileCannotBeCreated) {
  std::string pattern = (fs::temp_directory_path() / "crawler_test_XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  std::ofstream(dir / "not-a-dir") << "x";
  FakeFetcher web;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.warc_dir = dir / "not-a-dir" / "warc";
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://a.example/"});
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(web.requested.empty());
  fs::remove_all(dir);
}

TEST(CrawlerFakeWebTest, LetsTheMetaCharsetWinWhenAUtf8HeaderLiesAboutLegacyBytes) {
  // "韓国" in CP932 is 8A D8 8D 91: not UTF-8.
  const std::string sjis = "\x8a\xd8\x8d\x91";
  FakeFetcher web;
  web.Add("https://a.example/meta",
          "<html><head><meta charset=\"shift_jis\"></head><body>" + sjis + "</body></html>",
          "text/html; charset=utf-8");
  web.Add("https://a.example/no-meta", "<html><body>" + sjis + " x</body></html>",
          "text/html; charset=utf-8");
  web.Add("https://a.example/honest",
          "<html><head><meta charset=\"shift_jis\"></head><body>韓国</body></html>",
          "text/html; charset=utf-8");
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  ASSERT_TRUE(Crawler(options, web, handler)
                  .Run({"https://a.example/meta", "https://a.example/no-meta",
                        "https://a.example/honest"})
                  .ok());
  ASSERT_EQ(handler.pages.size(), 3u);
  std::map<std::string, const Page*> by_url;
  for (const Page& page : handler.pages) by_url[page.url] = &page;
  EXPECT_EQ(by_url["https://a.example/meta"]->charset, "shift_jis");
  EXPECT_NE(by_url["https://a.example/meta"]->html.find("韓国"), std::string::npos);
  // Without a <meta> to say otherwise, the header stands.
  EXPECT_EQ(by_url["https://a.example/no-meta"]->charset, "utf-8");
  // Valid UTF-8 under a UTF-8 header: the <meta> does not matter.
  EXPECT_EQ(by_url["https://a.example/honest"]->charset, "utf-8");
  EXPECT_NE(by_url["https://a.example/honest"]->html.find("韓国"), std::string::npos);
}

// --- Concurrency --------------------------------------------------------------

// Six hosts, each a home page linking to three pages of its own.
void AddSixHosts(FakeFetcher& web, std::vector<std::string>* seeds) {
  for (int host = 1; host <= 6; ++host) {
    const std::string root = "https://h" + std::to_string(host) + ".example/";
    web.Add(root, "<html><body><a href=\"/1\">1</a><a href=\"/2\">2</a><a href=\"/3\">3</a>"
                  "<p>home " + root + "</p></body></html>");
    for (int page = 1; page <= 3; ++page) {
      web.Add(root + std::to_string(page),
              "<html><body>page " + std::to_string(page) + " of " + root + "</body></html>");
    }
    seeds->push_back(root);
  }
}

TEST(CrawlerConcurrencyTest, KeepsMaxConnectionsInFlightAndOnePerHost) {
  ConcurrentFakeFetcher web;
  std::vector<std::string> seeds;
  AddSixHosts(web, &seeds);
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_connections = 4;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run(seeds);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(handler.pages.size(), 24u);
  EXPECT_EQ(stats->fetched, 24);
  EXPECT_EQ(web.max_in_flight, 4u);
  EXPECT_EQ(web.max_per_host, 1);
  EXPECT_EQ(web.requested.size(), 24u + 6u);  // and one robots.txt per host
}

TEST(CrawlerConcurrencyTest, OpensPerHostConnectionsToOneHost) {
  ConcurrentFakeFetcher web;
  std::vector<std::string> seeds;
  AddSixHosts(web, &seeds);
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_connections = 8;
  options.per_host_connections = 3;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({seeds[0]});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(handler.pages.size(), 4u);
  EXPECT_EQ(web.max_per_host, 3);  // the three links of the home page at once
}

TEST(CrawlerConcurrencyTest, SpacesRequestStartsByTheDelayWithSeveralConnectionsToAHost) {
  // Several connections to one host still start requests one delay apart:
  // politeness is per host, not per connection.
  class StartTimes : public FakeFetcher {
   public:
    void Start(uint64_t id, FetchRequest request) override {
      starts.emplace_back(request.url, Clock::now());
      done_.push_back({id, Fetch(request)});
    }
    std::vector<FetchResult> Wait(int64_t timeout_ms) override {
      if (done_.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(timeout_ms, 5)));
        return {};
      }
      return std::exchange(done_, {});
    }
    std::vector<std::pair<std::string, Clock::time_point>> starts;

   private:
    std::vector<FetchResult> done_;
  };
  StartTimes web;
  std::vector<std::string> seeds;
  AddSixHosts(web, &seeds);
  RecordingHandler handler;
  CrawlOptions options;
  options.per_host_delay_ms = 120;
  options.per_host_connections = 3;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({seeds[0]});
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(web.starts.size(), 5u);  // robots.txt, home, its three links
  for (size_t i = 1; i < web.starts.size(); ++i) {
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(web.starts[i].second -
                                                                    web.starts[i - 1].second)
                  .count(),
              120)
        << web.starts[i].first;
  }
}

TEST(CrawlerConcurrencyTest, StartsNoMoreThanMaxPagesDocuments) {
  ConcurrentFakeFetcher web;
  std::vector<std::string> seeds;
  AddSixHosts(web, &seeds);
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_connections = 8;
  options.max_pages = 5;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run(seeds);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->fetched, 5);
  const auto robots = std::count_if(web.requested.begin(), web.requested.end(),
                                    [](const std::string& url) { return url.ends_with("/robots.txt"); });
  EXPECT_EQ(static_cast<int>(web.requested.size() - robots), 5);
}

TEST(CrawlerConcurrencyTest, RejectsUnusableConnectionLimits) {
  FakeFetcher web;
  RecordingHandler handler;
  CrawlOptions none = FastOptions();
  none.max_connections = 0;
  EXPECT_EQ(Crawler(none, web, handler).Run({"https://a.example/"}).status().code(),
            StatusCode::kInvalidArgument);
  CrawlOptions none_per_host = FastOptions();
  none_per_host.per_host_connections = 0;
  EXPECT_EQ(Crawler(none_per_host, web, handler).Run({"https://a.example/"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CrawlerConcurrencyTest, FetchesSeveralHostsAtOnceWithTheMultiInterface) {
  LocalServer first("site"), second("site"), third("site");
  ASSERT_NE(first.port(), 0);
  ASSERT_NE(second.port(), 0);
  ASSERT_NE(third.port(), 0);
  auto curl = QuickFetcher();
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  const Clock::time_point start = Clock::now();
  StatusOr<CrawlStats> stats =
      Crawler(options, *curl, handler)
          .Run({first.Url("/slow?seconds=2"), second.Url("/slow?seconds=2"),
                third.Url("/slow?seconds=2")});
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pages, 1);  // the same body three times: two are duplicates
  EXPECT_EQ(stats->duplicates, 2);
  EXPECT_EQ(stats->fetched, 3);
  EXPECT_LT(elapsed, 4500) << "three two-second responses from three hosts: 6 s in turn";
}

TEST(CrawlerConcurrencyTest, KeepsOneConnectionPerHostOnARealServer) {
  LocalServer server("site");
  ASSERT_NE(server.port(), 0);
  auto curl = QuickFetcher();
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  const Clock::time_point start = Clock::now();
  StatusOr<CrawlStats> stats =
      Crawler(options, *curl, handler)
          .Run({server.Url("/slow?seconds=0.5&n=1"), server.Url("/slow?seconds=0.5&n=2"),
                server.Url("/slow?seconds=0.5&n=3")});
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->fetched, 3);
  EXPECT_GE(elapsed, 1500) << "one host: one request at a time";
}

TEST_F(CrawlerServerTest, StoresThePageA503WithRetryAfterGaveOnRetry) {
  auto patient = std::move(CurlFetcher::Create({})).value();  // retries on, 1 s Retry-After
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  StatusOr<CrawlStats> stats = Crawler(options, *patient, handler_)
                                   .Run({server_.Url("/flaky?key=crawl&fail=1&retry_after=1")});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(handler_.failures.empty());
  ASSERT_EQ(handler_.pages.size(), 1u);
  EXPECT_NE(handler_.pages[0].html.find("flaky crawl served"), std::string::npos);
}

TEST_F(CrawlerServerTest, ReportsHowManyAttemptsAFailureTook) {
  FetcherOptions fetcher_options;
  fetcher_options.max_retries = 2;
  fetcher_options.retry_base_ms = 10;
  auto retrying = std::move(CurlFetcher::Create(fetcher_options)).value();
  CrawlOptions options = FastOptions();
  options.max_depth = 0;
  ASSERT_TRUE(Crawler(options, *retrying, handler_)
                  .Run({server_.Url("/flaky?key=always&fail=100"),
                        server_.Url("/truncated-gzip")})
                  .ok());
  EXPECT_EQ(handler_.failures[server_.Url("/flaky?key=always&fail=100")],
            "HTTP 503 after 3 attempts");
  EXPECT_TRUE(handler_.failures[server_.Url("/truncated-gzip")].starts_with(
      "truncated gzip body"))
      << handler_.failures[server_.Url("/truncated-gzip")];
  EXPECT_TRUE(handler_.pages.empty());
}

// --- Warnings -----------------------------------------------------------------

TEST(CrawlerFakeWebTest, FollowsWhatAMalformedFeedSalvagesAndReportsAWarning) {
  FakeFetcher web;
  web.Add("https://a.example/feed.xml",
          "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
          "<item><link>https://a.example/1.html</link></item>"
          "<item><link>https://a.example/2.html</link>",  // cut off
          "application/rss+xml");
  web.Add("https://a.example/1.html", "<html><body>one</body></html>");
  web.Add("https://a.example/2.html", "<html><body>two</body></html>");
  RecordingHandler handler;
  StatusOr<CrawlStats> stats =
      Crawler(FastOptions(), web, handler).Run({"https://a.example/feed.xml"});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(handler.HasPage("https://a.example/1.html"));
  EXPECT_TRUE(handler.HasPage("https://a.example/2.html"));
  ASSERT_EQ(handler.warnings.count("https://a.example/feed.xml"), 1u);
  EXPECT_FALSE(handler.warnings["https://a.example/feed.xml"].empty());
  EXPECT_TRUE(handler.failures.empty());
}

TEST(CrawlerFakeWebTest, ReportsAFeedThatIsNotXmlAndGoesOn) {
  FakeFetcher web;
  web.Add("https://a.example/", "<html><body><a href=\"/feed.rss\">feed</a>"
                                "<a href=\"/after.html\">after</a></body></html>");
  web.Add("https://a.example/feed.rss", "Sorry, our feed is down. {\"error\": true}",
          "application/rss+xml");
  web.Add("https://a.example/after.html", "<html><body>after</body></html>");
  RecordingHandler handler;
  StatusOr<CrawlStats> stats = Crawler(FastOptions(), web, handler).Run({"https://a.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(handler.HasPage("https://a.example/after.html"));
  EXPECT_FALSE(handler.HasPage("https://a.example/feed.rss"));
  EXPECT_EQ(handler.failures["https://a.example/feed.rss"],
            "unreadable feed: not a feed (content type application/rss+xml)");
  EXPECT_EQ(stats->failed, 1);
}

// --- The frontier store -----------------------------------------------------------

// A small site: home -> a, b; a -> c; b -> private (robots-denied), home.
void AddFrontierSite(FakeFetcher& web) {
  web.Add("https://f.example/robots.txt", "User-agent: *\nDisallow: /private\n", "text/plain");
  web.Add("https://f.example/",
          "<html><body><a href=\"/a\">a</a><a href=\"/b\">b</a></body></html>");
  web.Add("https://f.example/a", "<html><body>a <a href=\"/c\">c</a></body></html>");
  web.Add("https://f.example/b",
          "<html><body>b <a href=\"/private/x\">x</a><a href=\"/\">home</a></body></html>");
  web.Add("https://f.example/c", "<html><body>c</body></html>");
}

TEST(CrawlerFrontierTest, PersistsEveryQueuedUrlBeforeItsParentIsMarkedDone) {
  FakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://f.example/"});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  EXPECT_EQ(store.log.front(), "load");
  EXPECT_EQ(store.log.back(), "complete");
  EXPECT_EQ(store.complete_calls, 1);
  const std::map<std::string, std::string> expected_done = {
      {"https://f.example/", "page"},        {"https://f.example/a", "page"},
      {"https://f.example/b", "page"},       {"https://f.example/c", "page"},
      {"https://f.example/private/x", "skipped"}};
  EXPECT_EQ(store.done, expected_done);
  // Everything queued was persisted, and finished.
  EXPECT_EQ(store.queued.size(), expected_done.size());
  for (const auto& [url, outcome] : expected_done) {
    EXPECT_TRUE(store.queued.contains(url)) << url;
    EXPECT_LT(store.Position("enqueue " + url), store.Position("done " + url)) << url;
  }
  EXPECT_EQ(store.queued["https://f.example/"].depth, 0);
  EXPECT_EQ(store.queued["https://f.example/c"].depth, 2);
  EXPECT_EQ(store.queued["https://f.example/c"].source, "https://f.example/");
  // A page's links are persisted before the page is marked done.
  EXPECT_LT(store.Position("enqueue https://f.example/a"), store.Position("done https://f.example/"));
  EXPECT_LT(store.Position("enqueue https://f.example/c"), store.Position("done https://f.example/a"));
  // One Enqueue batch per document that queued something (seeds; home; a; b).
  EXPECT_EQ(store.enqueue_calls, 4);
}

TEST(CrawlerFrontierTest, ResumesTheQueuedUrlsAndSkipsTheDoneOnes) {
  FakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  store.resume.done = {"https://f.example/", "https://f.example/a"};
  store.resume.queued = {{"https://f.example/b", 1, "https://f.example/"},
                         {"https://f.example/c", 2, "https://f.example/"}};
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://f.example/"});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  EXPECT_FALSE(handler.HasPage("https://f.example/"));
  EXPECT_FALSE(handler.HasPage("https://f.example/a"));
  EXPECT_TRUE(handler.HasPage("https://f.example/b"));
  EXPECT_TRUE(handler.HasPage("https://f.example/c"));
  EXPECT_EQ(std::count(web.requested.begin(), web.requested.end(), "https://f.example/"), 0);
  EXPECT_EQ(std::count(web.requested.begin(), web.requested.end(), "https://f.example/a"), 0);
  // The loaded URLs are not enqueued again; b's robots-denied link is new.
  EXPECT_FALSE(store.queued.contains("https://f.example/b"));
  EXPECT_TRUE(store.queued.contains("https://f.example/private/x"));
  EXPECT_EQ(store.done["https://f.example/b"], "page");
  EXPECT_EQ(store.done["https://f.example/c"], "page");
  EXPECT_EQ(store.complete_calls, 1);
}

TEST(CrawlerFrontierTest, ResumedUrlsKeepTheirDepth) {
  FakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  store.resume.done = {"https://f.example/"};
  store.resume.queued = {{"https://f.example/a", 2, "https://f.example/"}};
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.max_depth = 2;
  options.frontier = &store;
  ASSERT_TRUE(Crawler(options, web, handler).Run({"https://f.example/"}).ok());
  EXPECT_TRUE(handler.HasPage("https://f.example/a"));
  EXPECT_FALSE(handler.HasPage("https://f.example/c"));  // would be depth 3
}

TEST(CrawlerFrontierTest, StopsWithTheErrorOfAFailingMarkDone) {
  ConcurrentFakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  store.fail_mark_done_at = 2;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  options.per_host_connections = 2;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://f.example/"});
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
  EXPECT_EQ(stats.status().message(), "frontier: disk full");
  EXPECT_EQ(store.complete_calls, 0);
  EXPECT_EQ(store.mark_done_calls, 2);  // nothing after the failure
  EXPECT_EQ(web.cancelled, 1);          // the other link of home was in flight
}

TEST(CrawlerFrontierTest, StopsBeforeFetchingWhenLoadFails) {
  FakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  store.fail_load = true;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://f.example/"});
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(web.requested.empty());
  EXPECT_EQ(store.complete_calls, 0);
}

TEST(CrawlerFrontierTest, CompletesWhenMaxPagesIsReached) {
  FakeFetcher web;
  AddFrontierSite(web);
  FakeFrontierStore store;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  options.max_pages = 2;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://f.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->fetched, 2);
  EXPECT_EQ(store.complete_calls, 1);
  EXPECT_EQ(store.done.size(), 2u);
  EXPECT_FALSE(store.done.contains("https://f.example/b"));  // queued, never started
  EXPECT_TRUE(store.queued.contains("https://f.example/b"));
}

TEST(CrawlerFrontierTest, MarksARedirectTargetThatWasQueuedDoneToo) {
  FakeFetcher web;
  web.Add("https://r.example/",
          "<html><body><a href=\"/old\">old</a><a href=\"/new\">new</a></body></html>");
  web.Add("https://r.example/old", "<html><body>moved here</body></html>", "text/html",
          "https://r.example/new");
  web.Add("https://r.example/new", "<html><body>moved here</body></html>");
  FakeFrontierStore store;
  RecordingHandler handler;
  CrawlOptions options = FastOptions();
  options.frontier = &store;
  StatusOr<CrawlStats> stats = Crawler(options, web, handler).Run({"https://r.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(store.done["https://r.example/old"], "page");
  EXPECT_EQ(store.done["https://r.example/new"], "page");
  EXPECT_EQ(std::count(web.requested.begin(), web.requested.end(), "https://r.example/new"), 0);
  EXPECT_EQ(stats->duplicates, 1);
}

// --- robots.txt kept between runs -------------------------------------------

// Plays the database's part; counts calls.
class FakeRobotsCache : public RobotsCache {
 public:
  StatusOr<std::optional<CachedRobots>> Find(const std::string& robots_url) override {
    ++find_calls;
    if (fail) return IoError("robots cache: cannot read");
    auto found = entries.find(robots_url);
    if (found == entries.end()) return std::optional<CachedRobots>();
    return std::optional<CachedRobots>(found->second);
  }
  Status Store(const std::string& robots_url, const CachedRobots& robots) override {
    ++store_calls;
    entries[robots_url] = robots;
    return Status::Ok();
  }
  std::map<std::string, CachedRobots> entries;
  bool fail = false;
  int find_calls = 0, store_calls = 0;
};

int64_t UnixNow() { return static_cast<int64_t>(std::time(nullptr)); }
constexpr int64_t kHour = 3600;

// A site whose live robots.txt disallows /live-denied; the cached copies
// in these tests disallow /cache-denied instead, so the pages fetched tell
// which rules were used.
void AddRobotsSite(FakeFetcher& web) {
  web.Add("https://r.example/robots.txt", "User-agent: *\nDisallow: /live-denied\n", "text/plain");
  web.Add("https://r.example/",
          "<html><body><a href=\"/live-denied\">l</a><a href=\"/cache-denied\">c</a></body></html>");
  web.Add("https://r.example/live-denied", "<html><body>live-denied</body></html>");
  web.Add("https://r.example/cache-denied", "<html><body>cache-denied</body></html>");
}

CachedRobots CacheDenying(int64_t age_s) {
  return {200, "User-agent: *\nDisallow: /cache-denied\n", UnixNow() - age_s};
}

struct RobotsCacheRun {
  FakeFetcher web;
  FakeRobotsCache cache;
  RecordingHandler handler;
  StatusOr<CrawlStats> Run() {
    CrawlOptions options = FastOptions();
    options.robots_cache = &cache;
    return Crawler(options, web, handler).Run({"https://r.example/"});
  }
};

TEST(CrawlerRobotsTest, NeverFetchesALinkedRobotsTxtAsAPage) {
  FakeFetcher web;
  web.Add("https://r.example/robots.txt", "User-agent: *\nDisallow:\n", "text/plain");
  web.Add("https://r.example/",
          "<html><body><a href=\"/robots.txt\">robots</a><a href=\"/a\">a</a></body></html>");
  web.Add("https://r.example/a", "<html><body>a</body></html>");
  RecordingHandler handler;
  StatusOr<CrawlStats> stats = Crawler(FastOptions(), web, handler).Run({"https://r.example/"});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(web.Count("https://r.example/robots.txt"), 1);  // as robots.txt only
  EXPECT_FALSE(handler.HasPage("https://r.example/robots.txt"));
  EXPECT_TRUE(handler.HasPage("https://r.example/a"));
  EXPECT_EQ(stats->filtered, 1);
  EXPECT_EQ(stats->fetched, 2);
}

TEST(CrawlerRobotsCacheTest, UsesACachedRobotsTxtYoungerThanADayWithoutARequest) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.cache.entries["https://r.example/robots.txt"] = CacheDenying(23 * kHour);
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(run.web.Count("https://r.example/robots.txt"), 0);
  EXPECT_EQ(stats->robots_files, 0);
  EXPECT_EQ(stats->robots_cached, 1);
  // The cached rules, not the live ones, decided.
  EXPECT_TRUE(run.handler.HasPage("https://r.example/live-denied"));
  EXPECT_FALSE(run.handler.HasPage("https://r.example/cache-denied"));
  EXPECT_EQ(stats->robots_denied, 1);
  EXPECT_EQ(run.cache.store_calls, 0);
}

TEST(CrawlerRobotsCacheTest, FetchesAndReplacesACachedRobotsTxtADayOld) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.cache.entries["https://r.example/robots.txt"] = CacheDenying(24 * kHour);
  const int64_t before = UnixNow();
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(run.web.Count("https://r.example/robots.txt"), 1);
  EXPECT_EQ(stats->robots_cached, 0);
  EXPECT_TRUE(run.handler.HasPage("https://r.example/cache-denied"));
  EXPECT_FALSE(run.handler.HasPage("https://r.example/live-denied"));
  const CachedRobots& stored = run.cache.entries["https://r.example/robots.txt"];
  EXPECT_EQ(stored.http_status, 200);
  EXPECT_EQ(stored.body, "User-agent: *\nDisallow: /live-denied\n");
  EXPECT_GE(stored.fetched_unix, before);
  EXPECT_LE(stored.fetched_unix, UnixNow());
}

TEST(CrawlerRobotsCacheTest, FetchesAgainWhenTheCachedCopyIsFromTheFuture) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.cache.entries["https://r.example/robots.txt"] = CacheDenying(-kHour);  // clock went back
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(run.web.Count("https://r.example/robots.txt"), 1);
  EXPECT_FALSE(run.handler.HasPage("https://r.example/live-denied"));
}

TEST(CrawlerRobotsCacheTest, CachesA4xxAsAllowAllButNeverA5xx) {
  {
    RobotsCacheRun run;
    AddRobotsSite(run.web);
    run.web.AddStatus("https://r.example/robots.txt", 404);
    ASSERT_TRUE(run.Run().ok());
    ASSERT_EQ(run.cache.entries.count("https://r.example/robots.txt"), 1u);
    EXPECT_EQ(run.cache.entries["https://r.example/robots.txt"].http_status, 404);
    EXPECT_EQ(run.cache.entries["https://r.example/robots.txt"].body, "");
    EXPECT_TRUE(run.handler.HasPage("https://r.example/live-denied"));

    // The next run within the day allows all without asking.
    RobotsCacheRun next;
    AddRobotsSite(next.web);
    next.cache.entries = run.cache.entries;
    StatusOr<CrawlStats> stats = next.Run();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->robots_cached, 1);
    EXPECT_TRUE(next.handler.HasPage("https://r.example/live-denied"));
    EXPECT_TRUE(next.handler.HasPage("https://r.example/cache-denied"));
  }
  {
    RobotsCacheRun run;
    AddRobotsSite(run.web);
    run.web.AddStatus("https://r.example/robots.txt", 503);
    ASSERT_TRUE(run.Run().ok());
    EXPECT_TRUE(run.cache.entries.empty());
    EXPECT_EQ(run.cache.store_calls, 0);
    EXPECT_EQ(run.handler.failures["https://r.example/robots.txt"],
              "robots.txt: HTTP 503, treated as disallow-all");
    EXPECT_TRUE(run.handler.pages.empty());
  }
}

TEST(CrawlerRobotsCacheTest, UsesAStaleCopyWhenRobotsTxtAnswers5xx) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.web.AddStatus("https://r.example/robots.txt", 503);
  run.cache.entries["https://r.example/robots.txt"] = CacheDenying(72 * kHour);
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(run.web.Count("https://r.example/robots.txt"), 1);
  EXPECT_TRUE(run.handler.HasPage("https://r.example/"));
  EXPECT_TRUE(run.handler.HasPage("https://r.example/live-denied"));
  EXPECT_FALSE(run.handler.HasPage("https://r.example/cache-denied"));
  EXPECT_EQ(run.handler.warnings["https://r.example/robots.txt"],
            std::vector<std::string>{"robots.txt: HTTP 503; using the copy fetched 72 h ago"});
  EXPECT_TRUE(run.handler.failures.empty());
  // The stale copy stays as it was: a 5xx is not an answer to keep.
  EXPECT_EQ(run.cache.store_calls, 0);
}

TEST(CrawlerRobotsCacheTest, DisallowsAllWhenTheOnlyCopyIsOlderThanMaxStale) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.web.AddStatus("https://r.example/robots.txt", 500);
  run.cache.entries["https://r.example/robots.txt"] = CacheDenying(31 * 24 * kHour);
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(run.handler.pages.empty());
  EXPECT_EQ(run.handler.failures["https://r.example/robots.txt"],
            "robots.txt: HTTP 500, treated as disallow-all");
}

TEST(CrawlerRobotsCacheTest, QueuesTheSitemapsACachedRobotsTxtDeclares) {
  RobotsCacheRun run;
  run.web.Add("https://r.example/", "<html><body>home</body></html>");
  run.web.Add("https://r.example/sitemap.xml",
              "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
              "<url><loc>https://r.example/from-sitemap</loc></url></urlset>",
              "application/xml");
  run.web.Add("https://r.example/from-sitemap", "<html><body>listed</body></html>");
  run.cache.entries["https://r.example/robots.txt"] = {
      200, "Sitemap: https://r.example/sitemap.xml\n", UnixNow() - kHour};
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(run.web.Count("https://r.example/robots.txt"), 0);
  EXPECT_TRUE(run.handler.HasPage("https://r.example/from-sitemap"));
}

TEST(CrawlerRobotsCacheTest, StopsWithTheErrorOfAFailingCache) {
  RobotsCacheRun run;
  AddRobotsSite(run.web);
  run.cache.fail = true;
  StatusOr<CrawlStats> stats = run.Run();
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kIoError);
  EXPECT_NE(stats.status().message().find("robots cache: cannot read"), std::string::npos)
      << stats.status().message();
  EXPECT_TRUE(run.web.requested.empty());
}

TEST(UrlMatchesPatternTest, MatchesSubstringsAndGlobs) {
  const struct {
    const char* url;
    const char* pattern;
    bool matches;
  } kCases[] = {
      {"https://a.example/news/1.html", "/news/", true},
      {"https://a.example/about.html", "/news/", false},
      {"https://a.example/news/1.html", "https://a.example/news/*", true},
      {"https://b.example/news/1.html", "https://a.example/news/*", false},
      {"https://a.example/news/1.html", "*.html", true},
      {"https://a.example/news/1.html?x=1", "*.html", false},  // a glob is anchored
      {"https://a.example/2025/11/story", "*/20?5/*", false},  // only '*' is special
      {"https://a.example/2025/11/story", "*/2025/*/story", true},
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(UrlMatchesPattern(test.url, test.pattern), test.matches)
        << test.url << " ~ " << test.pattern;
  }
}

}  // namespace
}  // namespace newsclaim::crawler
