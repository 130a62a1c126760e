// crawler/robots.h
// robots.txt per RFC 9309: groups by user agent, Allow/Disallow with longest
// match (Allow wins ties), "*" and "$" patterns, percent-encoded paths, plus
// the non-standard Crawl-delay and Sitemap lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::crawler {

class RobotsRules {
 public:
  // Parses `body` for the group that best matches `user_agent` (its product
  // token, e.g. "newsclaim"), falling back to "*". Malformed lines are
  // skipped and counted in warnings(); never fails.
  static RobotsRules Parse(std::string_view body, std::string_view user_agent);
  static RobotsRules AllowAll();     // 4xx, or no robots.txt
  static RobotsRules DisallowAll();  // 5xx or unreachable (RFC 9309 2.3.1.4)

  // `path_and_query` is the URL's path plus "?query" if any.
  bool IsAllowed(std::string_view path_and_query) const;
  double crawl_delay_seconds() const { return crawl_delay_seconds_; }  // 0 = none
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;
  };
  std::vector<Rule> rules_;
  double crawl_delay_seconds_ = 0;
  std::vector<std::string> sitemaps_;
  std::vector<std::string> warnings_;
  bool disallow_all_ = false;
};

}  // namespace newsclaim::crawler
