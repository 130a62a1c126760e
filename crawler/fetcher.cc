#include "crawler/fetcher.h"

#include <brotli/decode.h>
#include <curl/curl.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <climits>
#include <ctime>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace newsclaim::crawler {

// --- The defaults of the concurrent interface: one transfer at a time -------

void Fetcher::Start(uint64_t id, FetchRequest request) {
  started_.emplace_back(id, std::move(request));
}

std::vector<FetchResult> Fetcher::Wait(int64_t) {
  if (started_.empty()) return {};
  std::pair<uint64_t, FetchRequest> next = std::move(started_.front());
  started_.pop_front();
  std::vector<FetchResult> done;
  done.push_back({next.first, Fetch(next.second)});
  return done;
}

void Fetcher::Cancel() { started_.clear(); }

namespace {

using Clock = std::chrono::steady_clock;

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

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(text[i]) != LowerAscii(prefix[i])) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// libcurl 7.88 decodes gzip, deflate, br and zstd bodies but does not
// complain when the compressed stream simply stops (no end-of-stream block,
// no gzip trailer, no last brotli meta-block, an unfinished zstd frame): a
// truncated body arrives as a silently shorter (or empty) page. This check
// runs the final response's raw bytes (as received, before libcurl decodes
// them) through zlib, brotli or zstd a second time, output discarded, to
// see whether the stream really ended. Only the outermost encoding is
// checked.
class CompressedStreamCheck {
 public:
  CompressedStreamCheck() = default;
  ~CompressedStreamCheck() { EndDecoder(); }
  CompressedStreamCheck(const CompressedStreamCheck&) = delete;
  CompressedStreamCheck& operator=(const CompressedStreamCheck&) = delete;

  // A new response head begins (`http1`: an HTTP/1.x status line).
  void Reset(bool http1) {
    EndDecoder();
    format_ = Format::kNone;
    http1_ = http1;
    chunked_ = false;
    chunk_state_ = ChunkState::kSize;
    chunk_left_ = 0;
    started_ = ended_ = broken_ = gave_up_ = frame_open_ = false;
    output_bytes_ = 0;
    broken_reason_.clear();
  }

  void OnHeader(std::string_view name, std::string_view value) {
    if (EqualsNoCase(name, "content-encoding")) {
      // The last coding listed was applied last: it is what the bytes are.
      const size_t comma = value.rfind(',');
      const std::string_view last =
          Trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
      if (EqualsNoCase(last, "gzip") || EqualsNoCase(last, "x-gzip")) {
        format_ = Format::kGzip;
      } else if (EqualsNoCase(last, "deflate")) {
        format_ = Format::kDeflate;
      } else if (EqualsNoCase(last, "br")) {
        format_ = Format::kBrotli;
      } else if (EqualsNoCase(last, "zstd")) {
        format_ = Format::kZstd;
      } else {
        format_ = Format::kNone;
      }
    } else if (EqualsNoCase(name, "transfer-encoding") && http1_) {
      for (size_t i = 0; i + 7 <= value.size(); ++i) {
        if (StartsWithNoCase(value.substr(i), "chunked")) chunked_ = true;
      }
    }
  }

