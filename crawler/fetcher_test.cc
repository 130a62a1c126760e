#include "crawler/fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "crawler/warc_reader.h"
#include "crawler/warc_writer.h"
#include "tests/testdata/fetch/local_server.h"

namespace newsclaim::crawler {
namespace {

using testing::LocalServer;
using Clock = std::chrono::steady_clock;

int64_t MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::unique_ptr<CurlFetcher> MakeFetcher(FetcherOptions options = {}) {
  StatusOr<std::unique_ptr<CurlFetcher>> fetcher = CurlFetcher::Create(std::move(options));
  EXPECT_TRUE(fetcher.ok()) << fetcher.status().ToString();
  return fetcher.ok() ? std::move(fetcher).value() : nullptr;
}

class FetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(server_.port(), 0) << "could not start tests/testdata/fetch/serve.py";
  }
  // How many requests the server's /flaky or /count got for `key`.
  int ServerCount(const std::string& key) {
    auto fetcher = MakeFetcher();
    return std::stoi(fetcher->Fetch({server_.Url("/requests?key=" + key), "", ""}).body);
  }

  LocalServer server_{"site"};
};

// Options for tests that are not about retries: none are made.
FetcherOptions NoRetries() {
  FetcherOptions options;
  options.max_retries = 0;
  return options;
}

// Drives `requests` through Start/Wait until all are back; by id = index.
std::map<uint64_t, FetchResponse> FetchAllConcurrently(Fetcher& fetcher,
                                                       const std::vector<std::string>& urls) {
  for (size_t i = 0; i < urls.size(); ++i) fetcher.Start(i, {urls[i], "", ""});
  std::map<uint64_t, FetchResponse> done;
  const Clock::time_point start = Clock::now();
  while (done.size() < urls.size() && MillisecondsSince(start) < 30000) {
    for (FetchResult& result : fetcher.Wait(1000)) {
      EXPECT_FALSE(done.contains(result.id)) << "returned twice: " << result.id;
      done[result.id] = std::move(result.response);
    }
  }
  return done;
}

TEST_F(FetcherTest, FetchesAPageWithItsHeadersAndValidators) {
  auto fetcher = MakeFetcher();
  FetchResponse response = fetcher->Fetch({server_.Url("/index.html"), "", ""});

  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 200);
  EXPECT_EQ(response.final_url, server_.Url("/index.html"));
  EXPECT_EQ(response.content_type, "text/html");
  EXPECT_NE(response.body.find("Home of the crawler test site."), std::string::npos);
  EXPECT_FALSE(response.etag.empty());
  EXPECT_FALSE(response.last_modified.empty());
  EXPECT_EQ(response.remote_ip, "127.0.0.1");
  EXPECT_TRUE(std::regex_match(response.fetched_at,
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << response.fetched_at;
  EXPECT_EQ(response.request_head.rfind("GET /index.html HTTP/1.1\r\n", 0), 0u)
      << response.request_head;
  EXPECT_NE(response.request_head.find("User-Agent: newsclaim/0.1"), std::string::npos);
  EXPECT_NE(response.request_head.find("Accept-Encoding: "), std::string::npos);
  EXPECT_EQ(response.response_head.rfind("HTTP/1.1 200", 0), 0u) << response.response_head;
  EXPECT_NE(response.response_head.find("ETag: " + response.etag), std::string::npos);
}

TEST_F(FetcherTest, RevalidatesWithIfNoneMatchAndGets304) {
  auto fetcher = MakeFetcher();
  FetchResponse first = fetcher->Fetch({server_.Url("/a.html"), "", ""});
  ASSERT_EQ(first.http_status, 200);
  ASSERT_FALSE(first.etag.empty());

  FetchResponse second = fetcher->Fetch({server_.Url("/a.html"), first.etag, ""});
  EXPECT_EQ(second.error, "");
  EXPECT_EQ(second.http_status, 304);
  EXPECT_EQ(second.body, "");
  EXPECT_NE(second.request_head.find("If-None-Match: " + first.etag), std::string::npos);

  FetchResponse stale = fetcher->Fetch({server_.Url("/a.html"), "\"not-the-etag\"", ""});
  EXPECT_EQ(stale.http_status, 200);
}

TEST_F(FetcherTest, RevalidatesWithIfModifiedSinceAndGets304) {
  auto fetcher = MakeFetcher();
  FetchResponse first = fetcher->Fetch({server_.Url("/a.html"), "", ""});
  ASSERT_FALSE(first.last_modified.empty());

  FetchResponse second = fetcher->Fetch({server_.Url("/a.html"), "", first.last_modified});
  EXPECT_EQ(second.http_status, 304);
  EXPECT_NE(second.request_head.find("If-Modified-Since: " + first.last_modified),
            std::string::npos);
}

TEST_F(FetcherTest, DecodesGzipContentEncoding) {
  auto fetcher = MakeFetcher();
  FetchResponse response = fetcher->Fetch({server_.Url("/gzipped-page"), "", ""});
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.body, "<html><body><p>compressed hello</p></body></html>");
  EXPECT_NE(response.response_head.find("Content-Encoding: gzip"), std::string::npos);
}

