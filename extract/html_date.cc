// extract/html_date.cc
// Hand-written scanners: the inputs are short strings (a meta value, a URL,
// a few hundred bytes after the title), so a regex engine buys nothing.
#include "extract/html_date.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <span>

namespace newsclaim::extract {
namespace {

struct Ymd {
  int year = 0, month = 0, day = 0;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool ValidDate(const Ymd& d) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1990 || d.year > 2099 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  if (d.day > kDays[d.month - 1]) return false;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  return !(d.month == 2 && d.day == 29 && !leap);
}

std::string FormatYmd(const Ymd& d) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Reads 1..max_digits digits at `i`; advances `i`. Returns -1 if none.
int ReadNumber(std::string_view s, size_t& i, int max_digits) {
  int value = 0, n = 0;
  while (i < s.size() && IsDigit(s[i]) && n < max_digits) {
    value = value * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n == 0) return -1;
  if (i < s.size() && IsDigit(s[i])) return -1;  // longer number than allowed
  return value;
}

void SkipSpaces(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
}

bool ConsumeUtf8(std::string_view s, size_t& i, std::string_view what) {
  if (s.substr(i, what.size()) != what) return false;
  i += what.size();
  return true;
}

// "YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD" (one or two digit month and day)
// or "YYYY年M月D日" starting exactly at `i`.
bool ParseNumericYmd(std::string_view s, size_t& i, Ymd& d) {
  if (i > 0 && IsDigit(s[i - 1])) return false;
  size_t k = i;
  if (k + 4 > s.size()) return false;
  for (size_t j = k; j < k + 4; ++j) {
    if (!IsDigit(s[j])) return false;
  }
  d.year = ReadNumber(s, k, 4);
  if (d.year < 0) return false;
  if (ConsumeUtf8(s, k, "年")) {
    SkipSpaces(s, k);
    d.month = ReadNumber(s, k, 2);
    if (d.month < 0 || !ConsumeUtf8(s, k, "月")) return false;
    SkipSpaces(s, k);
    d.day = ReadNumber(s, k, 2);
    if (d.day < 0 || !ConsumeUtf8(s, k, "日")) return false;
  } else {
    if (k >= s.size()) return false;
    char sep = s[k];
    if (sep != '-' && sep != '/' && sep != '.') return false;
    ++k;
    d.month = ReadNumber(s, k, 2);
    if (d.month < 0 || k >= s.size() || s[k] != sep) return false;
    ++k;
    d.day = ReadNumber(s, k, 2);
    if (d.day < 0) return false;
  }
  if (!ValidDate(d)) return false;
  i = k;
  return true;
}

int MonthFromName(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3) return 0;
  std::string lower;
  for (char c : word) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (lower == kMonths[m]) return static_cast<int>(m) + 1;
    if (lower.size() <= 4 && kMonths[m].starts_with(lower)) {
      // "Sept" and three-letter forms.
      if (lower.size() == 3 || lower == "sept") return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

// A word of ASCII letters at `i`; returns it and advances past an optional
// trailing '.'.
std::string_view ReadWord(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  std::string_view word = s.substr(start, i - start);
  if (!word.empty() && i < s.size() && s[i] == '.') ++i;
  return word;
}

// "November 1, 2025", "Nov. 1 2025", "1 November 2025", "1 Nov, 2025"
// starting exactly at `i` (which must begin a word).
bool ParseEnglishDate(std::string_view s, size_t& i, Ymd& d) {
  if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]))) return false;
  size_t k = i;
  if (k < s.size() && IsDigit(s[k])) {
    d.day = ReadNumber(s, k, 2);
    if (d.day < 0) return false;
    if (s.substr(k, 2) == "st" || s.substr(k, 2) == "nd" || s.substr(k, 2) == "rd" ||
        s.substr(k, 2) == "th") {
      k += 2;
    }
    SkipSpaces(s, k);
    if (s.substr(k, 3) == "of ") k += 3;
    d.month = MonthFromName(ReadWord(s, k));
    if (d.month == 0) return false;
    if (k < s.size() && s[k] == ',') ++k;
    SkipSpaces(s, k);
    d.year = ReadNumber(s, k, 4);
  } else {
    d.month = MonthFromName(ReadWord(s, k));
    if (d.month == 0) return false;
    SkipSpaces(s, k);
    d.day = ReadNumber(s, k, 2);
    if (d.day < 0) return false;
    if (s.substr(k, 2) == "st" || s.substr(k, 2) == "nd" || s.substr(k, 2) == "rd" ||
        s.substr(k, 2) == "th") {
      k += 2;
    }
    if (k < s.size() && s[k] == ',') ++k;
    SkipSpaces(s, k);
    d.year = ReadNumber(s, k, 4);
  }
  if (!ValidDate(d)) return false;
  i = k;
  return true;
}

