#include "extract/claim_extractor.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/hash.h"
#include "base/utf8.h"
#include "extract/sentences.h"

namespace newsclaim::extract {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return env != nullptr ? fs::path(env) : fs::path(NEWSCLAIM_SOURCE_DIR);
}

// Claim rules, gazetteer and products come from the fixture in
// tests/testdata/claims/rules. Figures are read by the number engineer's
// rules/numbers, which this code depends on but does not test.
const RuleSet& TestRules() {
  static const RuleSet* rules = [] {
    auto* set = new RuleSet;
    StatusOr<NumberRules> numbers = LoadNumberRules(SourceDir() / "rules");
    EXPECT_TRUE(numbers.ok()) << numbers.status().ToString();
    if (numbers.ok()) set->numbers = std::move(numbers).value();
    StatusOr<ClaimRules> claims =
        LoadClaimRules(SourceDir() / "tests" / "testdata" / "claims" / "rules");
    EXPECT_TRUE(claims.ok()) << claims.status().ToString();
    if (claims.ok()) set->claims = std::move(claims).value();
    return set;
  }();
  return *rules;
}

// Null (and every test fails) when the rules cannot be loaded.
ClaimExtractor* Extractor() {
  static ClaimExtractor* extractor = []() -> ClaimExtractor* {
    StatusOr<ClaimExtractor> made = ClaimExtractor::Create(TestRules());
    if (!made.ok()) {
      ADD_FAILURE() << made.status().ToString();
      return nullptr;
    }
    return new ClaimExtractor(std::move(made).value());
  }();
  return extractor;
}

std::vector<Claim> ExtractText(const std::string& text) {
  Article article;
  article.text = text;
  article.published = "2025-11-01";
  ClaimExtractor* extractor = Extractor();
  if (extractor == nullptr) {
    ADD_FAILURE() << "no extractor";
    return {};
  }
  return extractor->Extract(article, "https://example.test/a");
}

// What one claim must look like. Empty strings / unset optionals are
// checked as "none" for subject, counterparty, product, time and status,
// so every expectation states the whole claim.
struct Expected {
  std::string text;  // the claim surface
  std::string kind;
  std::optional<double> value;
  std::string subject;
  std::string counterparty;
  std::string product;
  std::string unit;
  std::string time;  // "start..end relation", or "" for none
  std::string status;
};

struct Case {
  std::string name;
  std::string input;
  std::vector<Expected> claims;  // all claims of the input, in order
};

std::string TimeOf(const Claim& claim) {
  if (!claim.time) return "";
  return claim.time->range.start + ".." + claim.time->range.end + " " +
         std::string(TimeRelationName(claim.time->relation));
}

