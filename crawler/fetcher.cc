#include "crawler/fetcher.h"

#include <curl/curl.h>

#include <array>
#include <ctime>
#include <mutex>
#include <string_view>
#include <utility>

namespace newsclaim::crawler {
namespace {

std::once_flag global_init_once;
CURLcode global_init_result = CURLE_OK;

std::string IsoNowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// The state of one transfer, shared with libcurl's callbacks.
struct Transfer {
  const FetcherOptions* options = nullptr;
  FetchResponse response;
  bool body_too_large = false;
  curl_slist* headers = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};

  ~Transfer() { curl_slist_free_all(headers); }
};

// Bodies arrive here after libcurl's content decoding, so the limit counts
// decoded bytes: a 28 KB gzip bomb stops at max_body_bytes, not at 11 MB.
size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string& body = transfer->response.body;
  if (body.size() + bytes > transfer->options->max_body_bytes) {
    transfer->body_too_large = true;
    return 0;  // any count other than `bytes` aborts with CURLE_WRITE_ERROR
  }
  body.append(data, bytes);
  return bytes;
}

// Called once per header line of every response, redirects and 1xx
// included. A status line starts a new response, so what is left at the end
// describes the final one.
size_t ReadHeaderLine(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  FetchResponse& response = transfer->response;
  if (StartsWithNoCase(line, "HTTP/")) {
    response.response_head.clear();
    response.content_type.clear();
    response.etag.clear();
    response.last_modified.clear();
  }
  response.response_head.append(line);
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = line.substr(0, colon);
  const std::string value(Trim(line.substr(colon + 1)));
  if (StartsWithNoCase(name, "content-type") && name.size() == 12) {
    response.content_type = value;
  } else if (StartsWithNoCase(name, "etag") && name.size() == 4) {
    response.etag = value;
  } else if (StartsWithNoCase(name, "last-modified") && name.size() == 13) {
    response.last_modified = value;
  }
  return bytes;
}

// libcurl reports the request head it sent through the debug callback
// (CURLINFO_HEADER_OUT); the last one belongs to the final request.
int RecordDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_OUT) return 0;
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view chunk(data, size);
  std::string& head = transfer->response.request_head;
  // A new request starts with its request line; anything else continues it.
  const size_t space = chunk.find(' ');
  const bool starts_request =
      space != std::string_view::npos && space > 0 && space < 10 &&
      chunk.substr(0, space).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
          std::string_view::npos;
  if (starts_request || head.empty()) head.clear();
  head.append(chunk);
  return 0;
}

template <typename T>
CURLcode SetOption(CURL* easy, CURLoption option, T value, CURLcode* first_error) {
  CURLcode code = curl_easy_setopt(easy, option, value);
  if (code != CURLE_OK && *first_error == CURLE_OK) *first_error = code;
  return code;
}

}  // namespace

struct CurlFetcher::Shared {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

  ~Shared() {
    if (share != nullptr) curl_share_cleanup(share);
  }

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Shared*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Shared*>(user)->locks[data].unlock();
  }
};

