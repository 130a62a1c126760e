#include "store/reconcile.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/test_claims.h"

namespace newsclaim::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

std::vector<std::string> MemberIds(const Conflict& conflict) {
  std::vector<std::string> ids;
  for (const Claim& claim : conflict.claims) ids.push_back(claim.id);
  return ids;
}

TEST(RoundingToleranceTest, IsHalfAUnitOfTheLastWrittenDigit) {
  struct Case {
    const char* text;
    double value;
    double expected;
  };
  const Case cases[] = {
      {"26万枚", 260000, 5000},
      {"260,000 GPUs", 260000, 5000},  // trailing zeros read as rounding
      {"2.5万", 25000, 500},
      {"1万8000", 18000, 500},
      {"約1万3000基", 13000, 500},
      {"12兆6,000億", 12.6e12, 0.5e11},
      {"$3.5 billion", 3.5e9, 0.05e9},
      {"13,001台", 13001, 0.5},
      {"２６万枚", 260000, 5000},  // full-width digits
      {"二十六万", 260000, 5000},  // no digits: the value's own digits
      {"0.5%", 0.5, 0.05},
      {"20%", 20, 0.5},          // short zero runs are significant
      {"30万枚", 300000, 5000},
      {"2,000基", 2000, 500},
      {"100,000 GPUs", 100000, 50000},
      {"0台", 0, 0},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(RoundingTolerance(c.text, c.value), c.expected, c.expected * 1e-9 + 1e-12)
        << c.text;
  }
}

TEST(ClaimIntervalTest, ReadsEachQualifierAsAnInterval) {
  struct Case {
    Claim claim;
    double low, high;
    bool low_inclusive, high_inclusive;
  };
  const double inf = INFINITY;
  const Case cases[] = {
      {ClaimBuilder("a").Exact(260000, "26万枚").Build(), 255000, 265000, true, true},
      {ClaimBuilder("b").Approx(10000, "約1万基").Build(), 9500, 10500, true, true},
      {ClaimBuilder("c").AtLeast(250000, "25万基以上").Build(), 250000, inf, true, true},
      {ClaimBuilder("d").MoreThan(50000, "more than 50,000").Build(), 50000, inf, false, true},
      {ClaimBuilder("e").UpTo(13000, "up to 13,000").Build(), -inf, 13000, true, true},
      {ClaimBuilder("f").LessThan(100, "100未満").Build(), -inf, 100, true, false},
      {ClaimBuilder("g").Range(7.8e9, 10.5e9, "78億ドルから105億ドル").Build(), 7.8e9, 10.5e9, true,
       true},
  };
  for (const Case& c : cases) {
    std::optional<FigureInterval> interval = ClaimInterval(c.claim);
    ASSERT_TRUE(interval.has_value()) << c.claim.text;
    EXPECT_DOUBLE_EQ(interval->low, c.low) << c.claim.text;
    EXPECT_DOUBLE_EQ(interval->high, c.high) << c.claim.text;
    EXPECT_EQ(interval->low_inclusive, c.low_inclusive) << c.claim.text;
    EXPECT_EQ(interval->high_inclusive, c.high_inclusive) << c.claim.text;
  }
  Claim no_figure = ClaimBuilder("h").Build();
  no_figure.interval = Interval{};
  EXPECT_FALSE(ClaimInterval(no_figure).has_value());
}

TEST(MeasureOfTest, ReadsTheMeasureFromRuleIdTokens) {
  EXPECT_EQ(MeasureOf(ClaimBuilder("a").Rule("ja.gpu_count.supply").Build()), "supply");
  EXPECT_EQ(MeasureOf(ClaimBuilder("a").Rule("en.money.investment").Build()), "investment");
  EXPECT_EQ(MeasureOf(ClaimBuilder("a").Rule("en.gpu_count.deployed").Build()), "deployment");
  EXPECT_EQ(MeasureOf(ClaimBuilder("a").Rule("ja.gpu_count.counter").Build()), "");
}

TEST(ScopeOfTest, MarksPhasesAndAnnualRates) {
  EXPECT_EQ(ScopeOf(ClaimBuilder("a").UpTo(13000, "up to 13,000 GPUs")
                        .Quote("As a first step, the Korean government plans to secure up to 13,000 GPUs")
                        .Build()),
            "phase");
  EXPECT_EQ(ScopeOf(ClaimBuilder("a").Approx(13000, "約1万3000基")
                        .Quote("韓国政府は第1弾として、約1万3000基のGPUを調達する計画だ")
                        .Build()),
            "phase");
  EXPECT_EQ(ScopeOf(ClaimBuilder("a").Exact(3e9, "30億ドル")
                        .Quote("SB OpenAI Japanは、年間30億ドル（約4500億円）を投じる")
                        .Build()),
            "annual");
  EXPECT_EQ(ScopeOf(ClaimBuilder("a").Exact(3e9, "$3 billion")
                        .Quote("SoftBank Group has pledged to spend $3 billion a year deploying")
                        .Build()),
            "annual");
  EXPECT_EQ(ScopeOf(ClaimBuilder("a").Exact(260000, "26万枚")
                        .Quote("NVIDIAは韓国に26万枚のGPUを供給する")
                        .Build()),
            "");
}

TEST(FindConflictsTest, ExactFigureAgainstLowerBoundIsDiscrepancy) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("b").Page(2, "2025-11-03").Subject("South Korea").AtLeast(250000, "25万基以上").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "discrepancy");
  EXPECT_EQ(conflicts[0].severity, "medium");
  EXPECT_EQ(conflicts[0].subject, "South Korea");
  EXPECT_EQ(conflicts[0].status, "open");
  EXPECT_THAT(MemberIds(conflicts[0]), ElementsAre("a", "b"));
  // The exact figure is more specific than the bound.
  EXPECT_EQ(conflicts[0].preferred_claim_id, "a");
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("most specific"));
}

TEST(FindConflictsTest, SameFigureRestatedAcrossLanguagesJoinsOneDiscrepancy) {
  const std::vector<Claim> claims = {
      ClaimBuilder("ja").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("en").Page(2, "2025-11-01").Subject("South Korea").Exact(260000, "260,000 GPUs").Build(),
      ClaimBuilder("lb").Page(3, "2025-11-03").Subject("South Korea").AtLeast(250000, "25万基以上").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "discrepancy");
  EXPECT_THAT(MemberIds(conflicts[0]), UnorderedElementsAre("ja", "en", "lb"));
  EXPECT_THAT(conflicts[0].preferred_claim_id, ::testing::AnyOf("ja", "en"));
}

