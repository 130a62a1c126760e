// crawler/feeds.cc
// Feed and sitemap reading: a small tolerant XML scanner builds a flat element
// tree, then one function per format walks it. Formats: RSS 0.9x/2.0, RSS 1.0
// (RDF), Atom 0.3/1.0, JSON Feed 1.x (nlohmann_json), sitemaps.org urlset and
// sitemapindex (with Google News extensions), plain-text sitemaps.
//
// The scanner is deliberately not a conforming XML parser:
//  - Only the five XML entities, numeric references and a handful of common
//    HTML entities are decoded. The DOCTYPE (and any internal subset) is
//    skipped, so entities it declares are never expanded and nothing external
//    is ever fetched: no entity-expansion bombs, no XXE.
//  - Namespaces are matched by prefix-less local name (lower-cased), so a
//    sitemap in a wrong namespace still yields its URLs (with a warning).
//  - Errors never stop the scan: unterminated CDATA or comments end the text,
//    a stray end tag is dropped, unclosed elements are closed at the end, and
//    each fix is reported as a warning with its byte offset.
//  - Limits: kMaxDepth nested elements, kMaxNodes elements, kMaxEntries
//    entries (sitemaps.org allows 50,000 per file).
// Dates become ISO 8601: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" in UTC when a
// time and zone are given (RFC 822 dates from RSS included).

#include "crawler/feeds.h"

#include <zlib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "crawler/charset.h"

namespace newsclaim::crawler {
namespace {

constexpr int kMaxDepth = 256;
constexpr size_t kMaxNodes = 4'000'000;
constexpr size_t kMaxEntries = kMaxLinkListEntries;
std::string TooManyEntriesWarning() {
  return "more than " + std::to_string(kMaxEntries) + " entries; rest ignored";
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != AsciiLower(prefix[i])) return false;
  }
  return true;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// --- XML scanning ------------------------------------------------------------

struct Node {
  std::string prefix;  // lower case, "" when none
  std::string name;    // local name, lower case
  std::vector<std::pair<std::string, std::string>> attributes;  // lower-case qualified names
  std::string text;    // direct character data, entities decoded
  std::vector<int> children;
  int parent = -1;

  const std::string* Attribute(std::string_view qualified) const {
    for (const auto& [key, value] : attributes) {
      if (key == qualified) return &value;
    }
    return nullptr;
  }
};

class XmlScanner {
 public:
  XmlScanner(std::string_view text, std::vector<std::string>* warnings)
      : text_(text), warnings_(warnings) {}

  // Builds the tree; nodes_[0] is a synthetic document node.
  std::vector<Node> Scan() {
    nodes_.emplace_back();
    stack_.push_back(0);
    size_t pos = 0;
    while (pos < text_.size() && !stopped_) {
      size_t lt = text_.find('<', pos);
      if (lt == std::string_view::npos) lt = text_.size();
      if (lt > pos) AppendText(text_.substr(pos, lt - pos), pos);
      if (lt >= text_.size()) break;
      pos = ScanMarkup(lt);
    }
    for (size_t i = stack_.size(); i > 1; --i) {
      Warn("unclosed <" + QualifiedName(nodes_[stack_[i - 1]]) + ">", text_.size());
    }
    return std::move(nodes_);
  }

 private:
  static bool IsRecordElement(std::string_view name) {
    return name == "item" || name == "entry" || name == "url" || name == "sitemap";
  }

  static std::string QualifiedName(const Node& node) {
    return node.prefix.empty() ? node.name : node.prefix + ":" + node.name;
  }

  void Warn(std::string message, size_t byte_offset) {
    if (warnings_->size() >= 50) return;  // enough to tell that it is broken
    warnings_->push_back(message + " at byte " + std::to_string(byte_offset));
  }

  // Character data for the element on top of the stack. Whitespace-only
  // runs outside any element are dropped silently.
  void AppendText(std::string_view raw, size_t offset) {
    if (stack_.size() == 1) {
      if (!Trim(raw).empty()) Warn("text outside the root element", offset);
      return;
    }
    DecodeEntities(raw, offset, nodes_[stack_.back()].text);
  }

