// Tests for LoadNumberRules (fixtures under tests/testdata/numbers/) and
// MentionParser: the rule files' own examples and the conformance suite
// tests/testdata/numbers/conformance.jsonl, both against the real
// rules/numbers/ (they check the shipped behaviour).
#include "extract/mention_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "base/utf8.h"
#include "extract/mention_json.h"
#include "extract/number_rules.h"
#include "extract/number_tables.h"

namespace newsclaim::extract {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() { return fs::path(NEWSCLAIM_SOURCE_DIR); }
fs::path TestData(const std::string& name) {
  return SourceDir() / "tests" / "testdata" / "numbers" / name;
}

const NumberRules& RealRules() {
  static const NumberRules* rules = [] {
    StatusOr<NumberRules> loaded = LoadNumberRules(SourceDir() / "rules");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      return new NumberRules();
    }
    return new NumberRules(std::move(loaded).value());
  }();
  return *rules;
}

const MentionParser& RealParser() {
  static const MentionParser* parser = [] {
    StatusOr<MentionParser> created = MentionParser::Create(RealRules());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return new MentionParser(std::move(created).value());
  }();
  return *parser;
}

// ---- loading ------------------------------------------------------------------

TEST(NumberRulesTest, LoadsAMinimalRuleFolderAndListsItsFiles) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("minimal"));
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->files.size(), 1u);
  EXPECT_EQ(rules->files[0].filename(), "minimal.toml");
  StatusOr<MentionParser> parser = MentionParser::Create(*rules);
  ASSERT_TRUE(parser.ok());
  std::vector<Mention> mentions = parser->Parse("約5万台と五万円");
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(mentions[0].text, "約5万台");
  EXPECT_EQ(mentions[0].interval.qualifier, Qualifier::kApprox);
  EXPECT_EQ(mentions[0].unit, "台");
  EXPECT_EQ(mentions[1].text, "五万円");
  EXPECT_EQ(mentions[1].currency, "JPY");
  EXPECT_EQ(mentions[1].interval.value, 50000);
}

TEST(NumberRulesTest, ReportsTomlSyntaxErrorsWithFileAndLine) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("broken_syntax"));
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rules.status().message().find("broken_syntax/numbers/bad.toml:4: "),
            std::string::npos)
      << rules.status().message();
}

TEST(NumberRulesTest, ReportsUnknownKeysWithFileAndLine) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("broken_key"));
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rules.status().message().find("broken_key/numbers/b.toml:5: unknown key \"surfce\""),
            std::string::npos)
      << rules.status().message();
}

TEST(NumberRulesTest, ReportsUnknownQualifierNamesWithFileAndLine) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("broken_qualifier"));
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("b.toml:6: unknown qualifier \"a_bit_more\""),
            std::string::npos)
      << rules.status().message();
}

TEST(NumberRulesTest, ReportsUnknownCalendarIdsWithFileAndLine) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("broken_calendar"));
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("b.toml:3: unknown calendar \"nvidia\""),
            std::string::npos)
      << rules.status().message();
}

TEST(NumberRulesTest, ReportsANonPositiveUnitFactorWithFileAndLine) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("broken_factor"));
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rules.status().message().find("broken_factor/numbers/a.toml:4: factor must be positive"),
            std::string::npos)
      << rules.status().message();
}

TEST(NumberRulesTest, FailsOnAFolderWithoutRuleFiles) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("empty"));
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
}

TEST(NumberRulesTest, FailsWithNotFoundWhenTheFolderIsMissing) {
  StatusOr<NumberRules> rules = LoadNumberRules(TestData("no_such_folder"));
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kNotFound);
}

TEST(MentionParserTest, CreateFailsOnRulesThatWereNeverLoaded) {
  EXPECT_FALSE(MentionParser::Create(NumberRules()).ok());
}

// ---- the rule files' own examples ---------------------------------------------

// Compares `actual` (a MENTION object) with every field `want` gives; returns
// the differences, empty if none. An absent flag (distributive, deadline)
// reads as false.
std::string FieldDiffs(const nlohmann::json& want, const nlohmann::json& actual) {
  std::string diffs;
  for (auto it = want.begin(); it != want.end(); ++it) {
    nlohmann::json got = actual.contains(it.key()) ? actual[it.key()] : nlohmann::json();
    if (!actual.contains(it.key()) && it.value().is_boolean()) got = false;
    if (got != it.value()) {
      diffs += " " + it.key() + ": want " + it.value().dump() + " got " + got.dump() + ";";
    }
  }
  return diffs;
}