TEST(FindConflictsTest, LostIjouIsMergedNotAConflict) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("SK Group").Exact(50000, "5万枚").Build(),
      ClaimBuilder("b").Page(2, "2025-11-01").Subject("SK Group").AtLeast(50000, "5万枚以上").Build(),
      ClaimBuilder("c").Page(3, "2025-11-01").Subject("SK Group").MoreThan(50000, "more than 50,000").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, ApproximateAndExactSameFigureAgree) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("NAVER Cloud").Exact(60000, "6万枚").Build(),
      ClaimBuilder("b").Page(2, "2025-11-03").Subject("NAVER Cloud").Approx(60000, "約6万基").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, PerCompanyFigureIsNotARivalToTheNationalTotal) {
  PartOfLinks part_of;
  part_of.parent["Samsung Electronics"] = "South Korea";
  const std::vector<Claim> claims = {
      ClaimBuilder("total").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("part").Page(2, "2025-11-01").Subject("Samsung Electronics").Exact(50000, "5万枚").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, part_of), IsEmpty());
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, DisjointIntervalsAreAContradiction) {
  const ClaimTime fy2027{{"2028-03-31", "2028-03-31"}, TimeRelation::kBy};
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-10-02").Subject("Sakura Internet").Approx(10000, "約1万基")
          .Time(fy2027).Build(),
      ClaimBuilder("b").Page(2, "2025-11-12").Subject("Sakura Internet").Exact(2000, "2,000基")
          .Time(fy2027).Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "contradiction");
  EXPECT_EQ(conflicts[0].severity, "high");
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("cannot both be true"));
}

TEST(FindConflictsTest, MovedDeadlineIsARevisionPreferringTheNewerStatement) {
  const std::vector<Claim> claims = {
      ClaimBuilder("old").Page(1, "2025-09-10").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build(),
      ClaimBuilder("new").Page(2, "2025-12-05").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2027-01-01", "2027-12-31"}, TimeRelation::kBy}).Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "revision");
  EXPECT_EQ(conflicts[0].severity, "low");
  EXPECT_EQ(conflicts[0].preferred_claim_id, "new");
  EXPECT_THAT(MemberIds(conflicts[0]), ElementsAre("old", "new"));  // timeline order
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("by 2030-12-31"));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("→ 3万基 by 2027-12-31"));
}

TEST(FindConflictsTest, MilestonesOfOnePlanOnTheSameDayAreNotRevisions) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-09-10").Subject("HIREZO").Exact(10000, "1万基")
          .Time({{"2026-01-01", "2026-12-31"}, TimeRelation::kBy}).Build(),
      ClaimBuilder("b").Page(2, "2025-09-10").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, FiguresAboutDifferentTimesDoNotConflict) {
  const std::vector<Claim> claims = {
      ClaimBuilder("stock").Page(1, "2025-11-01").Subject("xAI").Exact(200000, "200,000 GPUs")
          .Time({{"2025-01-01", "2025-12-31"}, TimeRelation::kAsOf}).Build(),
      ClaimBuilder("plan").Page(2, "2025-11-02").Subject("xAI").Exact(1000000, "1 million GPUs")
          .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, ClaimsFromTheSamePageNeverConflict) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("xAI").Exact(100000, "100,000").Build(),
      ClaimBuilder("b").Page(1, "2025-11-01").Subject("xAI").Exact(200000, "200,000").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, DateClaimsAndSubjectlessClaimsAreNotCompared) {
  Claim date_a = ClaimBuilder("d1").Page(1, "2025-11-01").Subject("NVIDIA").Build();
  date_a.kind = ClaimKind::kDate;
  date_a.interval = Interval{};
  date_a.time = ClaimTime{{"2025-10-31", "2025-10-31"}, TimeRelation::kOn};
  Claim date_b = date_a;
  date_b.id = "d2";
  date_b.page_id = 2;
  date_b.url = "http://example.com/2";
  date_b.time = ClaimTime{{"2025-11-01", "2025-11-01"}, TimeRelation::kOn};
  const std::vector<Claim> claims = {
      date_a, date_b,
      ClaimBuilder("x").Page(1, "2025-11-01").Subject("").Exact(20.8e9, "208億個").Build(),
      ClaimBuilder("y").Page(2, "2025-11-01").Subject("").Exact(208e9, "208 billion").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, PlannedAgainstDeliveredSameFigureIsAStatusConflict) {
  const std::vector<Claim> claims = {
      ClaimBuilder("plan").Page(1, "2025-11-01").Subject("Government of South Korea")
          .UpTo(13000, "up to 13,000 GPUs").Status(ClaimStatus::kPlanned)
          .Quote("As a first step, the Korean government plans to secure up to 13,000 GPUs").Build(),
      ClaimBuilder("ja").Page(2, "2025-11-03").Subject("Government of South Korea")
          .Approx(13000, "約1万3000基").Status(ClaimStatus::kPlanned)
          .Quote("韓国政府は第1弾として、約1万3000基のGPUを調達する計画だ").Build(),
      ClaimBuilder("done").Page(3, "2025-12-15").Subject("Government of South Korea")
          .Counterparty("NVIDIA").Exact(13000, "13,000 GPUs").Status(ClaimStatus::kDelivered)
          .Quote("NVIDIA has delivered 13,000 GPUs, completing the first tranche").Build(),
      // The programme total is a different scope: no contradiction with the phase.
      ClaimBuilder("total").Page(3, "2025-12-15").Subject("Government of South Korea")
          .Approx(50000, "about 50,000 GPUs").Status(ClaimStatus::kPlanned)
          .Quote("The Korean government still plans to reach about 50,000 GPUs in total").Build(),
      ClaimBuilder("total2").Page(1, "2025-11-01").Subject("Government of South Korea")
          .Approx(50000, "約5万枚").Status(ClaimStatus::kPlanned)
          .Quote("韓国政府は約5万枚を確保する").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "status");
  EXPECT_THAT(MemberIds(conflicts[0]), UnorderedElementsAre("plan", "ja", "done"));
  EXPECT_EQ(conflicts[0].preferred_claim_id, "done");
}

TEST(FindConflictsTest, MoneyForDifferentDealsIsNotCompared) {
  const std::vector<Claim> claims = {
      ClaimBuilder("cw").Page(1, "2025-10-08").Subject("OpenAI").Counterparty("CoreWeave")
          .Money("USD").Approx(22.4e9, "about $22.4 billion").Build(),
      ClaimBuilder("or").Page(2, "2025-09-24").Subject("OpenAI").Counterparty("Oracle")
          .Money("USD").Approx(300e9, "about $300 billion").Build(),
      ClaimBuilder("sg").Page(2, "2025-09-24").Subject("OpenAI")
          .Money("USD").UpTo(500e9, "up to $500 billion").Build(),
      // Same subject, no counterparty on either side, nothing names the deal.
      ClaimBuilder("g1").Page(3, "2025-12-15").Subject("Government of South Korea")
          .Money("KRW").Exact(1.46e12, "1.46 trillion won").Build(),
      ClaimBuilder("g2").Page(4, "2025-11-03").Subject("Government of South Korea")
          .Money("KRW").Exact(1e14, "100兆ウォン").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, SameDealMoneyThatDisagreesIsAContradiction) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-10-08").Subject("Meta").Counterparty("CoreWeave")
          .Money("USD").Exact(14.2e9, "$14.2 billion").Build(),
      ClaimBuilder("b").Page(2, "2025-10-09").Subject("Meta").Counterparty("CoreWeave")
          .Money("USD").Exact(11e9, "$11 billion").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "contradiction");
  EXPECT_EQ(conflicts[0].key, "Meta / money / USD");
}

