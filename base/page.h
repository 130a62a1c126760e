// base/page.h
// A fetched or ingested document (Page) and the article read out of it
// (Article). crawler/ fills a Page, extract/ turns it into an Article and
// claims, store/ keeps both. Plain data; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace newsclaim {

struct Page {
  int64_t id = 0;            // assigned by the store
  std::string url;           // where it was fetched (after redirects) or file:// path
  std::string requested_url; // what was asked for, before redirects
  std::string fetched_at;    // ISO 8601 UTC, e.g. 2025-11-01T00:00:00Z
  int http_status = 0;       // 0 for local files
  std::string content_type;  // the HTTP header, or guessed for local files
  std::string charset;       // the charset the body was decoded with
  std::string html;          // the decoded document, UTF-8
  std::string content_hash;  // hex hash of the raw body
  std::string etag;          // validators for the next conditional GET
  std::string last_modified;
  std::string warc_path;     // where the raw response is kept, if anywhere
  int64_t warc_offset = -1;
  std::string error;         // why fetching or decoding failed; empty when ok
};

// The main text of a page and its metadata, as extract/ reads them.
struct Article {
  std::string text;       // the article body, paragraphs separated by "\n\n"
  std::string title;
  std::string published;  // ISO 8601 date or date-time; empty when unknown
  std::string modified;
  std::string author;
  std::string site_name;
  std::string lang;       // "ja", "en", ...
  std::string canonical_url;
  std::vector<std::string> links;  // absolute hrefs of <a> links, in page order
};

}  // namespace newsclaim
