// crawler/crawl_config.h
// The TOML file of a scheduled crawl (`newsclaim crawl --config FILE`):
// sources with their start pages, feeds and sitemaps, URL patterns, limits,
// politeness and re-crawl intervals. Parsed and fully validated before any
// request is made; app/ turns each due source into one Crawler::Run.
// Every key is documented in docs/scheduling.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace newsclaim::crawler {

// One [[source]]: what to crawl and how, with the file's top-level values
// already merged in (a source's own key wins; `deny` lists are joined).
struct SourceConfig {
  std::string name;  // unique; letters, digits, '.', '_', '-'
  int line = 0;      // of its [[source]] header, for messages
  bool enabled = true;
  // Absolute http(s) URLs. The crawler tells feeds and sitemaps from pages
  // by their content; the keys only say what the user meant.
  std::vector<std::string> start, feeds, sitemaps;
  std::vector<std::string> allow, deny;  // crawler::UrlMatchesPattern syntax
  int max_depth = 2;
  int max_pages = 1000;
  int64_t delay_ms = 1000;  // per host; robots.txt Crawl-delay wins if longer
  int max_connections = 8;
  int per_host_connections = 1;
  int64_t recrawl_interval_s = 0;  // 0: crawled on every run

  // start + feeds + sitemaps, in that order, each URL once.
  std::vector<std::string> Seeds() const;
};

// The whole file. Fetcher settings are shared by every source of a run.
struct CrawlConfig {
  std::filesystem::path path;
  std::string user_agent;    // validated by ValidateUserAgent
  std::string robots_token;  // product token matched against robots.txt groups
  std::filesystem::path warc_dir;  // absolute, or empty: the default beside the DB
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 30000;
  size_t max_body_bytes = 10 * 1024 * 1024;
  int max_retries = 3;
  std::vector<SourceConfig> sources;  // in file order; at least one
};

// Reads and validates the file at `path`. Fails with InvalidArgument
// "PATH:LINE: message" for a TOML syntax error, an unknown key, a value of
// the wrong type or range, a URL that is not absolute http(s), a duplicate
// source name, a source with nothing to crawl, or a user_agent without a
// contact URL; IoError "PATH: reason" when it cannot be read. A missing
// user_agent is left empty: --user-agent may supply it, and app/ requires
// one of the two.
StatusOr<CrawlConfig> LoadCrawlConfig(const std::filesystem::path& path);

// As LoadCrawlConfig, from `text`; `path` names it in messages and anchors
// a relative warc_dir.
StatusOr<CrawlConfig> ParseCrawlConfig(std::string_view text,
                                       const std::filesystem::path& path);

// Values given on the command line; each set one replaces the config's
// value everywhere, per-source overrides included.
struct CrawlOverrides {
  std::optional<int> max_depth, max_pages, max_connections, per_host_connections;
  std::optional<int64_t> delay_ms;
  std::optional<std::string> user_agent;
  std::optional<std::filesystem::path> warc_dir;
};
void ApplyOverrides(const CrawlOverrides& overrides, CrawlConfig& config);

// OK when `user_agent` names a product and includes a contact URL
// ("http://...", "https://..." or "mailto:..."), so that site operators can
// reach whoever runs the crawler. InvalidArgument saying what is missing.
Status ValidateUserAgent(std::string_view user_agent);

// The product token of a User-Agent, for robots.txt group matching
// (RFC 9309 section 2.2.1): "newsclaim/0.1 (+https://x)" -> "newsclaim".
std::string RobotsToken(std::string_view user_agent);

// A duration: a non-negative integer with a unit s, m, h, d or w
// ("90s", "30m", "6h", "1d"), or "0". InvalidArgument otherwise.
StatusOr<int64_t> ParseDurationSeconds(std::string_view text);

// Whether a source is due. `last_started_unix` is the start of its last
// *completed* run (nullopt: never completed). A run is due once
// interval - grace has passed, where grace is 1/20 of the interval (at most
// 5 minutes): a timer firing on the source's own period would otherwise
// skip every other run by a few milliseconds.
struct DueCheck {
  bool due = true;
  int64_t wait_s = 0;  // when not due: seconds until it is
};
DueCheck CheckDue(int64_t interval_s, std::optional<int64_t> last_started_unix,
                  int64_t now_unix);

// "45s", "12m", "3h 5m", "2d 4h": for messages.
std::string FormatDuration(int64_t seconds);

}  // namespace newsclaim::crawler