TEST(FindConflictsTest, AnnualRateIsNotComparedWithAOneOffAmount) {
  const std::vector<Claim> claims = {
      ClaimBuilder("rate").Page(1, "2025-09-24").Subject("SoftBank Group").Counterparty("OpenAI")
          .Money("USD").Exact(3e9, "$3 billion")
          .Quote("SoftBank Group has pledged to spend $3 billion a year deploying products").Build(),
      ClaimBuilder("stake").Page(2, "2025-11-08").Subject("SoftBank Group").Counterparty("OpenAI")
          .Money("USD").Range(7.8e9, 10.5e9, "78億ドルから105億ドル")
          .Quote("追加出資は、78億ドルから105億ドルの範囲になる見通しだ").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, BarePercentagesAreNotCompared) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-10-02").Subject("Sakura Internet").Percent(20, "20%").Build(),
      ClaimBuilder("b").Page(2, "2025-11-12").Subject("Sakura Internet").Percent(15, "15%").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
  // With a measure from the rule, they answer the same question.
  std::vector<Claim> measured = claims;
  for (Claim& claim : measured) claim.rule = "ja.percentage.revenue";
  ASSERT_THAT(FindConflicts(measured, PartOfLinks{}), SizeIs(1));
  EXPECT_EQ(FindConflicts(measured, PartOfLinks{})[0].conflict_class, "contradiction");
}

TEST(FindConflictsTest, DifferentProductsAreDifferentQuestions) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("xAI").Product("H100").Exact(100000, "100,000").Build(),
      ClaimBuilder("b").Page(2, "2025-11-02").Subject("xAI").Product("GB200").Exact(50000, "50,000").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, PartFigureAboveItsWholeIsAScopeConflict) {
  PartOfLinks part_of;
  part_of.parent["Samsung Electronics"] = "South Korea";
  const std::vector<Claim> claims = {
      ClaimBuilder("total").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("part").Page(2, "2025-11-02").Subject("Samsung Electronics").Exact(300000, "30万枚").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, part_of);
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "scope");
  EXPECT_EQ(conflicts[0].subject, "South Korea");
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("30万枚 exceeds the whole's 26万枚"));
}

TEST(FindConflictsTest, SameFigureForAJointVentureAndItsParentIsAttribution) {
  PartOfLinks part_of;
  part_of.parent["SB OpenAI Japan"] = "SoftBank Group";
  const std::vector<Claim> claims = {
      ClaimBuilder("jv").Page(1, "2025-11-08").Subject("SB OpenAI Japan").Counterparty("OpenAI")
          .Money("USD").Exact(3e9, "30億ドル").Quote("SB OpenAI Japanは、年間30億ドルを投じる").Build(),
      ClaimBuilder("parent").Page(2, "2025-09-24").Subject("SoftBank Group").Counterparty("OpenAI")
          .Money("USD").Exact(3e9, "$3 billion")
          .Quote("SoftBank Group has pledged to spend $3 billion a year").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, part_of);
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "attribution");
  EXPECT_THAT(MemberIds(conflicts[0]), UnorderedElementsAre("jv", "parent"));
  // Without the link the subjects are unrelated: nothing to compare.
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, ResultAndIdsDoNotDependOnInputOrder) {
  std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("b").Page(2, "2025-11-03").Subject("South Korea").AtLeast(250000, "25万基以上").Build(),
      ClaimBuilder("c").Page(3, "2025-10-02").Subject("Sakura Internet").Approx(10000, "約1万基").Build(),
      ClaimBuilder("d").Page(4, "2025-11-12").Subject("Sakura Internet").Exact(2000, "2,000基").Build(),
  };
  const std::vector<Conflict> first = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(first, SizeIs(2));
  std::mt19937 random(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(claims.begin(), claims.end(), random);
    const std::vector<Conflict> again = FindConflicts(claims, PartOfLinks{});
    ASSERT_THAT(again, SizeIs(2));
    for (size_t i = 0; i < again.size(); ++i) {
      EXPECT_EQ(again[i].id, first[i].id);
      EXPECT_EQ(again[i].explanation, first[i].explanation);
    }
  }
}

// A quantity claim (gigawatts, racks, shares...) in `unit`.
Claim AsQuantity(Claim claim, std::string unit) {
  claim.kind = ClaimKind::kQuantity;
  claim.unit = std::move(unit);
  claim.rule = "test.quantity";
  return claim;
}

TEST(ScopeOfTest, AWordOpeningTheFigureMarksAPhase) {
  struct Case {
    const char* text;
    const char* quote;
    const char* scope;
  };
  const Case cases[] = {
      {"18,000 GB300s", "HUMAIN says its first 18,000 GB300s are now operational in Riyadh.", "phase"},
      {"1 gigawatt", "The initial 1 gigawatt deployment is scheduled to begin in 2026.", "phase"},
      {"1万基", "同社は最初の1万基を来年稼働させる", "phase"},
      // "first" elsewhere in the sentence does not open this figure.
      {"6 gigawatts", "It is the first deal of its kind: OpenAI will deploy 6 gigawatts of GPUs.", ""},
  };
  for (const Case& c : cases) {
    Claim claim = ClaimBuilder("a").Exact(1, c.text).Quote(c.quote).Build();
    EXPECT_EQ(ScopeOf(claim), c.scope) << c.quote;
  }
}

