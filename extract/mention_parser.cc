// Reads figures with hand-written scanners over a folded copy of the text.
//
// Steps of one Parse call:
//   1. Fold: decode UTF-8 into code points, mapping full-width forms to ASCII
//      one code point for one (FoldCodePoint), so an offset into the folded
//      text is an offset into the caller's text.
//   2. Scan left to right. Only code points in Tables::start_chars can start
//      a figure; ASCII words are looked up once in Tables::start_words and
//      skipped whole otherwise, which also skips identifiers like "H100".
//   3. At a candidate, in order: skip URLs, product names, negative words
//      (九州, 一部) and digit chains (phones, IPs, versions); try a date, an
//      ordinal, then a figure (number, count, money, percent) with its
//      qualifiers and range partner.
//   4. Post-pass: parenthesised conversions get equivalent_of.
// No regular expressions and no per-character allocation; the word lists
// all come from rules/numbers/ (see number_tables.h).
#include "extract/mention_parser.h"

#include <algorithm>
#include <cmath>

#include "base/utf8.h"
#include "extract/date_math.h"
#include "extract/number_tables.h"

namespace newsclaim::extract {

struct MentionParser::Impl {
  std::shared_ptr<const NumberRules::Tables> tables;
};

namespace {

using Tables = NumberRules::Tables;

constexpr double kNoScale = 1e300;
constexpr int kNoDirection = 2;  // no "next"/"last"/"this" before a named date
constexpr int kOnOrAfter = 3;    // a deadline month ("by October", 10月までに)

// Rounds values that are integers up to floating-point noise (0.1 * 10000).
double Clean(double v) {
  double r = std::nearbyint(v);
  if (std::fabs(v - r) <= 1e-9 * std::max(1.0, std::fabs(v))) return r;
  return v;
}

// Kana or a CJK ideograph: the text is read as Japanese under Lang::kAuto.
bool IsJapaneseScript(char32_t c) {
  return (c >= 0x3041 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF);
}

// A number read from the text, before units and qualifiers.
struct Numeral {
  size_t begin = 0, end = 0;
  double value = 0;
  bool vague = false;  // 数十万: value is the low end, vague_high the high end
  double vague_high = 0;
  bool has_ascii_digit = false;
  bool has_kanji = false;      // kanji digits or units
  bool has_big_scale = false;  // 万 億 兆 (or an English scale word)
  bool has_separator = false;  // grouping comma
  bool has_decimal = false;
  bool words = false;          // English number words
  int word_count = 0;
  int plural_chain = 0;        // "thousands" = 1, "tens of thousands" = 2
  bool indefinite = false;     // "a" before a unit of measurement
  int chars = 0;               // code points of the numeral
  double last_scale = 1;       // the last scale applied, for range inheritance
  bool PlainDigits() const {
    return has_ascii_digit && !has_kanji && !has_big_scale && !has_separator &&
           !has_decimal && !words;
  }
};

// A figure with its prefix, scale, unit and suffix.
struct Amount {
  size_t begin = 0, end = 0;
  Numeral num;
  double value = 0, vague_high = 0;
  std::optional<Qualifier> prefix_q, suffix_q;
  std::string currency;
  bool has_unit = false;
  UnitKind unit_kind = UnitKind::kCounter;
  size_t unit_begin = 0, unit_end = 0;
  const UnitInfo* unit_info = nullptr;  // null for a product word ("GB300s")
  bool has_scale = false;
  double scale = 1;
  bool identifier = false;  // digits glued to letters ("5G", "4090Ti")
};

// One end of a date expression before it is turned into days.
struct DatePoint {
  size_t begin = 0, end = 0;
  int y = 0, m = 0, d = 0;  // 0 = not given
  bool y_given = false;
  const PeriodInfo* period = nullptr;
  bool fiscal = false;
  int calendar = -1;
  int fiscal_end_month = 0;  // 2025年3月期
  int month_range_end = 0;   // 2025年1-3月期
  bool relative = false;
  bool needs_year = false;   // 10月2日: the year comes from a partner or ref
  bool needs_month = false;  // 31日
  bool bare_year = false;    // 2025 with no 年
  int direction = kNoDirection;  // "next May": DirectionInfo::direction
};

class Scanner {
 public:
  Scanner(const Tables& tables, std::string_view text, const ParseOptions& options)
      : tb_(tables), text_(text), options_(options) {
    t_ = FoldUtf8(text);
    n_ = t_.size();
    ref_ = ParseIsoDate(options.ref);
    if (options.lang == Lang::kJa) {
      ja_ = true;
    } else if (options.lang == Lang::kAuto) {
      for (char32_t c : t_) {
        if (IsJapaneseScript(c)) {
          ja_ = true;
          break;
        }
      }
    }
  }

  std::vector<MentionInfo> Run() {
    size_t pos = 0;
    while (pos < n_) {
      char32_t c = t_[pos];
      if (c >= 0x10000 || !tb_.start_chars.test(c)) {
        ++pos;
        continue;
      }
      size_t word_end = pos + 1;
      if (IsAsciiAlpha(c)) {
        if (pos > 0 && IsAsciiAlnum(t_[pos - 1])) {
          ++pos;
          continue;
        }
        word_end = AlnumEnd(pos);
        if (!IsStartWord(pos)) {
          pos = GluedFigureStart(pos, word_end);
          continue;
        }
      }
      size_t next = Step(pos);
      if (next > pos) {
        pos = next;
      } else if (IsAsciiAlpha(c)) {
        pos = word_end;
      } else if (IsAsciiDigit(c)) {
        pos = DigitsEnd(pos);
      } else {
        ++pos;
      }
    }
    MarkEquivalents();
    return std::move(out_);
  }

 private:
  char32_t At(size_t i) const { return i < n_ ? t_[i] : 0; }
  size_t SkipSpaces(size_t i) const {
    while (i < n_ && t_[i] == ' ') ++i;
    return i;
  }
  size_t AlnumEnd(size_t i) const {
    while (i < n_ && IsAsciiAlnum(t_[i])) ++i;
    return i;
  }
  size_t DigitsEnd(size_t i) const {
    while (i < n_ && IsAsciiDigit(t_[i])) ++i;
    return i;
  }
  bool WordStart(size_t i) const { return i == 0 || !IsAsciiAlnum(t_[i - 1]); }

  // The lower-case ASCII letters starting at `i` (at most 23 of them).
  std::string_view LowerWord(size_t i, char (&buffer)[24]) const {
    size_t len = 0;
    while (i + len < n_ && IsAsciiAlpha(t_[i + len]) && len < sizeof(buffer) - 1) {
      buffer[len] = static_cast<char>(AsciiLower(t_[i + len]));
      ++len;
    }
    return std::string_view(buffer, len);
  }
  bool IsStartWord(size_t i) const {
    char buffer[24];
    return tb_.IsStartWord(LowerWord(i, buffer));
  }
  // The ASCII word that ends before `end` (skipping spaces), lower case.
  std::string_view PreviousWord(size_t end, char (&buffer)[24]) const {
    size_t i = end;
    while (i > 0 && t_[i - 1] == ' ') --i;
    size_t stop = i;
    while (i > 0 && IsAsciiAlpha(t_[i - 1]) && stop - i < 23) --i;
    if (i > 0 && IsAsciiAlnum(t_[i - 1])) return {};
    return LowerWord(i, buffer).substr(0, stop - i);
  }
  static bool InSorted(const std::vector<std::string>& list, std::string_view w) {
    return !w.empty() && std::binary_search(list.begin(), list.end(), w);
  }

  // "GPU26万枚": where an ASCII word's digits are a Japanese figure (they
  // are followed by 万 億 兆 or a Japanese counter), else the word's end.
  // "H100" and "NVL72" stay identifiers.
  size_t GluedFigureStart(size_t pos, size_t word_end) const {
    size_t letters = pos;
    while (letters < word_end && IsAsciiAlpha(t_[letters])) ++letters;
    if (letters - pos < 2 || letters == word_end || t_[letters] == '0') return word_end;
    char32_t after = At(word_end);
    if (BigScale(after) > 0) return letters;
    if (after >= 0x80) {
      if (const auto* e = tb_.units.Match(t_, word_end); e != nullptr && !IsAsciiAlpha(e->surface[0])) {
        return letters;
      }
    }
    return word_end;
  }

  // ---- one position ---------------------------------------------------------

  // Tries everything at `pos`; returns the position after what was consumed,
  // or `pos` when nothing starts here.
  size_t Step(size_t pos) {
    if (size_t skip = SkipNonFigure(pos); skip > pos) return skip;
    if (options_.skip_furniture) {
      if (const auto* e = tb_.furniture_before.Match(t_, pos)) {
        size_t i = SkipSpaces(pos + e->surface.size());
        if (At(i) == ':') i = SkipSpaces(i + 1);
        return std::max(i, ParseFigureEnd(i));
      }
    }
    if (size_t end = TryDate(pos); end > pos) return end;
    if (size_t end = TryOrdinal(pos); end > pos) return end;
    if (IsAsciiDigit(t_[pos])) {
      if (size_t chain = DigitChain(pos); chain > pos) return chain;
      // "03", "090": a leading zero makes a code (area code, ID), not a figure.
      if (t_[pos] == '0' && IsAsciiDigit(At(pos + 1))) return DigitsEnd(pos);
    }
    return TryFigure(pos);
  }

