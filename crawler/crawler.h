// crawler/crawler.h
// The crawl loop: seeds in, Pages out. Keeps the frontier, obeys robots.txt
// and a per-host delay, reads feeds and sitemaps for more URLs, and hands
// each new or changed page to a CrawlHandler (implemented by app/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/page.h"
#include "base/status.h"
#include "crawler/fetcher.h"
#include "crawler/frontier_store.h"
#include "crawler/robots_cache.h"

namespace newsclaim::crawler {

struct CrawlOptions {
  int max_depth = 2;                 // seeds are depth 0
  int max_pages = 1000;              // fetched documents (pages, feeds, sitemaps) per run
  int64_t per_host_delay_ms = 1000;  // raised to robots Crawl-delay when larger
  // Substring, or glob with '*' matched against the whole canonical URL.
  // With allow patterns, a discovered URL must match one; deny wins. Seeds
  // are not filtered (they were asked for by name), nor are sitemaps named
  // by robots.txt or a sitemap index (they only lead to URLs that are).
  std::vector<std::string> allow_patterns, deny_patterns;
  std::string user_agent_token = "newsclaim";  // product token for robots.txt groups
  std::filesystem::path warc_dir;              // empty: no WARC
  size_t max_body_bytes = 10 * 1024 * 1024;    // also caps gunzipped sitemaps
  // Transfers in flight at once, across hosts, and per host (politeness:
  // one connection per host by default).
  int max_connections = 8;
  int per_host_connections = 1;
  // Where the frontier is kept between runs, so a killed run resumes; null:
  // in memory only. Not owned.
  FrontierStore* frontier = nullptr;
  // Where robots.txt answers are kept between runs; null: fetched once per
  // run. A 2xx or 4xx answer younger than robots_max_age_s is used without
  // a request; an older one is fetched again, and if the host then answers
  // 5xx or not at all, the cached rules (up to robots_max_stale_s old) are
  // used instead of disallow-all, with a warning (RFC 9309 section 2.4).
  // Not owned.
  RobotsCache* robots_cache = nullptr;
  int64_t robots_max_age_s = 24 * 3600;
  int64_t robots_max_stale_s = 30 * 24 * 3600;
};

struct PreviousFetch {
  std::string etag, last_modified, content_hash;
};

struct CrawlStats {
  int fetched = 0;        // documents requested (pages, feeds, sitemaps; not robots.txt)
  int pages = 0;          // handed to OnPage
  int unchanged = 0;      // handed to OnUnchanged (304 or same content hash)
  int failed = 0;         // handed to OnFailure
  int robots_denied = 0;  // not fetched: robots.txt disallows them
  int off_site = 0;       // discovered links not on a seed's authority
  int feeds = 0;          // RSS/Atom/RDF/JSON feeds read
  int sitemaps = 0;       // sitemaps and sitemap indexes read
  int duplicates = 0;     // fetched, but redirected to a URL or carrying content already handled
  int filtered = 0;       // discovered links dropped by allow/deny patterns or as non-HTML files
  int robots_files = 0;   // robots.txt requests made
  int robots_cached = 0;  // robots.txt answers taken from the cache, without a request
};

// Implemented by app/: the crawler knows nothing of extraction or storage.
// Called from the thread that runs Crawler::Run, one call at a time.
class CrawlHandler {
 public:
  virtual ~CrawlHandler() = default;
  // Validators of an earlier fetch of canonical `url`, for a conditional
  // GET; nullopt if never fetched.
  virtual std::optional<PreviousFetch> Previous(const std::string& url) = 0;
  // A new or changed HTML (or text) page, decoded to UTF-8: Page.url is the
  // canonical final URL, requested_url the canonical URL asked for,
  // content_hash = HexHash64 of the body as received (content-decoded),
  // validators and WARC location filled. Returns the page's links (absolute
  // URLs, feed links from <link rel=alternate> included).
  virtual std::vector<std::string> OnPage(const Page& page) = 0;
  // Fetched again and unchanged (304, or 200 with the same content hash as
  // Previous()). Its stored links are not re-followed in this version.
  virtual void OnUnchanged(const std::string& url) = 0;
  // A document that could not be fetched, decoded or parsed, with a reason
  // ("HTTP 404", "timeout after 30000 ms", "body exceeds 10485760 bytes",
  // "robots.txt: HTTP 503, treated as disallow-all").
  virtual void OnFailure(const std::string& url, const std::string& reason) = 0;
  // Something was wrong with a document that was still used: a feed or
  // sitemap that was partly malformed (what could be salvaged is followed).
  // Default: reported as OnFailure(url, "warning: " + warning), so it is
  // recorded; override to record it otherwise.
  virtual void OnWarning(const std::string& url, const std::string& warning) {
    OnFailure(url, "warning: " + warning);
  }
  // Progress after each fetched document; default no-op.
  virtual void OnProgress(const CrawlStats& stats, const std::string& url) {
    (void)stats;
    (void)url;
  }
};

// One crawl run. Up to max_connections transfers are in flight at once
// (through Fetcher::Start/Wait), at most per_host_connections of them to one
// authority (host:port), and a new request to a host starts only once its
// delay has passed since that host's last response. robots.txt is fetched
// before the first URL of each authority. All other work (parsing, the
// handler's calls, the frontier store's calls) happens on the thread that
// calls Run, one thing at a time.
//
// The order of work: per host, seeds and robots-declared sitemaps at depth
// 0, then breadth-first by depth; among hosts ready for a request, the one
// whose next URL is shallowest (then the one idle longest) goes first.
// Entries of a feed or sitemap are fetched whatever max_depth says (they are
// listings the site asked us to read) at depth + 1 (a sitemap index's
// children at the same depth); links found on pages are followed only while
// depth + 1 <= max_depth.
//
// With options.frontier set, the run first loads it: its queued URLs are
// queued again at their depth (with the seeds, which are new only if never
// seen), its done URLs are not fetched. Every URL queued is passed to
// Enqueue (one batch per document handled), before the document that led
// to it is passed to MarkDone; MarkDone follows the handler's call for each
// URL (or the decision to drop it); Complete is called when the run ends
// normally.
class Crawler {
 public:
  Crawler(CrawlOptions options, Fetcher& fetcher, CrawlHandler& handler);

  // Crawls from `seeds` (absolute http(s) URLs of pages, feeds or sitemaps).
  // Returns stats; per-URL failures go to the handler and never abort the
  // run. Fails with InvalidArgument for unusable options or a seed that is
  // not an http(s) URL, with IoError when the WARC file cannot be written,
  // and with the error of a failing FrontierStore call (the run stops, the
  // transfers in flight are cancelled; what the handler was given stays
  // given).
  StatusOr<CrawlStats> Run(const std::vector<std::string>& seeds);

 private:
  CrawlOptions options_;
  Fetcher& fetcher_;
  CrawlHandler& handler_;
};

// True when `url` matches `pattern`: a substring test, or with '*' a glob
// over the whole URL. Exposed for tests.
bool UrlMatchesPattern(std::string_view url, std::string_view pattern);

}  // namespace newsclaim::crawler
