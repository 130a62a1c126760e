// Loads rules/numbers/*.toml into NumberRules::Tables. The schema of every
// table is documented in rules/numbers/README.md; each key is read here and
// every unknown key is an error, so a typo in a rule file fails the run with
// its file:line instead of silently doing nothing.
#include "extract/number_rules.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <system_error>

#include "base/utf8.h"
#include "extract/number_tables.h"
#include "extract/toml_rule_file.h"

namespace newsclaim::extract {

namespace fs = std::filesystem;

// ---- code points ----------------------------------------------------------

char32_t FoldCodePoint(char32_t c) {
  if (c < 0x80) return c;
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;  // full-width ASCII
  switch (c) {
    case 0x00A0:  // no-break space
    case 0x2002:
    case 0x2003:
    case 0x2009:  // thin space
    case 0x202F:
    case 0x3000:  // ideographic space
      return ' ';
    case 0x301C:  // wave dash 〜
    case 0x2053:  // swung dash
    case 0x223C:  // tilde operator
      return '~';
    case 0x2010:  // hyphen
    case 0x2011:
    case 0x2012:  // figure dash
    case 0x2013:  // en dash
    case 0x2014:  // em dash
    case 0x2015:
    case 0x2212:  // minus sign
    case 0xFE63:
      return '-';
    case 0xFF0E:
      return '.';
    case 0xFFE5:  // full-width yen
      return 0x00A5;
    case 0xFFE1:  // full-width pound
      return 0x00A3;
    case 0xFFE6:  // full-width won
      return 0x20A9;
    case 0xFF05:
      return '%';
    default:
      return c;
  }
}

std::u32string FoldUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    int len = Utf8SequenceLength(lead);
    char32_t cp;
    if (len == 1) {
      cp = lead < 0x80 ? lead : 0xFFFD;
    } else if (i + len > text.size()) {
      cp = 0xFFFD;
    } else {
      cp = lead & (0xFF >> (len + 1));
      bool ok = true;
      for (int k = 1; k < len; ++k) {
        unsigned char b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (b & 0x3F);
      }
      if (!ok) cp = 0xFFFD;
    }
    out.push_back(FoldCodePoint(cp));
    i += len;
  }
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  return ::newsclaim::EncodeUtf8(text);
}

// ---- derived indexes --------------------------------------------------------

namespace {

template <typename P>
void AddStarts(const Lexicon<P>& lexicon, std::bitset<0x10000>& chars,
               std::unordered_set<std::string, NumberRules::Tables::WordHash, std::equal_to<>>& words) {
  for (const auto& entry : lexicon.entries()) {
    const std::u32string& s = entry.surface;
    if (s.empty()) continue;
    if (s.front() < 0x10000) chars.set(s.front());
    if (IsAsciiAlpha(s.front())) {
      std::string word;
      for (char32_t c : s) {
        if (!IsAsciiAlpha(c)) break;
        word.push_back(static_cast<char>(AsciiLower(c)));
      }
      words.insert(std::move(word));
    }
  }
}

}  // namespace

