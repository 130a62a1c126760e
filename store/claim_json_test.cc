#include "store/claim_json.h"

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/test_claims.h"

namespace newsclaim::store {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

// The contract's claim fields (docs/contract.md, "query: claim lines"),
// plus counterparty, hedges and attribution, which extend it.
const std::set<std::string> kClaimKeys = {
    "id",        "kind",   "subject", "counterparty", "product", "value", "low",
    "high",      "low_inclusive", "high_inclusive", "qualifier", "unit", "time",
    "status",    "published", "url", "title", "lang", "text", "quote", "rule",
    "hedges",    "attribution"};

Claim KoreaLowerBound() {
  return ClaimBuilder("c1").Page(3, "2025-11-03").Subject("South Korea").Counterparty("NVIDIA")
      .AtLeast(250000, "25万基以上").Status(ClaimStatus::kPlanned)
      .Quote("韓国は25万基以上のGPUを確保した").Rule("ja.gpu_count.counter")
      .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build();
}

TEST(ClaimJsonTest, ClaimLineHasExactlyTheContractFields) {
  const json line = json::parse(ClaimToJsonLine(KoreaLowerBound()));
  EXPECT_EQ(Keys(line), kClaimKeys);
  EXPECT_EQ(line["id"], "c1");
  EXPECT_EQ(line["kind"], "gpu_count");
  EXPECT_EQ(line["subject"], "South Korea");
  EXPECT_TRUE(line["product"].is_null());
  EXPECT_TRUE(line["value"].is_number_integer());  // 250000, not 250000.0
  EXPECT_EQ(line["value"], 250000);
  EXPECT_EQ(line["low"], 250000);
  EXPECT_TRUE(line["high"].is_null());
  EXPECT_EQ(line["low_inclusive"], true);
  EXPECT_EQ(line["qualifier"], "at_least");
  EXPECT_EQ(line["unit"], "GPU");
  EXPECT_EQ(line["time"], json({{"start", "2030-01-01"}, {"end", "2030-12-31"}, {"relation", "by"}}));
  EXPECT_EQ(line["status"], "planned");
  EXPECT_EQ(line["published"], "2025-11-03");
  EXPECT_EQ(line["url"], "http://example.com/news/3.html");
  EXPECT_EQ(line["text"], "25万基以上");
  EXPECT_EQ(line["rule"], "ja.gpu_count.counter");
  EXPECT_EQ(ClaimToJsonLine(KoreaLowerBound()).find('\n'), std::string::npos);
}

TEST(ClaimJsonTest, EmptyOptionalFieldsAreNull) {
  Claim claim = ClaimBuilder("c2").Exact(3.5e9, "$3.5 billion").Money("USD").Build();
  claim.published.clear();
  const json line = json::parse(ClaimToJsonLine(claim));
  for (const char* field : {"subject", "counterparty", "product", "time", "status", "published"}) {
    EXPECT_TRUE(line[field].is_null()) << field;
  }
  EXPECT_EQ(line["value"], 3500000000LL);
}

TEST(ClaimJsonTest, DateClaimsHaveNullNumbersAndTheDateAsTime) {
  Claim claim = ClaimBuilder("d").Exact(31, "10月31日").Build();
  claim.kind = ClaimKind::kDate;
  claim.time = ClaimTime{{"2025-10-31", "2025-10-31"}, TimeRelation::kOn};
  const json line = json::parse(ClaimToJsonLine(claim));
  EXPECT_TRUE(line["value"].is_null());
  EXPECT_TRUE(line["low"].is_null());
  EXPECT_TRUE(line["high"].is_null());
  EXPECT_EQ(line["time"]["start"], "2025-10-31");
}

TEST(ClaimJsonTest, FractionalFiguresStayFractional) {
  const json line = json::parse(ClaimToJsonLine(ClaimBuilder("p").Percent(12.5, "12.5%").Build()));
  EXPECT_DOUBLE_EQ(line["value"].get<double>(), 12.5);
}

TEST(ClaimJsonTest, RoundTripsThroughClaimFromJson) {
  const Claim original = KoreaLowerBound();
  StatusOr<Claim> parsed = ClaimFromJson(ClaimToJson(original, 2));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->id, original.id);
  EXPECT_EQ(parsed->kind, original.kind);
  EXPECT_EQ(parsed->subject, original.subject);
  EXPECT_EQ(parsed->counterparty, original.counterparty);
  EXPECT_EQ(parsed->interval, original.interval);
  EXPECT_EQ(parsed->time, original.time);
  EXPECT_EQ(parsed->status, original.status);
  EXPECT_EQ(parsed->quote, original.quote);
  EXPECT_EQ(parsed->published, original.published);
}