TEST(FindConflictsTest, TwoLowerBoundsNeverConflict) {
  const std::vector<Claim> claims = {
      ClaimBuilder("part").Page(1, "2025-07-22").Subject("SoftBank").AtLeast(4000, "4,000基以上").Build(),
      ClaimBuilder("total").Page(2, "2025-12-29").Subject("SoftBank").MoreThan(10000, "1万基超").Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, ATargetAndTodaysCountAtAnotherStageDoNotConflict) {
  const ClaimTime by2027{{"2027-01-01", "2027-12-31"}, TimeRelation::kBy};
  const std::vector<Claim> claims = {
      ClaimBuilder("target").Page(1, "2025-12-05").Subject("HIREZO").Exact(30000, "3万基")
          .Time(by2027).Status(ClaimStatus::kPlanned).Build(),
      ClaimBuilder("running").Page(2, "2026-01-27").Subject("HIREZO").Approx(12000, "約1万2000基")
          .Status(ClaimStatus::kOperational).Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
  // Both plans: the same two figures are rivals.
  std::vector<Claim> plans = claims;
  plans[1].status = ClaimStatus::kPlanned;
  ASSERT_THAT(FindConflicts(plans, PartOfLinks{}), SizeIs(1));
  EXPECT_EQ(FindConflicts(plans, PartOfLinks{})[0].conflict_class, "contradiction");
}

TEST(FindConflictsTest, AnUndatedFigureNotSaidToBeAPlanIsNoRivalToATarget) {
  const ClaimTime fy2027{{"2027-04-01", "2028-03-31"}, TimeRelation::kBy};
  const Claim target = ClaimBuilder("target").Page(1, "2025-10-15").Subject("Sakura Internet")
                           .Approx(10000, "約1万基").Time(fy2027).Status(ClaimStatus::kPlanned).Build();
  struct Case {
    ClaimStatus status;
    bool raised;
  };
  for (const Case& c : {Case{ClaimStatus::kNone, false}, Case{ClaimStatus::kOperational, false},
                        Case{ClaimStatus::kPlanned, true}}) {
    SCOPED_TRACE(ClaimStatusName(c.status));
    const Claim undated = ClaimBuilder("undated").Page(2, "2026-02-15").Subject("Sakura Internet")
                              .Approx(6000, "約6,000基").Status(c.status).Build();
    const std::vector<Conflict> conflicts = FindConflicts({target, undated}, PartOfLinks{});
    if (c.raised) {
      ASSERT_THAT(conflicts, SizeIs(1));
      EXPECT_EQ(conflicts[0].conflict_class, "contradiction");
    } else {
      EXPECT_THAT(conflicts, IsEmpty());
    }
  }
}

TEST(FindConflictsTest, QuantitiesCompareOnlyWithinOneNamedDeal) {
  struct Case {
    const char* name;
    const char* counterparty_a;
    const char* counterparty_b;
    const char* unit_b;
    bool raised;
  };
  const Case cases[] = {
      {"same deal, GW spelled two ways", "AMD", "AMD", "GW", true},
      {"different deals", "AMD", "Broadcom", "gigawatts", false},
      {"no deal named on either side", "", "", "gigawatts", false},
      {"one side names no deal", "AMD", "", "gigawatts", false},
      {"megawatts are another unit", "AMD", "AMD", "MW", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<Claim> claims = {
        AsQuantity(ClaimBuilder("a").Page(1, "2025-10-06").Subject("OpenAI")
                       .Counterparty(c.counterparty_a).Exact(6, "6 gigawatts").Build(),
                   "gigawatts"),
        AsQuantity(ClaimBuilder("b").Page(2, "2026-02-17").Subject("OpenAI")
                       .Counterparty(c.counterparty_b).Exact(10, "10 GW").Build(),
                   c.unit_b),
    };
    const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
    if (c.raised) {
      ASSERT_THAT(conflicts, SizeIs(1));
      EXPECT_EQ(conflicts[0].conflict_class, "contradiction");
    } else {
      EXPECT_THAT(conflicts, IsEmpty());
    }
  }
}

TEST(FindConflictsTest, APageWithSeveralFiguresForOneQuestionOnlyMatchesEqualFigures) {
  // One page gives the whole deal and one site of it; another page gives
  // another site. Neither site is a rival of the whole.
  const std::vector<Claim> claims = {
      ClaimBuilder("whole").Page(1, "2025-11-04").Subject("Microsoft").Counterparty("Nscale")
          .Approx(200000, "about 200,000 GPUs").Status(ClaimStatus::kPlanned).Build(),
      ClaimBuilder("site").Page(1, "2025-11-04").Subject("Microsoft").Counterparty("Nscale")
          .Approx(104000, "some 104,000 of the chips").Status(ClaimStatus::kPlanned).Build(),
      ClaimBuilder("other_site").Page(2, "2025-12-10").Subject("Microsoft").Counterparty("Nscale")
          .Approx(23000, "about 23,000 GPUs").Status(ClaimStatus::kPlanned).Build(),
  };
  EXPECT_THAT(FindConflicts(claims, PartOfLinks{}), IsEmpty());
  // The other site alone against the whole is a contradiction.
  const std::vector<Claim> pair = {claims[0], claims[2]};
  ASSERT_THAT(FindConflicts(pair, PartOfLinks{}), SizeIs(1));
  EXPECT_EQ(FindConflicts(pair, PartOfLinks{})[0].conflict_class, "contradiction");
  // The page's figures are still matched on an equal figure: the whole,
  // later delivered, is a status conflict; the site is not part of it.
  std::vector<Claim> delivered = claims;
  delivered.push_back(ClaimBuilder("whole_done").Page(3, "2026-06-01").Subject("Microsoft")
                          .Counterparty("Nscale").Exact(200000, "20万基")
                          .Status(ClaimStatus::kDelivered).Build());
  const std::vector<Conflict> conflicts = FindConflicts(delivered, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "status");
  EXPECT_THAT(MemberIds(conflicts[0]), UnorderedElementsAre("whole", "whole_done"));
}

TEST(FindConflictsTest, ABoundFarFromAPointFigureIsNoRivalReading) {
  struct Case {
    Claim bound;
    const char* conflict_class;  // "" for none
  };
  const Case cases[] = {
      {ClaimBuilder("b").Page(2, "2025-12-10").Subject("Microsoft").MoreThan(23000, "more than 23,000")
           .Build(), ""},
      {ClaimBuilder("b").Page(2, "2025-12-10").Subject("Microsoft").AtLeast(190000, "19万基以上")
           .Build(), "discrepancy"},
      {ClaimBuilder("b").Page(2, "2025-12-10").Subject("Microsoft").UpTo(500000, "up to 500,000")
           .Build(), ""},
      {ClaimBuilder("b").Page(2, "2025-12-10").Subject("Microsoft").UpTo(250000, "up to 250,000")
           .Build(), "discrepancy"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bound.text);
    const std::vector<Claim> claims = {
        ClaimBuilder("p").Page(1, "2025-11-04").Subject("Microsoft").Approx(200000, "about 200,000").Build(),
        c.bound,
    };
    const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
    if (std::string(c.conflict_class).empty()) {
      EXPECT_THAT(conflicts, IsEmpty());
    } else {
      ASSERT_THAT(conflicts, SizeIs(1));
      EXPECT_EQ(conflicts[0].conflict_class, c.conflict_class);
    }
  }
}

TEST(FindConflictsTest, NewFigureAndDeadlineIsARevisionUnlessTheyAreMilestones) {
  const ClaimTime q3_2026{{"2026-07-01", "2026-09-30"}, TimeRelation::kBy};
  const ClaimTime by2030{{"2030-01-01", "2030-12-31"}, TimeRelation::kBy};
  // The earlier deadline has the smaller figure: steps of one plan.
  const std::vector<Claim> milestones = {
      ClaimBuilder("site").Page(1, "2026-01-27").Subject("HIREZO").Approx(2500, "2,500基前後")
          .Time(q3_2026).Build(),
      ClaimBuilder("target").Page(2, "2025-09-10").Subject("HIREZO").Exact(30000, "3万基")
          .Time(by2030).Build(),
  };
  EXPECT_THAT(FindConflicts(milestones, PartOfLinks{}), IsEmpty());
  // The earlier deadline has the larger figure: the plan was rewritten.
  std::vector<Claim> rewritten = milestones;
  rewritten[0] = ClaimBuilder("site").Page(1, "2026-01-27").Subject("HIREZO").Exact(40000, "4万基")
                     .Time(q3_2026).Build();
  ASSERT_THAT(FindConflicts(rewritten, PartOfLinks{}), SizeIs(1));
  EXPECT_EQ(FindConflicts(rewritten, PartOfLinks{})[0].conflict_class, "revision");
  EXPECT_EQ(FindConflicts(rewritten, PartOfLinks{})[0].preferred_claim_id, "site");
}

TEST(FindConflictsTest, APlannedStepMovedToAnotherPeriodIsARevision) {
  const ClaimTime h2_2026{{"2026-07-01", "2026-12-31"}, TimeRelation::kDuring};
  const ClaimTime q1_2027{{"2027-01-01", "2027-03-31"}, TimeRelation::kDuring};
  const auto gw = [](const char* id, int page, const char* published, const char* text,
                     const ClaimTime& time, ClaimStatus status) {
    return AsQuantity(ClaimBuilder(id).Page(page, published).Subject("OpenAI").Counterparty("AMD")
                          .Exact(1, text).Time(time).Status(status).Build(),
                      "gigawatts");
  };
  const std::vector<Claim> claims = {
      gw("en", 1, "2025-10-06", "1 gigawatt", h2_2026, ClaimStatus::kPlanned),
      gw("ja", 2, "2025-11-06", "1GW", h2_2026, ClaimStatus::kPlanned),
      gw("slip", 3, "2026-02-17", "1 GW", q1_2027, ClaimStatus::kPlanned),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "revision");
  EXPECT_THAT(MemberIds(conflicts[0]), ElementsAre("en", "ja", "slip"));
  EXPECT_EQ(conflicts[0].preferred_claim_id, "slip");
  // Periods of figures that are not plans (a share in 2024, in 2025) are
  // different questions, even with the same figure.
  std::vector<Claim> unplanned = claims;
  for (Claim& claim : unplanned) claim.status = ClaimStatus::kNone;
  EXPECT_THAT(FindConflicts(unplanned, PartOfLinks{}), IsEmpty());
}

TEST(FindConflictsTest, APhaseAgreesWithTheSameFigureButIsNoRivalToTheWhole) {
  const std::vector<Claim> claims = {
      ClaimBuilder("phase").Page(1, "2025-12-10").Subject("Humain").Approx(18000, "roughly 18,000 GB300 chips")
          .Status(ClaimStatus::kPlanned)
          .Quote("In May it said the opening phase would be roughly 18,000 GB300 chips.").Build(),
      ClaimBuilder("plain").Page(2, "2025-12-09").Subject("Humain").Exact(18000, "1万8000基")
          .Status(ClaimStatus::kPlanned).Quote("HUMAINはGB300を1万8000基調達する計画だ").Build(),
      ClaimBuilder("live").Page(3, "2026-02-17").Subject("Humain").Exact(18000, "18,000 GB300s")
          .Status(ClaimStatus::kOperational)
          .Quote("HUMAIN says its first 18,000 GB300s are now operational.").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "status");
  EXPECT_THAT(MemberIds(conflicts[0]), UnorderedElementsAre("phase", "plain", "live"));
  // The programme total: a phase is part of it, not a rival; the same
  // figure without the phase marker is.
  const Claim total = ClaimBuilder("total").Page(4, "2025-12-01").Subject("Humain")
                          .Exact(600000, "600,000 GPUs").Status(ClaimStatus::kPlanned)
                          .Quote("Humain plans 600,000 GPUs in total.").Build();
  EXPECT_THAT(FindConflicts({claims[0], total}, PartOfLinks{}), IsEmpty());
  ASSERT_THAT(FindConflicts({claims[1], total}, PartOfLinks{}), SizeIs(1));
  EXPECT_EQ(FindConflicts({claims[1], total}, PartOfLinks{})[0].conflict_class, "contradiction");
}

TEST(FindConflictsTest, ASnapshotThatDisagreesWithAnUndatedFigureIsARevision) {
  const std::vector<Claim> claims = {
      ClaimBuilder("announced").Page(1, "2025-07-07").Subject("CoreWeave").Counterparty("Core Scientific")
          .Money("USD").Approx(9e9, "approximately $9 billion").Build(),
      ClaimBuilder("market").Page(2, "2025-10-31").Subject("CoreWeave").Counterparty("Core Scientific")
          .Money("USD").LessThan(6.5e9, "less than $6.5 billion")
          .Time({{"2025-10-29", "2025-10-29"}, TimeRelation::kAsOf}).Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "revision");
  EXPECT_EQ(conflicts[0].preferred_claim_id, "market");
}

TEST(ConflictIdTest, DependsOnClassKeyAndMembersNotTheirOrder) {
  const std::string id = ConflictId("discrepancy", "South Korea / gpu_count", {"b", "a"});
  EXPECT_EQ(id, ConflictId("discrepancy", "South Korea / gpu_count", {"a", "b"}));
  EXPECT_EQ(id.size(), 16u);
  EXPECT_NE(id, ConflictId("contradiction", "South Korea / gpu_count", {"a", "b"}));
  EXPECT_NE(id, ConflictId("discrepancy", "Japan / gpu_count", {"a", "b"}));
  EXPECT_NE(id, ConflictId("discrepancy", "South Korea / gpu_count", {"a", "b", "c"}));
}

}  // namespace
}  // namespace newsclaim::store

namespace newsclaim::store {
namespace {

TEST(PrimarySourceReasonTest, OwnSitesAndReleaseWiresArePrimary) {
  struct Case {
    const char* url;
    const char* title;
    const char* site_name;
    const char* subject;
    const char* counterparty;
    bool primary;
  } cases[] = {
      {"https://nvidianews.nvidia.com/news/korea", "NVIDIA and Korea", "", "South Korea",
       "NVIDIA", true},
      {"https://news.samsung.com/global/ai", "Samsung AI factory", "", "Samsung Electronics", "",
       true},
      {"https://example.com/news/1.html", "AMD and OpenAI Announce ... | PR Wirefeed",
       "PR Wirefeed", "OpenAI", "AMD", true},
      {"https://example.com/news/2.html", "ソフトバンク、運用を開始 | プレスリリース・ワイヤー",
       "", "SoftBank", "", true},
      {"https://www.prtimes.jp/main/html/rd/p/1.html", "GMO", "", "GMO Internet", "", true},
      {"https://example.com/press-release/2025/gpu.html", "GPU", "", "Sakura Internet", "", true},
      {"https://www.reuters.com/tech/nvidia-korea", "NVIDIA to supply Korea", "Reuters",
       "South Korea", "NVIDIA", false},
      {"https://nvidia-fans.example.com/post", "NVIDIA fans", "", "NVIDIA", "", false},
      {"https://example.com/news/3.html", "AIデータセンター新聞", "AIデータセンター新聞",
       "HIREZO", "", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    Claim claim = ClaimBuilder("a").Url(c.url).Title(c.title).Subject(c.subject)
                      .Counterparty(c.counterparty).Build();
    PageInfo page;
    page.site_name = c.site_name;
    EXPECT_EQ(!PrimarySourceReason(claim, page).empty(), c.primary)
        << PrimarySourceReason(claim, page);
  }
}

TEST(FindConflictsTest, APrimarySourceIsPreferredOverMoreSpecificSecondaryReports) {
  // The release says "at least 250,000"; two news pages say 260,000.
  std::vector<Claim> claims = {
      ClaimBuilder("release").Page(1, "2025-10-31").Subject("South Korea")
          .Url("https://nvidianews.nvidia.com/news/korea").Counterparty("NVIDIA")
          .AtLeast(250000, "25万基以上").Build(),
      ClaimBuilder("news1").Page(2, "2025-11-01").Subject("South Korea").Counterparty("NVIDIA")
          .Exact(260000, "26万枚").Build(),
      ClaimBuilder("news2").Page(3, "2025-11-02").Subject("South Korea").Counterparty("NVIDIA")
          .Exact(260000, "260,000 GPUs").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "discrepancy");
  EXPECT_EQ(conflicts[0].preferred_claim_id, "release");
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("a primary source"));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("NVIDIA's own site"));
}

TEST(FindConflictsTest, CopiesOfOneStoryCountOnceAsIndependentSources) {
  // 2万 is on two pages, but page 3 copies page 2; 3万 is on two
  // independent pages. Without copy information 2万 ties and wins on date.
  std::vector<Claim> claims = {
      ClaimBuilder("a1").Page(1, "2025-10-01").Subject("HIREZO").Exact(30000, "3万基").Build(),
      ClaimBuilder("a2").Page(4, "2025-10-02").Subject("HIREZO").Exact(30000, "3万基").Build(),
      ClaimBuilder("b1").Page(2, "2025-10-03").Subject("HIREZO").Exact(20000, "2万基").Build(),
      ClaimBuilder("b2").Page(3, "2025-10-04").Subject("HIREZO").Exact(20000, "2万基").Build(),
      ClaimBuilder("b3").Page(5, "2025-10-05").Subject("HIREZO").Exact(20000, "2万基").Build(),
  };
  ReconcileContext context;
  context.pages[3].copy_of = 2;
  context.pages[3].copy_of_url = "http://example.com/news/2.html";
  context.pages[5].copy_of = 2;
  context.pages[5].copy_of_url = "http://example.com/news/2.html";
  const std::vector<Conflict> conflicts = FindConflicts(claims, context);
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "discrepancy");  // 3万 ± 5000 touches 2万 ± 5000
  // The copies stay members (never dropped), marked as derived.
  EXPECT_THAT(conflicts[0].claim_ids, SizeIs(5));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("derived: copies http://example.com/news/2.html"));
  EXPECT_EQ(conflicts[0].preferred_claim_id, "a2");
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("most independent pages (2"));

  const std::vector<Conflict> without_copies = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(without_copies, SizeIs(1));
  EXPECT_EQ(without_copies[0].preferred_claim_id, "b3");
}