  // URLs, product names, words with kanji numerals, digits glued to a
  // preceding identifier ("COVID-19", "v2.1").
  size_t SkipNonFigure(size_t pos) const {
    char32_t c = t_[pos];
    if (IsAsciiAlpha(c)) {
      char buffer[24];
      std::string_view w = LowerWord(pos, buffer);
      if ((w == "http" || w == "https") && At(pos + w.size()) == ':') return UrlEnd(pos);
      if (w == "www" && At(pos + 3) == '.') return UrlEnd(pos);
    }
    if (const auto* e = tb_.products.Match(t_, pos)) return pos + e->surface.size();
    if (const auto* e = tb_.negative_words.Match(t_, pos)) return pos + e->surface.size();
    if (IsAsciiDigit(c) && pos >= 2 &&
        (t_[pos - 1] == '.' || t_[pos - 1] == '-' || t_[pos - 1] == '_' ||
         t_[pos - 1] == '/') &&
        IsAsciiAlnum(t_[pos - 2])) {
      size_t i = pos;
      while (i < n_ && (IsAsciiAlnum(t_[i]) || t_[i] == '.' || t_[i] == '-')) ++i;
      while (i > pos && !IsAsciiAlnum(t_[i - 1])) --i;
      return i;
    }
    return pos;
  }

  size_t UrlEnd(size_t i) const {
    while (i < n_) {
      char32_t c = t_[i];
      if (c <= ' ' || c >= 0x80 || c == '"' || c == '<' || c == '>' || c == ')') break;
      ++i;
    }
    return i;
  }

  // Phone numbers, IP addresses, versions, times and fractions: a run of
  // digit groups joined by '.', '-', '/' or ':' with two or more dots or
  // hyphens, or any slash or colon. Dates were tried first.
  size_t DigitChain(size_t pos) const {
    size_t i = DigitsEnd(pos);
    int dots = 0, hyphens = 0, others = 0;
    while (i + 1 < n_ && IsAsciiDigit(t_[i + 1]) &&
           (t_[i] == '.' || t_[i] == '-' || t_[i] == '/' || t_[i] == ':')) {
      if (t_[i] == '.') ++dots;
      else if (t_[i] == '-') ++hyphens;
      else ++others;
      i = DigitsEnd(i + 1);
    }
    if (dots >= 2 || hyphens >= 2 || others >= 1) return i;
    return pos;
  }

  // ---- numerals -------------------------------------------------------------

  bool IsKanjiDigit(char32_t c) const { return tb_.kanji_digits.count(c) > 0; }
  double SmallUnit(char32_t c) const {
    auto it = tb_.small_units.find(c);
    return it == tb_.small_units.end() ? 0 : it->second;
  }
  double BigScale(char32_t c) const {
    auto it = tb_.big_scales.find(c);
    return it == tb_.big_scales.end() ? 0 : it->second;
  }
  bool IsVague(char32_t c) const { return tb_.vague.find(c) != std::u32string::npos; }

  // ASCII digits with grouping commas and a decimal part, from `i`.
  size_t ReadArabic(size_t i, double& value, Numeral& n) const {
    double v = 0;
    while (i < n_ && IsAsciiDigit(t_[i])) v = v * 10 + (t_[i++] - '0');
    // "1,000" and "1、000": a separator followed by exactly three digits.
    while (i + 3 < n_ + 0 && (t_[i] == ',' || t_[i] == 0x3001) &&
           IsAsciiDigit(At(i + 1)) && IsAsciiDigit(At(i + 2)) && IsAsciiDigit(At(i + 3)) &&
           !IsAsciiDigit(At(i + 4))) {
      v = v * 1000 + (t_[i + 1] - '0') * 100 + (t_[i + 2] - '0') * 10 + (t_[i + 3] - '0');
      i += 4;
      n.has_separator = true;
    }
    if (At(i) == '.' && IsAsciiDigit(At(i + 1))) {
      double scale = 0.1;
      ++i;
      while (i < n_ && IsAsciiDigit(t_[i])) {
        v += (t_[i++] - '0') * scale;
        scale /= 10;
      }
      n.has_decimal = true;
    }
    n.has_ascii_digit = true;
    value = v;
    return i;
  }

  // "4千6百", "二十六", "1,234.5", "数十": a number below the big scales.
  bool ParseSmall(size_t& i, double vague_digit, double& out, Numeral& n) const {
    double sum = 0, prev_unit = kNoScale;
    bool any = false;
    while (i < n_) {
      double coef = 0;
      bool has_coef = false;
      size_t j = i;
      char32_t c = t_[j];
      if (IsAsciiDigit(c)) {
        j = ReadArabic(j, coef, n);
        has_coef = true;
      } else if (IsKanjiDigit(c)) {
        while (j < n_ && IsKanjiDigit(t_[j])) {
          coef = coef * 10 + tb_.kanji_digits.at(t_[j]);
          ++j;
        }
        has_coef = true;
        n.has_kanji = true;
      } else if (IsVague(c) && (SmallUnit(At(j + 1)) > 0 || BigScale(At(j + 1)) > 0)) {
        coef = vague_digit;
        has_coef = true;
        n.vague = true;
        ++j;
      }
      double unit = SmallUnit(At(j));
      if (unit > 0 && unit < prev_unit && !n.has_decimal) {
        sum += (has_coef ? coef : 1) * unit;
        prev_unit = unit;
        n.has_kanji = true;
        i = j + 1;
        any = true;
        continue;
      }
      if (has_coef) {
        sum += coef;
        i = j;
        any = true;
      }
      break;
    }
    out = sum;
    return any;
  }

  // Arabic and kanji numerals with 万 億 兆: "12兆6,000億", "二十六万".
  bool ParseJa(size_t pos, double vague_digit, Numeral& n, double& value,
               size_t& end) const {
    size_t i = pos;
    double total = 0, prev_big = kNoScale;
    bool any = false;
    while (i < n_) {
      double small = 0;
      size_t start = i;
      if (!ParseSmall(i, vague_digit, small, n)) break;
      any = true;
      size_t j = i;
      // "26 万": a stray space between digits and their scale.
      if (At(j) == ' ' && IsAsciiDigit(t_[j - 1]) && BigScale(At(j + 1)) > 0) ++j;
      double big = BigScale(At(j));
      if (big > 0 && big < prev_big) {
        total += small * big;
        prev_big = big;
        n.has_big_scale = true;
        n.last_scale = big;
        i = j + 1;
        continue;
      }
      total += small;
      (void)start;
      break;
    }
    value = total;
    end = i;
    return any;
  }

  // English number words: "twenty-one trillion three hundred".
  bool ParseEnWords(size_t pos, Numeral& n) const {
    double total = 0, current = 0;
    size_t i = pos, end = pos;
    int count = 0;
    while (true) {
      const auto* e = tb_.en_words.Match(t_, i);
      if (e == nullptr) break;
      const EnWordInfo& w = e->payload;
      switch (w.type) {
        case EnWordType::kUnit:
        case EnWordType::kTen:
          current += static_cast<double>(w.value);
          break;
        case EnWordType::kHundred:
          current = (current == 0 ? 1 : current) * static_cast<double>(w.value);
          break;
        case EnWordType::kScale:
          total += (current == 0 ? 1 : current) * static_cast<double>(w.value);
          current = 0;
          n.has_big_scale = true;
          n.last_scale = static_cast<double>(w.value);
          break;
      }
      ++count;
      end = i + e->surface.size();
      size_t j = end;
      if (At(j) == '-' || At(j) == ' ') ++j;
      if (char buffer[24]; LowerWord(j, buffer) == "and" && At(j + 3) == ' ' &&
                           tb_.en_words.Match(t_, j + 4) != nullptr) {
        j += 4;
      }
      if (tb_.en_words.Match(t_, j) == nullptr) break;
      i = j;
    }
    if (count == 0) return false;
    n.words = true;
    n.word_count = count;
    n.value = total + current;
    n.end = end;
    return true;
  }

  // English vague magnitudes: "several hundred thousand" (a multiplier and
  // scale words: 1..10 times the scale) and "tens of thousands" (plurals
  // chained with "of"). Sets vague, value (the low end) and vague_high.
  bool ParseEnVague(size_t pos, Numeral& n) const {
    if (const auto* m = tb_.en_vague_multipliers.Match(t_, pos)) {
      size_t j = pos + m->surface.size();
      if (At(j) != ' ') return false;
      const auto* w = tb_.en_words.Match(t_, j + 1);
      if (w == nullptr || (w->payload.type != EnWordType::kHundred &&
                           w->payload.type != EnWordType::kScale)) {
        return false;
      }
      Numeral scale;
      if (!ParseEnWords(j + 1, scale)) return false;
      n.value = scale.value;
      n.vague_high = scale.value * 10;
      n.word_count = scale.word_count + 1;
      n.end = scale.end;
    } else if (const auto* p = tb_.en_vague_plurals.Match(t_, pos)) {
      double low = p->payload.low, high = p->payload.high;
      size_t end = pos + p->surface.size();
      int chain = 1;
      while (At(end) == ' ') {
        const auto* joiner = tb_.vague_joiners.Match(t_, end + 1);
        if (joiner == nullptr) break;
        size_t k = end + 1 + joiner->surface.size();
        if (At(k) != ' ') break;
        const auto* next = tb_.en_vague_plurals.Match(t_, k + 1);
        if (next == nullptr) break;
        low *= next->payload.low;
        high *= next->payload.low;
        end = k + 1 + next->surface.size();
        ++chain;
      }
      n.value = Clean(low);
      n.vague_high = Clean(high);
      n.word_count = chain;
      n.plural_chain = chain;
      n.end = end;
    } else {
      return false;
    }
    n.vague = true;
    n.words = true;
    n.has_big_scale = true;  // no scale word may follow
    n.last_scale = n.value;
    return true;
  }

