// crawler/fetcher.h
// The crawler's one seam to the network: a Fetcher turns a URL into the
// bytes and headers of its final HTTP response, one at a time (Fetch) or
// many at once (Start/Wait). CurlFetcher does it with libcurl (easy handles
// driven by one multi handle); tests substitute their own Fetcher.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace newsclaim::crawler {

struct FetchRequest {
  std::string url;
  std::string if_none_match;      // ETag of an earlier fetch, for conditional GET
  std::string if_modified_since;  // Last-Modified of an earlier fetch
};

// What came back. Expected outcomes (404, 304, a timeout) are data here, not
// errors: `error` is empty exactly when a complete response arrived.
// One exchange of a request that libcurl followed on to another URL (a 3xx
// with Location), kept for WARC as it went over the wire.
struct RedirectHop {
  std::string url;            // the URL requested
  std::string request_head;   // request line + headers as sent
  std::string response_head;  // status line + headers as received
  std::string raw_body;       // the bytes after the head as received (framing and coding kept;
                              // at most kMaxRedirectBodyBytes)
  std::string fetched_at;     // ISO 8601 UTC
  std::string remote_ip;
  bool body_truncated = false;  // raw_body was cut at kMaxRedirectBodyBytes
};

// A redirect's body is a short note; more than this is cut.
inline constexpr size_t kMaxRedirectBodyBytes = 64 * 1024;

struct FetchResponse {
  int http_status = 0;            // 0 when the transfer failed
  std::string final_url;          // after redirects
  std::string content_type;       // of the final response
  std::string etag, last_modified;
  std::string body;               // content-decoded (gzip/deflate/br/zstd); empty on error
  std::string request_head;       // raw request line + headers as sent, for WARC
  std::string response_head;      // raw status line + headers as received, for WARC
  double retry_after_seconds = 0;
  std::string error;              // transport error, timeout, or "body exceeds N bytes"; empty when ok
  std::string fetched_at;         // ISO 8601 UTC when the request started, e.g. 2025-11-01T00:00:00Z
  std::string remote_ip;          // peer address of the final connection, if known
  int attempts = 1;               // requests made: 1 + retries (this response is the last one's)
  std::string http_version;       // of the final response: "1.0", "1.1", "2"; "" if none
  // The responses of earlier attempts of a retried request (a 503, say),
  // oldest first, each with its own request_head, response_head, body and
  // fetched_at: WARC keeps every request and response. Attempts that got no
  // HTTP response (a refused connection) have nothing to keep.
  std::vector<FetchResponse> earlier_attempts;
  // The redirects followed on the way to this response, in order.
  std::vector<RedirectHop> redirects;
};

struct FetcherOptions {
  std::string user_agent = "newsclaim/0.1 (+https://github.com/newsclaim/newsclaim)";
  int64_t connect_timeout_ms = 10000, total_timeout_ms = 30000;
  size_t max_body_bytes = 10 * 1024 * 1024;  // enforced on DECODED bytes (bombs stop)
  int max_redirects = 10;
  // Retries of a 429, a 503 or a transient transport failure (refused or
  // reset connection, timeout, short body): at most max_retries more
  // requests, the k-th after retry_base_ms * 2^(k-1), or after the
  // response's Retry-After when it gives one. A wait longer than
  // max_retry_wait_ms is not made: the response stands as it is (the server
  // asked for more patience than this run has, and retrying earlier than it
  // asked would be rude).
  int max_retries = 3;
  int64_t retry_base_ms = 1000, max_retry_wait_ms = 60000;
  // PEM file of the certificate authorities to trust instead of the
  // system's (a private CA); "" uses the system store.
  std::string ca_file;
};

// A transfer started with Fetcher::Start that has finished.
struct FetchResult {
  uint64_t id = 0;  // as given to Start
  FetchResponse response;
};

// Implementations say whether they are thread-safe.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Performs one GET (following redirects, retrying as the implementation
  // does) and waits for it. Never fails as a call: transport problems are
  // reported in FetchResponse::error.
  virtual FetchResponse Fetch(const FetchRequest& request) = 0;

  // Concurrent use by one thread (the crawl loop): Start() begins a transfer
  // and returns at once; Wait() blocks until at least one started transfer
  // has finished, or `timeout_ms` has passed, or nothing is in flight, and
  // returns every transfer finished so far (none on timeout); Cancel()
  // abandons every transfer not yet returned. Responses are as Fetch() gives
  // them. These defaults run the started transfers one at a time, in order,
  // with Fetch() inside Wait(), so a test fetcher need only implement Fetch().
  virtual void Start(uint64_t id, FetchRequest request);
  virtual std::vector<FetchResult> Wait(int64_t timeout_ms);
  virtual void Cancel();

 private:
  std::deque<std::pair<uint64_t, FetchRequest>> started_;  // for the defaults
};

// libcurl. Each transfer has its own easy handle; all share one share handle
// (connection cache, TLS sessions, DNS), so consecutive requests to a host
// reuse its connection and TLS session. Start/Wait drive many transfers at
// once through one multi handle (HTTP/2 multiplexing where a server offers
// it); Fetch() drives one with curl_easy_perform. Fetch() is thread-safe (the
// share handle is guarded by mutexes); Start/Wait/Cancel must be called from
// one thread at a time. Only http and https are followed.
//
// Each transfer is set up by one step (ConfigureTransfer) and read out by
// another (FinishTransfer), shared by both ways of driving it. Retries are
// made inside: a caller sees only the last attempt (`attempts` says how many
// there were); WARC therefore keeps only that one.
class CurlFetcher : public Fetcher {
 public:
  // Initialises libcurl once per process and creates the share and multi
  // handles. Fails with InvalidArgument for unusable options (non-positive
  // limits, negative retry counts or waits) and with Internal when libcurl
  // cannot be initialised.
  static StatusOr<std::unique_ptr<CurlFetcher>> Create(FetcherOptions options);
  ~CurlFetcher() override;
  CurlFetcher(const CurlFetcher&) = delete;
  CurlFetcher& operator=(const CurlFetcher&) = delete;

  // `error` texts: "timeout after N ms", "connect timeout after N ms",
  // "body exceeds N bytes", "too many redirects (more than N)",
  // "bad content encoding: ...", "truncated gzip body: ..." (a compressed
  // stream that ends before its end marker, which libcurl itself accepts),
  // or "<curl error>: <detail>"; each followed by " (at URL)" when the
  // failing URL is not the requested one.
  FetchResponse Fetch(const FetchRequest& request) override;

  void Start(uint64_t id, FetchRequest request) override;
  std::vector<FetchResult> Wait(int64_t timeout_ms) override;
  void Cancel() override;

  const FetcherOptions& options() const { return options_; }

 private:
  struct Shared;  // the share handle and its locks
  struct Multi;   // the multi handle and the transfers it drives
  CurlFetcher(FetcherOptions options, std::unique_ptr<Shared> shared,
              std::unique_ptr<Multi> multi);

  FetcherOptions options_;
  std::unique_ptr<Shared> shared_;
  std::unique_ptr<Multi> multi_;
};

}  // namespace newsclaim::crawler