// After a date: "T09:30", " 09:30:00", "9時30分". Fills hh:mm:ss and
// advances. Seconds default to 0; fractions are skipped.
bool ParseTime(std::string_view s, size_t& i, int& hh, int& mm, int& ss) {
  size_t k = i;
  if (k < s.size() && (s[k] == 'T' || s[k] == 't' || s[k] == ' ')) {
    ++k;
  } else {
    return false;
  }
  SkipSpaces(s, k);
  hh = ReadNumber(s, k, 2);
  if (hh < 0 || hh > 24 || k >= s.size() || s[k] != ':') return false;
  ++k;
  mm = ReadNumber(s, k, 2);
  if (mm < 0 || mm > 59) return false;
  ss = 0;
  if (k < s.size() && s[k] == ':') {
    ++k;
    ss = ReadNumber(s, k, 2);
    if (ss < 0 || ss > 60) return false;
    if (k < s.size() && (s[k] == '.' || s[k] == ',')) {
      ++k;
      while (k < s.size() && IsDigit(s[k])) ++k;
    }
  }
  i = k;
  return true;
}

// "Z", "GMT", "UTC", "+09:00", "+0900", "+09" (after optional spaces).
std::string ParseZone(std::string_view s, size_t i) {
  SkipSpaces(s, i);
  if (i >= s.size()) return "";
  if (s[i] == 'Z' || s[i] == 'z' || s.substr(i, 3) == "GMT" || s.substr(i, 3) == "UTC") {
    size_t k = s[i] == 'Z' || s[i] == 'z' ? i + 1 : i + 3;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) return ParseZone(s, k);
    return "Z";
  }
  if (s[i] != '+' && s[i] != '-') return "";
  char sign = s[i];
  size_t k = i + 1;
  if (k + 2 > s.size() || !IsDigit(s[k]) || !IsDigit(s[k + 1])) return "";
  std::string hh(s.substr(k, 2));
  k += 2;
  std::string mm = "00";
  if (k < s.size() && s[k] == ':') ++k;
  if (k + 2 <= s.size() && IsDigit(s[k]) && IsDigit(s[k + 1])) mm = std::string(s.substr(k, 2));
  if (std::stoi(hh) > 14 || std::stoi(mm) > 59) return "";
  return std::string(1, sign) + hh + ":" + mm;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Full-width digits and date punctuation as ASCII, and U+3000 as a space:
// Japanese pages write "２０１９年４月１１日" and "2019／04／11" too.
std::string FoldWidths(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    // U+FF01..U+FF5E are EF BC 81..EF BD 9E; U+3000 is E3 80 80.
    if (c == 0xEF && i + 2 < s.size()) {
      unsigned char b1 = s[i + 1], b2 = s[i + 2];
      char32_t cp = ((c & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      if ((cp >= 0xFF10 && cp <= 0xFF19) || cp == 0xFF0F || cp == 0xFF0E || cp == 0xFF0D ||
          cp == 0xFF1A) {
        out.push_back(static_cast<char>(cp - 0xFF00 + 0x20));
        i += 3;
        continue;
      }
    }
    if (c == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") {
      out.push_back(' ');
      i += 3;
      continue;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

// A Japanese era date starting exactly at `i`: "令和7年11月3日",
// "令和元年5月1日", "平成31年4月30日". Reiwa year 1 is 2019 and Heisei
// year 1 is 1989 (Cabinet Orders of 2019 and 1989); an era year past the
// era's end is rejected.
bool ParseEraYmd(std::string_view s, size_t& i, Ymd& d) {
  size_t k = i;
  int base = 0, last = 99;
  if (ConsumeUtf8(s, k, "令和")) {
    base = 2018;
  } else if (ConsumeUtf8(s, k, "平成")) {
    base = 1988;
    last = 31;
  } else {
    return false;
  }
  SkipSpaces(s, k);
  int year = ConsumeUtf8(s, k, "元") ? 1 : ReadNumber(s, k, 2);
  if (year < 1 || year > last || !ConsumeUtf8(s, k, "年")) return false;
  SkipSpaces(s, k);
  d.year = base + year;
  d.month = ReadNumber(s, k, 2);
  if (d.month < 0 || !ConsumeUtf8(s, k, "月")) return false;
  SkipSpaces(s, k);
  d.day = ReadNumber(s, k, 2);
  if (d.day < 0 || !ConsumeUtf8(s, k, "日")) return false;
  if (!ValidDate(d)) return false;
  // Heisei ended on 2019-04-30, Reiwa began on 2019-05-01.
  if (base == 1988 && d.year == 2019 && d.month > 4) return false;
  if (base == 2018 && d.year == 2019 && d.month < 5) return false;
  i = k;
  return true;
}

}  // namespace

std::string NormalizeDate(std::string_view value) {
  std::string_view s = Trim(value);
  if (s.empty()) return "";
  Ymd d;
  size_t i = 0;
  bool found = false;
  // Compact "20251101" or "20251101T0930...".
  if (s.size() >= 8 && std::all_of(s.begin(), s.begin() + 8, IsDigit) &&
      (s.size() == 8 || !IsDigit(s[8]))) {
    d.year = std::stoi(std::string(s.substr(0, 4)));
    d.month = std::stoi(std::string(s.substr(4, 2)));
    d.day = std::stoi(std::string(s.substr(6, 2)));
    if (ValidDate(d) && s.size() == 8) return FormatYmd(d);
  }
  if (ParseNumericYmd(s, i, d)) {
    found = true;
  } else {
    // RFC 822 and English forms: skip a leading weekday ("Sat, ").
    size_t k = 0;
    std::string_view first = ReadWord(s, k);
    if (!first.empty() && MonthFromName(first) == 0) {
      if (k < s.size() && s[k] == ',') ++k;
      SkipSpaces(s, k);
    } else {
      k = 0;
    }
    if (ParseEnglishDate(s, k, d)) {
      found = true;
      i = k;
    }
  }
  if (!found) return FindDateInText(s);
  int hh = 0, mm = 0, ss = 0;
  if (!ParseTime(s, i, hh, mm, ss)) return FormatYmd(d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%sT%02d:%02d:%02d", FormatYmd(d).c_str(), hh, mm, ss);
  return std::string(buf) + ParseZone(s, i);
}

std::string FindDateInUrl(std::string_view url) {
  size_t scheme = url.find("://");
  size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path == std::string_view::npos) return "";
  size_t end = url.find_first_of("?#", path);
  std::string_view p = url.substr(path, end == std::string_view::npos ? url.npos : end - path);
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '/' || i + 1 >= p.size() || !IsDigit(p[i + 1])) continue;
    size_t k = i + 1;
    Ymd d;
    // /2025/11/01 or /2025-11-01
    if (ParseNumericYmd(p, k, d) && (k == p.size() || !IsDigit(p[k]))) return FormatYmd(d);
    // /20251101 (followed by a non-digit or the end)
    k = i + 1;
    size_t digits = 0;
    while (k < p.size() && IsDigit(p[k])) ++k, ++digits;
    if (digits == 8) {
      d.year = std::stoi(std::string(p.substr(i + 1, 4)));
      d.month = std::stoi(std::string(p.substr(i + 5, 2)));
      d.day = std::stoi(std::string(p.substr(i + 7, 2)));
      if (ValidDate(d)) return FormatYmd(d);
    }
  }
  return "";
}

std::string FindDateInText(std::string_view text) {
  std::string folded = FoldWidths(text);
  std::string_view t = folded;
  for (size_t i = 0; i < t.size(); ++i) {
    Ymd d;
    size_t k = i;
    if (IsDigit(t[i])) {
      if (ParseNumericYmd(t, k, d)) return FormatYmd(d);
      k = i;
      if (ParseEnglishDate(t, k, d)) return FormatYmd(d);
    } else if (std::isalpha(static_cast<unsigned char>(t[i]))) {
      if (ParseEnglishDate(t, k, d)) return FormatYmd(d);
      while (i + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[i + 1]))) ++i;
    } else if (ParseEraYmd(t, k, d)) {
      return FormatYmd(d);
    }
  }
  return "";
}