  // "a gigawatt": the article reads as 1 before a unit of measurement.
  bool ParseIndefinite(size_t pos, Numeral& n) const {
    const auto* e = tb_.indefinite_articles.Match(t_, pos);
    if (e == nullptr) return false;
    size_t j = pos + e->surface.size();
    if (At(j) != ' ') return false;
    const auto* u = UnitAt(j + 1);
    if (u == nullptr || !u->payload.measure || !IsAsciiAlpha(u->surface.front())) return false;
    n.value = 1;
    n.words = true;
    n.word_count = 1;
    n.indefinite = true;
    n.end = j;
    return true;
  }

  // The unit entry at `k`, unless a character it must not precede follows
  // it (割合, 株式).
  const Lexicon<UnitInfo>::Entry* UnitAt(size_t k) const {
    const auto* e = tb_.units.Match(t_, k);
    if (e == nullptr) return nullptr;
    size_t end = k + e->surface.size();
    for (const std::u32string& w : e->payload.not_before) {
      if (t_.compare(end, w.size(), w) == 0) return nullptr;
    }
    return e;
  }

  std::optional<Numeral> ParseNumeral(size_t pos) const {
    Numeral n;
    n.begin = pos;
    char32_t c = At(pos);
    if (IsAsciiAlpha(c)) {
      if (!WordStart(pos)) return std::nullopt;
      if (!ParseEnVague(pos, n) && !ParseIndefinite(pos, n) && !ParseEnWords(pos, n)) {
        return std::nullopt;
      }
      n.chars = static_cast<int>(n.end - pos);
      return n;
    }
    double value = 0;
    size_t end = pos;
    if (!ParseJa(pos, 1, n, value, end)) return std::nullopt;
    n.value = Clean(value);
    n.end = end;
    if (n.vague) {
      Numeral high;
      double hv = 0;
      size_t he = pos;
      ParseJa(pos, 10, high, hv, he);
      n.vague_high = Clean(hv);
    }
    n.chars = static_cast<int>(n.end - pos);
    return n;
  }

  // ---- figures --------------------------------------------------------------

  // A figure at `p` without its range partner: 約30億ドル, $3.5 billion,
  // 26万枚以上, 260,000 Nvidia GPUs.
  std::optional<Amount> ParseAmount(size_t p, bool allow_prefix_qualifier) const {
    Amount a;
    a.begin = p;
    size_t i = p;
    if (allow_prefix_qualifier) {
      for (int k = 0; k < 2; ++k) {
        const auto* e = tb_.prefix_qualifiers.Match(t_, i);
        if (e == nullptr) break;
        if (!a.prefix_q || *a.prefix_q == Qualifier::kApprox) a.prefix_q = e->payload.qualifier;
        i = SkipSpaces(i + e->surface.size());
      }
    }
    if (const auto* e = tb_.prefix_currencies.Match(t_, i)) {
      a.currency = e->payload.code;
      i = SkipSpaces(i + e->surface.size());
    }
    std::optional<Numeral> num = ParseNumeral(i);
    if (!num) return std::nullopt;
    a.num = *num;
    a.value = num->value;
    a.vague_high = num->vague_high;
    a.has_scale = num->has_big_scale;
    a.scale = num->has_big_scale ? num->last_scale : 1;
    size_t j = num->end;

    // English scale words: "3.5 billion", "3bn", "$5m".
    if (!num->has_big_scale && !num->has_kanji) {
      size_t k = j;
      bool spaced = false;
      if (At(k) == ' ') {
        ++k;
        spaced = true;
      }
      if (const auto* e = tb_.en_scales.Match(t_, k)) {
        const ScaleInfo& s = e->payload;
        bool ok = spaced ? s.spaced : s.attached;
        if (s.needs_currency && a.currency.empty()) ok = false;
        if (ok) {
          a.value = Clean(a.value * s.value);
          a.has_scale = true;
          a.scale = s.value;
          j = k + e->surface.size();
        }
      }
    }
    size_t numeral_end = j;

    // "10,000+ GPUs", "5万超の": a bound before the unit.
    if (const auto* e = tb_.suffix_qualifiers.Match(t_, j)) {
      if (!IsAsciiAlpha(e->surface.front()) && !e->payload.after_unit) {
        a.suffix_q = e->payload.qualifier;
        j += e->surface.size();
      }
    }
    // Units: currency, percent or counter.
    if (a.currency.empty()) {
      if (const auto* e = tb_.suffix_currencies.Match(t_, j)) {
        a.currency = e->payload.code;
        j += e->surface.size();
      } else if (At(j) == ' ' && IsAsciiAlpha(At(j + 1))) {
        if (const auto* e2 = tb_.suffix_currencies.Match(t_, j + 1)) {
          a.currency = e2->payload.code;
          j += 1 + e2->surface.size();
        }
      }
    }
    // "tens of billions of dollars"
    if (a.currency.empty() && num->plural_chain > 0 && At(j) == ' ') {
      if (const auto* joiner = tb_.vague_joiners.Match(t_, j + 1)) {
        size_t k = j + 1 + joiner->surface.size();
        const auto* c = At(k) == ' ' ? tb_.suffix_currencies.Match(t_, k + 1) : nullptr;
        if (c != nullptr && IsAsciiAlpha(c->surface.front())) {
          a.currency = c->payload.code;
          j = k + 1 + c->surface.size();
        }
      }
    }
    if (a.currency.empty()) MatchUnit(j, a);
    if (a.has_unit) j = ApplyUnitFactor(a);

    if (j == numeral_end && IsAsciiAlpha(At(j)) && !num->words) {
      a.identifier = true;
      a.end = AlnumEnd(j);
      return a;
    }
    // Bounds after the unit: 以上, 超, を超える, or more.
    if (!a.suffix_q) {
      size_t k = j;
      if (At(k) == ' ' && IsAsciiAlpha(At(k + 1))) ++k;
      const auto* e = tb_.suffix_qualifiers.Match(t_, k);
      if (e != nullptr && e->payload.after_unit && !a.has_unit && a.currency.empty()) {
        e = nullptr;
      }
      if (e != nullptr) {
        a.suffix_q = e->payload.qualifier;
        j = k + e->surface.size();
      }
    }
    a.end = j;
    return a;
  }

  // Sets the unit of `a` from the unit lexicon at `j`: attached ("5万基",
  // "95%"), hyphenated for units of measurement ("5-gigawatt"), spaced ("5
  // percent"), a noun after up to two modifiers ("260,000 Nvidia H100
  // GPUs"), or a partitive ("5,000 of the chips").
  void MatchUnit(size_t j, Amount& a) const {
    if (!MatchUnitAfter(j, a)) MatchPartitive(j, a);
  }

  void TakeUnit(size_t at, const Lexicon<UnitInfo>::Entry* e, Amount& a) const {
    a.has_unit = true;
    a.unit_kind = e->payload.kind;
    a.unit_info = &e->payload;
    a.unit_begin = at;
    a.unit_end = at + e->surface.size();
  }

  bool MatchUnitAfter(size_t j, Amount& a) const {
    if (const auto* e = UnitAt(j)) {
      TakeUnit(j, e, a);
      return true;
    }
    if (At(j) == '-' && IsAsciiAlpha(At(j + 1))) {
      if (const auto* e = UnitAt(j + 1); e != nullptr && e->payload.measure) {
        TakeUnit(j + 1, e, a);
        return true;
      }
      return false;
    }
    if (At(j) != ' ') return false;
    size_t k = j + 1;
    if (const auto* e = UnitAt(k)) {
      TakeUnit(k, e, a);
      return true;
    }
    if (a.num.indefinite) return false;
    for (int skipped = 0; skipped < 2; ++skipped) {
      if (!IsAsciiAlnum(At(k))) return false;
      size_t w_end = k;
      while (w_end < n_ && (IsAsciiAlnum(t_[w_end]) || t_[w_end] == '-')) ++w_end;
      char buffer[24];
      std::string_view word = LowerWord(k, buffer);
      if (word.size() == w_end - k && InSorted(tb_.modifier_stopwords, word)) return false;
      if (At(w_end) != ' ') return false;
      k = w_end + 1;
      if (const auto* e = UnitAt(k); e != nullptr && e->payload.noun) {
        TakeUnit(k, e, a);
        return true;
      }
    }
    return false;
  }