StatusOr<std::unique_ptr<CurlFetcher>> CurlFetcher::Create(FetcherOptions options) {
  if (options.max_body_bytes == 0 || options.connect_timeout_ms <= 0 ||
      options.total_timeout_ms <= 0 || options.max_redirects < 0) {
    return InvalidArgumentError(
        "fetcher options: body limit and timeouts must be positive, redirects >= 0");
  }
  std::call_once(global_init_once,
                 [] { global_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global_init_result != CURLE_OK) {
    return InternalError(std::string("curl_global_init: ") +
                         curl_easy_strerror(global_init_result));
  }

  auto shared = std::make_unique<Shared>();
  shared->share = curl_share_init();
  if (shared->share == nullptr) return InternalError("curl_share_init failed");
  CURLSHcode code = CURLSHE_OK;
  auto share_option = [&](CURLSHoption option, auto value) {
    if (code == CURLSHE_OK) code = curl_share_setopt(shared->share, option, value);
  };
  share_option(CURLSHOPT_USERDATA, static_cast<void*>(shared.get()));
  share_option(CURLSHOPT_LOCKFUNC, &Shared::Lock);
  share_option(CURLSHOPT_UNLOCKFUNC, &Shared::Unlock);
  share_option(CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  share_option(CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  share_option(CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  if (code != CURLSHE_OK) {
    return InternalError(std::string("curl_share_setopt: ") + curl_share_strerror(code));
  }
  return std::unique_ptr<CurlFetcher>(new CurlFetcher(std::move(options), std::move(shared)));
}

CurlFetcher::CurlFetcher(FetcherOptions options, std::unique_ptr<Shared> shared)
    : options_(std::move(options)), shared_(std::move(shared)) {}

CurlFetcher::~CurlFetcher() = default;

FetchResponse CurlFetcher::Fetch(const FetchRequest& request) {
  Transfer transfer;
  transfer.options = &options_;
  transfer.response.fetched_at = IsoNowUtc();

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(),
                                                           &curl_easy_cleanup);
  if (!easy) {
    transfer.response.error = "curl_easy_init failed";
    return std::move(transfer.response);
  }
  CURL* handle = easy.get();

  // Step 1: configure. The first failing option is reported as the error.
  CURLcode setup = CURLE_OK;
  SetOption(handle, CURLOPT_URL, request.url.c_str(), &setup);
  SetOption(handle, CURLOPT_SHARE, shared_->share, &setup);
  SetOption(handle, CURLOPT_NOSIGNAL, 1L, &setup);
  SetOption(handle, CURLOPT_PROTOCOLS_STR, "http,https", &setup);
  SetOption(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", &setup);
  SetOption(handle, CURLOPT_FOLLOWLOCATION, 1L, &setup);
  SetOption(handle, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects), &setup);
  SetOption(handle, CURLOPT_AUTOREFERER, 1L, &setup);
  SetOption(handle, CURLOPT_CONNECTTIMEOUT_MS,
            static_cast<long>(options_.connect_timeout_ms), &setup);
  SetOption(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout_ms), &setup);
  // "" offers every encoding this libcurl decodes (gzip, deflate, br, zstd on
  // Debian 12), and makes libcurl decode before the write callback.
  SetOption(handle, CURLOPT_ACCEPT_ENCODING, "", &setup);
  // An early stop when Content-Length already announces too much.
  SetOption(handle, CURLOPT_MAXFILESIZE_LARGE,
            static_cast<curl_off_t>(options_.max_body_bytes), &setup);
  SetOption(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS), &setup);
  SetOption(handle, CURLOPT_TCP_KEEPALIVE, 1L, &setup);
  SetOption(handle, CURLOPT_USERAGENT, options_.user_agent.c_str(), &setup);
  SetOption(handle, CURLOPT_ERRORBUFFER, transfer.error_buffer, &setup);
  SetOption(handle, CURLOPT_WRITEFUNCTION, &WriteBody, &setup);
  SetOption(handle, CURLOPT_WRITEDATA, static_cast<void*>(&transfer), &setup);
  SetOption(handle, CURLOPT_HEADERFUNCTION, &ReadHeaderLine, &setup);
  SetOption(handle, CURLOPT_HEADERDATA, static_cast<void*>(&transfer), &setup);
  // VERBOSE only feeds the debug callback, which records the request head;
  // nothing is printed.
  SetOption(handle, CURLOPT_DEBUGFUNCTION, &RecordDebug, &setup);
  SetOption(handle, CURLOPT_DEBUGDATA, static_cast<void*>(&transfer), &setup);
  SetOption(handle, CURLOPT_VERBOSE, 1L, &setup);

  transfer.headers = curl_slist_append(
      transfer.headers,
      "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  if (!request.if_none_match.empty()) {
    transfer.headers = curl_slist_append(
        transfer.headers, ("If-None-Match: " + request.if_none_match).c_str());
  }
  if (!request.if_modified_since.empty()) {
    transfer.headers = curl_slist_append(
        transfer.headers, ("If-Modified-Since: " + request.if_modified_since).c_str());
  }
  SetOption(handle, CURLOPT_HTTPHEADER, transfer.headers, &setup);
  if (setup != CURLE_OK) {
    transfer.response.error =
        std::string("libcurl setup: ") + curl_easy_strerror(setup);
    return std::move(transfer.response);
  }

  // Step 2: transfer.
  const CURLcode code = curl_easy_perform(handle);

  // Step 3: read out what libcurl knows about the final response.
  FetchResponse& response = transfer.response;
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  char* effective_url = nullptr;
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective_url);
  response.final_url = effective_url != nullptr ? effective_url : request.url;
  char* ip = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    response.remote_ip = ip;
  }
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(handle, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK) {
    response.retry_after_seconds = static_cast<double>(retry_after);
  }
  long redirects = 0;
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &redirects);

  if (code == CURLE_OK) {
    response.http_status = static_cast<int>(status);
    return std::move(response);
  }

  const std::string detail = transfer.error_buffer;
  if ((code == CURLE_WRITE_ERROR && transfer.body_too_large) ||
      code == CURLE_FILESIZE_EXCEEDED) {
    response.error = "body exceeds " + std::to_string(options_.max_body_bytes) + " bytes";
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    // PRETRANSFER is stamped once a connection (new or reused) is ready to
    // send on; without it, the connect phase timed out. (CONNECT_TIME cannot
    // tell: it is 0 on a reused connection too.)
    curl_off_t pretransfer_us = 0;
    curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
    response.error = pretransfer_us == 0 && status == 0
                         ? "connect timeout after " +
                               std::to_string(options_.connect_timeout_ms) + " ms"
                         : "timeout after " + std::to_string(options_.total_timeout_ms) + " ms";
  } else if (code == CURLE_TOO_MANY_REDIRECTS) {
    response.error = "too many redirects (more than " +
                     std::to_string(options_.max_redirects) + ")";
  } else if (code == CURLE_BAD_CONTENT_ENCODING) {
    response.error = "bad content encoding: " + (detail.empty() ? curl_easy_strerror(code) : detail);
  } else {
    response.error = curl_easy_strerror(code);
    if (!detail.empty()) response.error += ": " + detail;
  }
  if (redirects > 0 && code != CURLE_TOO_MANY_REDIRECTS) {
    response.error += " (at " + response.final_url + ")";
  }
  response.http_status = 0;
  response.body.clear();
  return std::move(response);
}

}  // namespace newsclaim::crawler