  void DecodeEntities(std::string_view raw, size_t offset, std::string& out) {
    size_t pos = 0;
    while (pos < raw.size()) {
      size_t amp = raw.find('&', pos);
      if (amp == std::string_view::npos) {
        out.append(raw.substr(pos));
        return;
      }
      out.append(raw.substr(pos, amp - pos));
      size_t semi = raw.find(';', amp);
      if (semi == std::string_view::npos || semi - amp > 12) {
        Warn("bare '&'", offset + amp);
        out.push_back('&');
        pos = amp + 1;
        continue;
      }
      std::string_view entity = raw.substr(amp + 1, semi - amp - 1);
      if (!ExpandEntity(entity, out)) {
        Warn("undefined entity &" + std::string(entity) + ";", offset + amp);
        out.append(raw.substr(amp, semi - amp + 1));
      }
      pos = semi + 1;
    }
  }

  static bool ExpandEntity(std::string_view entity, std::string& out) {
    if (entity.size() >= 2 && entity[0] == '#') {
      uint32_t cp = 0;
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string_view digits = entity.substr(hex ? 2 : 1);
      if (digits.empty()) return false;
      for (char c : digits) {
        int v;
        if (c >= '0' && c <= '9') {
          v = c - '0';
        } else if (hex && c >= 'a' && c <= 'f') {
          v = c - 'a' + 10;
        } else if (hex && c >= 'A' && c <= 'F') {
          v = c - 'A' + 10;
        } else {
          return false;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        if (cp > 0x10FFFF) cp = 0x110000;  // stays invalid, no overflow
      }
      AppendUtf8(out, cp);
      return true;
    }
    struct Named {
      std::string_view name;
      uint32_t cp;
    };
    // XML's five, then HTML entities that real feeds use without declaring.
    static constexpr std::array<Named, 19> kNamed = {{
        {"amp", '&'},        {"lt", '<'},          {"gt", '>'},          {"quot", '"'},
        {"apos", '\''},      {"nbsp", 0xA0},       {"copy", 0xA9},       {"reg", 0xAE},
        {"hellip", 0x2026},  {"mdash", 0x2014},    {"ndash", 0x2013},    {"lsquo", 0x2018},
        {"rsquo", 0x2019},   {"ldquo", 0x201C},    {"rdquo", 0x201D},    {"middot", 0xB7},
        {"trade", 0x2122},   {"laquo", 0xAB},      {"raquo", 0xBB},
    }};
    for (const Named& named : kNamed) {
      if (entity == named.name) {
        AppendUtf8(out, named.cp);
        return true;
      }
    }
    return false;
  }

  // Scans the markup starting at text_[lt] == '<'; returns the position after it.
  size_t ScanMarkup(size_t lt) {
    std::string_view rest = text_.substr(lt);
    if (rest.starts_with("<!--")) {
      size_t end = text_.find("-->", lt + 4);
      if (end == std::string_view::npos) {
        Warn("unterminated comment", lt);
        stopped_ = true;
        return text_.size();
      }
      return end + 3;
    }
    if (rest.starts_with("<![CDATA[")) {
      size_t end = text_.find("]]>", lt + 9);
      if (end == std::string_view::npos) {
        Warn("unterminated CDATA section", lt);
        if (stack_.size() > 1) nodes_[stack_.back()].text.append(text_.substr(lt + 9));
        stopped_ = true;
        return text_.size();
      }
      if (stack_.size() > 1) nodes_[stack_.back()].text.append(text_.substr(lt + 9, end - lt - 9));
      return end + 3;
    }
    if (rest.starts_with("<?")) {
      size_t end = text_.find("?>", lt + 2);
      if (end == std::string_view::npos) {
        Warn("unterminated processing instruction", lt);
        stopped_ = true;
        return text_.size();
      }
      return end + 2;
    }
    if (rest.starts_with("<!")) return SkipDeclaration(lt);
    if (rest.starts_with("</")) return ScanEndTag(lt);
    if (rest.size() > 1 && (std::isalpha(static_cast<unsigned char>(rest[1])) || rest[1] == '_' ||
                            static_cast<unsigned char>(rest[1]) >= 0x80)) {
      return ScanStartTag(lt);
    }
    Warn("'<' that starts no tag", lt);
    AppendText("<", lt);
    return lt + 1;
  }

  // <!DOCTYPE ...> with an optional [internal subset]; quotes respected.
  size_t SkipDeclaration(size_t lt) {
    int depth = 0;
    char quote = 0;
    for (size_t i = lt + 2; i < text_.size(); ++i) {
      char c = text_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']') {
        depth = std::max(0, depth - 1);
      } else if (c == '>' && depth == 0) {
        return i + 1;
      }
    }
    Warn("unterminated <! declaration", lt);
    stopped_ = true;
    return text_.size();
  }