  // "104,000 of the chips", "12,000 of the GB300s", "thousands of GPUs": the
  // noun after a partitive (or, for a vague plural, after "of"), past up to
  // two modifiers, is the unit. A product-like word ("GB300s": a capital
  // letter first, a digit inside) counts as a noun here.
  // "One of the biggest GPU deals" is no count: a partitive of one, or one
  // whose modifiers are superlatives (`partitive_stop_endings`), is skipped.
  bool MatchPartitive(size_t j, Amount& a) const {
    if (At(j) != ' ' || a.num.indefinite || (!a.num.vague && a.value == 1)) return false;
    size_t k = j + 1;
    if (const auto* p = tb_.partitives.Match(t_, k)) {
      k += p->surface.size();
    } else if (a.num.plural_chain > 0) {
      const auto* joiner = tb_.vague_joiners.Match(t_, k);
      if (joiner == nullptr) return false;
      k += joiner->surface.size();
    } else {
      return false;
    }
    if (At(k) != ' ') return false;
    ++k;
    for (int skipped = 0; skipped <= 2; ++skipped) {
      if (!IsAsciiAlnum(At(k))) return false;
      if (const auto* e = UnitAt(k); e != nullptr && e->payload.noun) {
        TakeUnit(k, e, a);
        return true;
      }
      size_t alnum_end = AlnumEnd(k);
      size_t w_end = alnum_end;
      while (w_end < n_ && (IsAsciiAlnum(t_[w_end]) || t_[w_end] == '-')) ++w_end;
      // A product word is the noun unless a unit noun or another name
      // follows it ("320 of the GB300 NVL72 racks" counts racks).
      if (w_end == alnum_end && IsProductWord(k, alnum_end)) {
        bool more = At(w_end) == ' ' && IsAsciiAlnum(At(w_end + 1)) &&
                    (!(At(w_end + 1) >= 'a' && At(w_end + 1) <= 'z') ||
                     (UnitAt(w_end + 1) != nullptr && UnitAt(w_end + 1)->payload.noun));
        if (!more) {
          a.has_unit = true;
          a.unit_kind = UnitKind::kCounter;
          a.unit_info = nullptr;
          a.unit_begin = k;
          a.unit_end = alnum_end;
          return true;
        }
      }
      char buffer[24];
      std::string_view word = LowerWord(k, buffer);
      if (word.size() == w_end - k && InSorted(tb_.modifier_stopwords, word)) return false;
      for (const std::string& ending : tb_.partitive_stop_endings) {
        if (word.size() == w_end - k && word.size() > ending.size() + 1 &&
            word.substr(word.size() - ending.size()) == ending) {
          return false;
        }
      }
      if (At(w_end) != ' ') return false;
      k = w_end + 1;
    }
    return false;
  }

  // "GB300s", "H100s", "MI300X": starts with a capital letter, holds a digit.
  bool IsProductWord(size_t begin, size_t end) const {
    if (end <= begin || !(t_[begin] >= 'A' && t_[begin] <= 'Z')) return false;
    for (size_t i = begin; i < end; ++i) {
      if (IsAsciiDigit(t_[i])) return true;
    }
    return false;
  }

  // Applies the unit's factor (3割 = 30) and reads its minor unit (2割5分);
  // returns the end of the unit.
  size_t ApplyUnitFactor(Amount& a) const {
    size_t j = a.unit_end;
    if (a.unit_info == nullptr) return j;
    const UnitInfo& u = *a.unit_info;
    if (u.factor != 1) a.value = Clean(a.value * u.factor);
    if (!u.minor.empty()) {
      int v = 0, digits = 0;
      size_t k = DateNumber(j, v, digits);
      if (k > j && digits == 1 && t_.compare(k, u.minor.size(), u.minor) == 0) {
        a.value = Clean(a.value + v * u.minor_factor);
        j = k + u.minor.size();
      }
    }
    return j;
  }

  static Interval MakeInterval(double v, Qualifier q) {
    Interval in;
    in.qualifier = q;
    in.value = v;
    switch (q) {
      case Qualifier::kExact:
      case Qualifier::kApprox:
      case Qualifier::kRange:
        in.low = v;
        in.high = v;
        break;
      case Qualifier::kAtLeast:
      case Qualifier::kMoreThan:
        in.low = v;
        in.low_inclusive = q == Qualifier::kAtLeast;
        in.high_inclusive = false;
        break;
      case Qualifier::kAtMost:
      case Qualifier::kLessThan:
      case Qualifier::kUpTo:
        in.high = v;
        in.high_inclusive = q != Qualifier::kLessThan;
        in.low_inclusive = false;
        break;
    }
    return in;
  }

  static bool IsBound(Qualifier q) {
    return q != Qualifier::kExact && q != Qualifier::kApprox && q != Qualifier::kRange;
  }

  static MentionKind KindOf(const Amount& a) {
    if (!a.currency.empty()) return MentionKind::kMoney;
    if (a.has_unit) {
      return a.unit_kind == UnitKind::kPercent ? MentionKind::kPercent : MentionKind::kCount;
    }
    return MentionKind::kNumber;
  }

  // A lone kanji digit (一, 十) or a small English word ("one") is a figure
  // only with a unit: 一人, 三社, two GPUs.
  bool NeedsUnit(const Numeral& n) const {
    if (n.has_kanji && !n.has_ascii_digit && n.chars == 1) return true;
    if (n.words && n.word_count == 1 && n.value < 10) return true;
    return false;
  }

  // The end of whatever figure starts at `i` (for furniture), or `i`.
  size_t ParseFigureEnd(size_t i) const {
    std::optional<Amount> a = ParseAmount(i, true);
    return a ? a->end : i;
  }

  size_t TryFigure(size_t pos) {
    // between A and B, from A to B
    if (const auto* opener = tb_.range_openers.Match(t_, pos)) {
      size_t i = SkipSpaces(pos + opener->surface.size());
      std::optional<Amount> a = ParseAmount(i, true);
      if (!a || a->identifier) return pos;
      size_t k = SkipSpaces(a->end);
      const auto* closer = tb_.range_closers.Match(t_, k);
      if (closer == nullptr) return pos;
      std::optional<Amount> b = ParseAmount(SkipSpaces(k + closer->surface.size()), true);
      if (!b || b->identifier) return pos;
      if (!EmitRange(pos, *a, *b, b->end)) return pos;
      return out_.empty() ? pos : static_cast<size_t>(out_.back().mention.end);
    }
    std::optional<Amount> a = ParseAmount(pos, true);
    if (!a) return pos;
    if (a->identifier) return a->end;
    // "thousands" alone is no figure; "thousands of GPUs" is.
    if (a->num.plural_chain == 1 && !a->has_unit && a->currency.empty()) return a->end;
    // A range: A〜B, AからB, A-B, A to B.
    if (!a->suffix_q || a->suffix_q == Qualifier::kApprox) {
      size_t k = a->end;
      size_t ks = SkipSpaces(k);
      const auto* conn = tb_.range_connectors.Match(t_, ks);
      if (conn != nullptr && (ks == k || IsAsciiAlpha(conn->surface.front()) ||
                              conn->surface.front() == '-')) {
        size_t bstart = SkipSpaces(ks + conn->surface.size());
        std::optional<Amount> b = ParseAmount(bstart, true);
        bool ok = b && !b->identifier;
        if (ok && conn->surface == U"-") {
          // Hyphen ranges only between plain figures, and not in a chain
          // ("03-1234-5678").
          ok = !a->num.words && !b->num.words && !(At(b->end) == '-' && IsAsciiDigit(At(b->end + 1)));
        }
        if (ok && tb_.change_markers.Match(t_, b->end) != nullptr &&
            conn->surface == U"から") {
          ok = false;  // 2000億円から3000億円に: a change, not a range
        }
        if (ok) {
          size_t end = b->end;
          if (const auto* closer = tb_.date_range_closers.Match(t_, end)) {
            end += closer->surface.size();
          }
          if (EmitRange(pos, *a, *b, end)) return end;
        }
      }
    }
    if (NeedsUnit(a->num) && !a->has_unit && a->currency.empty()) return a->end;
    // 〇〇社, 〇万円: 〇 runs are placeholders ("XX"), not zero.
    if (a->num.has_kanji && !a->num.has_ascii_digit && a->num.value == 0) return a->end;
    // Furniture ("1,318 shares") never has a qualifier ("up to 160,000 shares").
    if (options_.skip_furniture && !a->prefix_q &&
        (IsFurnitureAfter(a->end) || IsFurnitureAfter(a->num.end))) {
      return a->end;
    }

    MentionInfo info;
    Mention& m = info.mention;
    m.kind = KindOf(*a);
    Qualifier q = Qualifier::kExact;
    if (a->prefix_q) q = *a->prefix_q;
    if (a->suffix_q && (IsBound(*a->suffix_q) || !IsBound(q))) q = *a->suffix_q;
    if (a->num.vague) {
      info.vague = true;
      m.interval.qualifier = Qualifier::kRange;
      m.interval.low = a->value;
      m.interval.high = Clean(a->vague_high * (a->value / std::max(a->num.value, 1e-300)));
      m.interval.low_inclusive = true;
      m.interval.high_inclusive = false;
    } else {
      m.interval = MakeInterval(a->value, q);
    }
    SetUnit(*a, m);
    Fill(info, pos, a->end);
    return a->end;
  }