TEST_F(FetcherTest, StopsADecompressionBombAtTheDecodedSizeLimit) {
  FetcherOptions options;
  options.max_body_bytes = 1024 * 1024;  // the bomb is ~50 KB on the wire, 50 MB decoded
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({server_.Url("/gzip-bomb"), "", ""});
  EXPECT_EQ(response.error, "body exceeds 1048576 bytes");
  EXPECT_EQ(response.http_status, 0);
  EXPECT_EQ(response.body, "");
}

TEST_F(FetcherTest, AcceptsABodyExactlyAtTheLimit) {
  auto fetcher = MakeFetcher();
  FetchResponse probe = fetcher->Fetch({server_.Url("/a.html"), "", ""});
  ASSERT_EQ(probe.http_status, 200);

  FetcherOptions exact;
  exact.max_body_bytes = probe.body.size();
  EXPECT_EQ(MakeFetcher(exact)->Fetch({server_.Url("/a.html"), "", ""}).error, "");
  FetcherOptions one_less;
  one_less.max_body_bytes = probe.body.size() - 1;
  EXPECT_EQ(MakeFetcher(one_less)->Fetch({server_.Url("/a.html"), "", ""}).error,
            "body exceeds " + std::to_string(probe.body.size() - 1) + " bytes");
}

TEST_F(FetcherTest, FollowsRedirectsAndDescribesTheFinalResponse) {
  auto fetcher = MakeFetcher();
  FetchResponse response = fetcher->Fetch({server_.Url("/redirect?to=/a.html"), "", ""});
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 200);
  EXPECT_EQ(response.final_url, server_.Url("/a.html"));
  EXPECT_EQ(response.response_head.rfind("HTTP/1.1 200", 0), 0u) << response.response_head;
  EXPECT_EQ(response.response_head.find("301"), std::string::npos);
  EXPECT_EQ(response.request_head.rfind("GET /a.html HTTP/1.1", 0), 0u) << response.request_head;
}

TEST_F(FetcherTest, GivesUpOnARedirectLoopAfterMaxRedirects) {
  FetcherOptions options;
  options.max_redirects = 3;
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({server_.Url("/redirect-loop"), "", ""});
  EXPECT_EQ(response.error, "too many redirects (more than 3)");
  EXPECT_EQ(response.http_status, 0);
}

TEST_F(FetcherTest, TimesOutOnASlowServer) {
  FetcherOptions options = NoRetries();
  options.total_timeout_ms = 300;
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({server_.Url("/slow?seconds=3"), "", ""});
  EXPECT_EQ(response.error, "timeout after 300 ms");
  EXPECT_EQ(response.http_status, 0);
}

TEST_F(FetcherTest, TimesOutOnASlowServerOverAReusedConnection) {
  FetcherOptions options = NoRetries();
  options.total_timeout_ms = 300;
  auto fetcher = MakeFetcher(options);
  ASSERT_EQ(fetcher->Fetch({server_.Url("/a.html"), "", ""}).http_status, 200);
  FetchResponse response = fetcher->Fetch({server_.Url("/slow?seconds=3"), "", ""});
  EXPECT_EQ(response.error, "timeout after 300 ms");
}

TEST_F(FetcherTest, ReportsAnErrorStatusAsDataWithRetryAfter) {
  auto fetcher = MakeFetcher(NoRetries());
  FetchResponse response = fetcher->Fetch({server_.Url("/status/503"), "", ""});
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 503);
  EXPECT_EQ(response.retry_after_seconds, 1);

  EXPECT_EQ(fetcher->Fetch({server_.Url("/no-such-page.html"), "", ""}).http_status, 404);
}