TEST(FindConflictsTest, MoneyInAnotherCurrencyIsAnnotatedNeverCompared) {
  StatusOr<FxTable> fx = FxTable::Parse(
      "rate = [{ date = \"2025-10-31\", base = \"USD\", quote = \"JPY\", rate = 150.0 }]",
      "fx.toml");
  ASSERT_TRUE(fx.ok());
  std::vector<Claim> claims = {
      ClaimBuilder("usd1").Page(1, "2025-11-05").Subject("SoftBank").Counterparty("OpenAI")
          .Money("USD").Exact(3e9, "$3 billion").Build(),
      ClaimBuilder("usd2").Page(2, "2025-11-06").Subject("SoftBank").Counterparty("OpenAI")
          .Money("USD").Exact(2e9, "$2 billion").Build(),
      // Another page in yen: far from both, but never a rival by conversion.
      ClaimBuilder("jpy").Page(3, "2025-11-07").Subject("SoftBank").Counterparty("OpenAI")
          .Money("JPY").Exact(9e11, "9,000億円").Build(),
      // Page 1's own conversion, had the extractor kept it: never paired.
      ClaimBuilder("own").Page(1, "2025-11-05").Subject("SoftBank").Counterparty("OpenAI")
          .Money("JPY").Approx(4.5e11, "約4,500億円").Span(20, 26).Build(),
  };
  ReconcileContext context;
  context.fx = &*fx;
  const std::vector<Conflict> conflicts = FindConflicts(claims, context);
  // One conflict per currency: dollars among themselves, yen among
  // themselves. Nothing pairs a dollar figure with a yen one.
  ASSERT_THAT(conflicts, SizeIs(2));
  const Conflict& usd = conflicts[0].claims.front().unit == "USD" ? conflicts[0] : conflicts[1];
  const Conflict& jpy = &usd == &conflicts[0] ? conflicts[1] : conflicts[0];
  EXPECT_THAT(usd.claim_ids, UnorderedElementsAre("usd1", "usd2"));
  EXPECT_THAT(jpy.claim_ids, UnorderedElementsAre("jpy", "own"));
  // Dollars: the yen figure of page 3 is shown converted; page 1's own
  // conversion of its $3 billion is not (it is the same amount).
  EXPECT_THAT(usd.explanation,
              HasSubstr("9,000億円 (Page 3, 2025-11-07) ≈ USD 6 billion at the rate of 2025-10-31"));
  EXPECT_THAT(usd.explanation, Not(HasSubstr("約4,500億円")));
  // Yen: $2 billion of page 2 is shown; page 1's $3 billion is skipped.
  EXPECT_THAT(jpy.explanation, HasSubstr("$2 billion (Page 2, 2025-11-06) ≈ JPY 300 billion"));
  EXPECT_THAT(jpy.explanation, Not(HasSubstr("$3 billion")));

  // Without a table the figure is still named, with no conversion.
  const std::vector<Conflict> plain = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(plain, SizeIs(2));
  const Conflict& plain_usd = plain[0].claims.front().unit == "USD" ? plain[0] : plain[1];
  EXPECT_THAT(plain_usd.explanation, HasSubstr("no JPY/USD rate in the FX table"));
}