  // Raw body bytes as they came off the connection (HTTP/1.1 chunk framing
  // included: libcurl reports them before it removes it).
  void Feed(const char* data, size_t size, size_t max_output_bytes) {
    if (format_ == Format::kNone || gave_up_ || broken_) return;
    if (!chunked_) {
      Decode(data, size, max_output_bytes);
      return;
    }
    // RFC 9112 section 7.1: size line [; ext] CRLF, data CRLF, ..., 0 CRLF, trailers.
    for (size_t i = 0; i < size;) {
      const char c = data[i];
      switch (chunk_state_) {
        case ChunkState::kSize:
          ++i;
          if (c == '\n') {
            chunk_state_ = chunk_left_ == 0 ? ChunkState::kTrailer : ChunkState::kData;
          } else if (c == ';') {
            chunk_state_ = ChunkState::kExtension;
          } else if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
            if (chunk_left_ > (SIZE_MAX >> 4)) {
              gave_up_ = true;  // nonsense size: let libcurl complain
              return;
            }
            chunk_left_ = chunk_left_ * 16 +
                          static_cast<size_t>(c <= '9' ? c - '0' : LowerAscii(c) - 'a' + 10);
          }
          break;
        case ChunkState::kExtension:
          ++i;
          if (c == '\n') {
            chunk_state_ = chunk_left_ == 0 ? ChunkState::kTrailer : ChunkState::kData;
          }
          break;
        case ChunkState::kData: {
          const size_t take = std::min(chunk_left_, size - i);
          Decode(data + i, take, max_output_bytes);
          i += take;
          chunk_left_ -= take;
          if (chunk_left_ == 0) chunk_state_ = ChunkState::kDataEnd;
          break;
        }
        case ChunkState::kDataEnd:
          ++i;
          if (c == '\n') chunk_state_ = ChunkState::kSize;
          break;
        case ChunkState::kTrailer:
          return;
      }
    }
  }

  // After libcurl reported a complete transfer: empty when the stream (if
  // any) ended properly, else what is wrong with it.
  std::string Problem() const {
    if (format_ == Format::kNone || !started_ || gave_up_) return "";
    const char* name = FormatName();
    if (broken_) return std::string("corrupt ") + name + " body: " + broken_reason_;
    const bool ended = format_ == Format::kZstd ? !frame_open_ : ended_;
    if (!ended) {
      return std::string("truncated ") + name + " body: the compressed stream stops after " +
             std::to_string(output_bytes_) + " decoded bytes";
    }
    return "";
  }

 private:
  enum class Format { kNone, kGzip, kDeflate, kBrotli, kZstd };
  enum class ChunkState { kSize, kExtension, kData, kDataEnd, kTrailer };

  const char* FormatName() const {
    switch (format_) {
      case Format::kGzip: return "gzip";
      case Format::kDeflate: return "deflate";
      case Format::kBrotli: return "br";
      case Format::kZstd: return "zstd";
      case Format::kNone: break;
    }
    return "";
  }

  void EndDecoder() {
    if (zlib_ready_) inflateEnd(&stream_);
    zlib_ready_ = false;
    brotli_.reset();
    zstd_.reset();
  }

  void Decode(const char* data, size_t size, size_t max_output_bytes) {
    if (size == 0 || ended_ || broken_ || gave_up_) return;
    if (format_ == Format::kBrotli) {
      DecodeBrotli(data, size, max_output_bytes);
    } else if (format_ == Format::kZstd) {
      DecodeZstd(data, size, max_output_bytes);
    } else {
      Inflate(data, size, max_output_bytes);
    }
    if (ended_ || broken_ || gave_up_) EndDecoder();
  }

  // RFC 7932: the stream ends with an ISLAST meta-block, after which the
  // decoder says SUCCESS; bytes past it are an error for HTTP (RFC 9110
  // section 8.4.1.4 has one stream per body) but are left to libcurl.
  void DecodeBrotli(const char* data, size_t size, size_t max_output_bytes) {
    if (!started_) {
      started_ = true;
      brotli_.reset(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
      if (!brotli_) {
        gave_up_ = true;
        return;
      }
    }
    size_t available_in = size;
    const auto* next_in = reinterpret_cast<const uint8_t*>(data);
    while (true) {
      size_t available_out = scratch_.size();
      uint8_t* next_out = scratch_.data();
      const BrotliDecoderResult result = BrotliDecoderDecompressStream(
          brotli_.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
      output_bytes_ += scratch_.size() - available_out;
      if (result == BROTLI_DECODER_RESULT_SUCCESS) {
        ended_ = true;
        return;
      }
      if (result == BROTLI_DECODER_RESULT_ERROR) {
        broken_ = true;
        broken_reason_ =
            BrotliDecoderErrorString(BrotliDecoderGetErrorCode(brotli_.get()));
        return;
      }
      if (output_bytes_ > max_output_bytes) {
        gave_up_ = true;
        return;
      }
      if (result == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return;
      // NEEDS_MORE_OUTPUT: go round with an empty scratch buffer.
    }
  }

  // RFC 8878: a zstd body is one or more frames; ZSTD_decompressStream
  // returns 0 exactly when a frame is complete and flushed. A body that
  // stops inside a frame never gets there.
  void DecodeZstd(const char* data, size_t size, size_t max_output_bytes) {
    if (!started_) {
      started_ = true;
      zstd_.reset(ZSTD_createDStream());
      if (!zstd_ || ZSTD_isError(ZSTD_initDStream(zstd_.get()))) {
        gave_up_ = true;
        return;
      }
    }
    ZSTD_inBuffer input{data, size, 0};
    while (input.pos < input.size || frame_open_) {
      ZSTD_outBuffer output{scratch_.data(), scratch_.size(), 0};
      const size_t code = ZSTD_decompressStream(zstd_.get(), &output, &input);
      output_bytes_ += output.pos;
      if (ZSTD_isError(code)) {
        broken_ = true;
        broken_reason_ = ZSTD_getErrorName(code);
        return;
      }
      if (output_bytes_ > max_output_bytes) {
        gave_up_ = true;
        return;
      }
      // Between frames, the body may end (or another frame begin).
      frame_open_ = code != 0;
      if (output.pos < output.size && input.pos == input.size) break;  // needs more input
    }
  }

  void Inflate(const char* data, size_t size, size_t max_output_bytes) {
    if (!started_) {
      started_ = true;
      stream_ = z_stream{};
      // gzip: 15 + 32 detects a gzip or zlib header, as libcurl does. deflate:
      // RFC 9110 means zlib (RFC 1950), but servers send raw deflate too; a
      // zlib header is two bytes whose big-endian value is a multiple of 31.
      int window_bits = 15 + 32;
      if (format_ == Format::kDeflate) {
        const bool zlib_header =
            size >= 2 && (static_cast<unsigned char>(data[0]) & 0x0f) == 8 &&
            ((static_cast<unsigned char>(data[0]) << 8) | static_cast<unsigned char>(data[1])) %
                    31 ==
                0;
        window_bits = zlib_header ? 15 : -15;
      }
      if (inflateInit2(&stream_, window_bits) != Z_OK) {
        gave_up_ = true;
        return;
      }
      zlib_ready_ = true;
    }
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    stream_.avail_in = static_cast<uInt>(size);
    while (stream_.avail_in > 0) {
      stream_.next_out = scratch_.data();
      stream_.avail_out = static_cast<uInt>(scratch_.size());
      const int code = inflate(&stream_, Z_NO_FLUSH);
      output_bytes_ += scratch_.size() - stream_.avail_out;
      if (code == Z_STREAM_END) {
        ended_ = true;  // bytes after the end (a second gzip member) are not checked
        break;
      }
      if (code != Z_OK && code != Z_BUF_ERROR) {
        broken_ = true;
        broken_reason_ = stream_.msg != nullptr ? stream_.msg : "zlib error " + std::to_string(code);
        break;
      }
      // A bomb: the body limit stops the transfer; no need to inflate it twice.
      if (output_bytes_ > max_output_bytes) {
        gave_up_ = true;
        break;
      }
      if (code == Z_BUF_ERROR && stream_.avail_out != 0) break;  // no progress possible
    }
  }

  Format format_ = Format::kNone;
  bool http1_ = true;
  bool chunked_ = false;
  ChunkState chunk_state_ = ChunkState::kSize;
  size_t chunk_left_ = 0;
  bool started_ = false, ended_ = false, broken_ = false, gave_up_ = false;
  bool zlib_ready_ = false;
  bool frame_open_ = false;  // zstd: inside a frame
  size_t output_bytes_ = 0;
  std::string broken_reason_;
  z_stream stream_{};
  struct BrotliFree {
    void operator()(BrotliDecoderState* state) const { BrotliDecoderDestroyInstance(state); }
  };
  struct ZstdFree {
    void operator()(ZSTD_DStream* stream) const { ZSTD_freeDStream(stream); }
  };
  std::unique_ptr<BrotliDecoderState, BrotliFree> brotli_;
  std::unique_ptr<ZSTD_DStream, ZstdFree> zstd_;
  std::array<Bytef, 16384> scratch_{};
};

// The state of one transfer (all its attempts), shared with libcurl's
// callbacks.
struct Transfer {
  Transfer(const FetcherOptions& options, uint64_t id, FetchRequest request)
      : options(&options), id(id), request(std::move(request)) {}
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  const FetcherOptions* options;
  uint64_t id;
  FetchRequest request;
  int attempts = 0;  // requests started so far
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  FetchResponse response;  // of the current attempt
  bool body_too_large = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CompressedStreamCheck check;
  Clock::time_point retry_at{};
  // The exchange in progress, until a next request shows it was a redirect.
  RedirectHop exchange;
  bool exchange_is_redirect = false;  // its status is 3xx: keep its raw body
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
    // "HTTP/1.1 301 Moved" or "HTTP/2 301".
    const size_t space = line.find(' ');
    transfer->exchange_is_redirect =
        space != std::string_view::npos && space + 1 < line.size() && line[space + 1] == '3';
    transfer->exchange.raw_body.clear();
    response.response_head.clear();
    response.content_type.clear();
    response.etag.clear();
    response.last_modified.clear();
    transfer->check.Reset(StartsWithNoCase(line, "HTTP/1"));
  }
  response.response_head.append(line);
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = Trim(line.substr(colon + 1));
  if (EqualsNoCase(name, "content-type")) {
    response.content_type = value;
  } else if (EqualsNoCase(name, "etag")) {
    response.etag = value;
  } else if (EqualsNoCase(name, "last-modified")) {
    response.last_modified = value;
  }
  transfer->check.OnHeader(name, value);
  return bytes;
}

// libcurl reports the request head it sent (CURLINFO_HEADER_OUT; the last
// one belongs to the final request) and the raw body bytes it received
// (CURLINFO_DATA_IN, before content decoding) through the debug callback.
int RecordDebug(CURL* easy, curl_infotype type, char* data, size_t size, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (type == CURLINFO_DATA_IN) {
    transfer->check.Feed(data, size, transfer->options->max_body_bytes);
    std::string& raw = transfer->exchange.raw_body;
    if (transfer->exchange_is_redirect) {
      const size_t room = kMaxRedirectBodyBytes - raw.size();
      raw.append(data, std::min(size, room));
      if (size > room) transfer->exchange.body_truncated = true;
    }
    return 0;
  }
  if (type != CURLINFO_HEADER_OUT) return 0;
  std::string_view chunk(data, size);
  std::string& head = transfer->response.request_head;
  // A new request starts with its request line; anything else continues it.
  const size_t space = chunk.find(' ');
  const bool starts_request =
      space != std::string_view::npos && space > 0 && space < 10 &&
      chunk.substr(0, space).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
          std::string_view::npos;
  if (starts_request && !head.empty() && !transfer->response.response_head.empty()) {
    // libcurl follows a redirect: the exchange so far was one hop.
    RedirectHop& hop = transfer->exchange;
    hop.request_head = std::move(head);
    hop.response_head = std::move(transfer->response.response_head);
    transfer->response.response_head.clear();
    transfer->response.redirects.push_back(std::move(hop));
    hop = RedirectHop{};
  }
  if (starts_request || head.empty()) {
    head.clear();
    RedirectHop& next = transfer->exchange;
    next.raw_body.clear();
    next.fetched_at = IsoNowUtc();
    char* url = nullptr;
    next.url = curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url != nullptr
                   ? url
                   : transfer->request.url;
    char* ip = nullptr;
    if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
      next.remote_ip = ip;
    }
  }
  head.append(chunk);
  return 0;
}