  size_t ScanEndTag(size_t lt) {
    size_t gt = text_.find('>', lt + 2);
    if (gt == std::string_view::npos) {
      Warn("unterminated end tag", lt);
      stopped_ = true;
      return text_.size();
    }
    std::string qualified = Lower(Trim(text_.substr(lt + 2, gt - lt - 2)));
    // Find the matching open element; close everything above it.
    for (size_t i = stack_.size(); i > 1; --i) {
      if (QualifiedName(nodes_[stack_[i - 1]]) == qualified) {
        for (size_t k = stack_.size(); k > i; --k) {
          Warn("unclosed <" + QualifiedName(nodes_[stack_[k - 1]]) + ">", lt);
        }
        stack_.resize(i - 1);
        return gt + 1;
      }
    }
    Warn("stray </" + qualified + ">", lt);
    return gt + 1;
  }

  size_t ScanStartTag(size_t lt) {
    size_t pos = lt + 1;
    size_t name_end = pos;
    while (name_end < text_.size() && !IsSpace(text_[name_end]) && text_[name_end] != '/' &&
           text_[name_end] != '>' && text_[name_end] != '<') {
      ++name_end;
    }
    Node node;
    std::string qualified = Lower(text_.substr(pos, name_end - pos));
    size_t colon = qualified.find(':');
    if (colon != std::string::npos) {
      node.prefix = qualified.substr(0, colon);
      node.name = qualified.substr(colon + 1);
    } else {
      node.name = qualified;
    }
    pos = name_end;
    bool self_closing = false;
    while (true) {
      while (pos < text_.size() && IsSpace(text_[pos])) ++pos;
      if (pos >= text_.size()) {
        Warn("unterminated <" + qualified + "> tag", lt);
        stopped_ = true;
        break;
      }
      char c = text_[pos];
      if (c == '>') {
        ++pos;
        break;
      }
      if (c == '/' && pos + 1 < text_.size() && text_[pos + 1] == '>') {
        self_closing = true;
        pos += 2;
        break;
      }
      if (c == '<') {  // broken tag: let the next tag start here
        Warn("'<' inside <" + qualified + "> tag", pos);
        break;
      }
      // Attribute name [= value].
      size_t attr_start = pos;
      while (pos < text_.size() && !IsSpace(text_[pos]) && text_[pos] != '=' && text_[pos] != '>' &&
             text_[pos] != '<' && !(text_[pos] == '/' && pos + 1 < text_.size() && text_[pos + 1] == '>')) {
        ++pos;
      }
      std::string attr_name = Lower(text_.substr(attr_start, pos - attr_start));
      if (attr_name.empty()) {  // e.g. a lone '/'
        ++pos;
        continue;
      }
      size_t look = pos;
      while (look < text_.size() && IsSpace(text_[look])) ++look;
      std::string value;
      if (look < text_.size() && text_[look] == '=') {
        pos = look + 1;
        while (pos < text_.size() && IsSpace(text_[pos])) ++pos;
        if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'')) {
          const char quote = text_[pos];
          size_t close = text_.find(quote, pos + 1);
          if (close == std::string_view::npos) {
            Warn("unterminated attribute value", pos);
            stopped_ = true;
            break;
          }
          DecodeEntities(text_.substr(pos + 1, close - pos - 1), pos + 1, value);
          pos = close + 1;
        } else {
          size_t start = pos;
          while (pos < text_.size() && !IsSpace(text_[pos]) && text_[pos] != '>') ++pos;
          Warn("unquoted attribute value", start);
          DecodeEntities(text_.substr(start, pos - start), start, value);
        }
      }
      if (attr_name.starts_with("xmlns:")) declared_prefixes_.insert(attr_name.substr(6));
      node.attributes.emplace_back(std::move(attr_name), std::move(value));
    }
    if (!node.prefix.empty() && node.prefix != "xml" && !declared_prefixes_.count(node.prefix)) {
      Warn("undeclared namespace prefix '" + node.prefix + "'", lt);
      declared_prefixes_.insert(node.prefix);  // once per prefix
    }
    if (nodes_.size() >= kMaxNodes) {
      Warn("too many elements; rest ignored", lt);
      stopped_ = true;
      return text_.size();
    }
    if (static_cast<int>(stack_.size()) > kMaxDepth) {
      Warn("elements nested too deeply; flattened", lt);
      self_closing = true;  // keep it, but do not descend
    }
    // A new <item>/<entry>/<url>/<sitemap> while one is still open means the
    // previous one was never closed: records do not nest in any format.
    if (IsRecordElement(node.name)) {
      for (size_t i = stack_.size(); i > 1; --i) {
        const Node& open = nodes_[stack_[i - 1]];
        if (open.name == node.name && open.prefix == node.prefix) {
          for (size_t k = stack_.size(); k >= i; --k) {
            Warn("unclosed <" + QualifiedName(nodes_[stack_[k - 1]]) + ">", lt);
          }
          stack_.resize(i - 1);
          break;
        }
      }
    }
    const int index = static_cast<int>(nodes_.size());
    node.parent = stack_.back();
    nodes_.push_back(std::move(node));
    nodes_[nodes_.back().parent].children.push_back(index);
    if (!self_closing) stack_.push_back(index);
    return pos;
  }

  std::string_view text_;
  std::vector<std::string>* warnings_;
  std::vector<Node> nodes_;
  std::vector<int> stack_;
  std::unordered_set<std::string> declared_prefixes_;
  bool stopped_ = false;
};