TEST(ClaimExtractorTest, AssemblesClaimsFromSentences) {
  const std::vector<Case> cases = {
      {"supply deal: the receiver is the subject",
       "発表によると、NVIDIAは韓国に合計で26万枚のGPUを供給する。",
       {{"26万枚", "gpu_count", 260000, "South Korea", "NVIDIA", "", "GPU", "", "planned"}}},
      {"English supply deal",
       "NVIDIA will supply 260,000 GPUs to South Korea.",
       {{"260,000 GPUs", "gpu_count", 260000, "South Korea", "NVIDIA", "", "GPU", "",
         "planned"}}},
      {"transistors are a quantity that describes the product",
       "Blackwell世代のGPUは、208億個のトランジスタを集積している。",
       {{"208億個", "quantity", 20800000000, "", "", "Blackwell", "個", "", ""}}},
      {"people are a quantity; the deadline is its time and a date claim",
       "韓国政府は、2030年までにAI人材を4万人育成する目標も掲げている。",
       {{"2030年", "date", std::nullopt, "", "", "", "", "2030-01-01..2030-12-31 on", ""},
        {"4万人", "quantity", 40000, "Government of South Korea", "", "", "人",
         "2030-01-01..2030-12-31 by", "planned"}}},
      {"a multiplier is nothing", "推論の性能は従来の最大30倍に達する。", {}},
      {"a market share is a percentage of the topic",
       "NVIDIAはAI向けGPUの市場でシェア80%を握る。",
       {{"80%", "percentage", 80, "NVIDIA", "", "", "%", "", ""}}},
      {"a product's model number is not a count",
       "各社はRTX PRO 6000を搭載したサーバーを使う。", {}},
      {"a bracketed conversion is not a second amount",
       "韓国政府は、AI分野に官民で100兆ウォン（約10兆円）を投じる計画を掲げている。",
       {{"100兆ウォン", "money", 1e14, "Government of South Korea", "", "", "KRW", "",
         "planned"}}},
      {"a deadline makes the time 'by'",
       "さくらインターネットは、2027年までに3万基のGPUを整備する計画を明らかにした。",
       {{"2027年", "date", std::nullopt, "", "", "", "", "2027-01-01..2027-12-31 on", ""},
        {"3万基", "gpu_count", 30000, "Sakura Internet", "", "", "GPU",
         "2027-01-01..2027-12-31 by", "planned"}}},
      {"the past tense of 導入 is delivered; the product is attached",
       "さくらインターネットはH100を2000基導入した。",
       {{"2000基", "gpu_count", 2000, "Sakura Internet", "", "H100", "GPU", "",
         "delivered"}}},
      {"a rate per unit is not a count", "GPUは1基あたりの価格が高止まりしている。", {}},
      {"English: the receiver after 'to the'",
       "NVIDIA has delivered 13,000 GPUs to the Government of South Korea.",
       {{"13,000 GPUs", "gpu_count", 13000, "Government of South Korea", "NVIDIA", "",
         "GPU", "", "delivered"}}},
      {"English: 'with' names the counterparty",
       "Meta has also signed a $14.2 billion contract with Microsoft.",
       {{"$14.2 billion", "money", 14.2e9, "Meta", "Microsoft", "", "USD", "", ""}}},
      {"English: 'of X's' names the subject; 'in' a year bounds it",
       "Microsoft accounted for 62% of Meta's revenue in 2024 as cloud spending grew.",
       {{"62%", "percentage", 62, "Meta", "Microsoft", "", "%",
         "2024-01-01..2024-12-31 during", ""},
        {"2024", "date", std::nullopt, "", "", "", "", "2024-01-01..2024-12-31 on", ""}}},
      {"a coordinated pair: the first is the subject, the second the counterparty",
       "SKグループとマイクロソフトは、7兆ウォンを投じる。",
       {{"7兆ウォン", "money", 7e12, "SK Group", "Microsoft", "", "KRW", "", "planned"}}},
      {"a maker before the GPU word is the counterparty, not the subject",
       "サムスン電子は、NVIDIAのGPU5万枚を確保し、工場で使う。",
       {{"5万枚", "gpu_count", 50000, "Samsung Electronics", "NVIDIA", "", "GPU", "",
         "planned"}}},
      {"English: a figure that is the subject takes the status after it",
       "Meta said its first 18,000 GPUs are now operational.",
       {{"18,000 GPUs", "gpu_count", 18000, "Meta", "", "", "GPU", "", "operational"}}},
      {"English: 'for X' after the figure names the receiver; a modal after it is a plan",
       "Microsoft said the initial 2,000 servers for Meta will now start in the first quarter "
       "of 2027.",
       {{"2,000 servers", "quantity", 2000, "Meta", "Microsoft", "", "servers",
         "2027-01-01..2027-03-31 during", "planned"},
        {"first quarter of 2027", "date", std::nullopt, "", "", "", "",
         "2027-01-01..2027-03-31 on", ""}}},
      {"a half year is a period the figure falls in",
       "さくらインターネットは2026年後半にGPUを2000基導入する。",
       {{"2026年後半", "date", std::nullopt, "", "", "", "", "2026-07-01..2026-12-31 on", ""},
        {"2000基", "gpu_count", 2000, "Sakura Internet", "", "", "GPU",
         "2026-07-01..2026-12-31 during", "planned"}}},
      {"a month dates an event, not the figure",
       "さくらインターネットは3月にGPUを1000基導入した。",
       {{"3月", "date", std::nullopt, "", "", "", "", "2025-03-01..2025-03-31 on", ""},
        {"1000基", "gpu_count", 1000, "Sakura Internet", "", "", "GPU", "", "delivered"}}},
      {"a group's own company is no counterparty",
       "SKグループは5万枚のGPUを確保し、SKハイニックスの工場で活用する方針だ。",
       {{"5万枚", "gpu_count", 50000, "SK Group", "", "", "GPU", "", "planned"}}},
  };
  for (const Case& c : cases) {
    std::vector<Claim> claims = ExtractText(c.input);
    ASSERT_EQ(claims.size(), c.claims.size()) << c.name;
    for (size_t i = 0; i < claims.size(); ++i) {
      const Claim& got = claims[i];
      const Expected& want = c.claims[i];
      const std::string at = c.name + " #" + std::to_string(i);
      EXPECT_EQ(got.text, want.text) << at;
      EXPECT_EQ(ClaimKindName(got.kind), want.kind) << at;
      EXPECT_EQ(got.interval.value, want.value) << at;
      EXPECT_EQ(got.subject, want.subject) << at;
      EXPECT_EQ(got.counterparty, want.counterparty) << at;
      EXPECT_EQ(got.product, want.product) << at;
      EXPECT_EQ(got.unit, want.unit) << at;
      EXPECT_EQ(TimeOf(got), want.time) << at;
      EXPECT_EQ(ClaimStatusName(got.status), want.status) << at;
      EXPECT_EQ(got.quote, c.input) << at;
    }
  }
}

