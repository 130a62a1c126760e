// crawler/warc_reader.h
// Reads WARC files (ISO 28500: WARC/1.0 and WARC/1.1) and legacy ARC files
// back into records, and the page-like records among them into Pages. Fed by
// our own crawls' .warc.gz files and by other tools' (wget, warcio, jwarc,
// Common Crawl); used by `ingest`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/page.h"
#include "base/status.h"

namespace newsclaim::crawler {

// One WARC record, as read (WARC/1.0 and 1.1; whole-file gzip or per-record
// gzip, or plain). An ARC record is given the same shape: version "ARC/1"
// (or "ARC/2"), type "warcinfo" for the filedesc:// record and "response"
// for the others, the ARC header line's fields as `headers` (named as in the
// ARC spec: URL, IP-address, Archive-date, Content-type, ...), `date` in ISO
// 8601 and `content_type` the ARC Content-type field.
struct WarcRecord {
  std::string version;  // "WARC/1.1"
  std::string type;     // warcinfo, request, response, resource, revisit, metadata, ...
  // WARC-Target-URI (without the "<...>" some WARC/1.0 writers, wget among
  // them, put around it), WARC-Date, WARC-Record-ID and Content-Type.
  std::string target_uri, date, record_id, content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // all WARC headers, in order
  std::string block;  // the record block as stored (Content-Length bytes)
  // Where the record starts in the file. In a gzip file this is the offset
  // of the gzip member in which the record's version line starts: for
  // per-record gzip (our files, WARC annex D) the record's own member, which
  // is what warcio and CDX indexes report; in a whole-file gzip every record
  // shares offset 0. In a plain file, the byte offset of "WARC/".
  int64_t offset = 0;
};

struct WarcReaderOptions {
  // A record whose block is longer than this is skipped (not held in
  // memory) and reported as a ResourceExhausted error. 16 MiB holds any
  // page ReadWarcPages accepts (10 MiB of decoded body) with its HTTP head;
  // what is larger in real archives is video and software, not news.
  int64_t max_block_bytes = 16 * 1024 * 1024;
};

// Reads one file front to back, streaming: memory is bounded by the largest
// record read (at most max_block_bytes plus the headers), whatever the file
// size. The file's form is detected from its first bytes: gzip (any number
// of members, a record may even span members), plain WARC, or ARC (a file
// that starts with "filedesc://"). Movable, not copyable, not thread-safe.
class WarcReader {
 public:
  // Opens `path`. Fails with IoError naming the path when it cannot be
  // opened or read. An empty file is a valid file with no records.
  static StatusOr<WarcReader> Open(const std::filesystem::path& path,
                                   WarcReaderOptions options = {});
  WarcReader(WarcReader&&) noexcept;
  WarcReader& operator=(WarcReader&&) noexcept;
  ~WarcReader();

  // The next record; nullopt at the end of the file. Blank lines between
  // records are skipped. Errors, each with a message "PATH@OFFSET: reason"
  // where OFFSET is as in WarcRecord::offset:
  //  - Corruption: no "WARC/" version line where a record should start
  //    (garbage between records), a malformed header line, a missing or bad
  //    Content-Length, a block not followed by CRLF CRLF (Content-Length
  //    wrong), a truncated record, or a corrupt or truncated gzip member;
  //  - ResourceExhausted: a block longer than max_block_bytes (skipped).
  // After an error the next call resynchronises: it skips to the next line
  // that starts with "WARC/" (ARC: the next line that looks like an ARC
  // header), searching from just after the failed record's version line,
  // and in a gzip file past a corrupt member to the next gzip member. So a
  // caller may keep calling Next() after an error; every call makes
  // progress, and the end is always reached.
  StatusOr<std::optional<WarcRecord>> Next();

  const std::string& path() const;

 private:
  class Impl;
  explicit WarcReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The largest HTTP body ReadWarcPages decodes (after de-chunking and content
// decoding): the crawler's default max body size.
inline constexpr size_t kMaxWarcPageBodyBytes = 10 * 1024 * 1024;

// Reads every page-like record of `path` (response records with an HTTP 2xx
// status and an HTML, XHTML or text media type; resource records of those
// types) as a Page: url = WARC-Target-URI, fetched_at = WARC-Date,
// http_status, content type, validators (ETag, Last-Modified) from the HTTP
// head, the HTTP body de-chunked and content-decoded (gzip/deflate;
// Transfer-Encoding chunked), then charset-decoded with crawler/charset.h's
// DecodeDocument into Page::html (UTF-8) and Page::charset; content_hash =
// HexHash64 of the decoded body; warc_path/warc_offset pointing at the
// record. on_page's error stops the read and is returned. Records that
// cannot be read or decoded go to on_failure(url or "PATH@OFFSET", reason)
// and reading goes on; revisit, request, metadata and warcinfo records are
// skipped silently. Returns an error only when the file cannot be opened at
// all.
//
// In detail:
//  - Page-like media types: text/html, application/xhtml+xml, text/plain.
//    A response without a Content-Type counts when its body starts like
//    HTML (a doctype or an <html> tag), and gets "text/html". Other types
//    and non-2xx statuses are skipped silently, as are response records
//    that are not HTTP (e.g. Heritrix's dns: records), records whose URI
//    is not http(s) or file (wget's metadata:// log and arguments), and a
//    site's /robots.txt (the crawler reads it as rules, never as a page).
//  - Page::requested_url = url; resource records have http_status 0 (no
//    HTTP exchange) and no validators.
//  - Transfer-Encoding: chunked whose first chunk-size line is not a chunk
//    size is taken as already de-chunked (some writers de-chunk but keep
//    the header; warcio reads such records the same way); a chunked body
//    that breaks later is a failure.
//  - Content-Encoding gzip, x-gzip, deflate (zlib or raw) and identity are
//    decoded, in reverse order when several are listed; br, zstd or an
//    unknown coding, a corrupt or truncated stream, and a body over
//    kMaxWarcPageBodyBytes (counted while inflating, so bombs stop) are
//    failures naming the URL.
//  - Our own writer's records hold decoded bodies with Content-Encoding
//    renamed X-Archive-Orig-Content-Encoding, so nothing is decoded twice.
// The payload of an HTTP response message (head and body, as a WARC
// response record holds it): the body without its transfer coding (WARC 1.1
// section 5.9; RFC 9112 section 7.1), content coding kept. A chunked body
// whose first line is no chunk size was de-chunked by its writer and is
// returned as it is; one that ends after a complete chunk without the
// last-chunk is accepted. Corruption when the head does not parse or a
// chunk breaks.
StatusOr<std::string> HttpPayload(std::string_view http_response);

Status ReadWarcPages(
    const std::filesystem::path& path, const std::function<Status(Page)>& on_page,
    const std::function<void(const std::string& where, const std::string& reason)>& on_failure);

}  // namespace newsclaim::crawler