// --- Dates -------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// "YYYY-MM-DDTHH:MM:SSZ" for a local time `offset_minutes` east of UTC.
std::string FormatUtc(int year, int month, int day, int hour, int minute, int second,
                      int offset_minutes) {
  int64_t seconds = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
                        86400 +
                    hour * 3600 + minute * 60 + second - offset_minutes * 60;
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rem = seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return buffer;
}

bool ValidDate(int year, int month, int day) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 &&
         day <= kDays[month - 1];
}

// Reads up to `max_digits` digits at s[pos]; -1 when there are none.
int ReadNumber(std::string_view s, size_t& pos, size_t max_digits) {
  int value = 0;
  size_t start = pos;
  while (pos < s.size() && pos - start < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    value = value * 10 + (s[pos] - '0');
    ++pos;
  }
  return pos == start ? -1 : value;
}

// Zone offset in minutes for "Z", "+09:00", "+0900", "GMT", "EST"...; false
// for an unknown zone.
bool ParseZone(std::string_view zone, int& offset_minutes) {
  zone = Trim(zone);
  offset_minutes = 0;
  if (zone.empty()) return false;
  if (zone[0] == '+' || zone[0] == '-') {
    size_t pos = 1;
    int hours = ReadNumber(zone, pos, 2);
    if (hours < 0) return false;
    if (pos < zone.size() && zone[pos] == ':') ++pos;
    int minutes = pos < zone.size() ? ReadNumber(zone, pos, 2) : 0;
    if (minutes < 0) minutes = 0;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
    return hours <= 14 && minutes < 60;
  }
  const std::string upper = [&] {
    std::string u(zone);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  }();
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr Named kZones[] = {{"Z", 0},    {"UT", 0},   {"UTC", 0},  {"GMT", 0},
                                     {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
                                     {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
                                     {"JST", 9},  {"KST", 9}};
  for (const Named& named : kZones) {
    if (upper == named.name) {
      offset_minutes = named.hours * 60;
      return true;
    }
  }
  return false;
}

// ISO 8601 / W3C-DTF: YYYY[-MM[-DD[(T| )HH:MM[:SS[.fff]][zone]]]].
std::string ParseIsoDate(std::string_view s) {
  s = Trim(s);
  size_t pos = 0;
  int year = ReadNumber(s, pos, 4);
  if (year < 0 || pos != 4) return "";
  if (pos == s.size()) return year >= 1900 ? std::string(s) : "";
  if (s[pos] != '-') return "";
  ++pos;
  int month = ReadNumber(s, pos, 2);
  if (month < 1 || month > 12) return "";
  char buffer[48];
  if (pos == s.size()) {
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d", year, month);
    return buffer;
  }
  if (s[pos] != '-') return "";
  ++pos;
  int day = ReadNumber(s, pos, 2);
  if (!ValidDate(year, month, day)) return "";
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", year, month, day);
  if (pos == s.size()) return buffer;
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return buffer;
  ++pos;
  int hour = ReadNumber(s, pos, 2);
  if (hour < 0 || pos >= s.size() || s[pos] != ':') return buffer;
  ++pos;
  int minute = ReadNumber(s, pos, 2);
  int second = 0;
  if (minute < 0) return buffer;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    second = ReadNumber(s, pos, 2);
    if (second < 0) return buffer;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
  }
  if (hour > 24 || minute > 59 || second > 60) return buffer;
  int offset = 0;
  if (pos == s.size() || !ParseZone(s.substr(pos), offset)) {
    // No zone: W3C-DTF requires one; keep the local time without "Z".
    char local[96];
    std::snprintf(local, sizeof(local), "%sT%02d:%02d:%02d", buffer, hour, minute, second);
    return local;
  }
  return FormatUtc(year, month, day, hour, minute, second, offset);
}

// RFC 822 / RFC 2822 section 3.3: "[Wdy,] DD Mon YYYY HH:MM[:SS] zone".
std::string ParseRfc822Date(std::string_view s) {
  s = Trim(s);
  size_t comma = s.find(',');
  if (comma != std::string_view::npos && comma < 12) s = Trim(s.substr(comma + 1));
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    size_t start = pos;
    while (pos < s.size() && !IsSpace(s[pos])) ++pos;
    if (pos > start) parts.push_back(s.substr(start, pos - start));
  }
  if (parts.size() < 3) return "";
  // Some feeds drop the weekday's comma: "Thu 01 Jan 2004".
  if (!parts[0].empty() && !std::isdigit(static_cast<unsigned char>(parts[0][0]))) {
    parts.erase(parts.begin());
  }
  if (parts.size() < 3) return "";
  size_t p = 0;
  int day = ReadNumber(parts[0], p, 2);
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (StartsWithIgnoreCase(parts[1], kMonths[i])) month = i + 1;
  }
  p = 0;
  int year = ReadNumber(parts[2], p, 4);
  if (p == 2) year += year < 50 ? 2000 : 1900;  // RFC 2822 section 4.3
  if (!ValidDate(year, month, day)) return "";
  char date[48];
  std::snprintf(date, sizeof(date), "%04d-%02d-%02d", year, month, day);
  if (parts.size() < 4) return date;
  p = 0;
  int hour = ReadNumber(parts[3], p, 2);
  int minute = -1;
  int second = 0;
  if (hour >= 0 && p < parts[3].size() && parts[3][p] == ':') {
    ++p;
    minute = ReadNumber(parts[3], p, 2);
    if (p < parts[3].size() && parts[3][p] == ':') {
      ++p;
      second = ReadNumber(parts[3], p, 2);
    }
  }
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59 || second < 0 || second > 60) return date;
  int offset = 0;
  if (parts.size() >= 5) ParseZone(parts[4], offset);  // unknown zones read as UTC
  return FormatUtc(year, month, day, hour, minute, second, offset);
}