TEST_F(FetcherTest, ReusesTheConnectionAcrossFetches) {
  auto fetcher = MakeFetcher();
  FetchResponse first = fetcher->Fetch({server_.Url("/client-port"), "", ""});
  FetchResponse second = fetcher->Fetch({server_.Url("/client-port"), "", ""});
  ASSERT_EQ(first.http_status, 200);
  EXPECT_FALSE(first.body.empty());
  // The same client port means the same TCP connection, kept in the share
  // handle's connection cache although each Fetch uses a new easy handle.
  EXPECT_EQ(first.body, second.body);
}

TEST_F(FetcherTest, ReportsATruncatedGzipBodyInsteadOfAShortPage) {
  auto fetcher = MakeFetcher(NoRetries());
  // Both framings: the compressed stream just stops, while HTTP says the
  // message is complete (Content-Length met, or the last chunk sent).
  for (const std::string path : {"/truncated-gzip", "/truncated-gzip?chunked=1"}) {
    FetchResponse response = fetcher->Fetch({server_.Url(path), "", ""});
    EXPECT_EQ(response.http_status, 0) << path;
    EXPECT_EQ(response.body, "") << path;
    EXPECT_TRUE(response.error.starts_with(
        "truncated gzip body: the compressed stream stops after "))
        << path << ": " << response.error;
  }
}

TEST_F(FetcherTest, StopsAStreamedBodyWithoutContentLengthAtTheLimit) {
  auto fetcher = MakeFetcher(NoRetries());  // 10 MB default limit; the page is 50 MB
  FetchResponse response = fetcher->Fetch({server_.Url("/big?mb=50"), "", ""});
  EXPECT_EQ(response.error, "body exceeds 10485760 bytes");
  EXPECT_EQ(response.body, "");
}

TEST_F(FetcherTest, Retries503WithRetryAfterThenReturnsThePage) {
  auto fetcher = MakeFetcher();
  const Clock::time_point start = Clock::now();
  FetchResponse response =
      fetcher->Fetch({server_.Url("/flaky?key=ra&fail=1&retry_after=1"), "", ""});
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 200);
  EXPECT_NE(response.body.find("flaky ra served"), std::string::npos);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_GE(MillisecondsSince(start), 1000);  // Retry-After: 1 was honoured
  EXPECT_EQ(ServerCount("ra"), 2);
}

TEST_F(FetcherTest, Retries429WithExponentialBackoffWhenNoRetryAfter) {
  FetcherOptions options;
  options.retry_base_ms = 200;
  auto fetcher = MakeFetcher(options);
  const Clock::time_point start = Clock::now();
  FetchResponse response =
      fetcher->Fetch({server_.Url("/flaky?key=bo&fail=2&status=429"), "", ""});
  EXPECT_EQ(response.http_status, 200);
  EXPECT_EQ(response.attempts, 3);
  EXPECT_GE(MillisecondsSince(start), 200 + 400);
}

TEST_F(FetcherTest, GivesUpAfterMaxRetriesAndReturnsTheLastResponse) {
  FetcherOptions options;
  options.max_retries = 2;
  options.retry_base_ms = 10;
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({server_.Url("/flaky?key=gu&fail=100"), "", ""});
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 503);
  EXPECT_EQ(response.attempts, 3);
  EXPECT_EQ(ServerCount("gu"), 3);
}

TEST_F(FetcherTest, KeepsTheResponsesOfEarlierAttemptsForWarc) {
  FetcherOptions options;
  options.retry_base_ms = 10;
  auto fetcher = MakeFetcher(options);
  FetchResponse response =
      fetcher->Fetch({server_.Url("/flaky?key=ea&fail=2&status=429"), "", ""});
  ASSERT_EQ(response.http_status, 200);
  ASSERT_EQ(response.attempts, 3);
  ASSERT_EQ(response.earlier_attempts.size(), 2u);
  for (const FetchResponse& attempt : response.earlier_attempts) {
    EXPECT_EQ(attempt.http_status, 429);
    EXPECT_EQ(attempt.body, "try later\n");
    EXPECT_TRUE(attempt.response_head.starts_with("HTTP/1.")) << attempt.response_head;
    EXPECT_TRUE(attempt.request_head.starts_with("GET /flaky?key=ea")) << attempt.request_head;
    EXPECT_TRUE(attempt.earlier_attempts.empty());
    EXPECT_FALSE(attempt.fetched_at.empty());
  }
  EXPECT_EQ(response.earlier_attempts[0].attempts, 1);
  EXPECT_EQ(response.earlier_attempts[1].attempts, 2);

  // A request that needed no retry has none; nor does a refused connection.
  EXPECT_TRUE(fetcher->Fetch({server_.Url("/index.html"), "", ""}).earlier_attempts.empty());
}