void NumberRules::Tables::Finish() {
  for (auto* lex : {&range_connectors, &range_openers, &range_closers,
                    &change_markers, &distributive_prefixes,
                    &distributive_suffixes, &deadline_prefixes,
                    &deadline_suffixes, &date_range_connectors,
                    &date_range_closers, &negative_words, &products,
                    &furniture_after, &furniture_before, &ordinal_prefixes,
                    &ordinal_suffixes, &en_vague_multipliers, &vague_joiners,
                    &indefinite_articles, &partitives}) {
    lex->Finish();
  }
  en_words.Finish();
  en_scales.Finish();
  prefix_qualifiers.Finish();
  suffix_qualifiers.Finish();
  units.Finish();
  prefix_currencies.Finish();
  suffix_currencies.Finish();
  eras.Finish();
  fiscal_after.Finish();
  fiscal_before.Finish();
  month_names.Finish();
  weekday_names.Finish();
  date_directions.Finish();
  en_vague_plurals.Finish();
  relative_words.Finish();
  periods_after_year.Finish();
  periods_after_month.Finish();
  periods_before.Finish();
  periods_standalone.Finish();

  start_chars.reset();
  start_words.clear();
  for (char32_t c = '0'; c <= '9'; ++c) start_chars.set(c);
  for (char32_t c = 'A'; c <= 'Z'; ++c) start_chars.set(c);
  for (char32_t c = 'a'; c <= 'z'; ++c) start_chars.set(c);
  for (const auto& [c, v] : kanji_digits) if (c < 0x10000) start_chars.set(c);
  for (const auto& [c, v] : small_units) if (c < 0x10000) start_chars.set(c);
  for (char32_t c : vague) if (c < 0x10000) start_chars.set(c);
  AddStarts(en_words, start_chars, start_words);
  AddStarts(prefix_qualifiers, start_chars, start_words);
  AddStarts(prefix_currencies, start_chars, start_words);
  AddStarts(range_openers, start_chars, start_words);
  AddStarts(eras, start_chars, start_words);
  AddStarts(fiscal_before, start_chars, start_words);
  AddStarts(month_names, start_chars, start_words);
  AddStarts(weekday_names, start_chars, start_words);
  AddStarts(date_directions, start_chars, start_words);
  AddStarts(en_vague_multipliers, start_chars, start_words);
  AddStarts(en_vague_plurals, start_chars, start_words);
  AddStarts(indefinite_articles, start_chars, start_words);
  AddStarts(relative_words, start_chars, start_words);
  AddStarts(periods_before, start_chars, start_words);
  AddStarts(deadline_prefixes, start_chars, start_words);
  AddStarts(negative_words, start_chars, start_words);
  AddStarts(products, start_chars, start_words);
  AddStarts(furniture_before, start_chars, start_words);
  AddStarts(ordinal_prefixes, start_chars, start_words);
  AddStarts(periods_standalone, start_chars, start_words);
  // URLs are skipped whole, from their scheme or "www".
  for (const char* w : {"http", "https", "www"}) start_words.insert(w);
}

// ---- loading ----------------------------------------------------------------

namespace {

std::u32string U32(std::string_view s) { return FoldUtf8(s); }

// Reads one rule file, reporting errors as "FILE:LINE: message".
class FileLoader {
 public:
  FileLoader(fs::path path, NumberRules::Tables& tables)
      : path_(std::move(path)), t_(tables) {}

  Status Load() {
    toml::table root;
    try {
      root = toml::parse_file(path_.string());
    } catch (const toml::parse_error& error) {
      return Error(static_cast<int>(error.source().begin.line),
                   std::string(error.description()));
    }
    for (auto&& [key, node] : root) {
      RETURN_IF_ERROR(LoadKey(std::string(key.str()), node, key));
    }
    return Status::Ok();
  }

 private:
  Status Error(int line, std::string_view message) const {
    return RuleFileError(path_, line, message);
  }
  Status Error(const toml::node& node, std::string_view message) const {
    return RuleFileError(path_, node, message);
  }

  Status CheckKeys(const toml::table& table,
                   std::initializer_list<std::string_view> allowed,
                   std::string_view where) const {
    return CheckRuleKeys(path_, table, allowed, where);
  }