template <typename T>
void SetOption(CURL* easy, CURLoption option, T value, CURLcode* first_error) {
  CURLcode code = curl_easy_setopt(easy, option, value);
  if (code != CURLE_OK && *first_error == CURLE_OK) *first_error = code;
}

// Starts the next attempt of `transfer`: a fresh easy handle, configured.
// Returns false (with response.error set) when libcurl refuses the setup.
bool ConfigureTransfer(Transfer& transfer, CURLSH* share) {
  if (transfer.easy != nullptr) curl_easy_cleanup(transfer.easy);
  curl_slist_free_all(transfer.headers);
  transfer.headers = nullptr;
  // A retry: what the last attempt got stays, for WARC.
  std::vector<FetchResponse> earlier = std::move(transfer.response.earlier_attempts);
  if (transfer.attempts > 0 && transfer.response.http_status != 0 &&
      transfer.response.error.empty()) {
    transfer.response.earlier_attempts.clear();
    earlier.push_back(std::move(transfer.response));
  }
  ++transfer.attempts;
  transfer.response = FetchResponse{};
  transfer.response.earlier_attempts = std::move(earlier);
  transfer.response.fetched_at = IsoNowUtc();
  transfer.response.attempts = transfer.attempts;
  transfer.body_too_large = false;
  transfer.error_buffer[0] = '\0';
  transfer.check.Reset(true);
  transfer.exchange = RedirectHop{};
  transfer.exchange_is_redirect = false;

  transfer.easy = curl_easy_init();
  if (transfer.easy == nullptr) {
    transfer.response.error = "curl_easy_init failed";
    return false;
  }
  CURL* handle = transfer.easy;
  const FetcherOptions& options = *transfer.options;
  void* user = static_cast<void*>(&transfer);

  // The first failing option is reported as the error.
  CURLcode setup = CURLE_OK;
  SetOption(handle, CURLOPT_URL, transfer.request.url.c_str(), &setup);
  SetOption(handle, CURLOPT_PRIVATE, user, &setup);
  SetOption(handle, CURLOPT_SHARE, share, &setup);
  SetOption(handle, CURLOPT_NOSIGNAL, 1L, &setup);
  SetOption(handle, CURLOPT_PROTOCOLS_STR, "http,https", &setup);
  SetOption(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", &setup);
  SetOption(handle, CURLOPT_FOLLOWLOCATION, 1L, &setup);
  SetOption(handle, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects), &setup);
  SetOption(handle, CURLOPT_AUTOREFERER, 1L, &setup);
  SetOption(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms),
            &setup);
  SetOption(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout_ms), &setup);
  // "" offers every encoding this libcurl decodes (gzip, deflate, br, zstd on
  // Debian 12), and makes libcurl decode before the write callback.
  SetOption(handle, CURLOPT_ACCEPT_ENCODING, "", &setup);
  // An early stop when Content-Length already announces too much.
  SetOption(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes),
            &setup);
  // HTTP/2 over TLS where the server offers it (ALPN), HTTP/1.1 otherwise.
  SetOption(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS), &setup);
  // Several transfers to one HTTP/2 host share its connection rather than
  // each opening one. Only over TLS, where HTTP/2 can be offered: over plain
  // http, libcurl 7.88 would hold a second transfer until the first is over.
  if (StartsWithNoCase(transfer.request.url, "https:")) {
    SetOption(handle, CURLOPT_PIPEWAIT, 1L, &setup);
  }
  SetOption(handle, CURLOPT_TCP_KEEPALIVE, 1L, &setup);
  if (!options.ca_file.empty()) SetOption(handle, CURLOPT_CAINFO, options.ca_file.c_str(), &setup);
  SetOption(handle, CURLOPT_USERAGENT, options.user_agent.c_str(), &setup);
  SetOption(handle, CURLOPT_ERRORBUFFER, transfer.error_buffer, &setup);
  SetOption(handle, CURLOPT_WRITEFUNCTION, &WriteBody, &setup);
  SetOption(handle, CURLOPT_WRITEDATA, user, &setup);
  SetOption(handle, CURLOPT_HEADERFUNCTION, &ReadHeaderLine, &setup);
  SetOption(handle, CURLOPT_HEADERDATA, user, &setup);
  // VERBOSE only feeds the debug callback (request head, raw body for the
  // compressed-stream check); nothing is printed.
  SetOption(handle, CURLOPT_DEBUGFUNCTION, &RecordDebug, &setup);
  SetOption(handle, CURLOPT_DEBUGDATA, user, &setup);
  SetOption(handle, CURLOPT_VERBOSE, 1L, &setup);

  transfer.headers = curl_slist_append(
      transfer.headers,
      "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  if (!transfer.request.if_none_match.empty()) {
    transfer.headers = curl_slist_append(
        transfer.headers, ("If-None-Match: " + transfer.request.if_none_match).c_str());
  }
  if (!transfer.request.if_modified_since.empty()) {
    transfer.headers = curl_slist_append(
        transfer.headers, ("If-Modified-Since: " + transfer.request.if_modified_since).c_str());
  }
  SetOption(handle, CURLOPT_HTTPHEADER, transfer.headers, &setup);
  if (setup != CURLE_OK) {
    transfer.response.error = std::string("libcurl setup: ") + curl_easy_strerror(setup);
    return false;
  }
  return true;
}