TEST(ClaimJsonTest, ClaimFromJsonRejectsBadInputNamingTheField) {
  EXPECT_EQ(ClaimFromJson("not json").status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ClaimFromJson(R"({"kind": "gpus"})").status().message(), HasSubstr("kind"));
  EXPECT_THAT(ClaimFromJson(R"({"kind": "money", "value": "ten"})").status().message(),
              HasSubstr("value"));
  EXPECT_THAT(ClaimFromJson(R"({"kind": "money", "time": {"relation": "soon"}})").status().message(),
              HasSubstr("relation"));
  EXPECT_EQ(ClaimFromJson(R"({"kind": "money", "time": {"start": 5}})").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ClaimJsonTest, ConflictsJsonHasTheContractShape) {
  Conflict conflict;
  conflict.id = "abcdef0123456789";
  conflict.conflict_class = "discrepancy";
  conflict.severity = "medium";
  conflict.subject = "South Korea";
  conflict.kind = ClaimKind::kGpuCount;
  conflict.key = "South Korea / gpu_count";
  conflict.explanation = "Figures differ.";
  conflict.claims = {KoreaLowerBound(), ClaimBuilder("c0").Subject("South Korea").Exact(260000, "26万枚").Build()};
  const json root = json::parse(ConflictsToJson({conflict}));
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(Keys(root), std::set<std::string>({"conflicts"}));
  ASSERT_EQ(root["conflicts"].size(), 1u);
  const json& object = root["conflicts"][0];
  EXPECT_EQ(Keys(object), std::set<std::string>({"id", "class", "severity", "status", "subject",
                                                 "kind", "key", "explanation", "preferred",
                                                 "claims"}));
  EXPECT_EQ(object["class"], "discrepancy");
  EXPECT_EQ(object["status"], "open");
  EXPECT_TRUE(object["preferred"].is_null());
  ASSERT_EQ(object["claims"].size(), 2u);
  EXPECT_EQ(Keys(object["claims"][0]), kClaimKeys);
  EXPECT_EQ(json::parse(ConflictsToJson({})), json::parse(R"({"conflicts": []})"));
}

TEST(ClaimJsonTest, HedgesAndAttributionRoundTrip) {
  Claim claim = KoreaLowerBound();
  EXPECT_EQ(json::parse(ClaimToJsonLine(claim))["hedges"], json::array());
  EXPECT_TRUE(json::parse(ClaimToJsonLine(claim))["attribution"].is_null());
  claim.hedges = {"関係者によると", "という"};
  claim.attribution = "関係者";
  const json line = json::parse(ClaimToJsonLine(claim));
  EXPECT_EQ(line["hedges"], json::array({"関係者によると", "という"}));
  EXPECT_EQ(line["attribution"], "関係者");
  StatusOr<Claim> back = ClaimFromJson(line.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->hedges, claim.hedges);
  EXPECT_EQ(back->attribution, "関係者");
  EXPECT_FALSE(ClaimFromJson(R"({"id":"x","kind":"money","hedges":"reportedly"})").ok());
}

TEST(ClaimJsonTest, InvalidUtf8InPageTextDoesNotBreakTheOutput) {
  Claim claim = KoreaLowerBound();
  claim.quote = "bad \xff\xfe bytes";
  const std::string line = ClaimToJsonLine(claim);
  EXPECT_TRUE(json::accept(line));
}

TEST(ClaimsToCsvTest, QuotesFieldsWithCommasQuotesAndNewlines) {
  Claim claim = KoreaLowerBound();
  claim.title = "Korea, \"GPUs\"";
  claim.quote = "line one\nline two";
  const std::string csv = ClaimsToCsv({claim});
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "id,kind,subject,counterparty,product,value,low,high,low_inclusive,high_inclusive,"
            "qualifier,unit,time_start,time_end,time_relation,status,published,url,title,lang,"
            "text,quote,rule,hedges,attribution");
  EXPECT_THAT(csv, HasSubstr("\"Korea, \"\"GPUs\"\"\""));
  EXPECT_THAT(csv, HasSubstr("\"line one\nline two\""));
  EXPECT_THAT(csv, HasSubstr(",250000,250000,,true,"));
}

TEST(ClaimsToTableTest, ShowsOneLinePerClaimAndACount) {
  const std::string table = ClaimsToTable({KoreaLowerBound()});
  EXPECT_THAT(table, HasSubstr("25万基以上"));
  EXPECT_THAT(table, HasSubstr("South Korea"));
  EXPECT_THAT(table, HasSubstr("by 2030-01-01..2030-12-31"));
  EXPECT_THAT(table, HasSubstr("1 claim\n"));
}

TEST(ConflictsToTableTest, MarksThePreferredClaim) {
  Conflict conflict;
  conflict.id = "abcdef0123456789";
  conflict.conflict_class = "discrepancy";
  conflict.severity = "medium";
  conflict.key = "South Korea / gpu_count";
  conflict.explanation = "Figures differ.";
  conflict.preferred_claim_id = "c1";
  conflict.claims = {KoreaLowerBound()};
  const std::string table = ConflictsToTable({conflict});
  EXPECT_THAT(table, HasSubstr("abcdef0123456789  discrepancy (medium, open)"));
  EXPECT_THAT(table, HasSubstr("  * 25万基以上"));
  EXPECT_THAT(table, HasSubstr("1 conflict\n"));
}

}  // namespace
}  // namespace newsclaim::store