  bool IsFurnitureAfter(size_t end) const {
    return tb_.furniture_after.Match(t_, SkipSpaces(end)) != nullptr ||
           tb_.furniture_after.Match(t_, end) != nullptr;
  }

  void SetUnit(const Amount& a, Mention& m) const {
    m.currency = a.currency;
    if (a.has_unit && a.currency.empty()) {
      m.unit = ToUtf8(std::u32string_view(t_).substr(a.unit_begin, a.unit_end - a.unit_begin));
    }
  }

  // Builds the range mention A..B over [begin, end); false if it is no range.
  bool EmitRange(size_t begin, Amount a, Amount b, size_t end) {
    if (a.num.vague || b.num.vague) return false;
    // 3〜5万台: the first figure takes the second's scale.
    if (!a.has_scale && b.has_scale && a.value * b.scale <= b.value) {
      a.value = Clean(a.value * b.scale);
    }
    if (a.currency.empty() && !a.has_unit) {
      // ２〜３割: the first figure takes the second's unit factor too.
      if (b.has_unit && b.unit_info != nullptr && b.unit_info->factor != 1) {
        a.value = Clean(a.value * b.unit_info->factor);
      }
      a.currency = b.currency;
      a.has_unit = b.has_unit;
      a.unit_info = b.unit_info;
      a.unit_kind = b.unit_kind;
      a.unit_begin = b.unit_begin;
      a.unit_end = b.unit_end;
    } else if (b.currency.empty() && !b.has_unit) {
      b.currency = a.currency;
    }
    if (a.currency != b.currency && !b.currency.empty()) return false;
    if (b.value < a.value) return false;
    MentionInfo info;
    Mention& m = info.mention;
    m.kind = KindOf(a);
    m.interval.qualifier = Qualifier::kRange;
    m.interval.low = a.value;
    m.interval.high = b.value;
    SetUnit(a, m);
    Fill(info, begin, end);
    return true;
  }

  // Offsets, surface and distributive marker; appends to out_.
  void Fill(MentionInfo& info, size_t begin, size_t end) {
    Mention& m = info.mention;
    m.start = static_cast<int64_t>(begin);
    m.end = static_cast<int64_t>(end);
    m.text = Surface(begin, end);
    if (m.kind != MentionKind::kDate) m.distributive = IsDistributive(begin, end);
    out_.push_back(std::move(info));
  }

  std::string Surface(size_t begin, size_t end) {
    if (byte_offsets_.empty()) byte_offsets_ = CodePointByteOffsets(text_);
    size_t b = static_cast<size_t>(byte_offsets_[begin]);
    size_t e = static_cast<size_t>(byte_offsets_[end]);
    return std::string(text_.substr(b, e - b));
  }

  // それぞれ5万基, 各社に5万基, 5万基ずつ, 50,000 GPUs each.
  bool IsDistributive(size_t begin, size_t end) const {
    size_t b = begin;
    for (int k = 0; k < 3 && b > 0; ++k) {
      char32_t c = t_[b - 1];
      if (c == ' ' || c == 0x306B /*に*/ || c == 0x304C /*が*/ || c == 0x3067 /*で*/ ||
          c == 0x3092 /*を*/ || c == 0x306F /*は*/ || c == 0x3082 /*も*/ ||
          c == 0x3001 /*、*/ || c == ',') {
        --b;
      } else {
        break;
      }
    }
    if (tb_.distributive_prefixes.MatchEndingAt(t_, b) != nullptr) {
      const auto* e = tb_.distributive_prefixes.MatchEndingAt(t_, b);
      size_t start = b - e->surface.size();
      if (!IsAsciiAlpha(e->surface.front()) || WordStart(start)) return true;
    }
    size_t a = SkipSpaces(end);
    return tb_.distributive_suffixes.Match(t_, a) != nullptr;
  }

  // 100兆ウォン（約10兆円）: the bracketed amount converts the one before.
  void MarkEquivalents() {
    for (size_t i = 1; i < out_.size(); ++i) {
      Mention& cur = out_[i].mention;
      const Mention& prev = out_[i - 1].mention;
      if (cur.kind != MentionKind::kMoney || prev.kind != MentionKind::kMoney) continue;
      size_t k = static_cast<size_t>(prev.end);
      while (k < static_cast<size_t>(cur.start) && t_[k] == ' ') ++k;
      if (k < static_cast<size_t>(cur.start) && (t_[k] == '(' || t_[k] == 0x3010 /*【*/)) {
        ++k;
        while (k < static_cast<size_t>(cur.start) && t_[k] == ' ') ++k;
        if (k == static_cast<size_t>(cur.start)) {
          cur.equivalent_of = prev.equivalent_of ? *prev.equivalent_of : static_cast<int>(i - 1);
        }
      }
    }
  }

  // ---- ordinals -------------------------------------------------------------

  size_t TryOrdinal(size_t pos) {
    size_t i = pos;
    bool prefixed = false;
    if (const auto* e = tb_.ordinal_prefixes.Match(t_, pos)) {
      i = pos + e->surface.size();
      prefixed = true;
    }
    if (!prefixed && !IsAsciiDigit(At(i))) return pos;
    Numeral n;
    double v = 0;
    size_t end = i;
    if (!ParseJa(i, 1, n, v, end) || n.vague || n.has_decimal) return pos;
    if (!prefixed) {
      const auto* s = tb_.ordinal_suffixes.Match(t_, end);
      if (s == nullptr || n.has_big_scale || n.has_kanji) return pos;
      end += s->surface.size();
    }
    MentionInfo info;
    info.mention.kind = MentionKind::kOrdinal;
    info.mention.interval = MakeInterval(Clean(v), Qualifier::kExact);
    Fill(info, pos, end);
    return end;
  }

  // ---- dates ----------------------------------------------------------------

  // A plain date number at `i`: ASCII digits (no separators) or kanji
  // digits ("二〇二五", "十二"). Returns the end, or i.
  size_t DateNumber(size_t i, int& value, int& digits) const {
    value = 0;
    digits = 0;
    if (IsAsciiDigit(At(i))) {
      size_t j = i;
      while (j < n_ && IsAsciiDigit(t_[j]) && digits < 5) {
        value = value * 10 + (t_[j] - '0');
        ++j;
        ++digits;
      }
      if (IsAsciiDigit(At(j))) return i;
      return j;
    }
    if (IsKanjiDigit(At(i)) || SmallUnit(At(i)) > 0) {
      Numeral n;
      size_t j = i;
      double v = 0;
      if (!ParseSmall(j, 1, v, n) || n.vague || n.has_ascii_digit) return i;
      value = static_cast<int>(v);
      digits = v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
      return j;
    }
    return i;
  }

  static bool IsYear(int v, int digits) { return digits == 4 && v >= 1900 && v <= 2199; }

  // The calendar for a fiscal year at `begin`: the company named nearest
  // before it (within 120 code points), else the default.
  int CalendarFor(size_t begin, FiscalMode mode) const {
    if (mode == FiscalMode::kJapan) return tb_.japan_calendar;
    size_t from = begin > 120 ? begin - 120 : 0;
    std::u32string_view window = std::u32string_view(t_).substr(from, begin - from);
    int best = -1;
    size_t best_pos = 0;
    for (size_t c = 0; c < tb_.calendars.size(); ++c) {
      for (const std::u32string& alias : tb_.calendars[c].aliases) {
        size_t at = window.rfind(alias);
        if (at != std::u32string_view::npos && (best < 0 || at >= best_pos)) {
          best = static_cast<int>(c);
          best_pos = at;
        }
      }
    }
    if (best >= 0) return best;
    return ja_ ? tb_.default_ja_calendar : tb_.default_en_calendar;
  }

  // A year designation at `i`: 2027, FY2026, fiscal 2026, this year, 来年.
  bool YearAt(size_t i, DatePoint& d) const {
    if (const auto* e = tb_.fiscal_before.Match(t_, i)) {
      size_t j = SkipSpaces(i + e->surface.size());
      if (const auto* yw = tb_.fiscal_before.Match(t_, j)) j = SkipSpaces(j + yw->surface.size());
      int v, digits;
      size_t k = DateNumber(j, v, digits);
      if (k == j || (digits != 4 && digits != 2)) return false;
      if (digits == 2) v += 2000;
      if (v < 1900 || v > 2199) return false;
      d.y = v;
      d.y_given = true;
      d.fiscal = true;
      d.calendar = CalendarFor(d.begin, e->payload.mode);
      d.end = k;
      return d.calendar >= 0;
    }
    if (const auto* e = tb_.relative_words.Match(t_, i)) {
      if (e->payload.unit != RelativeUnit::kYear && e->payload.unit != RelativeUnit::kFiscalYear) {
        return false;
      }
      ApplyRelative(e->payload, d);
      d.end = i + e->surface.size();
      return true;
    }
    int v, digits;
    size_t k = DateNumber(i, v, digits);
    if (k == i || !IsYear(v, digits) || IsAsciiAlpha(At(k))) return false;
    d.y = v;
    d.y_given = true;
    d.end = k;
    if (At(k) == 0x5E74 /*年*/) d.end = k + 1;
    return true;
  }

