// crawler/warc_writer.h
// Keeps every HTTP exchange the crawler makes as WARC/1.1 (ISO 28500:2017),
// one gzip member per record, so a reader can seek to any record's offset
// and inflate just that record. Fed by the crawl loop; read back by ingest.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "crawler/fetcher.h"

namespace newsclaim::crawler {

// Where a record starts: the byte offset of its gzip member in `path`.
struct WarcLocation {
  std::string path;
  int64_t offset = 0;
};

// Owns one open .warc.gz file; records are appended and flushed one exchange
// at a time, so a killed run leaves only complete records (at worst a
// truncated last member). Not thread-safe.
//
// What the response record holds: the HTTP head as received, then the body
// as the Fetcher delivered it, i.e. content-DECODED. So that the record is a
// valid HTTP message, the writer drops Content-Encoding, Transfer-Encoding
// and Content-Length from the head, adds a Content-Length for the decoded
// body, and keeps each dropped header's value as
// "X-Archive-Orig-<Name>: <value>" (the convention pywb and warcio use for
// rewritten headers).
class WarcWriter {
 public:
  // Creates `dir` if needed and opens a new
  // <dir>/newsclaim-<UTC yyyymmddHHMMSS>-<pid>[-N].warc.gz holding a
  // warcinfo record. Fails with IoError naming the path when the directory
  // or file cannot be created or written.
  static StatusOr<std::unique_ptr<WarcWriter>> Open(const std::filesystem::path& dir);
  ~WarcWriter();
  WarcWriter(const WarcWriter&) = delete;
  WarcWriter& operator=(const WarcWriter&) = delete;

  // Appends a response record then a request record (WARC-Concurrent-To the
  // response) for each of response.earlier_attempts (a retried request's
  // 503s, say), oldest first, then for `response` itself when it is a
  // completed transfer (http_status != 0). WARC-Target-URI is final_url (or
  // `url` when that is empty). Both records carry a sha1
  // WARC-Block-Digest; the response also a WARC-Payload-Digest of the body.
  // Returns where the final response record starts (offset -1 when only
  // earlier attempts got a response). Fails with InvalidArgument when no
  // attempt got a response and IoError when writing or flushing fails.
  StatusOr<WarcLocation> WriteExchange(const std::string& url, const FetchResponse& response);

  const std::string& path() const { return path_; }

 private:
  WarcWriter(std::FILE* file, std::string path);

  // The response and request records of one completed attempt.
  StatusOr<WarcLocation> WriteOneExchange(const std::string& url, const FetchResponse& response);

  // Compresses one record into its own gzip member, appends and flushes it;
  // returns the offset it starts at.
  StatusOr<int64_t> AppendRecord(std::string_view record);

  std::FILE* file_;
  std::string path_;
  int64_t size_ = 0;  // bytes written so far = offset of the next record
};

// sha1 of `data` as "sha1:" + RFC 4648 base32, the WARC digest form.
std::string WarcSha1Digest(std::string_view data);

// The response head rewritten for a content-decoded body of `body_size`
// bytes, as described at WarcWriter. Exposed for tests.
std::string RewriteResponseHeadForDecodedBody(std::string_view head, size_t body_size);

}  // namespace newsclaim::crawler