TEST_F(FetcherTest, KeepsEachRedirectHopAsItWentOverTheWire) {
  auto fetcher = MakeFetcher();
  const std::string first = server_.Url("/redirect?to=/redirect?to=/index.html&body=moved");
  FetchResponse response = fetcher->Fetch({first, "", ""});
  ASSERT_EQ(response.http_status, 200);
  EXPECT_EQ(response.final_url, server_.Url("/index.html"));
  EXPECT_EQ(response.response_head.find(" 301"), std::string::npos) << response.response_head;
  EXPECT_TRUE(response.request_head.starts_with("GET /index.html ")) << response.request_head;
  ASSERT_EQ(response.redirects.size(), 2u);
  const RedirectHop& one = response.redirects[0];
  EXPECT_EQ(one.url, first);
  EXPECT_TRUE(one.request_head.starts_with("GET /redirect?to=/redirect?to=/index.html&body=moved "))
      << one.request_head;
  EXPECT_TRUE(one.response_head.starts_with("HTTP/1.")) << one.response_head;
  EXPECT_NE(one.response_head.find(" 301 "), std::string::npos) << one.response_head;
  EXPECT_NE(one.response_head.find("Location: /redirect?to=/index.html\r\n"), std::string::npos);
  EXPECT_TRUE(one.response_head.ends_with("\r\n\r\n"));
  EXPECT_EQ(one.raw_body, "moved");
  EXPECT_FALSE(one.body_truncated);
  EXPECT_FALSE(one.fetched_at.empty());
  const RedirectHop& two = response.redirects[1];
  EXPECT_EQ(two.url, server_.Url("/redirect?to=/index.html"));
  EXPECT_TRUE(two.request_head.starts_with("GET /redirect?to=/index.html ")) << two.request_head;
  EXPECT_EQ(two.raw_body, "");

  EXPECT_TRUE(fetcher->Fetch({server_.Url("/index.html"), "", ""}).redirects.empty());
}

TEST_F(FetcherTest, DoesNotRetryWhenRetryAfterExceedsTheLongestWait) {
  FetcherOptions options;
  options.max_retry_wait_ms = 500;
  auto fetcher = MakeFetcher(options);
  const Clock::time_point start = Clock::now();
  FetchResponse response =
      fetcher->Fetch({server_.Url("/flaky?key=long&fail=1&retry_after=5"), "", ""});
  EXPECT_EQ(response.http_status, 503);
  EXPECT_EQ(response.retry_after_seconds, 5);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_LT(MillisecondsSince(start), 2000);
}

TEST_F(FetcherTest, DoesNotRetryOtherErrorStatuses) {
  FetcherOptions options;
  options.retry_base_ms = 10;
  auto fetcher = MakeFetcher(options);
  FetchResponse response =
      fetcher->Fetch({server_.Url("/flaky?key=five&fail=1&status=500"), "", ""});
  EXPECT_EQ(response.http_status, 500);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(ServerCount("five"), 1);
}

TEST_F(FetcherTest, RetriesATimeout) {
  FetcherOptions options;
  options.total_timeout_ms = 300;
  options.max_retries = 1;
  options.retry_base_ms = 10;
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({server_.Url("/slow?seconds=2"), "", ""});
  EXPECT_EQ(response.error, "timeout after 300 ms");
  EXPECT_EQ(response.attempts, 2);
}

// --- Start/Wait: the multi interface ---------------------------------------