std::string NormalizeDate(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return "";
  std::string iso = ParseIsoDate(text);
  if (!iso.empty()) return iso;
  return ParseRfc822Date(text);
}

// --- Format readers ----------------------------------------------------------

class TreeReader {
 public:
  TreeReader(const std::vector<Node>& nodes, LinkList& out) : nodes_(nodes), out_(out) {}

  // Direct children of `parent` named `name` (local name, any prefix unless
  // `prefix` is given).
  std::vector<int> Children(int parent, std::string_view name,
                            std::string_view prefix = "*") const {
    std::vector<int> found;
    for (int child : nodes_[parent].children) {
      const Node& node = nodes_[child];
      if (node.name == name && (prefix == "*" || node.prefix == prefix)) found.push_back(child);
    }
    return found;
  }

  std::string ChildText(int parent, std::string_view name, std::string_view prefix = "*") const {
    for (int child : Children(parent, name, prefix)) {
      std::string_view text = Trim(nodes_[child].text);
      if (!text.empty()) return std::string(text);
    }
    return "";
  }

  // Every element named `name` in document order, not descending into
  // matches (an <item> never holds an <item>).
  std::vector<int> Descendants(std::string_view name) const {
    std::vector<int> found;
    std::vector<int> stack = {0};
    while (!stack.empty()) {
      int index = stack.back();
      stack.pop_back();
      const Node& node = nodes_[index];
      if (index != 0 && node.name == name) {
        found.push_back(index);
        continue;
      }
      for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
    }
    return found;
  }

  void Add(LinkListEntry entry) {
    if (entry.url.empty()) return;
    if (out_.entries.size() >= kMaxEntries) {
      if (!capped_) out_.warnings.push_back(TooManyEntriesWarning());
      capped_ = true;
      return;
    }
    out_.entries.push_back(std::move(entry));
  }

  // RSS 0.9x/2.0. Link: <link>, else a permalink <guid> (isPermaLink defaults
  // to true, RSS 2.0 spec), else <atom:link rel="alternate" href>.
  void ReadRss() {
    for (int item : Descendants("item")) {
      LinkListEntry entry;
      for (int link : Children(item, "link")) {
        const Node& node = nodes_[link];
        std::string_view text = Trim(node.text);
        if (!text.empty() && node.prefix != "atom") {
          entry.url = std::string(text);
          break;
        }
      }
      if (entry.url.empty()) {
        for (int guid : Children(item, "guid")) {
          const std::string* permalink = nodes_[guid].Attribute("ispermalink");
          std::string_view text = Trim(nodes_[guid].text);
          if ((permalink == nullptr || Lower(Trim(*permalink)) != "false") && !text.empty()) {
            entry.url = std::string(text);
            break;
          }
        }
      }
      if (entry.url.empty()) entry.url = AtomLink(item);
      entry.title = ChildText(item, "title");
      entry.published = LastDate(item, {"pubdate", "date", "issued", "published"});
      if (entry.published.empty()) entry.published = LastDate(item, {"modified", "updated"});
      Add(std::move(entry));
    }
  }