// Reads out what libcurl knows about the attempt that ended with `code`.
void FinishTransfer(Transfer& transfer, CURLcode code) {
  const FetcherOptions& options = *transfer.options;
  CURL* handle = transfer.easy;
  FetchResponse& response = transfer.response;
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  char* effective_url = nullptr;
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective_url);
  response.final_url = effective_url != nullptr ? effective_url : transfer.request.url;
  char* ip = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) {
    response.remote_ip = ip;
  }
  long version = 0;
  if (curl_easy_getinfo(handle, CURLINFO_HTTP_VERSION, &version) == CURLE_OK) {
    switch (version) {
      case CURL_HTTP_VERSION_1_0: response.http_version = "1.0"; break;
      case CURL_HTTP_VERSION_1_1: response.http_version = "1.1"; break;
      case CURL_HTTP_VERSION_2_0: response.http_version = "2"; break;
      case CURL_HTTP_VERSION_3: response.http_version = "3"; break;
      default: break;
    }
  }
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(handle, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK) {
    response.retry_after_seconds = static_cast<double>(retry_after);
  }
  long redirects = 0;
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &redirects);

  if (code == CURLE_OK) {
    const std::string problem = transfer.check.Problem();
    if (problem.empty()) {
      response.http_status = static_cast<int>(status);
      return;
    }
    response.error = problem;
  } else {
    const std::string detail = transfer.error_buffer;
    if ((code == CURLE_WRITE_ERROR && transfer.body_too_large) ||
        code == CURLE_FILESIZE_EXCEEDED) {
      response.error = "body exceeds " + std::to_string(options.max_body_bytes) + " bytes";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
      // PRETRANSFER is stamped once a connection (new or reused) is ready to
      // send on; without it, the connect phase timed out. (CONNECT_TIME
      // cannot tell: it is 0 on a reused connection too.)
      curl_off_t pretransfer_us = 0;
      curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
      response.error =
          pretransfer_us == 0 && status == 0
              ? "connect timeout after " + std::to_string(options.connect_timeout_ms) + " ms"
              : "timeout after " + std::to_string(options.total_timeout_ms) + " ms";
    } else if (code == CURLE_TOO_MANY_REDIRECTS) {
      response.error =
          "too many redirects (more than " + std::to_string(options.max_redirects) + ")";
    } else if (code == CURLE_BAD_CONTENT_ENCODING) {
      response.error =
          "bad content encoding: " + (detail.empty() ? curl_easy_strerror(code) : detail);
    } else {
      response.error = curl_easy_strerror(code);
      if (!detail.empty()) response.error += ": " + detail;
    }
  }
  if (redirects > 0 && code != CURLE_TOO_MANY_REDIRECTS) {
    response.error += " (at " + response.final_url + ")";
  }
  response.http_status = 0;
  response.body.clear();
}