TEST_F(FetcherTest, RunsStartedTransfersConcurrently) {
  auto fetcher = MakeFetcher(NoRetries());
  const Clock::time_point start = Clock::now();
  std::map<uint64_t, FetchResponse> done = FetchAllConcurrently(
      *fetcher, {server_.Url("/slow?seconds=2"), server_.Url("/slow?seconds=2"),
                 server_.Url("/slow?seconds=2"), server_.Url("/a.html")});
  ASSERT_EQ(done.size(), 4u);
  for (uint64_t id = 0; id < 3; ++id) {
    EXPECT_EQ(done[id].http_status, 200) << id;
    EXPECT_NE(done[id].body.find("finally"), std::string::npos) << id;
  }
  EXPECT_NE(done[3].body.find("<html"), std::string::npos);
  EXPECT_EQ(done[3].final_url, server_.Url("/a.html"));
  // Three two-second responses at once (one after another: 6 s).
  EXPECT_LT(MillisecondsSince(start), 4000);
}

TEST_F(FetcherTest, WaitReturnsFinishedTransfersFirst) {
  auto fetcher = MakeFetcher(NoRetries());
  fetcher->Start(1, {server_.Url("/slow?seconds=2"), "", ""});
  fetcher->Start(2, {server_.Url("/a.html"), "", ""});
  std::vector<FetchResult> first;
  const Clock::time_point start = Clock::now();
  while (first.empty() && MillisecondsSince(start) < 5000) first = fetcher->Wait(1000);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, 2u);
  EXPECT_LT(MillisecondsSince(start), 1500);
  fetcher->Cancel();
}

TEST_F(FetcherTest, WaitTimesOutWhenNothingFinishes) {
  auto fetcher = MakeFetcher(NoRetries());
  fetcher->Start(7, {server_.Url("/slow?seconds=2"), "", ""});
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(fetcher->Wait(200).empty());
  EXPECT_GE(MillisecondsSince(start), 190);
  EXPECT_LT(MillisecondsSince(start), 1500);
  fetcher->Cancel();
}

TEST_F(FetcherTest, CancelDropsTransfersInFlight) {
  auto fetcher = MakeFetcher(NoRetries());
  fetcher->Start(1, {server_.Url("/slow?seconds=1"), "", ""});
  fetcher->Cancel();
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(fetcher->Wait(3000).empty());  // nothing in flight: returns at once
  EXPECT_LT(MillisecondsSince(start), 500);
  // The fetcher is still usable.
  std::map<uint64_t, FetchResponse> done = FetchAllConcurrently(*fetcher, {server_.Url("/a.html")});
  EXPECT_EQ(done[0].http_status, 200);
}

TEST_F(FetcherTest, RetriesInsideWaitWithRetryAfter) {
  auto fetcher = MakeFetcher();
  const Clock::time_point start = Clock::now();
  std::map<uint64_t, FetchResponse> done = FetchAllConcurrently(
      *fetcher, {server_.Url("/flaky?key=mw&fail=1&retry_after=1"), server_.Url("/a.html")});
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].http_status, 200);
  EXPECT_EQ(done[0].attempts, 2);
  EXPECT_GE(MillisecondsSince(start), 1000);
  EXPECT_EQ(done[1].attempts, 1);
  EXPECT_EQ(ServerCount("mw"), 2);
}

TEST_F(FetcherTest, ReusesTheConnectionAcrossConcurrentTransfers) {
  auto fetcher = MakeFetcher();
  std::map<uint64_t, FetchResponse> first =
      FetchAllConcurrently(*fetcher, {server_.Url("/client-port")});
  std::map<uint64_t, FetchResponse> second =
      FetchAllConcurrently(*fetcher, {server_.Url("/client-port")});
  ASSERT_EQ(first[0].http_status, 200);
  EXPECT_FALSE(first[0].body.empty());
  EXPECT_EQ(first[0].body, second[0].body);
  // The easy interface shares the same connection cache.
  EXPECT_EQ(fetcher->Fetch({server_.Url("/client-port"), "", ""}).body, first[0].body);
}

TEST_F(FetcherTest, EnforcesTheLimitsInConcurrentTransfersToo) {
  FetcherOptions options = NoRetries();
  options.max_body_bytes = 1024 * 1024;
  options.max_redirects = 3;
  auto fetcher = MakeFetcher(options);
  std::map<uint64_t, FetchResponse> done = FetchAllConcurrently(
      *fetcher, {server_.Url("/gzip-bomb"), server_.Url("/redirect-loop"),
                 server_.Url("/truncated-gzip?chunked=1"), server_.Url("/gzipped-page")});
  EXPECT_EQ(done[0].error, "body exceeds 1048576 bytes");
  EXPECT_EQ(done[1].error, "too many redirects (more than 3)");
  EXPECT_TRUE(done[2].error.starts_with("truncated gzip body")) << done[2].error;
  EXPECT_EQ(done[3].body, "<html><body><p>compressed hello</p></body></html>");
}