TEST(ClaimExtractorTest, TopicAndGpuWordCarryIntoTheNextSentence) {
  std::vector<Claim> claims =
      ExtractText("韓国はNVIDIAからGPUを確保した。このうちSKグループが5万基を導入する。");
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(ClaimKindName(claims[0].kind), "gpu_count");
  EXPECT_EQ(claims[0].rule, "t.gpu_count.topic");
  EXPECT_EQ(claims[0].subject, "SK Group");
  // The supplier of the earlier deal.
  EXPECT_EQ(claims[0].counterparty, "NVIDIA");
}

TEST(ClaimExtractorTest, KeepsHedgesAndTheSourceTheyCredit) {
  struct Case {
    std::string sentence;
    std::vector<std::string> hedges;
    std::string attribution;
  };
  const Case cases[] = {
      {"関係者によると、サムスン電子は5万基のGPUを導入する計画だという。",
       {"によると", "という"}, "関係者"},
      {"According to people familiar with the matter, Samsung plans to buy 50,000 GPUs.",
       {"According to"}, "people familiar with the matter"},
      {"SK Group will deploy 10,000 GPUs, Nvidia reported.", {"reported"}, "NVIDIA"},
      {"日本経済新聞は、SKグループが1万基のGPUを調達すると報じた。", {"と報じた"}, "日本経済新聞"},
      {"\"We will install 4,000 GPUs,\" said Jensen Huang, a Samsung executive.", {},
       "Jensen Huang"},
      {"SK Group reportedly ordered 50,000 GPUs.", {"reportedly"}, ""},
      // という inside the sentence names something; only at the end is it hearsay.
      {"SKグループはという名の施設に5万基のGPUを導入した。", {}, ""},
      {"SK Group ordered 50,000 GPUs.", {}, ""},
  };
  for (const Case& c : cases) {
    std::vector<Claim> claims = ExtractText(c.sentence);
    ASSERT_FALSE(claims.empty()) << c.sentence;
    for (const Claim& claim : claims) {
      EXPECT_EQ(claim.hedges, c.hedges) << c.sentence << " / " << claim.text;
      EXPECT_EQ(claim.attribution, c.attribution) << c.sentence << " / " << claim.text;
    }
  }
}

TEST(ClaimExtractorTest, PressReleaseBoilerplateGivesNoClaims) {
  const std::string release =
      "SK Group will deploy 50,000 GPUs.\n\n"
      "About the deal\n\n"
      "SK Group will deploy 8,000 GPUs in 2026.\n\n"
      "About SK Group\n\n"
      "SK Group was founded in 1953 and runs 4,000 GPUs.\n\n"
      "Forward-Looking Statements\n\n"
      "This release says SK Group may buy 9,000 GPUs.\n\n"
      "会社概要\n\n"
      "SKグループは1万基のGPUを運用する。";
  std::set<std::string> surfaces;
  for (const Claim& claim : ExtractText(release)) surfaces.insert(claim.text);
  // "About the deal" is a section of the story; "About SK Group" opens boilerplate.
  EXPECT_EQ(surfaces, (std::set<std::string>{"50,000 GPUs", "8,000 GPUs", "2026"}));
}