TEST(FindConflictsTest, WithoutClaimCopiesOnlyIdsAreReturned) {
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("South Korea").Exact(260000, "26万枚").Build(),
      ClaimBuilder("b").Page(2, "2025-11-03").Subject("South Korea").Exact(200000, "20万枚").Build(),
  };
  ReconcileContext context;
  context.copy_claims = false;
  const std::vector<Conflict> lean = FindConflicts(claims, context);
  const std::vector<Conflict> full = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(lean, SizeIs(1));
  ASSERT_THAT(full, SizeIs(1));
  EXPECT_THAT(lean[0].claims, IsEmpty());
  EXPECT_EQ(lean[0].claim_ids, full[0].claim_ids);
  EXPECT_EQ(lean[0].id, full[0].id);
  EXPECT_EQ(lean[0].explanation, full[0].explanation);
  EXPECT_THAT(MemberIds(full[0]), ElementsAre("a", "b"));
}

// Everything a caller sees of a conflict, for comparing two results whole.
std::string Describe(const Conflict& conflict) {
  std::string text = conflict.id + "|" + conflict.conflict_class + "|" + conflict.severity + "|" +
                     conflict.subject + "|" + std::string(ClaimKindName(conflict.kind)) + "|" +
                     conflict.key + "|" + conflict.explanation + "|" +
                     conflict.preferred_claim_id + "|";
  for (const std::string& id : conflict.claim_ids) text += id + ",";
  for (const Claim& claim : conflict.claims) text += claim.id + "@" + claim.url + ",";
  return text;
}