  StatusOr<std::string> Str(const toml::table& table, std::string_view key,
                            bool required) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) return Error(table, "missing \"" + std::string(key) + "\"");
      return std::string();
    }
    if (!node->is_string()) return Error(*node, std::string(key) + " must be a string");
    std::string value = node->as_string()->get();
    if (required && value.empty()) return Error(*node, std::string(key) + " is empty");
    return value;
  }

  StatusOr<std::optional<int64_t>> Int(const toml::table& table,
                                       std::string_view key, bool required,
                                       int64_t min, int64_t max) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) return Error(table, "missing \"" + std::string(key) + "\"");
      return std::optional<int64_t>();
    }
    if (!node->is_integer()) return Error(*node, std::string(key) + " must be an integer");
    int64_t v = node->as_integer()->get();
    if (v < min || v > max) {
      return Error(*node, std::string(key) + " must be in " + std::to_string(min) +
                              ".." + std::to_string(max));
    }
    return std::optional<int64_t>(v);
  }

  // A positive number (integer or float); `fallback` when absent.
  StatusOr<double> Positive(const toml::table& table, std::string_view key,
                            double fallback) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    double v = 0;
    if (node->is_integer()) {
      v = static_cast<double>(node->as_integer()->get());
    } else if (node->is_floating_point()) {
      v = node->as_floating_point()->get();
    } else {
      return Error(*node, std::string(key) + " must be a number");
    }
    if (!(v > 0) || !std::isfinite(v)) return Error(*node, std::string(key) + " must be positive");
    return v;
  }

  StatusOr<bool> Bool(const toml::table& table, std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return false;
    if (!node->is_boolean()) return Error(*node, std::string(key) + " must be true or false");
    return node->as_boolean()->get();
  }

  // A number, or the string "null" (the example expects JSON null).
  Status Number(const toml::table& table, std::string_view key,
                std::optional<double>& value, bool& is_null) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return Status::Ok();
    if (node->is_integer()) {
      value = static_cast<double>(node->as_integer()->get());
    } else if (node->is_floating_point()) {
      value = node->as_floating_point()->get();
    } else if (node->is_string() && node->as_string()->get() == "null") {
      is_null = true;
    } else {
      return Error(*node, std::string(key) + " must be a number or \"null\"");
    }
    return Status::Ok();
  }

  StatusOr<std::vector<std::pair<std::string, int>>> Strings(
      const toml::node& node, std::string_view key) const {
    std::vector<std::pair<std::string, int>> out;
    const toml::array* array = node.as_array();
    if (array == nullptr) return Error(node, std::string(key) + " must be an array of strings");
    for (const toml::node& item : *array) {
      if (!item.is_string() || item.as_string()->get().empty()) {
        return Error(item, std::string(key) + " must hold non-empty strings");
      }
      out.emplace_back(item.as_string()->get(),
                       static_cast<int>(item.source().begin.line));
    }
    return out;
  }

  // Calls `fn(table)` for each table of an array of tables.
  template <typename Fn>
  Status EachTable(const toml::node& node, std::string_view key, Fn fn) const {
    const toml::array* array = node.as_array();
    if (array == nullptr) return Error(node, std::string(key) + " must be an array of tables");
    for (const toml::node& item : *array) {
      if (!item.is_table()) return Error(item, std::string(key) + " must hold tables");
      RETURN_IF_ERROR(fn(*item.as_table()));
    }
    return Status::Ok();
  }

  Status WordList(const toml::node& node, std::string_view key,
                  Lexicon<Empty>& lexicon) const {
    ASSIGN_OR_RETURN(auto words, Strings(node, key));
    for (auto& [w, line] : words) lexicon.Add(U32(w), true, Empty{});
    return Status::Ok();
  }

  StatusOr<char32_t> OneChar(const toml::table& table, std::string_view key) const {
    ASSIGN_OR_RETURN(std::string s, Str(table, key, true));
    std::u32string u = U32(s);
    if (u.size() != 1) return Error(*table.get(key), std::string(key) + " must be one character");
    return u[0];
  }

  Status Position(const toml::table& table, std::initializer_list<std::string_view> allowed,
                  std::string& out) const {
    ASSIGN_OR_RETURN(out, Str(table, "position", true));
    if (std::find(allowed.begin(), allowed.end(), out) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error(*table.get("position"), "position must be one of " + list);
    }
    return Status::Ok();
  }

  Status LoadKey(const std::string& key, const toml::node& node,
                 const toml::key& key_node) {
    if (key == "examples") return LoadExamples(node);
    if (key == "non_examples") {
      ASSIGN_OR_RETURN(auto texts, Strings(node, key));
      for (auto& [text, line] : texts) {
        t_.non_examples.push_back({path_.string(), line, text});
      }
      return Status::Ok();
    }
    // numerals.toml
    if (key == "kanji_digit") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"char", "value"}, "kanji_digit"));
        ASSIGN_OR_RETURN(char32_t c, OneChar(e, "char"));
        ASSIGN_OR_RETURN(auto v, Int(e, "value", true, 0, 9));
        t_.kanji_digits[c] = static_cast<int>(*v);
        return Status::Ok();
      });
    }
    if (key == "small_unit" || key == "big_scale") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"char", "power"}, key));
        ASSIGN_OR_RETURN(char32_t c, OneChar(e, "char"));
        ASSIGN_OR_RETURN(auto p, Int(e, "power", true, 1, 24));
        double v = std::pow(10.0, static_cast<double>(*p));
        if (key == "small_unit") {
          if (*p > 3) return Error(*e.get("power"), "a small unit is 10, 100 or 1000");
          t_.small_units[c] = v;
        } else {
          t_.big_scales[c] = v;
        }
        return Status::Ok();
      });
    }
    if (key == "vague") {
      ASSIGN_OR_RETURN(auto words, Strings(node, key));
      for (auto& [w, line] : words) {
        std::u32string u = U32(w);
        if (u.size() != 1) return Error(line, "a vague numeral is one character");
        t_.vague += u;
      }
      return Status::Ok();
    }
    if (key == "vague_multipliers") return WordList(node, key, t_.en_vague_multipliers);
    if (key == "vague_joiners") return WordList(node, key, t_.vague_joiners);
    if (key == "indefinite") return WordList(node, key, t_.indefinite_articles);
    if (key == "vague_plural") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"word", "low", "high"}, "vague_plural"));
        ASSIGN_OR_RETURN(std::string word, Str(e, "word", true));
        VaguePluralInfo info;
        ASSIGN_OR_RETURN(info.low, Positive(e, "low", 0));
        ASSIGN_OR_RETURN(info.high, Positive(e, "high", 0));
        if (e.get("low") == nullptr || e.get("high") == nullptr) {
          return Error(e, "a vague plural needs low and high");
        }
        if (info.high <= info.low) return Error(e, "high must be above low");
        t_.en_vague_plurals.Add(U32(word), true, info);
        return Status::Ok();
      });
    }
    if (key == "en_word") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"word", "value", "type"}, "en_word"));
        ASSIGN_OR_RETURN(std::string word, Str(e, "word", true));
        ASSIGN_OR_RETURN(auto v, Int(e, "value", true, 0, 1000000000000000LL));
        ASSIGN_OR_RETURN(std::string type, Str(e, "type", true));
        EnWordInfo info{*v, EnWordType::kUnit};
        if (type == "unit") info.type = EnWordType::kUnit;
        else if (type == "ten") info.type = EnWordType::kTen;
        else if (type == "hundred") info.type = EnWordType::kHundred;
        else if (type == "scale") info.type = EnWordType::kScale;
        else return Error(*e.get("type"), "type must be unit, ten, hundred or scale");
        t_.en_words.Add(U32(word), true, info);
        return Status::Ok();
      });
    }
    if (key == "en_scale") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"word", "power", "attached", "spaced",
                                      "needs_currency", "case_sensitive"},
                                  "en_scale"));
        ASSIGN_OR_RETURN(std::string word, Str(e, "word", true));
        ASSIGN_OR_RETURN(auto p, Int(e, "power", true, 1, 24));
        ScaleInfo info;
        info.value = std::pow(10.0, static_cast<double>(*p));
        ASSIGN_OR_RETURN(info.attached, Bool(e, "attached"));
        ASSIGN_OR_RETURN(info.spaced, Bool(e, "spaced"));
        ASSIGN_OR_RETURN(info.needs_currency, Bool(e, "needs_currency"));
        ASSIGN_OR_RETURN(bool cs, Bool(e, "case_sensitive"));
        if (!info.attached && !info.spaced) {
          return Error(e, "a scale word must be attached, spaced or both");
        }
        t_.en_scales.Add(U32(word), !cs, info);
        return Status::Ok();
      });
    }
    // qualifiers.toml
    if (key == "qualifier") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(
            CheckKeys(e, {"surface", "position", "qualifier", "after_unit"}, "qualifier"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        std::string position;
        RETURN_IF_ERROR(Position(e, {"prefix", "suffix"}, position));
        ASSIGN_OR_RETURN(std::string name, Str(e, "qualifier", true));
        std::optional<Qualifier> q = ParseQualifier(name);
        if (!q || *q == Qualifier::kRange) {
          return Error(*e.get("qualifier"), "unknown qualifier \"" + name + "\"");
        }
        ASSIGN_OR_RETURN(bool after_unit, Bool(e, "after_unit"));
        if (after_unit && position != "suffix") {
          return Error(*e.get("after_unit"), "after_unit is for suffix qualifiers");
        }
        (position == "prefix" ? t_.prefix_qualifiers : t_.suffix_qualifiers)
            .Add(U32(surface), true, QualifierInfo{*q, after_unit});
        return Status::Ok();
      });
    }
    if (key == "range_connectors") return WordList(node, key, t_.range_connectors);
    if (key == "range_openers") return WordList(node, key, t_.range_openers);
    if (key == "range_closers") return WordList(node, key, t_.range_closers);
    if (key == "change_markers") return WordList(node, key, t_.change_markers);
    if (key == "distributive") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "position"}, "distributive"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        std::string position;
        RETURN_IF_ERROR(Position(e, {"prefix", "suffix"}, position));
        (position == "prefix" ? t_.distributive_prefixes : t_.distributive_suffixes)
            .Add(U32(surface), true, Empty{});
        return Status::Ok();
      });
    }
    // counters.toml
    if (key == "unit") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "kind", "noun", "case_sensitive", "measure",
                                      "factor", "minor", "minor_factor", "not_before"},
                                  "unit"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(std::string kind, Str(e, "kind", false));
        UnitInfo info;
        if (kind.empty() || kind == "counter") info.kind = UnitKind::kCounter;
        else if (kind == "percent") info.kind = UnitKind::kPercent;
        else if (kind == "points") info.kind = UnitKind::kPoints;
        else return Error(*e.get("kind"), "kind must be counter, percent or points");
        ASSIGN_OR_RETURN(info.noun, Bool(e, "noun"));
        ASSIGN_OR_RETURN(info.measure, Bool(e, "measure"));
        ASSIGN_OR_RETURN(info.factor, Positive(e, "factor", 1));
        ASSIGN_OR_RETURN(std::string minor, Str(e, "minor", false));
        info.minor = U32(minor);
        ASSIGN_OR_RETURN(info.minor_factor, Positive(e, "minor_factor", 1));
        if (e.get("minor_factor") != nullptr && minor.empty()) {
          return Error(*e.get("minor_factor"), "minor_factor needs minor");
        }
        if (const toml::node* nb = e.get("not_before")) {
          ASSIGN_OR_RETURN(auto words, Strings(*nb, "not_before"));
          for (auto& [w, line] : words) info.not_before.push_back(U32(w));
        }
        ASSIGN_OR_RETURN(bool cs, Bool(e, "case_sensitive"));
        t_.units.Add(U32(surface), !cs, info);
        return Status::Ok();
      });
    }
    if (key == "modifier_stopwords") {
      ASSIGN_OR_RETURN(auto words, Strings(node, key));
      for (auto& [w, line] : words) {
        std::string lower = w;
        for (char& ch : lower) ch = static_cast<char>(AsciiLower(static_cast<unsigned char>(ch)));
        t_.modifier_stopwords.push_back(lower);
      }
      std::sort(t_.modifier_stopwords.begin(), t_.modifier_stopwords.end());
      return Status::Ok();
    }
    if (key == "partitives") return WordList(node, key, t_.partitives);
    if (key == "partitive_stop_endings") {
      ASSIGN_OR_RETURN(auto words, Strings(node, key));
      for (auto& [w, line] : words) t_.partitive_stop_endings.push_back(w);
      return Status::Ok();
    }
    // currencies.toml
    if (key == "currency") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "code", "position", "case_sensitive"},
                                  "currency"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(std::string code, Str(e, "code", true));
        if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char ch) {
              return ch >= 'A' && ch <= 'Z';
            })) {
          return Error(*e.get("code"), "code must be an ISO 4217 code like USD");
        }
        std::string position;
        RETURN_IF_ERROR(Position(e, {"prefix", "suffix"}, position));
        ASSIGN_OR_RETURN(bool cs, Bool(e, "case_sensitive"));
        (position == "prefix" ? t_.prefix_currencies : t_.suffix_currencies)
            .Add(U32(surface), !cs, CurrencyInfo{code});
        return Status::Ok();
      });
    }
    // eras.toml
    if (key == "era") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"name", "start_year", "start_date"}, "era"));
        ASSIGN_OR_RETURN(std::string name, Str(e, "name", true));
        ASSIGN_OR_RETURN(auto year, Int(e, "start_year", true, 600, 3000));
        t_.eras.Add(U32(name), false, EraInfo{static_cast<int>(*year)});
        return Status::Ok();
      });
    }
    // fiscal_calendars.toml
    if (key == "calendar") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"id", "aliases", "end_month", "end_rule",
                                      "named_by", "note"},
                                  "calendar"));
        FiscalCalendar cal;
        ASSIGN_OR_RETURN(cal.id, Str(e, "id", true));
        if (const toml::node* a = e.get("aliases")) {
          ASSIGN_OR_RETURN(auto aliases, Strings(*a, "aliases"));
          for (auto& [alias, line] : aliases) cal.aliases.push_back(U32(alias));
        }
        ASSIGN_OR_RETURN(auto month, Int(e, "end_month", true, 1, 12));
        cal.end_month = static_cast<int>(*month);
        ASSIGN_OR_RETURN(std::string rule, Str(e, "end_rule", true));
        if (rule == "month_end") cal.end_rule = FiscalCalendar::EndRule::kMonthEnd;
        else if (rule == "last_sunday") cal.end_rule = FiscalCalendar::EndRule::kLastSunday;
        else if (rule == "last_saturday") cal.end_rule = FiscalCalendar::EndRule::kLastSaturday;
        else return Error(*e.get("end_rule"), "end_rule must be month_end, last_sunday or last_saturday");
        ASSIGN_OR_RETURN(std::string named_by, Str(e, "named_by", true));
        if (named_by == "end_year") cal.named_by_end_year = true;
        else if (named_by == "start_year") cal.named_by_end_year = false;
        else return Error(*e.get("named_by"), "named_by must be end_year or start_year");
        for (const auto& other : t_.calendars) {
          if (other.id == cal.id) return Error(e, "duplicate calendar id \"" + cal.id + "\"");
        }
        t_.calendars.push_back(std::move(cal));
        return Status::Ok();
      });
    }
    if (key == "japan_calendar" || key == "default_calendar_ja" ||
        key == "default_calendar_en") {
      if (!node.is_string()) return Error(node, key + " must be a calendar id");
      pending_calendar_refs_.push_back(
          {key, node.as_string()->get(), static_cast<int>(node.source().begin.line)});
      return Status::Ok();
    }
    if (key == "fiscal_marker") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "position", "mode"}, "fiscal_marker"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        std::string position;
        RETURN_IF_ERROR(Position(e, {"before", "after"}, position));
        ASSIGN_OR_RETURN(std::string mode, Str(e, "mode", true));
        FiscalMarkerInfo info;
        if (mode == "japan") info.mode = FiscalMode::kJapan;
        else if (mode == "company") info.mode = FiscalMode::kCompany;
        else return Error(*e.get("mode"), "mode must be japan or company");
        (position == "before" ? t_.fiscal_before : t_.fiscal_after)
            .Add(U32(surface), true, info);
        return Status::Ok();
      });
    }
    // date_words.toml
    if (key == "month") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(
            e, {"surface", "month", "case_sensitive", "abbreviation", "ambiguous"}, "month"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(auto month, Int(e, "month", true, 1, 12));
        ASSIGN_OR_RETURN(bool cs, Bool(e, "case_sensitive"));
        MonthInfo info{static_cast<int>(*month)};
        ASSIGN_OR_RETURN(info.abbreviation, Bool(e, "abbreviation"));
        ASSIGN_OR_RETURN(info.ambiguous, Bool(e, "ambiguous"));
        t_.month_names.Add(U32(surface), !cs, info);
        return Status::Ok();
      });
    }
    if (key == "weekday") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "weekday", "case_sensitive"}, "weekday"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(auto day, Int(e, "weekday", true, 0, 6));
        ASSIGN_OR_RETURN(bool cs, Bool(e, "case_sensitive"));
        t_.weekday_names.Add(U32(surface), !cs, WeekdayInfo{static_cast<int>(*day)});
        return Status::Ok();
      });
    }
    if (key == "date_direction") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "direction"}, "date_direction"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(auto dir, Int(e, "direction", true, -1, 1));
        t_.date_directions.Add(U32(surface), true, DirectionInfo{static_cast<int>(*dir)});
        return Status::Ok();
      });
    }
    if (key == "bare_month_lookahead") {
      if (!node.is_integer() || node.as_integer()->get() < 0 || node.as_integer()->get() > 11) {
        return Error(node, "bare_month_lookahead must be an integer in 0..11");
      }
      t_.bare_month_lookahead = static_cast<int>(node.as_integer()->get());
      return Status::Ok();
    }
    if (key == "relative") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "unit", "offset"}, "relative"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        ASSIGN_OR_RETURN(std::string unit, Str(e, "unit", true));
        ASSIGN_OR_RETURN(auto offset, Int(e, "offset", true, -10, 10));
        RelativeInfo info{RelativeUnit::kYear, static_cast<int>(*offset)};
        if (unit == "year") info.unit = RelativeUnit::kYear;
        else if (unit == "fiscal_year") info.unit = RelativeUnit::kFiscalYear;
        else if (unit == "month") info.unit = RelativeUnit::kMonth;
        else if (unit == "day") info.unit = RelativeUnit::kDay;
        else return Error(*e.get("unit"), "unit must be year, fiscal_year, month or day");
        t_.relative_words.Add(U32(surface), true, info);
        return Status::Ok();
      });
    }
    if (key == "period") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "position", "start_month",
                                      "end_month", "start_day", "end_day",
                                      "deadline", "calendar_months"},
                                  "period"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        std::string position;
        RETURN_IF_ERROR(
            Position(e, {"before", "after_year", "after_month", "standalone"}, position));
        PeriodInfo info;
        info.month_scope = position == "after_month";
        if (info.month_scope) {
          ASSIGN_OR_RETURN(auto sd, Int(e, "start_day", true, 1, 31));
          ASSIGN_OR_RETURN(auto ed, Int(e, "end_day", true, 0, 31));
          info.start_day = static_cast<int>(*sd);
          info.end_day = static_cast<int>(*ed);
          if (info.end_day != 0 && info.end_day < info.start_day) {
            return Error(e, "end_day is before start_day");
          }
        } else {
          ASSIGN_OR_RETURN(auto sm, Int(e, "start_month", true, 1, 12));
          ASSIGN_OR_RETURN(auto em, Int(e, "end_month", true, 1, 12));
          info.start_month = static_cast<int>(*sm);
          info.end_month = static_cast<int>(*em);
          if (info.end_month < info.start_month) {
            return Error(e, "end_month is before start_month");
          }
        }
        ASSIGN_OR_RETURN(info.deadline, Bool(e, "deadline"));
        ASSIGN_OR_RETURN(info.calendar_months, Bool(e, "calendar_months"));
        Lexicon<PeriodInfo>& lex = position == "before"       ? t_.periods_before
                                   : position == "standalone" ? t_.periods_standalone
                                   : info.month_scope         ? t_.periods_after_month
                                                              : t_.periods_after_year;
        lex.Add(U32(surface), true, info);
        return Status::Ok();
      });
    }
    if (key == "ordinal_prefixes") return WordList(node, key, t_.ordinal_prefixes);
    if (key == "ordinal_suffixes") return WordList(node, key, t_.ordinal_suffixes);
    if (key == "deadline_prefixes") return WordList(node, key, t_.deadline_prefixes);
    if (key == "deadline_suffixes") return WordList(node, key, t_.deadline_suffixes);
    if (key == "date_range_connectors") return WordList(node, key, t_.date_range_connectors);
    if (key == "date_range_closers") return WordList(node, key, t_.date_range_closers);
    if (key == "year_prepositions" || key == "month_cues") {
      std::vector<std::string>& list =
          key == "year_prepositions" ? t_.year_prepositions : t_.month_cues;
      ASSIGN_OR_RETURN(auto words, Strings(node, key));
      for (auto& [w, line] : words) {
        std::string lower = w;
        for (char& ch : lower) ch = static_cast<char>(AsciiLower(static_cast<unsigned char>(ch)));
        list.push_back(lower);
      }
      std::sort(list.begin(), list.end());
      return Status::Ok();
    }
    // negatives.toml
    if (key == "words") return WordList(node, key, t_.negative_words);
    if (key == "products") {
      ASSIGN_OR_RETURN(auto words, Strings(node, key));
      for (auto& [w, line] : words) t_.products.Add(U32(w), false, Empty{});
      return Status::Ok();
    }
    if (key == "furniture") {
      return EachTable(node, key, [&](const toml::table& e) -> Status {
        RETURN_IF_ERROR(CheckKeys(e, {"surface", "position"}, "furniture"));
        ASSIGN_OR_RETURN(std::string surface, Str(e, "surface", true));
        std::string position;
        RETURN_IF_ERROR(Position(e, {"before", "after"}, position));
        (position == "before" ? t_.furniture_before : t_.furniture_after)
            .Add(U32(surface), true, Empty{});
        return Status::Ok();
      });
    }
    return Error(static_cast<int>(key_node.source().begin.line),
                 "unknown table \"" + key + "\"");
  }

  Status LoadExamples(const toml::node& node) {
    return EachTable(node, "examples", [&](const toml::table& e) -> Status {
      RETURN_IF_ERROR(CheckKeys(
          e, {"text", "mention", "kind", "value", "low", "high", "low_inclusive",
              "high_inclusive", "qualifier", "unit", "currency", "date", "ref",
              "lang", "deadline", "distributive", "equivalent_of"},
          "example"));
      NumberRuleExample ex;
      ex.file = path_.string();
      ex.line = static_cast<int>(e.source().begin.line);
      ASSIGN_OR_RETURN(ex.text, Str(e, "text", true));
      ASSIGN_OR_RETURN(ex.mention, Str(e, "mention", false));
      if (ex.mention.empty()) ex.mention = ex.text;
      ASSIGN_OR_RETURN(ex.kind, Str(e, "kind", true));
      ASSIGN_OR_RETURN(ex.qualifier, Str(e, "qualifier", false));
      ASSIGN_OR_RETURN(ex.unit, Str(e, "unit", false));
      ASSIGN_OR_RETURN(ex.currency, Str(e, "currency", false));
      ASSIGN_OR_RETURN(ex.date, Str(e, "date", false));
      ASSIGN_OR_RETURN(ex.ref, Str(e, "ref", false));
      ASSIGN_OR_RETURN(ex.lang, Str(e, "lang", false));
      RETURN_IF_ERROR(Number(e, "value", ex.value, ex.value_null));
      RETURN_IF_ERROR(Number(e, "low", ex.low, ex.low_null));
      RETURN_IF_ERROR(Number(e, "high", ex.high, ex.high_null));
      for (auto [k, field] : {std::pair{"low_inclusive", &ex.low_inclusive},
                              std::pair{"high_inclusive", &ex.high_inclusive},
                              std::pair{"deadline", &ex.deadline},
                              std::pair{"distributive", &ex.distributive}}) {
        if (e.get(k) != nullptr) {
          ASSIGN_OR_RETURN(bool b, Bool(e, k));
          *field = b;
        }
      }
      ASSIGN_OR_RETURN(auto eq, Int(e, "equivalent_of", false, 0, 1000));
      if (eq) ex.equivalent_of = static_cast<int>(*eq);
      if (!ex.qualifier.empty() && !ParseQualifier(ex.qualifier)) {
        return Error(*e.get("qualifier"), "unknown qualifier \"" + ex.qualifier + "\"");
      }
      t_.examples.push_back(std::move(ex));
      return Status::Ok();
    });
  }

 public:
  struct CalendarRef {
    std::string key, id;
    int line;
  };
  std::vector<CalendarRef> pending_calendar_refs_;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  NumberRules::Tables& t_;
};

}  // namespace