  // RSS 1.0: <item rdf:about> with <link> and <dc:date>.
  void ReadRdf() {
    for (int item : Descendants("item")) {
      LinkListEntry entry;
      entry.url = ChildText(item, "link");
      if (entry.url.empty()) {
        const std::string* about = nodes_[item].Attribute("rdf:about");
        if (about != nullptr) entry.url = std::string(Trim(*about));
      }
      entry.title = ChildText(item, "title");
      entry.published = LastDate(item, {"date", "issued", "pubdate"});
      if (entry.published.empty()) entry.published = LastDate(item, {"modified"});
      Add(std::move(entry));
    }
  }

  // Atom (RFC 4287 section 4.2.7.2: a <link> without rel is rel="alternate").
  void ReadAtom() {
    for (int item : Descendants("entry")) {
      LinkListEntry entry;
      entry.url = AtomLink(item);
      entry.title = ChildText(item, "title");
      entry.published = LastDate(item, {"published", "issued"});
      if (entry.published.empty()) entry.published = LastDate(item, {"updated", "modified"});
      if (entry.published.empty()) entry.published = LastDate(item, {"created"});
      Add(std::move(entry));
    }
  }

  // sitemaps.org: <url><loc> (or <sitemap><loc>); an element without <loc>
  // but with URL text is salvaged. News sitemaps give publication_date and
  // title; otherwise <lastmod> is the date.
  void ReadSitemap(std::string_view element) {
    for (int item : Descendants(element)) {
      LinkListEntry entry;
      entry.url = ChildText(item, "loc");
      if (entry.url.empty()) {
        std::string_view text = Trim(nodes_[item].text);
        if (StartsWithIgnoreCase(text, "http://") || StartsWithIgnoreCase(text, "https://")) {
          entry.url = std::string(text);
        }
      }
      for (int news : Children(item, "news")) {
        entry.published = NormalizeDate(ChildText(news, "publication_date"));
        entry.title = ChildText(news, "title");
      }
      if (entry.published.empty()) entry.published = NormalizeDate(ChildText(item, "lastmod"));
      Add(std::move(entry));
    }
  }

 private:
  // The last parseable date among children with these names: later values
  // override earlier ones, as in feedparser.
  std::string LastDate(int item, std::initializer_list<std::string_view> names) const {
    std::string date;
    for (int child : nodes_[item].children) {
      const Node& node = nodes_[child];
      for (std::string_view name : names) {
        if (node.name != name) continue;
        std::string parsed = NormalizeDate(node.text);
        if (!parsed.empty()) date = std::move(parsed);
      }
    }
    return date;
  }

  // The alternate link of an Atom entry: rel="alternate" or no rel, href
  // preferred over text content; an alternate of type text/html wins.
  std::string AtomLink(int item) const {
    std::string best;
    bool best_is_html = false;
    for (int link : Children(item, "link")) {
      const Node& node = nodes_[link];
      const std::string* rel = node.Attribute("rel");
      if (rel != nullptr && Lower(Trim(*rel)) != "alternate") continue;
      const std::string* href = node.Attribute("href");
      std::string url(Trim(href != nullptr ? std::string_view(*href) : std::string_view(node.text)));
      if (url.empty()) continue;
      const std::string* type = node.Attribute("type");
      const bool html = type == nullptr || Lower(Trim(*type)).find("html") != std::string::npos;
      if (best.empty() || (html && !best_is_html)) {
        best = std::move(url);
        best_is_html = html;
      }
    }
    return best;
  }

  const std::vector<Node>& nodes_;
  LinkList& out_;
  bool capped_ = false;
};

