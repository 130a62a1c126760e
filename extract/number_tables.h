// extract/number_tables.h
// The compiled form of rules/numbers/*.toml: number_rules.cc fills it,
// mention_parser.cc reads it. Private to extract/ (and its tests).
#pragma once

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/claim.h"
#include "extract/number_rules.h"

namespace newsclaim::extract {

inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsAsciiAlnum(char32_t c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
inline char32_t AsciiLower(char32_t c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

// Maps a code point to the form the parser reads: full-width ASCII to ASCII,
// ideographic space to space, wave dash to '~', dashes and minus to '-',
// full-width yen/pound/won to their symbols. One code point in, one out, so
// offsets into the folded text are offsets into the original text.
char32_t FoldCodePoint(char32_t c);

// Decodes UTF-8 the way base/utf8.h counts code points (an invalid byte is
// one code point, read as U+FFFD) and folds each code point.
std::u32string FoldUtf8(std::string_view text);
std::string ToUtf8(std::u32string_view text);

// A word list matched at a position of folded text, longest entry first.
// Entries marked ascii_ci compare ASCII letters case-insensitively. An entry
// that ends in an ASCII letter is not followed by a letter, one that ends in
// a digit by neither letter nor digit.
template <typename Payload>
class Lexicon {
 public:
  struct Entry {
    std::u32string surface;
    bool ascii_ci = true;
    Payload payload{};
  };

  void Add(std::u32string surface, bool ascii_ci, Payload payload) {
    entries_.push_back(Entry{std::move(surface), ascii_ci, std::move(payload)});
  }

  // Builds the first-character and last-character indexes; call once after
  // the last Add.
  void Finish() {
    by_first_.clear();
    by_last_.clear();
    for (uint32_t i = 0; i < entries_.size(); ++i) {
      const std::u32string& s = entries_[i].surface;
      if (s.empty()) continue;
      by_first_[Key(s.front(), entries_[i].ascii_ci)].push_back(i);
      by_last_[Key(s.back(), entries_[i].ascii_ci)].push_back(i);
    }
    auto longer = [this](uint32_t a, uint32_t b) {
      return entries_[a].surface.size() > entries_[b].surface.size();
    };
    for (auto& [key, list] : by_first_) std::stable_sort(list.begin(), list.end(), longer);
    for (auto& [key, list] : by_last_) std::stable_sort(list.begin(), list.end(), longer);
  }

  // The longest entry that starts at `pos`, or nullptr.
  const Entry* Match(std::u32string_view t, size_t pos) const {
    if (pos >= t.size() || entries_.empty()) return nullptr;
    for (char32_t key : {t[pos], AsciiLower(t[pos])}) {
      auto it = by_first_.find(key);
      if (it != by_first_.end()) {
        for (uint32_t i : it->second) {
          const Entry& e = entries_[i];
          if (Equal(t, pos, e)) return &e;
        }
      }
      if (key == AsciiLower(t[pos])) break;
    }
    return nullptr;
  }

  // The longest entry that ends just before `end`, or nullptr.
  const Entry* MatchEndingAt(std::u32string_view t, size_t end) const {
    if (end == 0 || end > t.size() || entries_.empty()) return nullptr;
    char32_t last = t[end - 1];
    for (char32_t key : {last, AsciiLower(last)}) {
      auto it = by_last_.find(key);
      if (it != by_last_.end()) {
        for (uint32_t i : it->second) {
          const Entry& e = entries_[i];
          if (e.surface.size() <= end && Equal(t, end - e.surface.size(), e)) {
            return &e;
          }
        }
      }
      if (key == AsciiLower(last)) break;
    }
    return nullptr;
  }

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  static char32_t Key(char32_t c, bool ci) { return ci ? AsciiLower(c) : c; }

  static bool Equal(std::u32string_view t, size_t pos, const Entry& e) {
    const std::u32string& s = e.surface;
    if (pos + s.size() > t.size()) return false;
    for (size_t k = 0; k < s.size(); ++k) {
      char32_t a = t[pos + k];
      char32_t b = s[k];
      if (e.ascii_ci) {
        a = AsciiLower(a);
        b = AsciiLower(b);
      }
      if (a != b) return false;
    }
    // A word must end at a word end: after a letter no letter may follow
    // (a digit may: "FY2026"), after a digit neither ("H1" is not "H100").
    size_t end = pos + s.size();
    if (end < t.size()) {
      if (IsAsciiAlpha(s.back()) && IsAsciiAlpha(t[end])) return false;
      if (IsAsciiDigit(s.back()) && IsAsciiAlnum(t[end])) return false;
    }
    return true;
  }

  std::vector<Entry> entries_;
  std::unordered_map<char32_t, std::vector<uint32_t>> by_first_;
  std::unordered_map<char32_t, std::vector<uint32_t>> by_last_;
};

enum class UnitKind { kCounter, kPercent, kPoints };

struct UnitInfo {
  UnitKind kind = UnitKind::kCounter;
  // English nouns follow the number after a space ("260,000 GPUs") and may
  // have modifiers between ("260,000 Nvidia GPUs"); Japanese counters attach.
  bool noun = false;
  // A unit of measurement: "a gigawatt" reads as 1 and "5-gigawatt" as 5.
  bool measure = false;
  // The figure is multiplied by this (割: 3割 = 30 percent).
  double factor = 1;
  // An optional smaller unit after this one, with its own factor
  // (2割5分 = 25 percent); empty when there is none.
  std::u32string minor;
  double minor_factor = 1;
  // The unit is no unit when one of these follows it (割引 is, 割合 is not:
  // 割 before 合 當 る り is a word or a verb).
  std::vector<std::u32string> not_before;
};

struct QualifierInfo {
  Qualifier qualifier = Qualifier::kExact;
  // Only after a unit or currency (級: "4,600億パラメーター級", not "3級").
  bool after_unit = false;
};

// An English plural of a magnitude ("tens", "thousands"): the interval
// [low, high) it stands for; `low` is also its factor in a chain
// ("tens of thousands" = [10, 100) * 1000).
struct VaguePluralInfo {
  double low = 1, high = 10;
};

struct CurrencyInfo {
  std::string code;
};

struct ScaleInfo {
  double value = 1;
  bool attached = false;        // "3bn", "10k"
  bool spaced = false;          // "3 billion"
  bool needs_currency = false;  // "$5m" but not "5m"
};

enum class EnWordType { kUnit, kTen, kHundred, kScale };
struct EnWordInfo {
  int64_t value = 0;
  EnWordType type = EnWordType::kUnit;
};

enum class RelativeUnit { kYear, kFiscalYear, kMonth, kDay };
struct RelativeInfo {
  RelativeUnit unit = RelativeUnit::kYear;
  int offset = 0;
};

// A part of a year ("後半", "Q1", "late") or of a month ("上旬").
struct PeriodInfo {
  bool month_scope = false;
  int start_month = 1, end_month = 12;  // year scope, 1-based, inclusive
  int start_day = 1, end_day = 0;       // month scope; end_day 0 = last day
  bool deadline = false;                // 年内 ("within the year")
  bool calendar_months = false;         // not shifted in a fiscal year
};

struct MonthInfo {
  int month = 1;
  // "Jan", "Sept": only with a day or year after it, never bare.
  bool abbreviation = false;
  // "May", "March", "August" are also ordinary words: bare, they need a cue
  // word before them ("in May") or a place inside a sentence after a
  // lower-case word ("the March report").
  bool ambiguous = false;
};

struct WeekdayInfo {
  int weekday = 0;  // 0 = Sunday ... 6 = Saturday
};

// "next", "last", "this" before a bare month or weekday name.
struct DirectionInfo {
  int direction = 0;  // -1 the one before the ref, 0 this one, 1 the one after
};

struct EraInfo {
  int start_year = 0;
};

enum class FiscalMode { kJapan, kCompany };
struct FiscalMarkerInfo {
  FiscalMode mode = FiscalMode::kCompany;
};

struct FiscalCalendar {
  std::string id;
  std::vector<std::u32string> aliases;
  int end_month = 12;
  enum class EndRule { kMonthEnd, kLastSunday, kLastSaturday } end_rule =
      EndRule::kMonthEnd;
  bool named_by_end_year = true;
};

struct Empty {};

// One `examples` entry of a rule file: parse `text` and expect a mention
// whose surface is `mention` with the given fields.
struct NumberRuleExample {
  std::string file;
  int line = 0;
  std::string text;
  std::string mention;  // expected surface; the whole text if not given
  std::string kind, qualifier, unit, currency, date, ref, lang;
  std::optional<double> value, low, high;
  bool value_null = false, low_null = false, high_null = false;  // expect null
  std::optional<bool> low_inclusive, high_inclusive, deadline, distributive;
  std::optional<int> equivalent_of;
};

struct NumberRuleNonExample {
  std::string file;
  int line = 0;
  std::string text;
};

struct NumberRules::Tables {
  // numerals.toml
  std::unordered_map<char32_t, int> kanji_digits;
  std::unordered_map<char32_t, double> small_units;  // 十 百 千
  std::unordered_map<char32_t, double> big_scales;   // 万 億 兆 京
  std::u32string vague;                              // 数
  Lexicon<Empty> en_vague_multipliers;               // several, a few
  Lexicon<VaguePluralInfo> en_vague_plurals;         // tens, thousands
  Lexicon<Empty> vague_joiners;                      // of ("tens of thousands")
  Lexicon<Empty> indefinite_articles;                // a, an ("a gigawatt")
  Lexicon<EnWordInfo> en_words;
  Lexicon<ScaleInfo> en_scales;
  Lexicon<Empty> ordinal_prefixes, ordinal_suffixes;  // 第; st nd rd th
  // qualifiers.toml
  Lexicon<QualifierInfo> prefix_qualifiers, suffix_qualifiers;
  Lexicon<Empty> range_connectors;  // 〜 ~ - から to through
  Lexicon<Empty> range_openers;     // between, from
  Lexicon<Empty> range_closers;     // and, to
  Lexicon<Empty> change_markers;    // に へ after "AからB": a change, not a range
  Lexicon<Empty> distributive_prefixes, distributive_suffixes;
  // counters.toml
  Lexicon<UnitInfo> units;
  std::vector<std::string> modifier_stopwords;  // sorted
  Lexicon<Empty> partitives;                    // of the, of those
  std::vector<std::string> partitive_stop_endings;  // est: "of the biggest"
  // currencies.toml
  Lexicon<CurrencyInfo> prefix_currencies, suffix_currencies;
  // eras.toml
  Lexicon<EraInfo> eras;
  // fiscal_calendars.toml
  std::vector<FiscalCalendar> calendars;
  int japan_calendar = -1, default_ja_calendar = -1, default_en_calendar = -1;
  Lexicon<FiscalMarkerInfo> fiscal_after;   // 年度 会計年度
  Lexicon<FiscalMarkerInfo> fiscal_before;  // FY, fiscal year, fiscal
  // date_words.toml
  Lexicon<MonthInfo> month_names;
  Lexicon<WeekdayInfo> weekday_names;
  Lexicon<DirectionInfo> date_directions;      // next, last, this
  std::vector<std::string> month_cues;         // sorted, lower case: in, since, early
  int bare_month_lookahead = 0;                // months after the ref a bare month may be
  Lexicon<RelativeInfo> relative_words;
  Lexicon<PeriodInfo> periods_after_year, periods_after_month, periods_before;
  Lexicon<PeriodInfo> periods_standalone;  // 年末 年内: the ref's year
  Lexicon<Empty> deadline_prefixes, deadline_suffixes;
  Lexicon<Empty> date_range_connectors, date_range_closers;
  std::vector<std::string> year_prepositions;  // sorted, lower case
  // negatives.toml
  Lexicon<Empty> negative_words;  // 九州 一部 ...: skipped whole
  Lexicon<Empty> products;        // RTX PRO 6000 ...: skipped whole
  Lexicon<Empty> furniture_after, furniture_before;

  // Derived by Finish(): code points that can start something, and the
  // lower-case first words of entries that start with an ASCII letter.
  std::bitset<0x10000> start_chars;
  // Hashed: the scanner asks once per ASCII word of the text.
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view word) const {
      return std::hash<std::string_view>{}(word);
    }
  };
  std::unordered_set<std::string, WordHash, std::equal_to<>> start_words;

  std::vector<NumberRuleExample> examples;
  std::vector<NumberRuleNonExample> non_examples;

  void Finish();
  bool IsStartWord(std::string_view lower_word) const {
    return start_words.find(lower_word) != start_words.end();
  }
};

}  // namespace newsclaim::extract