  void ApplyRelative(const RelativeInfo& r, DatePoint& d) const {
    d.relative = true;
    if (!ref_) return;
    switch (r.unit) {
      case RelativeUnit::kYear:
        d.y = ref_->y + r.offset;
        break;
      case RelativeUnit::kFiscalYear: {
        d.fiscal = true;
        d.calendar = tb_.japan_calendar;
        Ymd start = ref_->m >= 4 ? Ymd{ref_->y, 4, 1} : Ymd{ref_->y - 1, 4, 1};
        d.y = start.y + r.offset;
        break;
      }
      case RelativeUnit::kMonth: {
        Ymd m = AddMonths(Ymd{ref_->y, ref_->m, 1}, r.offset);
        d.y = m.y;
        d.m = m.m;
        break;
      }
      case RelativeUnit::kDay: {
        Ymd day = AddDays(*ref_, r.offset);
        d.y = day.y;
        d.m = day.m;
        d.d = day.d;
        break;
      }
    }
    d.y_given = true;
  }

  // After "2025年", "今年" or "2025年度": a month, a period, a fiscal-month
  // year end. Extends d.end.
  void AfterYear(DatePoint& d) const {
    size_t i = d.end;
    if (!d.fiscal) {
      int m1, dg;
      size_t k = DateNumber(i, m1, dg);
      if (k > i && m1 >= 1 && m1 <= 12) {
        // 1-3月期, 4〜6月期
        if ((At(k) == '-' || At(k) == '~') && dg <= 2) {
          int m2, dg2;
          size_t k2 = DateNumber(k + 1, m2, dg2);
          if (k2 > k + 1 && m2 >= m1 && m2 <= 12 && At(k2) == 0x6708 /*月*/ &&
              At(k2 + 1) == 0x671F /*期*/) {
            d.m = m1;
            d.month_range_end = m2;
            d.end = k2 + 2;
            return;
          }
        }
        if (At(k) == 0x6708 /*月*/ && dg <= 2) {
          d.m = m1;
          d.end = k + 1;
          AfterMonth(d);
          return;
        }
      }
    }
    if (const auto* e = tb_.periods_after_year.Match(t_, i)) {
      d.period = &e->payload;
      d.end = i + e->surface.size();
    }
  }

  // After "10月": a day, a part of the month, or 期 (fiscal year end).
  void AfterMonth(DatePoint& d) const {
    size_t i = d.end;
    int v, dg;
    size_t k = DateNumber(i, v, dg);
    if (k > i && dg <= 2 && At(k) == 0x65E5 /*日*/ && At(k + 1) != 0x9593 /*間*/ &&
        v >= 1 && v <= 31) {
      d.d = v;
      d.end = k + 1;
      return;
    }
    if (At(i) == 0x671F /*期*/ && d.y_given) {
      d.fiscal_end_month = d.m;
      d.end = i + 1;
      return;
    }
    if (const auto* e = tb_.periods_after_month.Match(t_, i)) {
      d.period = &e->payload;
      d.end = i + e->surface.size();
    }
  }

  // A bare English month name at `i` ("in October", "my December post"),
  // resolved in Resolve. Abbreviations are never bare. A month name right
  // after a cue word ("in", "since", "early", "mid-") is a month; without
  // one it is not when it stands between capitalized words ("Theresa May",
  // "June Yoon") and, for names that are also words ("May", "March"), not at
  // the start of a sentence. `directed`: after next/last/this.
  bool BareMonth(size_t i, DatePoint& d, bool directed) const {
    const auto* e = tb_.month_names.Match(t_, i);
    if (e == nullptr || e->payload.abbreviation || !WordStart(i)) return false;
    size_t end = i + e->surface.size();
    if (!directed) {
      size_t prev = PreviousWordStart(i);
      char buffer[24];
      std::string_view prev_word =
          prev == std::u32string::npos ? std::string_view() : LowerWord(prev, buffer);
      bool cued = InSorted(tb_.month_cues, prev_word);
      if (!cued) {
        if (e->payload.ambiguous && SentenceStart(i)) return false;
        if (prev != std::u32string::npos && IsAsciiUpper(t_[prev]) &&
            !InSorted(tb_.modifier_stopwords, prev_word)) {
          return false;
        }
        if (At(end) == ' ' && IsAsciiUpper(At(end + 1))) return false;
      }
    }
    d.m = e->payload.month;
    d.needs_year = true;
    d.relative = true;
    d.end = end;
    return true;
  }

  // "Monday", "on Thursday": the most recent such day on or before the ref;
  // after "last" the one before the ref, after "next"/"this" the one after
  // (or on) it.
  bool NamedWeekday(size_t i, DatePoint& d, int direction) const {
    const auto* e = tb_.weekday_names.Match(t_, i);
    if (e == nullptr || !WordStart(i)) return false;
    d.end = i + e->surface.size();
    d.relative = true;
    if (!ref_) return true;  // unresolved: Resolve drops it
    int ref_day = Weekday(*ref_);
    int back = (ref_day - e->payload.weekday + 7) % 7;
    int64_t offset = -back;
    if (direction == -1 && back == 0) offset = -7;
    if (direction == 1 || direction == 0) {
      int ahead = (e->payload.weekday - ref_day + 7) % 7;
      offset = (direction == 1 && ahead == 0) ? 7 : ahead;
    }
    Ymd day = AddDays(*ref_, offset);
    d.y = day.y;
    d.m = day.m;
    d.d = day.d;
    d.y_given = true;
    return true;
  }

  static bool IsAsciiUpper(char32_t c) { return c >= 'A' && c <= 'Z'; }

  // The start of the ASCII word before `i` (across spaces, or one hyphen:
  // "mid-May"), or npos when something else comes first.
  size_t PreviousWordStart(size_t i) const {
    size_t k = i;
    if (k > 0 && t_[k - 1] == '-') {
      --k;
    } else {
      while (k > 0 && t_[k - 1] == ' ') --k;
    }
    size_t stop = k;
    while (k > 0 && IsAsciiAlpha(t_[k - 1])) --k;
    if (k == stop || (k > 0 && IsAsciiDigit(t_[k - 1]))) return std::u32string::npos;
    return k;
  }

  // True when only spaces, quotes or brackets separate `i` from the start of
  // the text or a sentence end (. ! ? : 。 or a line break).
  bool SentenceStart(size_t i) const {
    size_t k = i;
    while (k > 0) {
      char32_t c = t_[k - 1];
      if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == 0x201C ||
          c == 0x2018 || c == 0x300C /*「*/) {
        --k;
        continue;
      }
      return c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '\r' ||
             c == 0x3002 /*。*/;
    }
    return true;
  }

  // English "November 3, 2025", "Nov. 3", "October 2025" at `i`.
  bool EnglishMonth(size_t i, DatePoint& d) const {
    const auto* e = tb_.month_names.Match(t_, i);
    if (e == nullptr) return false;
    size_t j = i + e->surface.size();
    if (At(j) == '.') ++j;
    if (At(j) != ' ') return false;
    ++j;
    int v, dg;
    size_t k = DateNumber(j, v, dg);
    if (k == j) return false;
    d.m = e->payload.month;
    if (IsYear(v, dg)) {
      d.y = v;
      d.y_given = true;
      d.end = k;
      return true;
    }
    if (dg > 2 || v < 1 || v > 31) return false;
    for (const char* suffix : {"st", "nd", "rd", "th"}) {
      if (AsciiLower(At(k)) == static_cast<char32_t>(suffix[0]) &&
          AsciiLower(At(k + 1)) == static_cast<char32_t>(suffix[1]) && !IsAsciiAlnum(At(k + 2))) {
        k += 2;
        break;
      }
    }
    if (IsAsciiAlnum(At(k))) return false;
    d.d = v;
    d.end = k;
    size_t y = k;
    if (At(y) == ',') ++y;
    if (At(y) == ' ') {
      int yv, ydg;
      size_t yk = DateNumber(y + 1, yv, ydg);
      if (yk > y + 1 && IsYear(yv, ydg) && !IsAsciiAlnum(At(yk))) {
        d.y = yv;
        d.y_given = true;
        d.end = yk;
        return true;
      }
    }
    d.needs_year = true;
    return true;
  }

