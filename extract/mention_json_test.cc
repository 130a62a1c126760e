// Tests for the parse wire format (extract/mention_json.h).
#include "extract/mention_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "extract/number_rules.h"

namespace newsclaim::extract {
namespace {

const MentionParser& Parser() {
  static const MentionParser* parser = [] {
    StatusOr<NumberRules> rules =
        LoadNumberRules(std::filesystem::path(NEWSCLAIM_SOURCE_DIR) / "rules");
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    StatusOr<MentionParser> created = MentionParser::Create(rules.ok() ? *rules : NumberRules());
    EXPECT_TRUE(created.ok());
    return new MentionParser(std::move(created).value());
  }();
  return *parser;
}

TEST(MentionJsonTest, PrintsNumbersWithoutTrailingZerosOrExponents) {
  struct Case {
    double value;
    const char* want;
  } cases[] = {
      {260000, "260000"},
      {12600000000000, "12600000000000"},
      {3500000000, "3500000000"},
      {0, "0"},
      {-5, "-5"},
      {3.5, "3.5"},
      {0.1, "0.1"},
      {1.25, "1.25"},
      {95, "95"},
      {100000000000000, "100000000000000"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatJsonNumber(c.value), c.want) << c.value;
}

TEST(MentionJsonTest, WritesEveryContractFieldInContractOrder) {
  MentionInfo info;
  Mention& m = info.mention;
  m.kind = MentionKind::kCount;
  m.text = "26万台以上";
  m.start = 12;
  m.end = 18;
  m.interval.value = 260000;
  m.interval.low = 260000;
  m.interval.low_inclusive = true;
  m.interval.high_inclusive = false;
  m.interval.qualifier = Qualifier::kAtLeast;
  m.unit = "台";
  EXPECT_EQ(MentionToJson(info),
            "{\"kind\":\"count\",\"text\":\"26万台以上\",\"start\":12,\"end\":18,"
            "\"value\":260000,\"low\":260000,\"high\":null,\"low_inclusive\":true,"
            "\"high_inclusive\":false,\"qualifier\":\"at_least\",\"unit\":\"台\","
            "\"currency\":null,\"date\":null}");
}

TEST(MentionJsonTest, AddsEquivalentDistributiveAndDeadlineOnlyWhenSet) {
  MentionInfo info;
  info.mention.kind = MentionKind::kDate;
  info.mention.date = DateRange{"2030-01-01", "2030-12-31"};
  info.mention.equivalent_of = 0;
  info.mention.distributive = true;
  info.deadline = true;
  nlohmann::json j = nlohmann::json::parse(MentionToJson(info));
  EXPECT_EQ(j["date"]["start"], "2030-01-01");
  EXPECT_EQ(j["date"]["end"], "2030-12-31");
  EXPECT_EQ(j["equivalent_of"], 0);
  EXPECT_EQ(j["distributive"], true);
  EXPECT_EQ(j["deadline"], true);
  MentionInfo plain;
  nlohmann::json p = nlohmann::json::parse(MentionToJson(plain));
  EXPECT_FALSE(p.contains("equivalent_of"));
  EXPECT_FALSE(p.contains("distributive"));
  EXPECT_FALSE(p.contains("deadline"));
}

TEST(MentionJsonTest, AddsVagueOnlyWhenSetAndLastOfAllFields) {
  MentionInfo info;
  info.mention.kind = MentionKind::kCount;
  info.mention.interval.qualifier = Qualifier::kRange;
  info.mention.interval.value.reset();
  info.mention.interval.low = 10000;
  info.mention.interval.high = 100000;
  info.mention.interval.high_inclusive = false;
  info.mention.unit = "基";
  info.vague = true;
  std::string line = MentionToJson(info);
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["vague"], true);
  EXPECT_TRUE(j["value"].is_null());
  EXPECT_EQ(j["high"], 100000);
  EXPECT_EQ(line.substr(line.size() - std::string(",\"vague\":true}").size()),
            ",\"vague\":true}");
  MentionInfo plain;
  EXPECT_FALSE(nlohmann::json::parse(MentionToJson(plain)).contains("vague"));
}

TEST(MentionJsonTest, AnswersARequestLineWithItsIdAndMentions) {
  std::string line = AnswerJsonlLine(
      R"({"id": "a1", "text": "100兆ウォン（約10兆円）", "lang": "ja", "ref": "2016-11-07T00:00:00"})",
      Parser());
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["id"], "a1");
  ASSERT_EQ(j["mentions"].size(), 2u);
  EXPECT_EQ(j["mentions"][0]["currency"], "KRW");
  EXPECT_EQ(j["mentions"][0]["value"], 100000000000000LL);
  EXPECT_EQ(j["mentions"][1]["currency"], "JPY");
  EXPECT_EQ(j["mentions"][1]["qualifier"], "approx");
  EXPECT_EQ(j["mentions"][1]["equivalent_of"], 0);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(MentionJsonTest, KeepsNumericIdsAndUsesRefForRelativeDates) {
  nlohmann::json j = nlohmann::json::parse(
      AnswerJsonlLine(R"({"id": 7, "text": "10月2日", "ref": "2016-11-07T00:00:00"})", Parser()));
  EXPECT_EQ(j["id"], 7);
  ASSERT_EQ(j["mentions"].size(), 1u);
  EXPECT_EQ(j["mentions"][0]["date"]["start"], "2016-10-02");
}

TEST(MentionJsonTest, UsesDefaultOptionsWhenTheLineHasNone) {
  ParseOptions defaults;
  defaults.ref = "2025-03-01";
  nlohmann::json j =
      nlohmann::json::parse(AnswerJsonlLine(R"({"id": "x", "text": "来年"})", Parser(), defaults));
  ASSERT_EQ(j["mentions"].size(), 1u);
  EXPECT_EQ(j["mentions"][0]["date"]["start"], "2026-01-01");
}

TEST(MentionJsonTest, AnswersMalformedLinesWithAnErrorAndTheId) {
  struct Case {
    const char* line;
    nlohmann::json id;
  } cases[] = {
      {"not json", nullptr},
      {"[1, 2]", nullptr},
      {R"({"id": "b", "text": 5})", "b"},
      {R"({"id": "c"})", "c"},
      {R"({"id": "d", "text": "5万台", "lang": "fr"})", "d"},
      {R"({"id": "e", "text": "5万台", "ref": "yesterday"})", "e"},
      {R"({"id": 9, "text": "5万台", "ref": "2025-13-01"})", 9},
      {"", nullptr},
  };
  for (const Case& c : cases) {
    std::string line = AnswerJsonlLine(c.line, Parser());
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_EQ(j["id"], c.id) << c.line;
    EXPECT_TRUE(j.contains("error")) << c.line;
    EXPECT_TRUE(j["error"].is_string()) << c.line;
    EXPECT_FALSE(j.contains("mentions")) << c.line;
  }
}

TEST(MentionJsonTest, ReplacesInvalidUtf8InsteadOfFailing) {
  std::string request = std::string(R"({"id": "u", "text": "5万台"})");
  nlohmann::json j = nlohmann::json::parse(AnswerJsonlLine(request, Parser()));
  EXPECT_EQ(j["mentions"].size(), 1u);
  std::vector<Mention> mentions(1);
  mentions[0].text = "\xff";
  std::string line = MentionsToJsonLine("\"v\"", mentions);
  EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
}

}  // namespace
}  // namespace newsclaim::extract
