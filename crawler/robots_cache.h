// crawler/robots_cache.h
// Where robots.txt answers are kept between runs. RFC 9309 section 2.4 lets
// a crawler cache robots.txt for up to 24 hours: an hourly job then asks a
// site for its robots.txt once a day, not once a run. app/ backs this with
// the claim database (store::FrontierTable, table robots_cache).
//
// The crawler calls these from the thread that runs Crawler::Run, one call
// at a time. A failing call stops the run, like a failing FrontierStore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace newsclaim::crawler {

// One robots.txt answer: the HTTP status and the body (at most the 500 KiB
// that are parsed), fetched at `fetched_unix` (seconds since the epoch).
struct CachedRobots {
  int http_status = 0;
  std::string body;
  int64_t fetched_unix = 0;
};

class RobotsCache {
 public:
  virtual ~RobotsCache() = default;
  // The last answer stored for `robots_url` (a canonical
  // scheme://authority/robots.txt), whatever its age; nullopt if none.
  virtual StatusOr<std::optional<CachedRobots>> Find(const std::string& robots_url) = 0;
  // Replaces the answer stored for `robots_url`.
  virtual Status Store(const std::string& robots_url, const CachedRobots& robots) = 0;
};

}  // namespace newsclaim::crawler