void ExpectFields(const nlohmann::json& want, const nlohmann::json& actual,
                  const std::string& where) {
  std::string diffs = FieldDiffs(want, actual);
  EXPECT_TRUE(diffs.empty()) << where << ":" << diffs << " in " << actual.dump();
}

ParseOptions OptionsFor(const std::string& lang, const std::string& ref) {
  ParseOptions options;
  if (lang == "ja") options.lang = Lang::kJa;
  if (lang == "en") options.lang = Lang::kEn;
  options.ref = ref;
  return options;
}

TEST(NumberRulesTest, RealRuleFilesLoadWithExamples) {
  const NumberRules& rules = RealRules();
  ASSERT_NE(rules.tables, nullptr);
  EXPECT_GE(rules.files.size(), 8u);
  EXPECT_GE(rules.tables->examples.size(), 40u);
  EXPECT_GE(rules.tables->non_examples.size(), 15u);
}

TEST(NumberRulesTest, EveryExampleInTheRealRulesParsesAsStated) {
  const NumberRules& rules = RealRules();
  ASSERT_NE(rules.tables, nullptr);
  for (const NumberRuleExample& ex : rules.tables->examples) {
    std::string where = ex.file + ":" + std::to_string(ex.line) + " " + ex.text;
    std::vector<MentionInfo> mentions =
        RealParser().ParseDetailed(ex.text, OptionsFor(ex.lang, ex.ref));
    const MentionInfo* found = nullptr;
    for (const MentionInfo& m : mentions) {
      if (m.mention.text == ex.mention) found = &m;
    }
    ASSERT_NE(found, nullptr) << where << ": no mention \"" << ex.mention << "\" in "
                              << MentionsToJsonLine("null", mentions);
    nlohmann::json want;
    want["kind"] = ex.kind;
    if (ex.value) want["value"] = *ex.value;
    if (ex.value_null) want["value"] = nullptr;
    if (ex.low) want["low"] = *ex.low;
    if (ex.low_null) want["low"] = nullptr;
    if (ex.high) want["high"] = *ex.high;
    if (ex.high_null) want["high"] = nullptr;
    if (ex.low_inclusive) want["low_inclusive"] = *ex.low_inclusive;
    if (ex.high_inclusive) want["high_inclusive"] = *ex.high_inclusive;
    if (!ex.qualifier.empty()) want["qualifier"] = ex.qualifier;
    if (!ex.unit.empty()) want["unit"] = ex.unit;
    if (!ex.currency.empty()) want["currency"] = ex.currency;
    if (!ex.date.empty()) {
      size_t dots = ex.date.find("..");
      ASSERT_NE(dots, std::string::npos) << where << ": date must be START..END";
      want["date"] = {{"start", ex.date.substr(0, dots)}, {"end", ex.date.substr(dots + 2)}};
    }
    if (ex.deadline) want["deadline"] = *ex.deadline;
    if (ex.distributive) want["distributive"] = *ex.distributive;
    if (ex.equivalent_of) want["equivalent_of"] = *ex.equivalent_of;
    ExpectFields(want, nlohmann::json::parse(MentionToJson(*found)), where);
  }
}

TEST(NumberRulesTest, EveryNonExampleInTheRealRulesHasNoMention) {
  const NumberRules& rules = RealRules();
  ASSERT_NE(rules.tables, nullptr);
  for (const NumberRuleNonExample& ex : rules.tables->non_examples) {
    std::vector<MentionInfo> mentions = RealParser().ParseDetailed(ex.text);
    EXPECT_TRUE(mentions.empty()) << ex.file << ":" << ex.line << " " << ex.text << " -> "
                                  << MentionsToJsonLine("null", mentions);
  }
}

// ---- conformance ---------------------------------------------------------------

// One line of conformance.jsonl:
//   {"in": TEXT, "lang"?: "ja"|"en", "ref"?: DATE, "want": [EXPECTED, ...]}
// EXPECTED holds "text" (the surface; its span is where it occurs in TEXT,
// the "at"-th occurrence, default 0) and any MENTION fields to check. A
// mention with "value" and no "qualifier"/"low"/"high" must be exact:
// low = high = value. The parser must find exactly the wanted mentions.
struct ConformanceCase {
  int line = 0;
  nlohmann::json json;
};

std::vector<ConformanceCase> LoadConformance() {
  std::vector<ConformanceCase> cases;
  std::ifstream in(TestData("conformance.jsonl"));
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text[0] == '#') continue;
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) {
      ADD_FAILURE() << "conformance.jsonl:" << line << ": not JSON";
      continue;
    }
    cases.push_back({line, std::move(json)});
  }
  return cases;
}