std::string FindLabelledDate(std::string_view text, DateLabel label) {
  // Longer labels first, so that "最終更新日" is not read as "更新日".
  static constexpr std::array<std::string_view, 14> kPublished = {
      "配信開始日", "公開日", "掲載日", "配信日", "投稿日", "発表日", "発行日",
      "登録日", "作成日", "Published on", "Published", "Posted on", "Posted", "Date"};
  static constexpr std::array<std::string_view, 6> kModified = {
      "最終更新日", "更新日", "Last modified", "Last updated", "Updated on", "Updated"};
  std::string folded = FoldWidths(text);
  std::string_view t = folded;
  auto labels = label == DateLabel::kPublished ? std::span<const std::string_view>(kPublished)
                                               : std::span<const std::string_view>(kModified);
  for (size_t i = 0; i < t.size(); ++i) {
    for (std::string_view name : labels) {
      if (t.substr(i, name.size()) != name) continue;
      // An English label is a whole word ("Date", not "Update").
      bool ascii = static_cast<unsigned char>(name[0]) < 0x80;
      if (ascii && i > 0 && std::isalpha(static_cast<unsigned char>(t[i - 1]))) continue;
      size_t k = i + name.size();
      if (ascii && k < t.size() && std::isalpha(static_cast<unsigned char>(t[k]))) continue;
      // Between the label and the date: spaces, colons, brackets, "時".
      for (int skipped = 0; k < t.size() && skipped < 4;) {
        if (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == ':' || t[k] == '|' ||
            t[k] == ']' || t[k] == ')' || t[k] == '-') {
          ++k;
        } else if (ConsumeUtf8(t, k, "時") || ConsumeUtf8(t, k, "】") ||
                   ConsumeUtf8(t, k, "）") || ConsumeUtf8(t, k, "｜")) {
          ++skipped;
        } else {
          break;
        }
      }
      // Each parser leaves `k` alone when it fails.
      Ymd d;
      if (ParseNumericYmd(t, k, d) || ParseEraYmd(t, k, d) || ParseEnglishDate(t, k, d)) {
        return FormatYmd(d);
      }
    }
  }
  return "";
}

}  // namespace newsclaim::extract
