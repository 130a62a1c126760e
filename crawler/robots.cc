// crawler/robots.cc
// robots.txt per RFC 9309 (section numbers below refer to it), with the
// leniency of Google's open-source parser where the RFC leaves room.
//
// Parsing choices:
//  - Lines end at LF, CR or CRLF; "#" starts a comment (2.2). A UTF-8 BOM is
//    skipped; a UTF-16 BOM decodes the file first (seen in the wild).
//  - Only the first kMaxRobotsBytes (512 KiB) are read (2.5 asks for >= 500
//    KiB); the rest is ignored with a warning.
//  - Consecutive user-agent lines share a group; a group ends at the next
//    user-agent line after an allow/disallow (2.1). Other records (sitemap,
//    crawl-delay, unknown extensions) never end or split a group (2.2.4).
//  - All groups whose product token matches are merged, else all "*" groups
//    (2.2.1). The product token is the leading [A-Za-z0-9_-] run of the
//    user-agent value, compared case-insensitively.
//  - Keys are case-insensitive. Typos tolerated because they are unambiguous
//    and Google's parser accepts them too: "useragent", "user agent",
//    "user_agent"; "dissallow", "dissalow", "disalow", "diasllow",
//    "disallaw", "desallow"; "site-map". A known key followed by whitespace
//    instead of ':' ("disallow /x") is accepted with a warning.
//  - A line that is only an absolute http(s) URL is taken as a sitemap that
//    lost its "Sitemap:" key (with a warning).
//  - Patterns not starting with '/' or '*' get a leading '/', as Google does.
//  - Crawl-delay: the largest value among the matched groups (conservative).
//  - Sitemaps are global, collected in order from any position, de-duplicated,
//    and kept as written (the caller resolves relative ones).
//
// Matching (2.2.2-2.2.3): patterns and paths are compared after the same
// percent-encoding normalisation (escape non-ASCII and controls, upper-case
// hex, decode escaped unreserved characters); "*" matches any run, "$" at the
// end anchors. The longest pattern in octets wins; Allow wins ties. No rule
// matching means allowed, and "/robots.txt" itself is always allowed (2.2.2).

#include "crawler/robots.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "crawler/charset.h"

namespace newsclaim::crawler {
namespace {

constexpr size_t kMaxRobotsBytes = 512 * 1024;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}

// Section 2.2.2's normalisation, applied alike to patterns and paths. A '%'
// that does not start an escape is kept as is on both sides.
std::string NormalizeForMatch(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      const auto decoded = static_cast<unsigned char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      if (IsUnreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        out.push_back('%');
        out.push_back(kHex[decoded >> 4]);
        out.push_back(kHex[decoded & 0xF]);
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7F) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Section 2.2.3: "*" matches any sequence, a final "$" anchors at the end.
// Tracks the set of path positions the pattern prefix can end at, so the
// worst case is O(path * pattern) without backtracking.
bool PatternMatches(std::string_view path, std::string_view pattern) {
  std::vector<size_t> positions = {0};
  std::vector<size_t> next;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char p = pattern[i];
    if (p == '$' && i + 1 == pattern.size()) {
      return positions.back() == path.size();
    }
    if (p == '*') {
      const size_t from = positions.front();
      positions.clear();
      for (size_t k = from; k <= path.size(); ++k) positions.push_back(k);
      continue;
    }
    next.clear();
    for (size_t pos : positions) {
      if (pos < path.size() && path[pos] == p) next.push_back(pos + 1);
    }
    if (next.empty()) return false;
    positions.swap(next);
  }
  return true;
}

// The leading [A-Za-z0-9_-] run, lower-cased: section 2.2.1's product token.
// The RFC's identifier grammar has no digits, but real tokens do ("MJ12bot",
// "360Spider"), and without them "bot1" and "bot2" would be one crawler.
std::string ProductToken(std::string_view value) {
  std::string token;
  for (char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
        c == '-') {
      token.push_back(AsciiLower(c));
    } else {
      break;
    }
  }
  return token;
}

enum class Key { kUnknown, kUserAgent, kAllow, kDisallow, kSitemap, kCrawlDelay };

Key ClassifyKey(std::string_view raw) {
  const std::string key = Lower(Trim(raw));
  if (key == "user-agent" || key == "useragent" || key == "user agent" || key == "user_agent") {
    return Key::kUserAgent;
  }
  if (key == "allow") return Key::kAllow;
  if (key == "disallow" || key == "dissallow" || key == "dissalow" || key == "disalow" ||
      key == "diasllow" || key == "disallaw" || key == "desallow") {
    return Key::kDisallow;
  }
  if (key == "sitemap" || key == "site-map") return Key::kSitemap;
  if (key == "crawl-delay" || key == "crawl_delay" || key == "crawldelay") return Key::kCrawlDelay;
  return Key::kUnknown;
}

struct Group {
  std::vector<std::string> tokens;  // product tokens, "*" for the global group
  std::vector<std::pair<bool, std::string>> rules;  // (allow, raw pattern)
  double crawl_delay_seconds = -1;
};

}  // namespace

RobotsRules RobotsRules::AllowAll() { return RobotsRules(); }

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules rules;
  rules.disallow_all_ = true;
  return rules;
}