// JSON Feed 1.x: items[].url (else external_url), date_published, title.
bool ReadJsonFeed(std::string_view text, LinkList& out) {
  nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                             /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return false;
  const auto version = doc.find("version");
  const bool versioned = version != doc.end() && version->is_string() &&
                         version->get<std::string>().find("jsonfeed.org") != std::string::npos;
  const auto items = doc.find("items");
  if (!versioned && (items == doc.end() || !items->is_array())) return false;
  out.kind = LinkListKind::kJsonFeed;
  if (items == doc.end() || !items->is_array()) {
    out.warnings.push_back("JSON Feed without an items array");
    return true;
  }
  auto string_field = [](const nlohmann::json& item, const char* key) -> std::string {
    auto it = item.find(key);
    return (it != item.end() && it->is_string()) ? it->get<std::string>() : "";
  };
  size_t index = 0;
  for (const nlohmann::json& item : *items) {
    ++index;
    if (!item.is_object()) {
      out.warnings.push_back("JSON Feed item " + std::to_string(index) + " is not an object");
      continue;
    }
    LinkListEntry entry;
    entry.url = string_field(item, "url");
    if (entry.url.empty()) entry.url = string_field(item, "external_url");
    if (entry.url.empty()) continue;
    if (out.entries.size() >= kMaxEntries) {
      out.warnings.push_back(TooManyEntriesWarning());
      break;
    }
    entry.title = string_field(item, "title");
    entry.published = NormalizeDate(string_field(item, "date_published"));
    if (entry.published.empty()) entry.published = NormalizeDate(string_field(item, "date_modified"));
    out.entries.push_back(std::move(entry));
  }
  return true;
}

// sitemaps.org text format: one absolute URL per line, nothing else. Most
// lines must be URLs (starting with the first non-empty one); stray lines
// are warned about and skipped.
bool ReadTextSitemap(std::string_view text, LinkList& out) {
  std::vector<std::string> urls;
  size_t other = 0;
  size_t pos = 0;
  int line_number = 0;
  std::vector<std::string> warnings;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    if (line.empty()) continue;
    const bool url = (StartsWithIgnoreCase(line, "http://") ||
                      StartsWithIgnoreCase(line, "https://")) &&
                     line.find_first_of(" \t<>\"") == std::string_view::npos;
    if (url) {
      urls.emplace_back(line);
    } else {
      if (urls.empty()) return false;
      ++other;
      if (warnings.size() < 20) {
        warnings.push_back("line " + std::to_string(line_number) + " is not a URL");
      }
    }
  }
  if (urls.empty() || other * 4 > urls.size()) return false;
  out.kind = LinkListKind::kSitemapText;
  for (std::string& url : urls) {
    if (out.entries.size() >= kMaxEntries) {
      warnings.push_back(TooManyEntriesWarning());
      break;
    }
    out.entries.push_back({std::move(url), "", ""});
  }
  out.warnings = std::move(warnings);
  return true;
}

std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

// The local name (lower case) of the first element, skipping the XML
// declaration, comments, processing instructions and the DOCTYPE; empty when
// there is none. Lets ParseLinkList turn HTML pages away before decoding and
// scanning them.
std::string RootElementName(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    if (pos >= s.size() || s[pos] != '<') return "";
    std::string_view rest = s.substr(pos);
    size_t end;
    if (rest.starts_with("<!--")) {
      end = s.find("-->", pos + 4);
      if (end == std::string_view::npos) return "";
      pos = end + 3;
    } else if (rest.starts_with("<?")) {
      end = s.find("?>", pos + 2);
      if (end == std::string_view::npos) return "";
      pos = end + 2;
    } else if (rest.starts_with("<!")) {
      int depth = 0;
      for (end = pos + 2; end < s.size(); ++end) {
        if (s[end] == '[') ++depth;
        if (s[end] == ']') --depth;
        if (s[end] == '>' && depth <= 0) break;
      }
      pos = end + 1;
    } else {
      size_t name_end = pos + 1;
      while (name_end < s.size() && !IsSpace(s[name_end]) && s[name_end] != '>' &&
             s[name_end] != '/') {
        ++name_end;
      }
      std::string name = Lower(s.substr(pos + 1, name_end - pos - 1));
      size_t colon = name.find(':');
      return colon == std::string::npos ? name : name.substr(colon + 1);
    }
  }
  return "";
}

bool IsLinkListRoot(std::string_view name) {
  return name == "rss" || name == "channel" || name == "rdf" || name == "feed" ||
         name == "urlset" || name == "sitemapindex";
}

}  // namespace

