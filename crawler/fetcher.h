// crawler/fetcher.h
// The crawler's one seam to the network: a Fetcher turns a URL into the
// bytes and headers of its final HTTP response. CurlFetcher does it with the
// libcurl easy interface; tests substitute their own Fetcher.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"

namespace newsclaim::crawler {

struct FetchRequest {
  std::string url;
  std::string if_none_match;      // ETag of an earlier fetch, for conditional GET
  std::string if_modified_since;  // Last-Modified of an earlier fetch
};

// What came back. Expected outcomes (404, 304, a timeout) are data here, not
// errors: `error` is empty exactly when a complete response arrived.
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
};

struct FetcherOptions {
  std::string user_agent = "newsclaim/0.1 (+https://github.com/newsclaim/newsclaim)";
  int64_t connect_timeout_ms = 10000, total_timeout_ms = 30000;
  size_t max_body_bytes = 10 * 1024 * 1024;  // enforced on DECODED bytes (bombs stop)
  int max_redirects = 10;
  // Retries of a 429, a 503 or a transport failure, with exponential backoff
  // from retry_base_ms (a Retry-After header wins, capped at max_retry_wait_ms).
  int max_retries = 3;
  int64_t retry_base_ms = 1000, max_retry_wait_ms = 60000;
};

// Implementations say whether they are thread-safe.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Performs one GET (following redirects). Never fails as a call: transport
  // problems are reported in FetchResponse::error.
  virtual FetchResponse Fetch(const FetchRequest& request) = 0;
};

// libcurl easy interface, one easy handle per transfer, all sharing one
// share handle (connection cache, TLS sessions, DNS), so consecutive requests
// to a host reuse its connection and TLS session. Fetch() is thread-safe: the
// share handle is guarded by mutexes. Only http and https are followed.
//
// Each transfer is set up by a separate step (ConfigureTransfer) and read out
// by another (FinishTransfer), so a later multi-interface fetcher can drive
// the same transfers concurrently.
class CurlFetcher : public Fetcher {
 public:
  // Initialises libcurl once per process and creates the share handle. Fails
  // with InvalidArgument for unusable options (non-positive limits) and with
  // Internal when libcurl cannot be initialised.
  static StatusOr<std::unique_ptr<CurlFetcher>> Create(FetcherOptions options);
  ~CurlFetcher() override;
  CurlFetcher(const CurlFetcher&) = delete;
  CurlFetcher& operator=(const CurlFetcher&) = delete;

  // `error` texts: "timeout after N ms", "connect timeout after N ms",
  // "body exceeds N bytes", "too many redirects (more than N)",
  // "bad content encoding: ...", or "<curl error>: <detail>"; each followed
  // by " (at URL)" when the failing URL is not the requested one.
  FetchResponse Fetch(const FetchRequest& request) override;

  const FetcherOptions& options() const { return options_; }

 private:
  struct Shared;  // the share handle and its locks
  CurlFetcher(FetcherOptions options, std::unique_ptr<Shared> shared);

  FetcherOptions options_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace newsclaim::crawler