// Code point offset of the `at`-th occurrence of `needle` in `haystack`.
int64_t CodePointFind(const std::string& haystack, const std::string& needle, int at) {
  size_t pos = 0;
  for (int k = 0;; ++k) {
    pos = haystack.find(needle, k == 0 ? 0 : pos + 1);
    if (pos == std::string::npos) return -1;
    if (k == at) break;
  }
  return CodePointOffsetOfByte(haystack, static_cast<int64_t>(pos));
}

TEST(ConformanceTest, SuiteHasAtLeast400CasesAnd80Negatives) {
  std::vector<ConformanceCase> cases = LoadConformance();
  int negatives = 0;
  for (const auto& c : cases) {
    if (c.json["want"].empty() || c.json.value("negative", false)) ++negatives;
  }
  EXPECT_GE(cases.size(), 400u);
  EXPECT_GE(negatives, 80);
}

TEST(ConformanceTest, EveryCaseFindsExactlyTheWantedMentions) {
  std::vector<ConformanceCase> cases = LoadConformance();
  ASSERT_FALSE(cases.empty());
  int failures = 0;
  for (const ConformanceCase& c : cases) {
    const std::string input = c.json["in"].get<std::string>();
    std::string where = "conformance.jsonl:" + std::to_string(c.line) + " " + input;
    std::vector<MentionInfo> got = RealParser().ParseDetailed(
        input, OptionsFor(c.json.value("lang", ""), c.json.value("ref", "")));
    const nlohmann::json& want = c.json["want"];
    std::string got_line = MentionsToJsonLine("null", got);
    if (got.size() != want.size()) {
      ADD_FAILURE() << where << ": want " << want.size() << " mentions, got " << got_line;
      ++failures;
      continue;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      nlohmann::json w = want[i];
      ASSERT_TRUE(w.contains("text")) << where << ": a wanted mention needs \"text\"";
      int at = w.value("at", 0);
      w.erase("at");
      std::string surface = w["text"].get<std::string>();
      int64_t start = CodePointFind(input, surface, at);
      ASSERT_GE(start, 0) << where << ": \"" << surface << "\" is not in the input";
      w["start"] = start;
      w["end"] = start + CodePointCount(surface);
      bool has_figure = w.contains("value") || w.contains("low") || w.contains("high") ||
                        w.contains("date");
      ASSERT_TRUE(has_figure) << where << ": a wanted mention needs a value, bound or date";
      if (w.contains("value") && !w["value"].is_null() && !w.contains("qualifier") &&
          !w.contains("low") && !w.contains("high")) {
        w["qualifier"] = "exact";
        w["low"] = w["value"];
        w["high"] = w["value"];
      }
      nlohmann::json actual = nlohmann::json::parse(MentionToJson(got[i]));
      std::string diffs = FieldDiffs(w, actual);
      if (!diffs.empty()) {
        ADD_FAILURE() << where << " [" << i << "]:" << diffs << " in " << got_line;
        ++failures;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// ---- behaviours not covered by a table -----------------------------------------

TEST(MentionParserTest, SpansCountCodePointsOfTheOriginalFullWidthText) {
  // "ＧＰＵを２６万枚": the folded text has the same code point count.
  std::vector<Mention> m = RealParser().Parse("ＧＰＵを２６万枚、約３０億ドル");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].text, "２６万枚");
  EXPECT_EQ(m[0].start, 4);
  EXPECT_EQ(m[0].end, 8);
  EXPECT_EQ(m[0].interval.value, 260000);
  EXPECT_EQ(m[1].text, "約３０億ドル");
  EXPECT_EQ(m[1].start, 9);
  EXPECT_EQ(m[1].currency, "USD");
}

TEST(MentionParserTest, ParseDetailedMarksDeadlinesAndRelativeDates) {
  ParseOptions options;
  options.ref = "2025-06-01";
  std::vector<MentionInfo> m =
      RealParser().ParseDetailed("2030年までに、来年、FY2026", options);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_TRUE(m[0].deadline);
  EXPECT_FALSE(m[0].relative);
  EXPECT_TRUE(m[1].relative);
  EXPECT_FALSE(m[1].deadline);
  EXPECT_EQ(m[2].fiscal_calendar, "japan");
}

TEST(MentionParserTest, RelativeDatesAreDroppedWithoutARef) {
  EXPECT_TRUE(RealParser().Parse("来年の10月2日").empty());
}

TEST(MentionParserTest, FurnitureIsDroppedOnlyWhenAsked) {
  ParseOptions skip;
  skip.skip_furniture = true;
  EXPECT_TRUE(RealParser().Parse("3分で読めます", skip).empty());
  EXPECT_EQ(RealParser().Parse("3分で読めます").size(), 1u);
  EXPECT_TRUE(RealParser().Parse("5 min read", skip).empty());
  EXPECT_EQ(RealParser().Parse("5 min read").size(), 1u);
  EXPECT_TRUE(RealParser().Parse("12件のコメント", skip).empty());
  EXPECT_EQ(RealParser().Parse("12件のコメント").size(), 1u);
}

TEST(MentionParserTest, ParseDetailedMarksOnlyVagueMagnitudesAsVague) {
  struct Case {
    std::string text;
    std::vector<bool> vague;
  };
  const std::vector<Case> cases = {
      {"数万基と5万基", {true, false}},
      {"数百億ドル規模", {true}},
      {"tens of thousands of GPUs and 260,000 GPUs", {true, false}},
      {"several hundred thousand", {true}},
      {"十数万人", {true}},
      {"3割前後", {false}},
  };
  for (const Case& c : cases) {
    std::vector<MentionInfo> m = RealParser().ParseDetailed(c.text);
    ASSERT_EQ(m.size(), c.vague.size()) << c.text << " -> " << MentionsToJsonLine("null", m);
    for (size_t i = 0; i < m.size(); ++i) {
      EXPECT_EQ(m[i].vague, c.vague[i]) << c.text << " [" << i << "]";
      if (m[i].vague) {
        // Never an exact figure: no point value, an interval with an open top.
        EXPECT_FALSE(m[i].mention.interval.value.has_value()) << c.text;
        EXPECT_EQ(m[i].mention.interval.qualifier, Qualifier::kRange) << c.text;
        EXPECT_FALSE(m[i].mention.interval.high_inclusive) << c.text;
      }
    }
  }
}

TEST(MentionParserTest, ShareCountsWithAScaleOrQualifierAreNotFurniture) {
  ParseOptions skip;
  skip.skip_furniture = true;
  EXPECT_TRUE(RealParser().Parse("1,318 shares", skip).empty());
  std::vector<Mention> scaled = RealParser().Parse("up to 160 million shares", skip);
  ASSERT_EQ(scaled.size(), 1u);
  EXPECT_EQ(scaled[0].unit, "shares");
  EXPECT_EQ(scaled[0].interval.high, 160000000);
  std::vector<Mention> qualified = RealParser().Parse("about 20,000 shares", skip);
  ASSERT_EQ(qualified.size(), 1u);
  EXPECT_EQ(qualified[0].interval.qualifier, Qualifier::kApprox);
  EXPECT_EQ(RealParser().Parse("1,318 shares").size(), 1u);
}

TEST(MentionParserTest, BareMonthsAndWeekdaysAreRelativeAndNeedARef) {
  ParseOptions options;
  options.ref = "2026-02-17";  // a Tuesday
  std::vector<MentionInfo> m =
      RealParser().ParseDetailed("In October and January, and on Friday", options);
  ASSERT_EQ(m.size(), 3u) << MentionsToJsonLine("null", m);
  EXPECT_EQ(m[0].mention.date->start, "2025-10-01");
  EXPECT_EQ(m[1].mention.date->start, "2026-01-01");
  EXPECT_EQ(m[2].mention.date->start, "2026-02-13");
  for (const MentionInfo& info : m) EXPECT_TRUE(info.relative);
  EXPECT_TRUE(RealParser().Parse("In October and January, and on Friday").empty());
}

TEST(MentionParserTest, IsSafeToShareAcrossThreads) {
  const std::string text = "韓国に26万枚のGPUを2030年までに供給、約10兆円。";
  std::vector<Mention> expected = RealParser().Parse(text);
  ASSERT_EQ(expected.size(), 3u);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::vector<Mention> got = RealParser().Parse(text);
        if (got.size() != expected.size() || got[0].text != expected[0].text) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[t], 0);
}

TEST(MentionParserTest, InvalidUtf8CountsOneCodePointPerBadByte) {
  std::string text = "\xff\xfe" "5万台";
  std::vector<Mention> m = RealParser().Parse(text);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].start, 2);
  EXPECT_EQ(m[0].end, 5);
  EXPECT_EQ(m[0].text, "5万台");
}

}  // namespace
}  // namespace newsclaim::extract