LinkList ParseLinkList(std::string_view body, std::string_view content_type,
                       std::string_view url) {
  LinkList out;
  // Cheap early exit for the common case, an HTML page (ASCII-compatible
  // bytes only; UTF-16 goes through decoding first).
  const bool utf16 = body.starts_with("\xFF\xFE") || body.starts_with("\xFE\xFF");
  std::string_view raw = SkipBomAndSpace(body);
  if (!utf16 && raw.starts_with("<")) {
    const std::string root = RootElementName(raw);
    if (!root.empty() && !IsLinkListRoot(root)) return out;
  }

  // Everything below reads UTF-8; legacy-encoded feeds (Shift_JIS, EUC-JP)
  // are converted first, by the same rules as pages.
  std::string decoded;
  std::vector<std::string> warnings;
  auto doc = DecodeDocument(body, content_type);
  if (doc.ok()) {
    decoded = std::move(doc->utf8);
    // XML without a declaration must be UTF-8 (XML 1.0 section 4.3.3).
    if ((doc->source == "detected" || doc->source == "default") && doc->charset != "utf-8") {
      warnings.push_back("undeclared encoding, read as " + doc->charset);
    }
  } else {
    decoded.assign(body);
  }
  std::string_view text = SkipBomAndSpace(decoded);
  const std::string name(url.empty() ? "document" : url);
  if (text.empty()) {
    out.warnings.push_back(name + ": empty document");
    return out;
  }

  if (text.front() == '{') {
    ReadJsonFeed(text, out);
    return out;
  }
  if (text.front() != '<') {
    ReadTextSitemap(text, out);
    return out;
  }

  const std::vector<Node> nodes = XmlScanner(text, &warnings).Scan();
  int root = -1;
  for (int child : nodes[0].children) {
    root = child;
    break;
  }
  if (root < 0) {
    out.warnings.push_back(name + ": no root element");
    return out;
  }
  const Node& top = nodes[root];
  TreeReader reader(nodes, out);
  if (top.name == "rss" || top.name == "channel") {
    out.kind = LinkListKind::kRss;
    reader.ReadRss();
  } else if (top.name == "rdf") {
    out.kind = LinkListKind::kRdf;
    reader.ReadRdf();
  } else if (top.name == "feed") {
    out.kind = LinkListKind::kAtom;
    reader.ReadAtom();
  } else if (top.name == "urlset" || top.name == "sitemapindex") {
    const bool index = top.name == "sitemapindex";
    out.kind = index ? LinkListKind::kSitemapIndex : LinkListKind::kSitemap;
    const std::string* ns =
        top.Attribute(top.prefix.empty() ? std::string("xmlns") : "xmlns:" + top.prefix);
    if (ns == nullptr || Trim(*ns) != "http://www.sitemaps.org/schemas/sitemap/0.9") {
      warnings.insert(warnings.begin(),
                      "sitemap namespace is not http://www.sitemaps.org/schemas/sitemap/0.9");
    }
    reader.ReadSitemap(index ? "sitemap" : "url");
  } else {
    return out;  // HTML or some other XML: a page, not a link list
  }
  for (std::string& warning : warnings) out.warnings.push_back(name + ": " + warning);
  return out;
}

StatusOr<std::string> MaybeGunzip(std::string_view body, size_t max_bytes) {
  if (body.size() < 2 || static_cast<unsigned char>(body[0]) != 0x1F ||
      static_cast<unsigned char>(body[1]) != 0x8B) {
    return std::string(body);
  }
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    return InternalError("inflateInit2 failed");
  }
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  char buffer[64 * 1024];
  Status status;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    int rc = inflate(&stream, Z_NO_FLUSH);
    const size_t produced = sizeof(buffer) - stream.avail_out;
    if (out.size() + produced > max_bytes) {
      status = ResourceExhaustedError("gzip body inflates past " + std::to_string(max_bytes) +
                                      " bytes");
      break;
    }
    out.append(buffer, produced);
    if (rc == Z_STREAM_END) {
      // RFC 1952 section 2.2: a file may hold several members in a row.
      if (stream.avail_in >= 2 && stream.next_in[0] == 0x1F && stream.next_in[1] == 0x8B) {
        inflateReset(&stream);
        continue;
      }
      break;
    }
    if (rc == Z_DATA_ERROR) {
      status = CorruptionError(std::string("corrupt gzip stream: ") +
                               (stream.msg != nullptr ? stream.msg : "data error"));
      break;
    }
    if (rc == Z_BUF_ERROR || (rc == Z_OK && stream.avail_in == 0 && produced == 0)) {
      status = CorruptionError("truncated gzip stream after " + std::to_string(out.size()) +
                               " bytes of output");
      break;
    }
    if (rc != Z_OK) {
      status = CorruptionError("gzip inflate failed with code " + std::to_string(rc));
      break;
    }
  }
  inflateEnd(&stream);
  if (!status.ok()) return status;
  return out;
}

}  // namespace newsclaim::crawler