// Failures that another attempt may well not repeat.
bool IsTransientError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

// How long to wait before the next attempt of `transfer`, whose last
// attempt ended with `code`; -1 when there is to be none.
int64_t RetryDelayMs(const Transfer& transfer, CURLcode code) {
  const FetcherOptions& options = *transfer.options;
  if (transfer.attempts > options.max_retries) return -1;
  const int status = transfer.response.http_status;
  const bool overloaded = status == 429 || status == 503;
  if (!overloaded && !(code != CURLE_OK && IsTransientError(code))) return -1;
  // RFC 9110 section 10.2.3: Retry-After is how long the server asks us to
  // wait; libcurl parses both its forms (seconds, HTTP-date).
  if (overloaded && transfer.response.retry_after_seconds > 0) {
    const double wait_ms = transfer.response.retry_after_seconds * 1000;
    if (wait_ms > static_cast<double>(options.max_retry_wait_ms)) return -1;
    return static_cast<int64_t>(wait_ms);
  }
  const int shift = std::min(transfer.attempts - 1, 30);
  const int64_t backoff = options.retry_base_ms > (INT64_MAX >> shift)
                              ? INT64_MAX
                              : options.retry_base_ms << shift;
  return std::min(backoff, options.max_retry_wait_ms);
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

struct CurlFetcher::Multi {
  CURLM* handle = nullptr;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running;
  std::vector<std::unique_ptr<Transfer>> waiting;  // for a retry, at retry_at
  std::vector<FetchResult> done;                   // not yet returned by Wait

  ~Multi() {
    Clear();
    if (handle != nullptr) curl_multi_cleanup(handle);
  }
  void Clear() {
    for (auto& [easy, transfer] : running) curl_multi_remove_handle(handle, easy);
    running.clear();
    waiting.clear();
    done.clear();
  }
};

StatusOr<std::unique_ptr<CurlFetcher>> CurlFetcher::Create(FetcherOptions options) {
  if (options.max_body_bytes == 0 || options.connect_timeout_ms <= 0 ||
      options.total_timeout_ms <= 0 || options.max_redirects < 0 || options.max_retries < 0 ||
      options.retry_base_ms < 0 || options.max_retry_wait_ms < 0) {
    return InvalidArgumentError(
        "fetcher options: body limit and timeouts must be positive, redirects, retries and "
        "retry waits >= 0");
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

  auto multi = std::make_unique<Multi>();
  multi->handle = curl_multi_init();
  if (multi->handle == nullptr) return InternalError("curl_multi_init failed");
  // Idle connections kept for reuse (the default keeps 4 per added handle,
  // and handles come and go here).
  curl_multi_setopt(multi->handle, CURLMOPT_MAXCONNECTS, 256L);
  return std::unique_ptr<CurlFetcher>(
      new CurlFetcher(std::move(options), std::move(shared), std::move(multi)));
}

CurlFetcher::CurlFetcher(FetcherOptions options, std::unique_ptr<Shared> shared,
                         std::unique_ptr<Multi> multi)
    : options_(std::move(options)), shared_(std::move(shared)), multi_(std::move(multi)) {}

CurlFetcher::~CurlFetcher() = default;

FetchResponse CurlFetcher::Fetch(const FetchRequest& request) {
  Transfer transfer(options_, 0, request);
  while (true) {
    if (!ConfigureTransfer(transfer, shared_->share)) return std::move(transfer.response);
    const CURLcode code = curl_easy_perform(transfer.easy);
    FinishTransfer(transfer, code);
    const int64_t wait_ms = RetryDelayMs(transfer, code);
    if (wait_ms < 0) return std::move(transfer.response);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
}

void CurlFetcher::Start(uint64_t id, FetchRequest request) {
  auto transfer = std::make_unique<Transfer>(options_, id, std::move(request));
  if (!ConfigureTransfer(*transfer, shared_->share)) {
    multi_->done.push_back({id, std::move(transfer->response)});
    return;
  }
  const CURLMcode added = curl_multi_add_handle(multi_->handle, transfer->easy);
  if (added != CURLM_OK) {
    transfer->response.error = std::string("curl_multi_add_handle: ") + curl_multi_strerror(added);
    multi_->done.push_back({id, std::move(transfer->response)});
    return;
  }
  CURL* easy = transfer->easy;
  multi_->running.emplace(easy, std::move(transfer));
}

std::vector<FetchResult> CurlFetcher::Wait(int64_t timeout_ms) {
  Multi& multi = *multi_;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    // Step 1: retries whose wait is over start again.
    const Clock::time_point now = Clock::now();
    for (size_t i = 0; i < multi.waiting.size();) {
      if (multi.waiting[i]->retry_at > now) {
        ++i;
        continue;
      }
      std::unique_ptr<Transfer> transfer = std::move(multi.waiting[i]);
      multi.waiting.erase(multi.waiting.begin() + static_cast<std::ptrdiff_t>(i));
      if (!ConfigureTransfer(*transfer, shared_->share) ||
          curl_multi_add_handle(multi.handle, transfer->easy) != CURLM_OK) {
        if (transfer->response.error.empty()) transfer->response.error = "cannot restart transfer";
        multi.done.push_back({transfer->id, std::move(transfer->response)});
        continue;
      }
      CURL* easy = transfer->easy;
      multi.running.emplace(easy, std::move(transfer));
    }

    // Step 2: move data; collect finished transfers, or schedule their retry.
    int still_running = 0;
    curl_multi_perform(multi.handle, &still_running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.handle, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi.handle, easy);
      auto found = multi.running.find(easy);
      if (found == multi.running.end()) continue;
      std::unique_ptr<Transfer> transfer = std::move(found->second);
      multi.running.erase(found);
      FinishTransfer(*transfer, code);
      const int64_t wait_ms = RetryDelayMs(*transfer, code);
      if (wait_ms >= 0) {
        transfer->retry_at = Clock::now() + std::chrono::milliseconds(wait_ms);
        multi.waiting.push_back(std::move(transfer));
      } else {
        multi.done.push_back({transfer->id, std::move(transfer->response)});
      }
    }
    if (!multi.done.empty()) return std::exchange(multi.done, {});
    if (multi.running.empty() && multi.waiting.empty()) return {};

    // Step 3: sleep until a socket is ready, a retry is due or time is up.
    const Clock::time_point after = Clock::now();
    if (after >= deadline) return {};
    Clock::time_point wake = deadline;
    for (const auto& transfer : multi.waiting) wake = std::min(wake, transfer->retry_at);
    const int64_t sleep_ms = std::clamp<int64_t>(
        std::chrono::ceil<std::chrono::milliseconds>(wake - after).count(), 0, INT_MAX);
    if (multi.running.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    } else {
      curl_multi_poll(multi.handle, nullptr, 0, static_cast<int>(sleep_ms), nullptr);
    }
  }
}

void CurlFetcher::Cancel() { multi_->Clear(); }

}  // namespace newsclaim::crawler