StatusOr<NumberRules> LoadNumberRules(const fs::path& rules_dir) {
  fs::path dir = rules_dir / "numbers";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFoundError(dir.string() + ": no such rule folder");
  }
  NumberRules rules;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      rules.files.push_back(entry.path());
    }
  }
  if (ec) return IoError(dir.string() + ": " + ec.message());
  std::sort(rules.files.begin(), rules.files.end());
  if (rules.files.empty()) {
    return InvalidArgumentError(dir.string() + ": no .toml rule files");
  }

  auto tables = std::make_shared<NumberRules::Tables>();
  struct PendingRef {
    fs::path file;
    FileLoader::CalendarRef ref;
  };
  std::vector<PendingRef> refs;
  for (const fs::path& file : rules.files) {
    FileLoader loader(file, *tables);
    RETURN_IF_ERROR(loader.Load());
    for (const auto& ref : loader.pending_calendar_refs_) refs.push_back({file, ref});
  }
  // Calendar ids may name a calendar defined in another file.
  for (const auto& [file, ref] : refs) {
    int index = -1;
    for (size_t i = 0; i < tables->calendars.size(); ++i) {
      if (tables->calendars[i].id == ref.id) index = static_cast<int>(i);
    }
    if (index < 0) {
      return InvalidArgumentError(file.string() + ":" + std::to_string(ref.line) +
                                  ": unknown calendar \"" + ref.id + "\"");
    }
    if (ref.key == "japan_calendar") tables->japan_calendar = index;
    if (ref.key == "default_calendar_ja") tables->default_ja_calendar = index;
    if (ref.key == "default_calendar_en") tables->default_en_calendar = index;
  }
  if (tables->kanji_digits.empty() || tables->big_scales.empty()) {
    return InvalidArgumentError(dir.string() +
                                ": no kanji_digit or big_scale table was loaded");
  }
  if (!tables->fiscal_after.empty() && tables->japan_calendar < 0) {
    return InvalidArgumentError(dir.string() +
                                ": fiscal markers need japan_calendar to be set");
  }
  tables->Finish();
  rules.tables = std::move(tables);
  return rules;
}

}  // namespace newsclaim::extract