std::vector<std::string> DescribeAll(const std::vector<Conflict>& conflicts) {
  std::vector<std::string> described;
  for (const Conflict& conflict : conflicts) described.push_back(Describe(conflict));
  return described;
}

// Random claims drawn from small sets of subjects, figures, dates and
// wordings, many of them repeated on other pages (as copies of one story
// are), some on pages known only by URL.
std::vector<Claim> RandomClaims(uint32_t seed) {
  std::mt19937 random(seed);
  const auto pick = [&random](const std::vector<std::string>& options) {
    return options[random() % options.size()];
  };
  const int count = 2 + static_cast<int>(random() % 40);
  const bool by_url = random() % 4 == 0;  // every page known by URL only
  std::vector<Claim> claims;
  for (int i = 0; i < count + static_cast<int>(random() % 60); ++i) {
    if (i >= count) {  // a copy of an earlier claim on another (or the same) page
      Claim copy = claims[random() % count];
      copy.id = "copy" + std::to_string(i);
      const int page = 1 + static_cast<int>(random() % 25);
      copy.page_id = by_url ? 0 : page;
      copy.url = "http://example.com/news/" + std::to_string(page) + ".html";
      claims.push_back(copy);
      continue;
    }
    const int page = 1 + static_cast<int>(random() % 25);
    ClaimBuilder builder("c" + std::to_string(i));
    builder.Page(page, pick({"2025-10-01", "2025-11-01", "", "2025-11-20"}));
    if (by_url) builder.Page(0, pick({"2025-10-01", "2025-11-01"})).Url(
        "http://example.com/news/" + std::to_string(page) + ".html");
    builder.Subject(pick({"South Korea", "Samsung Electronics", "Samsung Group", "NVIDIA"}));
    const double value = std::vector<double>{2000, 10000, 250000, 260000, 3e9}[random() % 5];
    switch (random() % 5) {
      case 0: builder.Exact(value, pick({"26万枚", "260,000", "2,000基"})); break;
      case 1: builder.Approx(value, "約1万基"); break;
      case 2: builder.AtLeast(value, "25万基以上"); break;
      case 3: builder.UpTo(value, "up to 260,000"); break;
      default: builder.Range(value * 0.9, value * 1.1, "2,000-3,000"); break;
    }
    switch (random() % 4) {
      case 0: builder.Money(pick({"USD", "JPY"})).Counterparty(pick({"", "OpenAI"})); break;
      case 1: builder.Rule(pick({"ja.gpu_count.supply", "en.gpu_count.deploy", "test.gpu_count"}));
              break;
      default: break;
    }
    builder.Product(pick({"", "", "H100"}));
    builder.Quote(pick({"", "as a first step", "年間"}) + " " + std::to_string(value));
    builder.Status(static_cast<ClaimStatus>(random() % 5));
    if (random() % 3 == 0) {
      ClaimTime time;
      time.relation = random() % 2 == 0 ? TimeRelation::kBy : TimeRelation::kDuring;
      time.range = {pick({"2026-01-01", "2027-01-01"}), pick({"2026-12-31", "2027-12-31"})};
      builder.Time(time);
    }
    claims.push_back(builder.Build());
  }
  return claims;
}