TEST(ClaimExtractorTest, NotPrecededByMatchesWholeWordsOnly) {
  // "per 3,000 workers" and "1基あたり4人" are rates.
  EXPECT_TRUE(ExtractText("The plant has one supervisor per 3,000 workers.").empty());
  EXPECT_TRUE(ExtractText("1基あたり4人で運用する。").empty());
  // "upper" ends in "per" but is another word.
  std::vector<Claim> claims = ExtractText("The upper 3,000 workers left.");
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].text, "3,000 workers");
}

TEST(ClaimExtractorTest, VagueAmountsAreNotClaims) {
  EXPECT_TRUE(ExtractText("SK Group will deploy tens of thousands of GPUs.").empty());
  EXPECT_TRUE(ExtractText("SKグループは数万基のGPUを導入する。").empty());
  EXPECT_EQ(ExtractText("SK Group will deploy 20,000 GPUs.").size(), 1u);
}

TEST(ClaimExtractorTest, ABareCounterWithoutGpuTopicIsAQuantity) {
  std::vector<Claim> claims = ExtractText("韓国は原子炉を2基建設する。");
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(ClaimKindName(claims[0].kind), "quantity");
  EXPECT_EQ(claims[0].unit, "基");
}

TEST(ClaimExtractorTest, ResolvesGovernmentAndCompanyAnaphora) {
  std::vector<Claim> claims = ExtractText(
      "経済産業省は助成を広げている。政府は2030年度までに10兆円以上を支援する。\n\n"
      "さくらインターネットは計画を示した。同社は経済産業省から最大501億円の助成を受ける。");
  std::vector<const Claim*> money;
  for (const Claim& claim : claims) {
    if (claim.kind == ClaimKind::kMoney) money.push_back(&claim);
  }
  ASSERT_EQ(money.size(), 2u);
  EXPECT_EQ(money[0]->subject, "Government of Japan");
  EXPECT_EQ(TimeOf(*money[0]), "2030-04-01..2031-03-31 by");
  EXPECT_EQ(ClaimStatusName(money[0]->status), "planned");
  EXPECT_EQ(money[1]->subject, "Sakura Internet");
  EXPECT_EQ(money[1]->counterparty, "Ministry of Economy, Trade and Industry");
}

TEST(ClaimExtractorTest, ReportsOriginalSurfaceAndArticleCodePoints) {
  const std::string text = "前の段落。\n\n韓国はＧＰＵ２６万枚を確保する。";
  std::vector<Claim> claims = ExtractText(text);
  ASSERT_EQ(claims.size(), 1u);
  const Claim& claim = claims[0];
  EXPECT_EQ(claim.text, "２６万枚");
  EXPECT_EQ(claim.start, 13);  // 5 + 2 newlines + "韓国はＧＰＵ"
  EXPECT_EQ(claim.end, 17);
  int64_t b0 = ByteOffsetOfCodePoint(text, claim.start);
  int64_t b1 = ByteOffsetOfCodePoint(text, claim.end);
  EXPECT_EQ(text.substr(b0, b1 - b0), claim.text);
  EXPECT_EQ(claim.quote, "韓国はＧＰＵ２６万枚を確保する。");
  EXPECT_EQ(claim.subject, "South Korea");
}

TEST(ClaimExtractorTest, IdsHashUrlSpanAndRuleAndAreStable) {
  std::vector<Claim> first = ExtractText("韓国は26万枚のGPUを確保する。");
  std::vector<Claim> second = ExtractText("韓国は26万枚のGPUを確保する。");
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(first[0].id, second[0].id);
  EXPECT_EQ(first[0].rule, "t.gpu_count.counter");
  EXPECT_EQ(first[0].id, HexHash64("https://example.test/a:3:7:t.gpu_count.counter"));
}