// ../shared/data/http-compression: one page under each Content-Encoding,
// and decompression bombs (scrapy's samples).
class SharedCompressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::SharedDataDir() + "/http-compression";
    if (!std::filesystem::exists(dir_ + "/bomb-gzip.bin")) {
      GTEST_SKIP() << "shared data not found at " << dir_ << "; skipping";
    }
    server_ = std::make_unique<LocalServer>("site", std::vector<std::string>{"--encoded-dir", dir_});
    ASSERT_NE(server_->port(), 0);
  }

  std::string Inflate(const std::string& name, int window_bits) {
    std::ifstream in(dir_ + "/" + name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string compressed = buffer.str();
    z_stream stream{};
    inflateInit2(&stream, window_bits);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
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
    EXPECT_EQ(code, Z_STREAM_END) << name;
    return out;
  }

  std::string dir_;
  std::unique_ptr<LocalServer> server_;
};

TEST_F(SharedCompressionTest, DecodesEveryContentEncodingLibcurlSupports) {
  const std::string page = Inflate("html-gzip.bin", 15 + 16);
  const std::string zlib_page = Inflate("html-zlibdeflate.bin", 15);
  const std::string raw_page = Inflate("html-rawdeflate.bin", -15);
  ASSERT_GT(page.size(), 1000u);
  const struct {
    std::string path;
    const std::string& expected;
  } kCases[] = {
      {"/encoded/gzip/html-gzip.bin", page},
      {"/encoded/br/html-br.bin", page},
      {"/encoded/zstd/html-zstd-static-content-size.bin", page},
      {"/encoded/zstd/html-zstd-static-no-content-size.bin", page},
      {"/encoded/zstd/html-zstd-streaming-no-content-size.bin", page},
      {"/encoded/deflate/html-zlibdeflate.bin", zlib_page},
      {"/encoded/deflate/html-rawdeflate.bin", raw_page},
      {"/encoded/gzip,%20deflate/html-gzip-deflate.bin", page},  // stacked encodings
  };
  auto fetcher = MakeFetcher();
  for (const auto& test : kCases) {
    FetchResponse response = fetcher->Fetch({server_->Url(test.path), "", ""});
    EXPECT_EQ(response.error, "") << test.path;
    EXPECT_TRUE(response.body == test.expected)
        << test.path << ": " << response.body.size() << " bytes, want " << test.expected.size();
  }
}

TEST_F(SharedCompressionTest, StopsEveryBombAtTheDecodedSizeLimit) {
  FetcherOptions options;
  options.max_body_bytes = 1024 * 1024;  // each bomb inflates to ~11 MB
  auto fetcher = MakeFetcher(options);
  for (const std::string path :
       {"/encoded/gzip/bomb-gzip.bin", "/encoded/deflate/bomb-deflate.bin",
        "/encoded/br/bomb-br.bin", "/encoded/zstd/bomb-zstd.bin"}) {
    FetchResponse response = fetcher->Fetch({server_->Url(path), "", ""});
    EXPECT_EQ(response.error, "body exceeds 1048576 bytes") << path;
    EXPECT_EQ(response.body, "") << path;
  }
}

TEST_F(SharedCompressionTest, ReportsEveryTruncatedGzipSample) {
  auto fetcher = MakeFetcher(NoRetries());
  for (const std::string path :
       {"/encoded/gzip/truncated-crc-error.gz", "/encoded/gzip/truncated-crc-error-short.gz",
        "/encoded/gzip/unexpected-eof.gz"}) {
    FetchResponse response = fetcher->Fetch({server_->Url(path), "", ""});
    EXPECT_TRUE(response.error.starts_with("truncated gzip body")) << path << ": "
                                                                   << response.error;
    EXPECT_EQ(response.body, "") << path;
  }
}