TEST(FindConflictsTest, ComparingBySignatureFindsWhatComparingEveryPairFinds) {
  ReconcileContext grouped;
  grouped.part_of.parent = {{"Samsung Electronics", "Samsung Group"},
                            {"Samsung Group", "South Korea"}};
  grouped.pages[3].copy_of = 2;
  grouped.pages[3].copy_of_url = "http://example.com/news/2.html";
  grouped.pages[5].site_name = "PR Wire";
  ReconcileContext exhaustive = grouped;
  exhaustive.exhaustive_pairs = true;
  int with_conflicts = 0;
  for (uint32_t seed = 0; seed < 400; ++seed) {
    const std::vector<Claim> claims = RandomClaims(seed);
    const std::vector<Conflict> expected = FindConflicts(claims, exhaustive);
    with_conflicts += expected.empty() ? 0 : 1;
    ASSERT_EQ(DescribeAll(FindConflicts(claims, grouped)), DescribeAll(expected))
        << "seed " << seed;
  }
  EXPECT_GT(with_conflicts, 200);  // the comparison is not vacuous
}

TEST(FindConflictsTest, AStoryCopiedByThousandsOfPagesIsOneConflictCountingEveryPage) {
  // 2,000 pages give 26万枚 and 1,000 others 20万枚: one contradiction with
  // every page, the figure of more independent pages preferred.
  std::vector<Claim> claims;
  for (int page = 1; page <= 3000; ++page) {
    ClaimBuilder builder("p" + std::to_string(page));
    builder.Page(page, "2025-11-01").Subject("South Korea");
    if (page <= 2000) {
      builder.Exact(260000, "26万枚");
    } else {
      builder.Exact(200000, "20万枚");
    }
    claims.push_back(builder.Build());
  }
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_EQ(conflicts[0].conflict_class, "contradiction");
  EXPECT_THAT(conflicts[0].claim_ids, SizeIs(3000));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("Preferred: 26万枚"));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("stated by the most independent pages (2000;"));
}

TEST(FindConflictsTest, FiguresEqualUpToRoundingErrorShareTheirSupport) {
  // 1000 and 1000.0000000001 are the same figure (Near): two pages for it
  // against one for 2000.
  const std::vector<Claim> claims = {
      ClaimBuilder("a").Page(1, "2025-11-01").Subject("NVIDIA").Exact(1000, "1,000").Build(),
      ClaimBuilder("b").Page(2, "2025-11-01").Subject("NVIDIA")
          .Exact(1000.0000000001, "1,000").Build(),
      ClaimBuilder("c").Page(3, "2025-11-01").Subject("NVIDIA").Exact(2000, "2,000").Build(),
  };
  const std::vector<Conflict> conflicts = FindConflicts(claims, PartOfLinks{});
  ASSERT_THAT(conflicts, SizeIs(1));
  EXPECT_THAT(conflicts[0].explanation, HasSubstr("stated by the most independent pages (2;"));
  EXPECT_NE(conflicts[0].preferred_claim_id, "c");
}

TEST(FindSubjectConflictsTest, GivesEachSubjectItsShareOfFindConflicts) {
  ReconcileContext context;
  context.part_of.parent = {{"Samsung Electronics", "Samsung Group"},
                            {"Samsung Group", "South Korea"}};
  const std::map<std::string, std::vector<std::string>> below = SubjectsBelow(context.part_of);
  EXPECT_THAT(below.at("South Korea"),
              UnorderedElementsAre("Samsung Electronics", "Samsung Group"));
  EXPECT_THAT(below.at("Samsung Group"), ElementsAre("Samsung Electronics"));
  int compared = 0;
  for (uint32_t seed = 0; seed < 100; ++seed) {
    const std::vector<Claim> claims = RandomClaims(seed);
    const std::vector<Conflict> all = FindConflicts(claims, context);
    std::set<std::string> subjects;
    for (const Claim& claim : claims) subjects.insert(claim.subject);
    std::vector<Conflict> by_subject;
    for (const std::string& subject : subjects) {
      // As the database hands them over: measure and scope read, quote and
      // rule dropped.
      std::vector<ReconcileClaim> own;
      std::vector<ReconcileClaim> parts;
      for (const Claim& claim : claims) {
        ReconcileClaim lean{claim, MeasureOf(claim), ScopeOf(claim)};
        lean.claim.quote.clear();
        lean.claim.rule.clear();
        const std::vector<std::string>& subjects_below =
            below.count(subject) ? below.at(subject) : std::vector<std::string>{};
        if (claim.subject == subject) {
          own.push_back(lean);
        } else if (std::count(subjects_below.begin(), subjects_below.end(), claim.subject)) {
          parts.push_back(lean);
        }
      }
      ASSERT_TRUE(FindSubjectConflicts(subject, own, parts, context, [&](Conflict conflict) {
                    EXPECT_EQ(conflict.subject, subject);
                    by_subject.push_back(std::move(conflict));
                    return Status::Ok();
                  }).ok());
    }
    // The full claims are compared with the lean ones: drop the quotes and
    // rules that FindConflicts' copies carry.
    std::vector<Conflict> expected = all;
    for (Conflict& conflict : expected) {
      for (Claim& claim : conflict.claims) claim.quote.clear(), claim.rule.clear();
    }
    compared += static_cast<int>(expected.size());
    ASSERT_EQ(DescribeAll(by_subject), DescribeAll(expected)) << "seed " << seed;
  }
  EXPECT_GT(compared, 100);
}

TEST(FindSubjectConflictsTest, StopsAtTheSinksFirstError) {
  const auto nvidia = [](std::string id, int64_t page) {
    return std::move(ClaimBuilder(std::move(id)).Page(page, "2025-11-01").Subject("NVIDIA"));
  };
  const std::vector<ReconcileClaim> own = {
      {nvidia("a", 1).Exact(1000, "1,000").Build(), "", ""},
      {nvidia("b", 2).Exact(2000, "2,000").Build(), "", ""},
      {nvidia("c", 3).AtLeast(1500, "1,500+").Build(), "", ""},
  };
  int calls = 0;
  const Status status = FindSubjectConflicts("NVIDIA", own, {}, ReconcileContext{},
                                             [&calls](Conflict) {
                                               ++calls;
                                               return InternalError("disk full");
                                             });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "disk full");
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace newsclaim::store