  // One date expression at `p`. `partner` is the first end of a range (its
  // year and month fill in what this one leaves out); `allow_bare` lets a
  // bare "2025" be a year.
  std::optional<DatePoint> ParseDatePoint(size_t p, const DatePoint* partner,
                                          bool allow_bare) const {
    DatePoint d;
    d.begin = p;
    // late 2027, first half of 2026, Q1 FY2026, end of 2027
    if (const auto* e = tb_.periods_before.Match(t_, p)) {
      size_t j = p + e->surface.size();
      if (At(j) == '-') {
        ++j;
      } else {
        j = SkipSpaces(j);
        char buffer[24];
        if (LowerWord(j, buffer) == "of") j = SkipSpaces(j + 2);
      }
      if (YearAt(j, d)) {
        d.period = &e->payload;
        return d;
      }
      d = DatePoint();
      d.begin = p;
    }
    if (tb_.fiscal_before.Match(t_, p) != nullptr) {
      if (YearAt(p, d)) return d;
      return std::nullopt;
    }
    if (const auto* e = tb_.eras.Match(t_, p)) {
      size_t j = p + e->surface.size();
      int v = 0, dg = 0;
      size_t k = j;
      if (At(j) == 0x5143 /*元*/) {
        v = 1;
        k = j + 1;
      } else {
        k = DateNumber(j, v, dg);
        if (k == j || v < 1 || v > 99) return std::nullopt;
      }
      if (At(k) != 0x5E74 /*年*/) return std::nullopt;
      d.y = e->payload.start_year + v - 1;
      d.y_given = true;
      d.end = k + 1;
      if (const auto* f = tb_.fiscal_after.Match(t_, k); f != nullptr && f->surface.size() > 1) {
        d.fiscal = true;
        d.calendar = CalendarFor(p, f->payload.mode);
        d.end = k + f->surface.size();
      }
      AfterYear(d);
      return d;
    }
    if (const auto* e = tb_.relative_words.Match(t_, p)) {
      ApplyRelative(e->payload, d);
      d.end = p + e->surface.size();
      if (e->payload.unit == RelativeUnit::kYear || e->payload.unit == RelativeUnit::kFiscalYear) {
        if (!IsAsciiAlpha(e->surface.front())) AfterYear(d);
      } else if (e->payload.unit == RelativeUnit::kMonth) {
        if (!IsAsciiAlpha(e->surface.front())) AfterMonth(d);
      }
      return d;
    }
    if (const auto* e = tb_.periods_standalone.Match(t_, p)) {
      d.period = &e->payload;
      d.relative = true;
      if (ref_) {
        d.y = ref_->y;
        d.y_given = true;
      }
      d.end = p + e->surface.size();
      return d;
    }
    // next May, last October, this Friday
    if (const auto* e = tb_.date_directions.Match(t_, p); e != nullptr && At(p + e->surface.size()) == ' ') {
      size_t j = p + e->surface.size() + 1;
      if (BareMonth(j, d, true) || NamedWeekday(j, d, e->payload.direction)) {
        d.begin = p;
        d.direction = e->payload.direction;
        return d;
      }
      d = DatePoint();
      d.begin = p;
    }
    if (EnglishMonth(p, d)) return d;
    if (BareMonth(p, d, false) || NamedWeekday(p, d, kNoDirection)) return d;

    int v, dg;
    size_t k = DateNumber(p, v, dg);
    if (k == p) return std::nullopt;
    bool ascii = IsAsciiDigit(t_[p]);
    // 2025/10/31, 2025.11.04, 2025-02-17, 2025/10
    if (ascii && IsYear(v, dg) && (At(k) == '/' || At(k) == '.' || At(k) == '-')) {
      char32_t sep = At(k);
      int mv, mdg;
      size_t mk = DateNumber(k + 1, mv, mdg);
      if (mk > k + 1 && mdg <= 2 && mv >= 1 && mv <= 12) {
        int dv, ddg;
        if (At(mk) == sep) {
          size_t dk = DateNumber(mk + 1, dv, ddg);
          if (dk > mk + 1 && ddg <= 2 && ValidDate(v, mv, dv) && !IsAsciiAlnum(At(dk))) {
            d.y = v;
            d.m = mv;
            d.d = dv;
            d.y_given = true;
            d.end = dk;
            return d;
          }
        } else if (sep == '/' && !IsAsciiAlnum(At(mk))) {
          d.y = v;
          d.m = mv;
          d.y_given = true;
          d.end = mk;
          return d;
        }
      }
    }
    // 2025年度, 2026会計年度
    if (const auto* f = tb_.fiscal_after.Match(t_, k)) {
      if (IsYear(v, dg) || (ja_ && dg == 2 && f->surface.size() > 1)) {
        d.y = dg == 2 ? 2000 + v : v;
        d.y_given = true;
        d.fiscal = true;
        d.calendar = CalendarFor(p, f->payload.mode);
        d.end = k + f->surface.size();
        if (d.calendar < 0) return std::nullopt;
        AfterYear(d);
        return d;
      }
    }
    char32_t next = At(k);
    if (next == 0x5E74 /*年*/) {
      bool year = IsYear(v, dg);
      if (!year && ja_ && dg == 2 && ascii) {
        // 25年3月, 25年上半期: a two-digit year only with more date after it.
        int mv, mdg;
        size_t mk = DateNumber(k + 1, mv, mdg);
        bool month = mk > k + 1 && At(mk) == 0x6708 /*月*/ && mv >= 1 && mv <= 12;
        if (month || tb_.periods_after_year.Match(t_, k + 1) != nullptr) {
          year = true;
          v += 2000;
        }
      }
      if (!year || At(k + 1) == 0x9593 /*間*/) return std::nullopt;
      d.y = v;
      d.y_given = true;
      d.end = k + 1;
      AfterYear(d);
      return d;
    }
    if (next == 0x6708 /*月*/ && dg <= 2 && v >= 1 && v <= 12) {
      d.m = v;
      d.end = k + 1;
      d.needs_year = true;
      AfterMonth(d);
      if (d.fiscal_end_month) return std::nullopt;
      return d;
    }
    if (next == 0x65E5 /*日*/ && dg <= 2 && v >= 1 && v <= 31 && At(k + 1) != 0x9593 /*間*/) {
      d.d = v;
      d.end = k + 1;
      d.needs_month = true;
      d.needs_year = true;
      return d;
    }
    // 3 November 2025
    if (ascii && dg <= 2 && v >= 1 && v <= 31 && At(k) == ' ') {
      if (const auto* e = tb_.month_names.Match(t_, k + 1)) {
        size_t j = k + 1 + e->surface.size();
        int yv, ydg;
        if (At(j) == ' ') {
          size_t yk = DateNumber(j + 1, yv, ydg);
          if (yk > j + 1 && IsYear(yv, ydg) && !IsAsciiAlnum(At(yk))) {
            d.y = yv;
            d.m = e->payload.month;
            d.d = v;
            d.y_given = true;
            d.end = yk;
            return ValidDate(yv, d.m, v) ? std::optional<DatePoint>(d) : std::nullopt;
          }
        }
      }
    }
    // A bare year: "in 2025", the second end of a range, "2025 Q1".
    bool decimal = (next == '.' || next == ',') && IsAsciiDigit(At(k + 1));
    if (ascii && IsYear(v, dg) && !IsAsciiAlnum(next) && !decimal &&
        (allow_bare || partner != nullptr)) {
      d.y = v;
      d.y_given = true;
      d.bare_year = true;
      d.end = k;
      return d;
    }
    return std::nullopt;
  }

  bool FollowsYearPreposition(size_t pos) const {
    char buffer[24];
    return InSorted(tb_.year_prepositions, PreviousWord(pos, buffer));
  }