RobotsRules RobotsRules::Parse(std::string_view body, std::string_view user_agent) {
  RobotsRules result;

  // Encoding: RFC 9309 says UTF-8; a UTF-16 BOM is honoured anyway.
  std::string decoded;
  if (body.starts_with("\xFF\xFE") || body.starts_with("\xFE\xFF")) {
    auto doc = DecodeDocument(body, "text/plain");
    if (doc.ok()) {
      decoded = std::move(doc->utf8);
      body = decoded;
    }
  }
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (body.size() > kMaxRobotsBytes) {
    result.warnings_.push_back("robots.txt larger than 512 KiB; the rest is ignored");
    body = body.substr(0, kMaxRobotsBytes);
  }

  std::vector<Group> groups;
  bool group_has_rules = true;  // so that the first user-agent line opens a group
  int line_number = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (end < body.size() && body[end] == '\r' && pos < body.size() && body[pos] == '\n') ++pos;
    ++line_number;

    size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    auto warn = [&](std::string_view what) {
      result.warnings_.push_back("robots.txt line " + std::to_string(line_number) + ": " +
                                 std::string(what));
    };

    // Key and value.
    Key key = Key::kUnknown;
    std::string_view value;
    size_t colon = line.find(':');
    const std::string lower = Lower(line);
    if (lower.starts_with("http://") || lower.starts_with("https://")) {
      warn("bare URL taken as a sitemap");
      key = Key::kSitemap;
      value = line;
    } else if (colon != std::string_view::npos) {
      key = ClassifyKey(line.substr(0, colon));
      value = Trim(line.substr(colon + 1));
      if (key == Key::kUnknown) continue;  // an extension we do not use (2.2.4)
    } else {
      size_t space = line.find_first_of(" \t");
      if (space != std::string_view::npos) key = ClassifyKey(line.substr(0, space));
      if (key == Key::kUnknown) {
        warn("no ':' separator");
        continue;
      }
      warn("missing ':' after the key");
      value = Trim(line.substr(space + 1));
    }

    switch (key) {
      case Key::kUserAgent: {
        if (group_has_rules) {
          groups.emplace_back();
          group_has_rules = false;
        }
        std::string token = value.starts_with("*") ? "*" : ProductToken(value);
        if (token.empty()) {
          warn("user-agent without a product token");
        } else {
          groups.back().tokens.push_back(std::move(token));
        }
        break;
      }
      case Key::kAllow:
      case Key::kDisallow: {
        if (groups.empty()) {
          warn("rule before any user-agent line");
          break;
        }
        group_has_rules = true;
        if (value.empty()) break;  // "Disallow:" allows everything; no rule
        std::string pattern(value);
        if (pattern.front() != '/' && pattern.front() != '*') pattern.insert(0, "/");
        groups.back().rules.emplace_back(key == Key::kAllow, std::move(pattern));
        break;
      }
      case Key::kCrawlDelay: {
        if (groups.empty()) {
          warn("crawl-delay before any user-agent line");
          break;
        }
        double seconds = 0;
        const auto parsed = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (parsed.ec != std::errc() || seconds < 0) {
          warn("bad crawl-delay value");
          break;
        }
        Group& group = groups.back();
        group.crawl_delay_seconds = std::max(group.crawl_delay_seconds, seconds);
        break;
      }
      case Key::kSitemap: {
        if (value.empty()) break;
        std::string url(value);
        if (std::find(result.sitemaps_.begin(), result.sitemaps_.end(), url) ==
            result.sitemaps_.end()) {
          result.sitemaps_.push_back(std::move(url));
        }
        break;
      }
      case Key::kUnknown:
        break;
    }
  }

  // Section 2.2.1: merge every group naming our product token, else every
  // "*" group.
  const std::string ours = ProductToken(user_agent);
  auto names = [](const Group& group, std::string_view token) {
    return std::find(group.tokens.begin(), group.tokens.end(), token) != group.tokens.end();
  };
  bool specific = false;
  for (const Group& group : groups) specific |= !ours.empty() && names(group, ours);
  const std::string wanted = specific ? ours : "*";
  double delay = -1;
  for (const Group& group : groups) {
    if (!names(group, wanted)) continue;
    for (const auto& [allow, pattern] : group.rules) {
      result.rules_.push_back({allow, NormalizeForMatch(pattern)});
    }
    delay = std::max(delay, group.crawl_delay_seconds);
  }
  result.crawl_delay_seconds_ = delay > 0 ? delay : 0;
  return result;
}

bool RobotsRules::IsAllowed(std::string_view path_and_query) const {
  if (disallow_all_) return false;
  std::string path = NormalizeForMatch(path_and_query.empty() ? "/" : path_and_query);
  if (path == "/robots.txt") return true;
  size_t best_length = 0;
  bool matched = false;
  bool allowed = true;
  for (const Rule& rule : rules_) {
    if (!PatternMatches(path, rule.pattern)) continue;
    const size_t length = rule.pattern.size();
    if (!matched || length > best_length || (length == best_length && rule.allow)) {
      allowed = rule.allow;
      best_length = length;
      matched = true;
    }
  }
  return allowed;
}

}  // namespace newsclaim::crawler