TEST_F(SharedCompressionTest, ReportsBrotliAndZstdBodiesThatStopHalfway) {
  // libcurl 7.88 hands these over as shorter (or empty) pages without an
  // error; the fetcher's own end-of-stream check catches them.
  auto fetcher = MakeFetcher(NoRetries());
  const struct {
    std::string file, encoding;
  } kCases[] = {
      {"html-br.bin", "br"},
      {"html-zstd-static-content-size.bin", "zstd"},
      {"html-zstd-static-no-content-size.bin", "zstd"},
      {"html-zstd-streaming-no-content-size.bin", "zstd"},
  };
  for (const auto& test : kCases) {
    const auto size = std::filesystem::file_size(dir_ + "/" + test.file);
    for (const uintmax_t cut : {size / 2, size - 1}) {
      const std::string path =
          "/encoded/" + test.encoding + "/" + test.file + "?cut=" + std::to_string(cut);
      FetchResponse response = fetcher->Fetch({server_->Url(path), "", ""});
      EXPECT_TRUE(response.error.starts_with("truncated " + test.encoding + " body"))
          << path << ": " << response.error;
      EXPECT_EQ(response.body, "") << path;
    }
    // The whole file still passes.
    FetchResponse whole =
        fetcher->Fetch({server_->Url("/encoded/" + test.encoding + "/" + test.file), "", ""});
    EXPECT_EQ(whole.error, "") << test.file;
  }
}

TEST_F(SharedCompressionTest, ReportsACorruptBrotliOrZstdBodyWithTheDecodersReason) {
  auto fetcher = MakeFetcher(NoRetries());
  // A gzip file sent as br / zstd is not a stream of either.
  for (const std::string encoding : {"br", "zstd"}) {
    FetchResponse response =
        fetcher->Fetch({server_->Url("/encoded/" + encoding + "/html-gzip.bin"), "", ""});
    EXPECT_FALSE(response.error.empty()) << encoding;
    EXPECT_EQ(response.body, "") << encoding;
  }
}

// --- HTTP/2 ------------------------------------------------------------------

// A free loopback port (bound, read, released: a small race, fine here).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool Listening(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