TEST(ClaimExtractorTest, DistributiveFigureGivesOneClaimPerListedCompany) {
  std::vector<Claim> claims = ExtractText(
      "サムスン電子、SKグループ、現代自動車グループはそれぞれ5万基のGPUを導入する。");
  std::vector<std::string> subjects;
  std::set<std::string> ids;
  for (const Claim& claim : claims) {
    EXPECT_EQ(ClaimKindName(claim.kind), "gpu_count");
    EXPECT_DOUBLE_EQ(claim.interval.value.value_or(0), 50000);
    subjects.push_back(claim.subject);
    ids.insert(claim.id);
  }
  EXPECT_EQ(subjects, (std::vector<std::string>{"Samsung Electronics", "SK Group",
                                                "Hyundai Motor Group"}));
  EXPECT_EQ(ids.size(), 3u);
}

TEST(ClaimExtractorTest, FindsOrganizationsMissingFromTheGazetteer) {
  std::vector<Claim> ja = ExtractText("トヨタ自動車は5万基のGPUを導入する。");
  ASSERT_EQ(ja.size(), 1u);
  EXPECT_EQ(ja[0].subject, "トヨタ自動車");
  std::vector<Claim> en = ExtractText("Colossus Networks Inc. will deploy 5,000 GPUs.");
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(en[0].subject, "Colossus Networks");
}

TEST(ClaimExtractorTest, EachFigureOfALongSentenceTakesTheTopicBeforeIt) {
  // One sentence of 60 clauses: the topic phrases are found once for the
  // sentence and every figure must still get its own nearest topic.
  const std::vector<std::pair<std::string, std::string>> topics = {
      {"サムスン電子", "Samsung Electronics"},
      {"SKグループ", "SK Group"},
      {"さくらインターネット", "Sakura Internet"}};
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += topics[i % 3].first + "は" + std::to_string(i + 1) + "万枚のGPUを導入し、";
  }
  text += "計画を進める。";
  ASSERT_LT(CodePointCount(text), kMaxSentenceCodePoints);
  std::vector<Claim> claims = ExtractText(text);
  ASSERT_EQ(claims.size(), 60u);
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(ClaimKindName(claims[i].kind), "gpu_count") << i;
    EXPECT_EQ(claims[i].interval.value, (i + 1) * 10000.0) << i;
    EXPECT_EQ(claims[i].subject, topics[i % 3].second) << i;
    EXPECT_EQ(claims[i].quote, text) << i;
  }
}

TEST(ClaimExtractorTest, ReadsExactlyMaxPageMentionsFiguresAndWarnsOnlyPastThem) {
  ClaimExtractor* extractor = Extractor();
  ASSERT_NE(extractor, nullptr);
  // A GPU count, `fillers` bare numbers (one figure each, no claim) in
  // lines of 100, and a last GPU count: fillers + 2 figures in all.
  auto page = [](int64_t fillers) {
    Article article;
    article.published = "2025-11-01";
    article.text = "NVIDIA will deploy 7,000 GPUs.\n";
    for (int64_t i = 0; i < fillers; ++i) article.text += i % 100 == 99 ? "7\n" : "7 ";
    article.text += "\nMeta will deploy 9,000 GPUs.";
    return article;
  };
  std::vector<std::string> warnings;
  std::vector<Claim> at_limit =
      extractor->Extract(page(kMaxPageMentions - 2), "https://example.test/a", &warnings);
  ASSERT_EQ(at_limit.size(), 2u);
  EXPECT_EQ(at_limit[0].text, "7,000 GPUs");
  EXPECT_EQ(at_limit[1].text, "9,000 GPUs");
  EXPECT_TRUE(warnings.empty()) << warnings.front();

  std::vector<Claim> past_limit =
      extractor->Extract(page(kMaxPageMentions - 1), "https://example.test/a", &warnings);
  ASSERT_EQ(past_limit.size(), 1u);
  EXPECT_EQ(past_limit[0].text, "7,000 GPUs");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("more than " + std::to_string(kMaxPageMentions) + " figures"),
            std::string::npos)
      << warnings[0];
}

TEST(ClaimExtractorTest, EmptyArticleGivesNoClaims) {
  EXPECT_TRUE(ExtractText("").empty());
  EXPECT_TRUE(ExtractText("数字のない文。No figures here.").empty());
}

}  // namespace
}  // namespace newsclaim::extract