  // Turns a point into its first and last day; false if it cannot be
  // resolved (no year and no ref).
  bool Resolve(DatePoint& d, const DatePoint* partner, Ymd& s, Ymd& e) const {
    if (partner != nullptr) {
      if (d.needs_month && partner->m) {
        d.m = partner->m;
        d.needs_month = false;
      }
      if (!d.y_given && partner->y_given) {
        d.y = partner->y;
        d.y_given = true;
        d.fiscal = d.fiscal || (partner->fiscal && !d.m);
        d.calendar = partner->calendar;
        d.needs_year = false;
      }
    }
    if (d.needs_month) {
      if (!ref_ || d.y_given) return false;
      // 31日: the nearest such day to ref, this month or the next/last.
      int64_t best = INT64_MAX;
      for (int off = -1; off <= 1; ++off) {
        Ymd m = AddMonths(Ymd{ref_->y, ref_->m, 1}, off);
        if (!ValidDate(m.y, m.m, d.d)) continue;
        int64_t dist = std::llabs(DaysFromCivil({m.y, m.m, d.d}) - DaysFromCivil(*ref_));
        if (dist < best) {
          best = dist;
          d.y = m.y;
          d.m = m.m;
        }
      }
      if (best == INT64_MAX) return false;
      d.y_given = true;
      d.relative = true;
    }
    if (!d.y_given && d.m && !d.d && ref_) {
      // "October", 5月, 10月末: the most recent such month on or before the
      // ref's month or one of the next bare_month_lookahead months; "next" /
      // "last" / "this" pick the one after, the one before, the ref's year's.
      int ref_index = ref_->y * 12 + (ref_->m - 1);
      int index = ref_->y * 12 + (d.m - 1);
      int diff = index - ref_index;
      switch (d.direction) {
        case -1:
          if (diff >= 0) index -= 12;
          break;
        case 1:
          if (diff <= 0) index += 12;
          break;
        case 0:
          break;
        case kOnOrAfter:
          if (diff < 0) index += 12;
          break;
        default:
          if (diff > tb_.bare_month_lookahead) {
            index -= 12;
          } else if (diff + 12 <= tb_.bare_month_lookahead) {
            index += 12;
          }
          break;
      }
      d.y = index / 12;
      d.y_given = true;
      d.relative = true;
    }
    if (!d.y_given) {
      if (!ref_) return false;
      // 10月2日: the reading nearest to ref.
      int64_t best = INT64_MAX;
      int best_year = ref_->y;
      for (int y = ref_->y - 1; y <= ref_->y + 1; ++y) {
        int day = d.d ? d.d : 1;
        if (!ValidDate(y, d.m, day)) continue;
        int64_t dist = std::llabs(DaysFromCivil({y, d.m, day}) - DaysFromCivil(*ref_));
        if (dist < best) {
          best = dist;
          best_year = y;
        }
      }
      d.y = best_year;
      d.y_given = true;
      d.relative = true;
    }
    if (d.relative && !ref_) return false;
    if (d.y < 1 || d.y > 9999) return false;
    if (d.fiscal) {
      if (d.calendar < 0) return false;
      FiscalYear(tb_.calendars[d.calendar], d.y, s, e);
      if (d.period != nullptr && !d.period->month_scope) {
        Ymd fs = s, fe = e;
        if (d.period->calendar_months) {
          // not shifted: the calendar months inside the fiscal year
          s = Ymd{fs.y, d.period->start_month, 1};
          if (s.m < fs.m) s.y += 1;
          e = Ymd{s.y, d.period->end_month, DaysInMonth(s.y, d.period->end_month)};
        } else {
          s = AddMonths(fs, d.period->start_month - 1);
          e = d.period->end_month == 12 ? fe : AddDays(AddMonths(fs, d.period->end_month), -1);
        }
      }
      return true;
    }
    if (d.fiscal_end_month) {
      e = Ymd{d.y, d.fiscal_end_month, DaysInMonth(d.y, d.fiscal_end_month)};
      s = AddDays(AddMonths(Ymd{d.y, d.fiscal_end_month, 1}, -11), 0);
      s.d = 1;
      return true;
    }
    if (d.month_range_end) {
      s = Ymd{d.y, d.m, 1};
      e = Ymd{d.y, d.month_range_end, DaysInMonth(d.y, d.month_range_end)};
      return true;
    }
    if (d.d) {
      if (!ValidDate(d.y, d.m, d.d)) return false;
      s = e = Ymd{d.y, d.m, d.d};
      return true;
    }
    if (d.m) {
      int last = DaysInMonth(d.y, d.m);
      s = Ymd{d.y, d.m, 1};
      e = Ymd{d.y, d.m, last};
      if (d.period != nullptr && d.period->month_scope) {
        s.d = std::min(d.period->start_day, last);
        e.d = d.period->end_day == 0 ? last : std::min(d.period->end_day, last);
      }
      return true;
    }
    s = Ymd{d.y, 1, 1};
    e = Ymd{d.y, 12, 31};
    if (d.period != nullptr && !d.period->month_scope) {
      s.m = d.period->start_month;
      e.m = d.period->end_month;
      e.d = DaysInMonth(d.y, e.m);
    }
    return true;
  }

  static Ymd FiscalEnd(const FiscalCalendar& c, int end_year) {
    switch (c.end_rule) {
      case FiscalCalendar::EndRule::kLastSunday:
        return LastWeekdayOfMonth(end_year, c.end_month, 0);
      case FiscalCalendar::EndRule::kLastSaturday:
        return LastWeekdayOfMonth(end_year, c.end_month, 6);
      case FiscalCalendar::EndRule::kMonthEnd:
        break;
    }
    return Ymd{end_year, c.end_month, DaysInMonth(end_year, c.end_month)};
  }

  static void FiscalYear(const FiscalCalendar& c, int label, Ymd& s, Ymd& e) {
    int end_year = label;
    if (!c.named_by_end_year && c.end_month != 12) end_year = label + 1;
    e = FiscalEnd(c, end_year);
    s = AddDays(FiscalEnd(c, end_year - 1), 1);
  }

  // A date or date range at `pos`; returns the end of what was consumed
  // (also when it is not reported for want of a ref), or `pos`.
  // `allow_range` false reads only the first end ("2030年から2027年" whose
  // ends are in reverse order).
  size_t TryDate(size_t pos, bool allow_range = true) {
    size_t begin = pos, i = pos;
    bool deadline = false;
    bool opened = false;
    if (const auto* e = tb_.deadline_prefixes.Match(t_, i)) {
      i = SkipSpaces(i + e->surface.size());
      char buffer[24];
      if (LowerWord(i, buffer) == "the") i = SkipSpaces(i + 3);
      deadline = true;
    } else if (const auto* e = tb_.range_openers.Match(t_, i)) {
      i = SkipSpaces(i + e->surface.size());
      opened = true;
    }
    if (i >= n_) return pos;
    bool prefixed = deadline || opened;
    bool bare_ok = prefixed || FollowsYearPreposition(pos);
    std::optional<DatePoint> p1 = ParseDatePoint(i, nullptr, true);
    if (!p1) return pos;
    if (deadline && p1->bare_year && !p1->period) {
      // "by 2030": fine. Nothing else to check.
    }
    // Range: から, 〜, -, to, through, and (after between).
    std::optional<DatePoint> p2;
    size_t end = p1->end;
    if (allow_range) {
      size_t k = SkipSpaces(p1->end);
      const Lexicon<Empty>::Entry* conn = tb_.date_range_connectors.Match(t_, k);
      if (conn == nullptr && opened) conn = tb_.range_closers.Match(t_, k);
      if (conn != nullptr && (k == p1->end || IsAsciiAlpha(conn->surface.front()))) {
        size_t j = SkipSpaces(k + conn->surface.size());
        std::optional<DatePoint> q = ParseDatePoint(j, &*p1, true);
        // 2030年から2027年へ: a change of date, two dates, not a range.
        bool change = q && conn->surface == U"から" &&
                      tb_.change_markers.Match(t_, q->end) != nullptr &&
                      tb_.date_range_closers.Match(t_, q->end) == nullptr;
        if (q && !change && !(p1->bare_year && !q->y_given && !q->bare_year)) {
          p2 = q;
          end = q->end;
          if (const auto* closer = tb_.date_range_closers.Match(t_, end)) {
            end += closer->surface.size();
          }
        }
      }
    }
    if (opened && !p2) return pos;
    if (p1->bare_year && !p2 && !bare_ok) return pos;
    if (!p2 && !deadline) {
      if (const auto* e = tb_.deadline_suffixes.Match(t_, end)) {
        deadline = true;
        end += e->surface.size();
      }
    }
    if (p1->period != nullptr && p1->period->deadline) deadline = true;
    // "by October", 10月までに: a deadline lies ahead of the ref.
    if (deadline && !p2 && !p1->y_given && p1->m && !p1->d && p1->direction == kNoDirection) {
      p1->direction = kOnOrAfter;
    }
    // "in 2025": the preposition is not part of the date.
    if (!prefixed) begin = p1->begin;

    Ymd s, e;
    if (!Resolve(*p1, nullptr, s, e)) return end;
    if (p2) {
      Ymd s2, e2;
      if (!Resolve(*p2, &*p1, s2, e2)) return end;
      if (DaysFromCivil(e2) < DaysFromCivil(s)) {
        return opened || deadline ? pos : TryDate(pos, false);
      }
      e = e2;
    }
    MentionInfo info;
    info.mention.kind = MentionKind::kDate;
    info.mention.date = DateRange{FormatYmd(s), FormatYmd(e)};
    info.mention.interval = Interval();
    info.mention.interval.value.reset();
    info.mention.interval.qualifier = p2 ? Qualifier::kRange : Qualifier::kExact;
    info.deadline = deadline;
    info.relative = p1->relative || (p2 && p2->relative);
    if (p1->fiscal && p1->calendar >= 0) info.fiscal_calendar = tb_.calendars[p1->calendar].id;
    Fill(info, begin, end);
    return end;
  }

  const Tables& tb_;
  std::string_view text_;
  const ParseOptions& options_;
  std::u32string t_;
  size_t n_ = 0;
  std::optional<Ymd> ref_;
  bool ja_ = false;
  std::vector<int64_t> byte_offsets_;
  std::vector<MentionInfo> out_;
};

}  // namespace

StatusOr<MentionParser> MentionParser::Create(const NumberRules& rules) {
  if (rules.tables == nullptr) {
    return InvalidArgumentError("number rules are not loaded (call LoadNumberRules)");
  }
  MentionParser parser;
  auto impl = std::make_shared<Impl>();
  impl->tables = rules.tables;
  parser.impl_ = std::move(impl);
  return parser;
}

std::vector<MentionInfo> MentionParser::ParseDetailed(std::string_view text,
                                                      const ParseOptions& options) const {
  if (impl_ == nullptr || text.empty()) return {};
  Scanner scanner(*impl_->tables, text, options);
  return scanner.Run();
}

std::vector<Mention> MentionParser::Parse(std::string_view text,
                                          const ParseOptions& options) const {
  std::vector<MentionInfo> detailed = ParseDetailed(text, options);
  std::vector<Mention> out;
  out.reserve(detailed.size());
  for (MentionInfo& info : detailed) out.push_back(std::move(info.mention));
  return out;
}

}  // namespace newsclaim::extract