// nghttpd (Debian's nghttp2-server), a server that speaks only HTTP/2 over
// TLS, with a certificate for 127.0.0.1 made by openssl for this test.
class Http2FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v nghttpd >/dev/null && command -v openssl >/dev/null") != 0) {
      GTEST_SKIP() << "nghttpd (Debian package nghttp2-server) or openssl is not installed; "
                      "scripts/install-deps.sh --tests installs them";
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("newsclaim-h2-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "www");
    std::ofstream(dir_ / "www" / "page.html") << kPage;
    const std::string make_cert =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout '" + (dir_ / "key.pem").string() +
        "' -out '" + (dir_ / "cert.pem").string() + "' 2>/dev/null";
    ASSERT_EQ(std::system(make_cert.c_str()), 0) << make_cert;
    port_ = FreePort();
    ASSERT_NE(port_, 0);
    std::vector<std::string> args = {"nghttpd", "--address=127.0.0.1",
                                     "--htdocs=" + (dir_ / "www").string(), std::to_string(port_),
                                     (dir_ / "key.pem").string(), (dir_ / "cert.pem").string()};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    ASSERT_EQ(posix_spawnp(&pid_, "nghttpd", &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 500 && !Listening(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(Listening(port_)) << "nghttpd did not start on port " << port_;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port_) + path;
  }
  FetcherOptions TrustingOptions() const {
    FetcherOptions options;
    options.ca_file = (dir_ / "cert.pem").string();
    options.max_retries = 0;
    return options;
  }

  static constexpr const char* kPage =
      "<html><head><title>h2</title></head><body><p>Served over HTTP/2.</p></body></html>";
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(Http2FetchTest, SpeaksHttp2WhereTheServerOffersIt) {
  auto fetcher = MakeFetcher(TrustingOptions());
  FetchResponse response = fetcher->Fetch({Url("/page.html"), "", ""});
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.http_status, 200);
  EXPECT_EQ(response.http_version, "2");
  EXPECT_EQ(response.body, kPage);
  EXPECT_TRUE(response.response_head.starts_with("HTTP/2 200")) << response.response_head;

  // The same fetcher speaks HTTP/1.1 to a server that offers nothing else.
  LocalServer plain("site");
  ASSERT_NE(plain.port(), 0);
  FetchResponse old = fetcher->Fetch({plain.Url("/index.html"), "", ""});
  EXPECT_EQ(old.http_status, 200);
  EXPECT_EQ(old.http_version, "1.1");
}

TEST_F(Http2FetchTest, RefusesACertificateItHasNoReasonToTrust) {
  FetcherOptions options;
  options.max_retries = 0;
  auto fetcher = MakeFetcher(options);
  FetchResponse response = fetcher->Fetch({Url("/page.html"), "", ""});
  EXPECT_EQ(response.http_status, 0);
  EXPECT_FALSE(response.error.empty());
  EXPECT_EQ(response.body, "");
}

TEST_F(Http2FetchTest, RunsSeveralTransfersAtOnceOverHttp2) {
  auto fetcher = MakeFetcher(TrustingOptions());
  for (uint64_t id = 1; id <= 6; ++id) {
    fetcher->Start(id, {Url(id % 2 == 0 ? "/page.html" : "/missing-" + std::to_string(id)), "", ""});
  }
  std::map<uint64_t, FetchResponse> done;
  for (int i = 0; i < 200 && done.size() < 6; ++i) {
    for (FetchResult& result : fetcher->Wait(100)) done[result.id] = std::move(result.response);
  }
  ASSERT_EQ(done.size(), 6u);
  for (const auto& [id, response] : done) {
    EXPECT_EQ(response.http_version, "2") << id;
    EXPECT_EQ(response.http_status, id % 2 == 0 ? 200 : 404) << id;
  }
}

TEST_F(Http2FetchTest, KeepsAnHttp2ExchangeInWarcThatReadsBackAsThePage) {
  auto fetcher = MakeFetcher(TrustingOptions());
  FetchResponse response = fetcher->Fetch({Url("/page.html"), "", ""});
  ASSERT_EQ(response.http_version, "2");
  StatusOr<std::unique_ptr<WarcWriter>> writer = WarcWriter::Open(dir_ / "warc");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->WriteExchange(Url("/page.html"), response).ok());
  const std::filesystem::path file = (*writer)->path();
  writer->reset();
  std::vector<Page> pages;
  std::vector<std::string> failures;
  ASSERT_TRUE(ReadWarcPages(
                  file, [&](Page page) { pages.push_back(std::move(page)); return Status::Ok(); },
                  [&](const std::string& where, const std::string& reason) {
                    failures.push_back(where + ": " + reason);
                  })
                  .ok());
  EXPECT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].url, Url("/page.html"));
  EXPECT_NE(pages[0].html.find("Served over HTTP/2."), std::string::npos) << pages[0].html;
}

TEST(CurlFetcherTest, ReportsARefusedConnectionAsATransportError) {
  // Bind a port, then close it: nothing listens there afterwards.
  int port = 0;
  {
    LocalServer server("site");
    port = server.port();
  }
  ASSERT_NE(port, 0);
  FetcherOptions options;
  options.max_retries = 2;
  options.retry_base_ms = 10;
  auto fetcher = MakeFetcher(options);
  FetchResponse response =
      fetcher->Fetch({"http://127.0.0.1:" + std::to_string(port) + "/", "", ""});
  EXPECT_EQ(response.http_status, 0);
  EXPECT_NE(response.error.find("onnect"), std::string::npos) << response.error;
  EXPECT_EQ(response.attempts, 3);  // a refused connection is worth retrying
}

TEST(CurlFetcherTest, RefusesSchemesOtherThanHttp) {
  auto fetcher = MakeFetcher();
  FetchResponse response = fetcher->Fetch({"file:///etc/hostname", "", ""});
  EXPECT_EQ(response.http_status, 0);
  EXPECT_FALSE(response.error.empty());
  EXPECT_EQ(response.body, "");
}

TEST(CurlFetcherTest, RejectsUnusableOptions) {
  FetcherOptions no_body;
  no_body.max_body_bytes = 0;
  EXPECT_EQ(CurlFetcher::Create(no_body).status().code(), StatusCode::kInvalidArgument);
  FetcherOptions no_time;
  no_time.total_timeout_ms = 0;
  EXPECT_EQ(CurlFetcher::Create(no_time).status().code(), StatusCode::kInvalidArgument);
  FetcherOptions negative_retries;
  negative_retries.max_retries = -1;
  EXPECT_EQ(CurlFetcher::Create(negative_retries).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace newsclaim::crawler
