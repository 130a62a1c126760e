#include "store/gold.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/claim_json.h"
#include "store/test_claims.h"

namespace newsclaim::store {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

std::filesystem::path SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path(NEWSCLAIM_SOURCE_DIR);
}

std::filesystem::path FixtureDir() { return SourceDir() / "tests/testdata/store/gold"; }

// A temporary folder, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "newsclaim-gold-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& contents) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << contents;
  }

 private:
  std::filesystem::path path_;
};

const EvalRow& Row(const EvalReport& report, const std::string& kind) {
  for (const EvalRow& row : report.by_kind) {
    if (row.kind == kind) return row;
  }
  static const EvalRow kMissing;
  ADD_FAILURE() << "no row for " << kind;
  return kMissing;
}

// Copies the fixture gold (tests/testdata/store/gold/*.jsonl) into
// `dir`/`subfolder` with `conflicts` as its conflicts.json.
void WriteFixtureGold(const TempDir& dir, const std::string& subfolder, const std::string& conflicts) {
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir())) {
    if (entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    dir.Write(subfolder + "/" + entry.path().filename().string(), buffer.str());
  }
  dir.Write(subfolder + "/conflicts.json", conflicts);
}

// Two planted conflicts and two forbidden pairs over the fixture gold; every
// reference names a fixture gold claim.
constexpr char kFixtureConflicts[] = R"({
  "expected": [
    {"class": "discrepancy", "subject": "South Korea", "kind": "gpu_count",
     "claims": [{"url": "/news/a.html", "text": "26万枚"}, {"url": "/news/b.html", "text": "25万基以上"}]},
    {"class": "revision", "subject": "Samsung Electronics", "kind": "gpu_count",
     "claims": [{"url": "/news/a.html", "text": "5万枚"}, {"url": "/news/b.html", "text": "25万基以上"}]}
  ],
  "must_not_raise": [
    {"claims": [{"url": "/news/a.html", "text": "26万枚"}, {"url": "/news/b.html", "text": "80%"}]},
    {"claims": [{"url": "/news/a.html", "text": "10月31日"}, {"url": "/news/b.html", "text": "25万基以上"}]}
  ]
})";

// Stored claims against tests/testdata/store/gold; the expected counts are
// worked out by hand next to each claim.
std::vector<Claim> StoredForFixture() {
  const std::string a = "http://127.0.0.1:8000/news/a.html";
  const std::string b = "http://127.0.0.1:8000/news/b.html";
  Claim date = ClaimBuilder("s3").Url(a).Build();
  date.kind = ClaimKind::kDate;
  date.interval = Interval{};
  date.text = "10月31日";
  date.time = ClaimTime{{"2025-10-31", "2025-10-31"}, TimeRelation::kOn};
  Claim quantity = ClaimBuilder("s6b").Url(b).Subject("NVIDIA").Exact(40000, "4万人").Build();
  quantity.kind = ClaimKind::kQuantity;
  quantity.unit = "人";
  return {
      // gpu_count TP, subject right.
      ClaimBuilder("s1").Url(a).Subject("South Korea").Exact(260000, "26万枚").Build(),
      // gpu_count TP by figure (other surface), subject wrong.
      ClaimBuilder("s2").Url(a).Subject("Hyundai Motor Group").Exact(50000, "5万基").Build(),
      date,  // date TP
      // gpu_count FP: transistors are not GPUs.
      ClaimBuilder("s4").Url(a).Subject("").Exact(20.8e9, "208億個").Build(),
      // (the 最大77億円 money claim is missed: money FN)
      ClaimBuilder("s5").Url(b).Subject("South Korea").AtLeast(250000, "25万基以上").Build(),
      // percentage TP, matched through a file path with a query string.
      ClaimBuilder("s6").Url("file:///srv/site/news/b.html?utm=1").Subject("NVIDIA")
          .Percent(80, "80%").Build(),
      quantity,  // quantity FP
      // A page without gold: ignored.
      ClaimBuilder("s7").Url("http://127.0.0.1:8000/news/c.html").Subject("Japan")
          .Exact(1, "1基").Build(),
  };
}

TEST(EvaluateAgainstGoldTest, CountsPerKindAndOverall) {
  StatusOr<EvalReport> report = EvaluateAgainstGold(StoredForFixture(), FixtureDir());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->gold_files, 2);
  EXPECT_EQ(report->gold_claims, 6);
  EXPECT_EQ(report->stored_claims_scored, 7);
  EXPECT_EQ(report->stored_claims_ignored, 1);

  const EvalRow& gpu = Row(*report, "gpu_count");
  EXPECT_EQ(gpu.tp, 3);
  EXPECT_EQ(gpu.fp, 1);
  EXPECT_EQ(gpu.fn, 0);
  EXPECT_DOUBLE_EQ(gpu.precision, 0.75);
  EXPECT_DOUBLE_EQ(gpu.recall, 1.0);
  EXPECT_NEAR(gpu.f1, 6.0 / 7.0, 1e-12);

  const EvalRow& money = Row(*report, "money");
  EXPECT_EQ(money.tp, 0);
  EXPECT_EQ(money.fn, 1);
  EXPECT_DOUBLE_EQ(money.f1, 0.0);
  EXPECT_EQ(Row(*report, "date").tp, 1);
  EXPECT_EQ(Row(*report, "percentage").tp, 1);
  EXPECT_EQ(Row(*report, "quantity").fp, 1);

  EXPECT_EQ(report->overall.tp, 5);
  EXPECT_EQ(report->overall.fp, 2);
  EXPECT_EQ(report->overall.fn, 1);
  EXPECT_NEAR(report->overall.precision, 5.0 / 7.0, 1e-12);
  EXPECT_NEAR(report->overall.recall, 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(report->overall.f1, 10.0 / 13.0, 1e-12);

  EXPECT_EQ(report->subject_matched, 5);
  EXPECT_EQ(report->subject_correct, 4);
  EXPECT_DOUBLE_EQ(report->subject_accuracy, 0.8);
  EXPECT_THAT(report->false_negatives, ::testing::ElementsAre("/news/a.html: money 最大77億円"));
  EXPECT_FALSE(report->conflicts_evaluated);
}

TEST(EvaluateAgainstGoldTest, PrefersTheSameSurfaceWhenTwoGoldClaimsShareAFigure) {
  // Gold has 26万枚 and (on the same page) nothing else at 260000; a stored
  // duplicate of the same figure is a false positive, not a second match.
  std::vector<Claim> stored = {
      ClaimBuilder("x").Url("http://h/news/a.html").Subject("South Korea").Exact(260000, "260,000").Build(),
      ClaimBuilder("y").Url("http://h/news/a.html").Subject("South Korea").Exact(260000, "26万枚").Build(),
  };
  StatusOr<EvalReport> report = EvaluateAgainstGold(stored, FixtureDir());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Row(*report, "gpu_count").tp, 1);
  EXPECT_EQ(Row(*report, "gpu_count").fp, 1);
  EXPECT_THAT(report->false_positives, ::testing::ElementsAre("/news/a.html: gpu_count 260,000"));
}

TEST(EvaluateAgainstGoldTest, ChecksPlantedAndForbiddenConflicts) {
  const std::vector<Claim> stored = StoredForFixture();
  Conflict found;
  found.id = "found";
  found.conflict_class = "discrepancy";
  found.claims = {stored[0], stored[4]};  // 26万枚 and 25万基以上
  Conflict forbidden;
  forbidden.id = "forbidden";
  forbidden.conflict_class = "attribution";
  forbidden.claims = {stored[0], stored[5]};  // 26万枚 and 80%
  TempDir dir;
  WriteFixtureGold(dir, "gold", kFixtureConflicts);
  StatusOr<EvalReport> report = EvaluateAgainstGold(stored, {found, forbidden}, dir.path() / "gold");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->conflicts_evaluated);
  ASSERT_THAT(report->expected, SizeIs(2));
  EXPECT_TRUE(report->expected[0].found);
  EXPECT_TRUE(report->expected[0].class_ok);
  EXPECT_TRUE(report->expected[0].all_members);
  EXPECT_EQ(report->expected[0].conflict_id, "found");
  EXPECT_FALSE(report->expected[1].found);
  EXPECT_EQ(report->expected_found, 1);
  ASSERT_THAT(report->must_not_raise, SizeIs(2));
  EXPECT_TRUE(report->must_not_raise[0].found);
  EXPECT_FALSE(report->must_not_raise[1].found);
  EXPECT_EQ(report->must_not_raise_violated, 1);

  const std::string text = EvalReportToText(*report);
  EXPECT_THAT(text, HasSubstr("1/2 expected found with the right class"));
  EXPECT_THAT(text, HasSubstr("1/2 must-not-raise violated"));
  EXPECT_THAT(text, HasSubstr("MISSED"));
  const nlohmann::json json = nlohmann::json::parse(EvalReportToJson(*report));
  EXPECT_EQ(json["overall"]["tp"], 5);
  EXPECT_EQ(json["conflicts"]["must_not_raise_violated"], 1);
}

TEST(EvaluateAgainstGoldTest, ReportsMissingAndMalformedGold) {
  TempDir empty;
  EXPECT_EQ(EvaluateAgainstGold({}, empty.path()).status().code(), StatusCode::kNotFound);
  TempDir dir;
  dir.Write("bad.jsonl", "{\"url\": \"/a\", \"kind\": \"money\"}\n{not json\n");
  StatusOr<EvalReport> report = EvaluateAgainstGold({}, dir.path());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("bad.jsonl:2"));
}

// ---- Field accuracies and the lists an engineer fixes from -------------------

constexpr char kPage[] = "/news/p.html";
constexpr char kStoredUrl[] = "http://127.0.0.1:8000/news/p.html";

// A gold line for kPage: an exact figure with every optional field null.
nlohmann::json GoldExact(const std::string& kind, const std::string& text, double value) {
  return {{"url", kPage},          {"kind", kind},         {"subject", nullptr},
          {"counterparty", nullptr}, {"product", nullptr},   {"value", value},
          {"low", value},          {"high", value},        {"low_inclusive", true},
          {"high_inclusive", true}, {"qualifier", "exact"}, {"unit", "GPU"},
          {"time", nullptr},       {"status", nullptr},    {"text", text}};
}

nlohmann::json TimeJson(const std::string& start, const std::string& end, const std::string& relation) {
  return {{"start", start}, {"end", end}, {"relation", relation}};
}

std::string JsonLines(const std::vector<nlohmann::json>& lines) {
  std::string text;
  for (const nlohmann::json& line : lines) text += line.dump() + "\n";
  return text;
}

// Scores `stored` against a one-page gold folder holding `gold`.
StatusOr<EvalReport> EvaluateOnePage(const std::vector<nlohmann::json>& gold,
                                     const std::vector<Claim>& stored) {
  TempDir dir;
  dir.Write("p.jsonl", JsonLines(gold));
  return EvaluateAgainstGold(stored, dir.path());
}

ClaimTime Deadline(const std::string& year) {
  return ClaimTime{{year + "-01-01", year + "-12-31"}, TimeRelation::kBy};
}

TEST(EvaluateAgainstGoldTest, TimeAgreesOnlyWhenStartEndAndRelationAllAgree) {
  struct Case {
    const char* name;
    std::optional<nlohmann::json> gold_time;
    std::optional<ClaimTime> stored_time;
    bool agrees;
  };
  const nlohmann::json by_2030 = TimeJson("2030-01-01", "2030-12-31", "by");
  const std::vector<Case> cases = {
      {"both null", std::nullopt, std::nullopt, true},
      {"same deadline", by_2030, Deadline("2030"), true},
      {"other relation", by_2030, ClaimTime{{"2030-01-01", "2030-12-31"}, TimeRelation::kDuring}, false},
      {"other end", by_2030, ClaimTime{{"2030-01-01", "2030-06-30"}, TimeRelation::kBy}, false},
      {"stored lost the time", by_2030, std::nullopt, false},
      {"stored invented a time", std::nullopt, ClaimTime{{"2025-01-01", "2025-12-31"}, TimeRelation::kAsOf},
       false},
  };
  std::vector<nlohmann::json> gold;
  std::vector<Claim> stored;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string text = std::to_string(i + 1) + "基";
    nlohmann::json line = GoldExact("gpu_count", text, static_cast<double>(i + 1));
    if (cases[i].gold_time) line["time"] = *cases[i].gold_time;
    gold.push_back(line);
    ClaimBuilder claim("c" + std::to_string(i));
    claim.Url(kStoredUrl).Exact(static_cast<double>(i + 1), text);
    if (cases[i].stored_time) claim.Time(*cases[i].stored_time);
    stored.push_back(claim.Build());
  }
  StatusOr<EvalReport> report = EvaluateOnePage(gold, stored);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->time_matched, 6);
  EXPECT_EQ(report->time_correct, 2);
  EXPECT_DOUBLE_EQ(report->time_accuracy, 2.0 / 6.0);
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string text = std::to_string(i + 1) + "基";
    const bool listed = std::any_of(report->wrong_time.begin(), report->wrong_time.end(),
                                    [&](const EvalMismatch& m) { return m.gold.text == text; });
    EXPECT_EQ(listed, !cases[i].agrees) << cases[i].name;
  }
}

TEST(EvaluateAgainstGoldTest, TimeAccuracyCountsOnlyMatchedNonDateClaims) {
  nlohmann::json deadline = GoldExact("gpu_count", "3万基", 30000);
  deadline["time"] = TimeJson("2030-01-01", "2030-12-31", "by");
  nlohmann::json date = GoldExact("date", "2030年", 0);
  for (const char* field : {"value", "low", "high", "unit"}) date[field] = nullptr;
  date["time"] = TimeJson("2030-01-01", "2030-12-31", "on");
  nlohmann::json missed = GoldExact("gpu_count", "1万基", 10000);
  missed["time"] = TimeJson("2027-01-01", "2027-12-31", "by");

  Claim stored_date = ClaimBuilder("d").Url(kStoredUrl).Build();
  stored_date.kind = ClaimKind::kDate;
  stored_date.interval = Interval{};
  stored_date.text = "2030年";
  // The date's own relation differs from the gold's: dates are scored by
  // their day range only and never enter time accuracy.
  stored_date.time = Deadline("2030");
  const std::vector<Claim> stored = {
      ClaimBuilder("g").Url(kStoredUrl).Exact(30000, "3万基").Time(Deadline("2030")).Build(),
      stored_date,
      // A false positive with a wrong time is not a matched pair either.
      ClaimBuilder("fp").Url(kStoredUrl).Exact(99, "99基").Time(Deadline("2099")).Build(),
  };
  StatusOr<EvalReport> report = EvaluateOnePage({deadline, date, missed}, stored);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->overall.tp, 2);
  EXPECT_EQ(report->time_matched, 1);
  EXPECT_EQ(report->time_correct, 1);
  EXPECT_DOUBLE_EQ(report->time_accuracy, 1.0);
  EXPECT_THAT(report->wrong_time, SizeIs(0));
  EXPECT_THAT(EvalReportToText(*report),
              HasSubstr("time accuracy on matched non-date claims: 1.000 (1/1)"));
}

TEST(EvaluateAgainstGoldTest, CounterpartyStatusAndProductCountOnlyPairsThatNameThem) {
  nlohmann::json named = GoldExact("gpu_count", "26万枚", 260000);
  named["counterparty"] = "NVIDIA";
  named["status"] = "planned";
  named["product"] = "Blackwell";
  const nlohmann::json bare = GoldExact("gpu_count", "5万枚", 50000);
  const nlohmann::json plain = GoldExact("gpu_count", "6万枚", 60000);
  const std::vector<Claim> stored = {
      // Counterparty right, status wrong, product lost.
      ClaimBuilder("a").Url(kStoredUrl).Exact(260000, "26万枚").Counterparty("NVIDIA")
          .Status(ClaimStatus::kDelivered).Build(),
      // Gold names none of them: only the invented product is scored.
      ClaimBuilder("b").Url(kStoredUrl).Exact(50000, "5万枚").Counterparty("SK Group")
          .Status(ClaimStatus::kPlanned).Product("H100").Build(),
      // Neither side names anything: scored for none of the three.
      ClaimBuilder("c").Url(kStoredUrl).Exact(60000, "6万枚").Build(),
  };
  StatusOr<EvalReport> report = EvaluateOnePage({named, bare, plain}, stored);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->counterparty_matched, 1);
  EXPECT_EQ(report->counterparty_correct, 1);
  EXPECT_DOUBLE_EQ(report->counterparty_accuracy, 1.0);
  EXPECT_EQ(report->status_matched, 1);
  EXPECT_EQ(report->status_correct, 0);
  EXPECT_EQ(report->product_matched, 2);
  EXPECT_EQ(report->product_correct, 0);
  ASSERT_THAT(report->wrong_status, SizeIs(1));
  EXPECT_EQ(report->wrong_status[0].expected, "planned");
  EXPECT_EQ(report->wrong_status[0].got, "delivered");
  EXPECT_THAT(report->wrong_product, SizeIs(2));
  const std::string text = EvalReportToText(*report);
  EXPECT_THAT(text, HasSubstr("status: got delivered, gold planned"));
  EXPECT_THAT(text, HasSubstr("product: got (none), gold Blackwell"));
  EXPECT_THAT(text, HasSubstr("product: got H100, gold (none)"));
}

TEST(EvaluateAgainstGoldTest, WrongSubjectIsListedWithBothNames) {
  StatusOr<EvalReport> report = EvaluateAgainstGold(StoredForFixture(), FixtureDir());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_THAT(report->wrong_subject, SizeIs(1));
  const EvalMismatch& wrong = report->wrong_subject[0];
  EXPECT_EQ(wrong.expected, "Samsung Electronics");
  EXPECT_EQ(wrong.got, "Hyundai Motor Group");
  EXPECT_EQ(wrong.gold.text, "5万枚");
  EXPECT_EQ(wrong.stored.text, "5万基");
  EXPECT_EQ(wrong.stored.claim_id, "s2");
  EXPECT_THAT(EvalReportToText(*report),
              HasSubstr("Wrong subject (1)\n  /news/a.html\n    gpu_count  5万枚  50000  subject: got "
                        "Hyundai Motor Group, gold Samsung Electronics  [test.gpu_count]\n"));
}

TEST(EvaluateAgainstGoldTest, WrongTimeIsListedWithBothTimes) {
  nlohmann::json gold = GoldExact("gpu_count", "3万基", 30000);
  gold["time"] = TimeJson("2030-01-01", "2030-12-31", "by");
  StatusOr<EvalReport> report = EvaluateOnePage(
      {gold}, {ClaimBuilder("g").Url(kStoredUrl).Exact(30000, "3万基").Time(Deadline("2027")).Build()});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_THAT(report->wrong_time, SizeIs(1));
  EXPECT_THAT(EvalReportToText(*report),
              HasSubstr("Wrong time (1)\n  /news/p.html\n    gpu_count  3万基  30000  time: got by "
                        "2027-01-01..2027-12-31, gold by 2030-01-01..2030-12-31"));
}

TEST(EvaluateAgainstGoldTest, TextListsMissesAndFalsePositivesByPageAfterTheTable) {
  StatusOr<EvalReport> report = EvaluateAgainstGold(StoredForFixture(), FixtureDir());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const std::string text = EvalReportToText(*report);
  EXPECT_THAT(text, HasSubstr("Missed (1)\n  /news/a.html\n    money  最大77億円  ≤ 7700000000  "
                              "subject HIREZO  -- blank line above is allowed\n"));
  EXPECT_THAT(text, HasSubstr("False positives (2)\n"
                              "  /news/a.html\n    gpu_count  208億個  20800000000  [test.gpu_count]\n"
                              "  /news/b.html\n    quantity  4万人  40000  subject NVIDIA  "
                              "[test.gpu_count]\n"));
  // The table first, then the sections in a fixed order.
  const std::vector<std::string> order = {"kind ",          "all ",           "Missed (",
                                          "False positives (", "Wrong kind (",    "Wrong subject (",
                                          "Wrong time (",    "Wrong counterparty (", "Wrong status (",
                                          "Wrong product ("};
  size_t previous = 0;
  for (const std::string& heading : order) {
    const size_t at = text.find(heading);
    ASSERT_NE(at, std::string::npos) << heading;
    EXPECT_GE(at, previous) << heading << " is out of order:\n" << text;
    previous = at;
  }
}

TEST(EvaluateAgainstGoldTest, ListsGroupEntriesUnderOnePageHeadingEach) {
  TempDir dir;
  nlohmann::json q1 = GoldExact("money", "1億円", 1e8);
  q1["url"] = "/news/q.html";
  dir.Write("p.jsonl", JsonLines({GoldExact("gpu_count", "1基", 1), GoldExact("gpu_count", "2基", 2)}));
  dir.Write("q.jsonl", JsonLines({q1}));
  StatusOr<EvalReport> report = EvaluateAgainstGold({}, dir.path());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_THAT(EvalReportToText(*report),
              HasSubstr("Missed (3)\n  /news/p.html\n    gpu_count  1基  1\n    gpu_count  2基  2\n"
                        "  /news/q.html\n    money  1億円  100000000\n"));
}

TEST(EvaluateAgainstGoldTest, MissedFiguresShowTheirBounds) {
  struct Case {
    const char* text;
    nlohmann::json value, low, high, low_inclusive, high_inclusive;
    const char* expected;
  };
  const nlohmann::json null;
  const std::vector<Case> cases = {
      {"26万枚", 260000, 260000, 260000, true, true, "260000"},
      {"約30億ドル", 3e9, 3e9, 3e9, true, true, "3000000000"},
      {"25万基以上", 250000, 250000, null, true, null, "≥ 250000"},
      {"more than 50,000 GPUs", 50000, 50000, null, false, null, "> 50000"},
      {"最大77億円", null, null, 7.7e9, null, true, "≤ 7700000000"},
      {"78億ドルから105億ドル", null, 7.8e9, 1.05e10, true, true, "[7800000000, 10500000000]"},
      {"1万人未満", null, null, 10000, null, false, "< 10000"},
  };
  for (const Case& c : cases) {
    nlohmann::json gold = GoldExact("money", c.text, 0);
    gold["value"] = c.value;
    gold["low"] = c.low;
    gold["high"] = c.high;
    gold["low_inclusive"] = c.low_inclusive;
    gold["high_inclusive"] = c.high_inclusive;
    StatusOr<EvalReport> report = EvaluateOnePage({gold}, {});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_THAT(EvalReportToText(*report),
                HasSubstr(std::string("    money  ") + c.text + "  " + c.expected + "\n"))
        << c.text;
  }
}

TEST(EvaluateAgainstGoldTest, SameSurfaceAndFigureWithAnotherKindIsListedOnceAsWrongKind) {
  nlohmann::json gold = GoldExact("quantity", "208億個", 20.8e9);
  gold["unit"] = "個";
  StatusOr<EvalReport> report =
      EvaluateOnePage({gold}, {ClaimBuilder("t").Url(kStoredUrl).Exact(20.8e9, "208億個").Build()});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Still one miss and one false positive in the scores...
  EXPECT_EQ(Row(*report, "quantity").fn, 1);
  EXPECT_EQ(Row(*report, "gpu_count").fp, 1);
  EXPECT_THAT(report->false_negatives, ::testing::ElementsAre("/news/p.html: quantity 208億個"));
  EXPECT_THAT(report->false_positives, ::testing::ElementsAre("/news/p.html: gpu_count 208億個"));
  // ...but listed once, as a pair.
  EXPECT_THAT(report->missed, SizeIs(0));
  EXPECT_THAT(report->false_positive_claims, SizeIs(0));
  ASSERT_THAT(report->wrong_kind, SizeIs(1));
  EXPECT_EQ(report->wrong_kind[0].expected, "quantity");
  EXPECT_EQ(report->wrong_kind[0].got, "gpu_count");
  EXPECT_EQ(report->wrong_kind[0].stored.claim_id, "t");
  const std::string text = EvalReportToText(*report);
  EXPECT_THAT(text, HasSubstr("Missed (0)\n"));
  EXPECT_THAT(text, HasSubstr("Wrong kind (1)\n  /news/p.html\n    208億個  20800000000  "
                              "kind: got gpu_count, gold quantity"));
}

TEST(EvaluateAgainstGoldTest, AnotherKindPairsOnlyOnTheSameSurfaceAndFigure) {
  struct Case {
    const char* stored_text;
    double stored_value;
    bool paired;
  };
  const std::vector<Case> cases = {
      {"208億個", 20.8e9, true},
      {"208億", 20.8e9, false},   // other surface
      {"208億個", 20.0e9, false},  // other figure
  };
  for (const Case& c : cases) {
    StatusOr<EvalReport> report =
        EvaluateOnePage({GoldExact("quantity", "208億個", 20.8e9)},
                        {ClaimBuilder("t").Url(kStoredUrl).Exact(c.stored_value, c.stored_text).Build()});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->wrong_kind.size(), c.paired ? 1u : 0u) << c.stored_text << " " << c.stored_value;
    EXPECT_EQ(report->missed.size(), c.paired ? 0u : 1u) << c.stored_text << " " << c.stored_value;
    EXPECT_EQ(report->false_positive_claims.size(), c.paired ? 0u : 1u)
        << c.stored_text << " " << c.stored_value;
  }
}

TEST(EvaluateAgainstGoldTest, ASurfaceStatedForTwoSubjectsPairsWithTheSameSubject) {
  nlohmann::json samsung = GoldExact("gpu_count", "5万枚", 50000);
  samsung["subject"] = "Samsung Electronics";
  nlohmann::json hyundai = samsung;
  hyundai["subject"] = "Hyundai Motor Group";
  // Stored in the other order than the gold: first-fit would cross them.
  StatusOr<EvalReport> report = EvaluateOnePage(
      {samsung, hyundai},
      {ClaimBuilder("h").Url(kStoredUrl).Subject("Hyundai Motor Group").Exact(50000, "5万枚").Build(),
       ClaimBuilder("s").Url(kStoredUrl).Subject("Samsung Electronics").Exact(50000, "5万枚").Build()});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->overall.tp, 2);
  EXPECT_EQ(report->subject_correct, 2);
  EXPECT_THAT(report->wrong_subject, SizeIs(0));
}

TEST(EvaluateAgainstGoldTest, MaxListCutsEveryListAndSaysHowManyMore) {
  const std::vector<nlohmann::json> gold = {GoldExact("gpu_count", "1基", 1),
                                            GoldExact("gpu_count", "2基", 2),
                                            GoldExact("gpu_count", "3基", 3)};
  StatusOr<EvalReport> report = EvaluateOnePage(gold, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const std::string all = EvalReportToText(*report);
  EXPECT_THAT(all, HasSubstr("    gpu_count  3基  3\n"));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("more\n")));

  const std::string one = EvalReportToText(*report, EvalRenderOptions{1});
  EXPECT_THAT(one, HasSubstr("Missed (3)\n  /news/p.html\n    gpu_count  1基  1\n  ... and 2 more\n"));
  EXPECT_THAT(one, ::testing::Not(HasSubstr("2基")));
  const std::string none = EvalReportToText(*report, EvalRenderOptions{0});
  EXPECT_THAT(none, HasSubstr("Missed (3)\n  ... and 3 more\n"));

  const nlohmann::json json = nlohmann::json::parse(EvalReportToJson(*report, EvalRenderOptions{1}));
  EXPECT_THAT(json["missed"], SizeIs(1));
  EXPECT_EQ(json["list_counts"]["missed"], 3);
  EXPECT_THAT(json["false_negatives"], SizeIs(3));  // the old flat list is never cut
}

TEST(EvaluateAgainstGoldTest, JsonCarriesTheListsAsObjectsAndKeepsTheOldKeys) {
  StatusOr<EvalReport> report = EvaluateAgainstGold(StoredForFixture(), FixtureDir());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const nlohmann::json json = nlohmann::json::parse(EvalReportToJson(*report));
  for (const char* key : {"by_kind", "overall", "gold_files", "gold_claims", "stored_claims_scored",
                          "stored_claims_ignored", "subject_accuracy", "subject_matched",
                          "subject_correct", "false_positives", "false_negatives"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_EQ(json["time_matched"], 4);  // s1, s2, s5, s6: every non-date match
  EXPECT_EQ(json["time_correct"], 4);
  EXPECT_EQ(json["status_matched"], 3);  // gold 26万枚, 5万枚 and 25万基以上 say planned
  EXPECT_EQ(json["status_correct"], 0);
  EXPECT_EQ(json["product_matched"], 1);  // gold 26万枚 names Blackwell

  ASSERT_THAT(json["missed"], SizeIs(1));
  const nlohmann::json& miss = json["missed"][0];
  EXPECT_EQ(miss["url"], "/news/a.html");
  EXPECT_EQ(miss["kind"], "money");
  EXPECT_EQ(miss["text"], "最大77億円");
  EXPECT_TRUE(miss["value"].is_null());
  EXPECT_TRUE(miss["low"].is_null());
  EXPECT_EQ(miss["high"], 7700000000);
  EXPECT_EQ(miss["note"], "blank line above is allowed");

  ASSERT_THAT(json["false_positive_claims"], SizeIs(2));
  EXPECT_EQ(json["false_positive_claims"][0]["claim_id"], "s4");
  EXPECT_EQ(json["false_positive_claims"][0]["value"], 20800000000);
  EXPECT_EQ(json["false_positive_claims"][0]["rule"], "test.gpu_count");

  ASSERT_THAT(json["wrong_subject"], SizeIs(1));
  const nlohmann::json& wrong = json["wrong_subject"][0];
  EXPECT_EQ(wrong["field"], "subject");
  EXPECT_EQ(wrong["expected"], "Samsung Electronics");
  EXPECT_EQ(wrong["got"], "Hyundai Motor Group");
  EXPECT_EQ(wrong["text"], "5万枚");
  EXPECT_EQ(wrong["stored"]["text"], "5万基");
  EXPECT_EQ(json["list_counts"]["wrong_status"], 3);
}

TEST(ResolveGoldDirTest, FindsTheGoldInTheFolderOrItsGoldSubfolder) {
  struct Case {
    const char* name;
    std::vector<std::string> files;  // created under the temp folder
    const char* argument;            // relative to the temp folder
    std::optional<std::string> expected;  // relative to the temp folder; nullopt: NotFound
  };
  const std::vector<Case> cases = {
      {"the gold folder itself", {"a.jsonl"}, "", ""},
      {"a corpus folder", {"README.md", "gold/a.jsonl", "gold/conflicts.json"}, "", "gold"},
      {"the folder's own files win", {"a.jsonl", "gold/b.jsonl"}, "", ""},
      {"no jsonl anywhere", {"gold/notes.txt"}, "", std::nullopt},
      {"a missing folder", {}, "nope", std::nullopt},
  };
  for (const Case& c : cases) {
    TempDir dir;
    for (const std::string& file : c.files) dir.Write(file, "");
    const std::filesystem::path argument = std::string(c.argument).empty() ? dir.path() : dir.path() / c.argument;
    StatusOr<std::filesystem::path> resolved = ResolveGoldDir(argument);
    if (!c.expected) {
      ASSERT_FALSE(resolved.ok()) << c.name;
      EXPECT_EQ(resolved.status().code(), StatusCode::kNotFound) << c.name;
      continue;
    }
    ASSERT_TRUE(resolved.ok()) << c.name << ": " << resolved.status().ToString();
    const std::filesystem::path expected = c.expected->empty() ? dir.path() : dir.path() / *c.expected;
    EXPECT_EQ(*resolved, expected) << c.name;
  }
}

TEST(EvaluateAgainstGoldTest, EvalAcceptsCorpusDirWithGoldSubfolder) {
  // tests/testdata/store is laid out like corpus/: the gold is in gold/.
  const std::vector<Claim> stored = StoredForFixture();
  StatusOr<EvalReport> via_corpus = EvaluateAgainstGold(stored, SourceDir() / "tests/testdata/store");
  ASSERT_TRUE(via_corpus.ok()) << via_corpus.status().ToString();
  StatusOr<EvalReport> via_gold = EvaluateAgainstGold(stored, FixtureDir());
  ASSERT_TRUE(via_gold.ok()) << via_gold.status().ToString();
  EXPECT_EQ(std::filesystem::path(via_corpus->gold_dir).filename(), "gold");
  EXPECT_EQ(via_corpus->gold_files, via_gold->gold_files);
  EXPECT_EQ(via_corpus->overall.tp, via_gold->overall.tp);
  EXPECT_EQ(via_corpus->overall.fn, via_gold->overall.fn);
  // conflicts.json is read from the resolved folder too.
  TempDir corpus;
  WriteFixtureGold(corpus, "gold", kFixtureConflicts);
  StatusOr<EvalReport> with_conflicts = EvaluateAgainstGold(stored, std::vector<Conflict>{}, corpus.path());
  ASSERT_TRUE(with_conflicts.ok()) << with_conflicts.status().ToString();
  EXPECT_EQ(std::filesystem::path(with_conflicts->gold_dir).filename(), "gold");
  EXPECT_TRUE(with_conflicts->conflicts_evaluated);
  EXPECT_THAT(with_conflicts->expected, SizeIs(2));
}

// ---- Conflict references: gold claim first, then the stored claim it matched --

constexpr char kPageA[] = "/news/a.html";
constexpr char kPageB[] = "/news/b.html";
constexpr char kHost[] = "http://127.0.0.1:8000";

// A gpu_count gold line: a point figure (low = high = value) or, with
// `at_least`, a lower bound `value` (exclusive when `more_than`).
nlohmann::json GoldGpus(const std::string& url, const std::string& text, double value,
                        const std::string& subject, bool at_least = false, bool more_than = false) {
  return {{"url", url},
          {"kind", "gpu_count"},
          {"subject", subject.empty() ? nlohmann::json(nullptr) : nlohmann::json(subject)},
          {"value", value},
          {"low", value},
          {"high", at_least ? nlohmann::json(nullptr) : nlohmann::json(value)},
          {"low_inclusive", !more_than},
          {"high_inclusive", at_least ? nlohmann::json(nullptr) : nlohmann::json(true)},
          {"time", nullptr},
          {"text", text}};
}

nlohmann::json Ref(const std::string& url, const std::string& text, const std::string& subject = "") {
  nlohmann::json ref = {{"url", url}, {"text", text}};
  if (!subject.empty()) ref["subject"] = subject;
  return ref;
}

// conflicts.json with one list holding one entry of `refs` (with `conflict_class`
// for "expected", "allowed_classes" for "tolerated").
std::string ConflictsWith(const std::string& list, const std::vector<nlohmann::json>& refs,
                          const std::string& conflict_class = "discrepancy") {
  nlohmann::json entry = {{"claims", refs}};
  if (list == "expected") entry["class"] = conflict_class;
  if (list == "tolerated") entry["allowed_classes"] = {conflict_class};
  return nlohmann::json{{list, {entry}}}.dump();
}

Conflict ConflictOf(std::string id, std::string conflict_class, std::vector<Claim> claims) {
  Conflict conflict;
  conflict.id = std::move(id);
  conflict.conflict_class = std::move(conflict_class);
  conflict.claims = std::move(claims);
  return conflict;
}

// Scores `stored` and `conflicts` against a gold folder holding `gold` (one
// file) and `conflicts_json`.
StatusOr<EvalReport> EvaluateConflicts(const std::vector<nlohmann::json>& gold,
                                       const std::string& conflicts_json,
                                       const std::vector<Claim>& stored,
                                       const std::vector<Conflict>& conflicts) {
  TempDir dir;
  dir.Write("gold.jsonl", JsonLines(gold));
  dir.Write("conflicts.json", conflicts_json);
  return EvaluateAgainstGold(stored, conflicts, dir.path());
}

TEST(EvaluateAgainstGoldTest, MustNotRaiseIsViolatedWhenStoredSurfaceDiffersFromGoldText) {
  // The extractor stored "more than 23,000" where the gold text is "more than
  // 23,000 GB300s"; the figure matches, so the pair is the gold's pair.
  const std::vector<nlohmann::json> gold = {
      GoldGpus(kPageA, "about 200,000 NVIDIA GB300 GPUs", 200000, "Microsoft"),
      GoldGpus(kPageB, "more than 23,000 GB300s", 23000, "Humain", /*at_least=*/true, /*more_than=*/true)};
  const Claim big = ClaimBuilder("big").Url(std::string(kHost) + kPageA).Subject("Microsoft")
                        .Approx(200000, "about 200,000 NVIDIA GB300 GPUs").Build();
  const Claim bound = ClaimBuilder("bound").Url(std::string(kHost) + kPageB).Subject("Humain")
                          .MoreThan(23000, "more than 23,000").Build();
  StatusOr<EvalReport> report = EvaluateConflicts(
      gold,
      ConflictsWith("must_not_raise", {Ref(kPageA, "about 200,000 NVIDIA GB300 GPUs"),
                                       Ref(kPageB, "more than 23,000 GB300s")}),
      {big, bound}, {ConflictOf("c1", "discrepancy", {big, bound})});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->overall.tp, 2) << "both stored claims match their gold claims";
  ASSERT_THAT(report->must_not_raise, SizeIs(1));
  EXPECT_TRUE(report->must_not_raise[0].found);
  EXPECT_TRUE(report->must_not_raise[0].all_members);
  EXPECT_EQ(report->must_not_raise[0].conflict_id, "c1");
  EXPECT_EQ(report->must_not_raise[0].found_class, "discrepancy");
  EXPECT_EQ(report->must_not_raise_violated, 1);
  EXPECT_THAT(EvalReportToText(*report),
              HasSubstr("RAISED  must not raise: about 200,000 NVIDIA GB300 GPUs @ /news/a.html; "
                        "more than 23,000 GB300s @ /news/b.html (conflict c1, discrepancy)"));
}

TEST(EvaluateAgainstGoldTest, ExpectedConflictIsFoundThroughMatchedClaims) {
  const std::vector<nlohmann::json> gold = {
      GoldGpus(kPageA, "26万枚", 260000, "South Korea"),
      GoldGpus(kPageB, "25万基以上", 250000, "South Korea", /*at_least=*/true)};
  // Neither stored surface is the gold text.
  const Claim exact = ClaimBuilder("exact").Url(std::string(kHost) + kPageA).Subject("South Korea")
                          .Exact(260000, "26万").Build();
  const Claim lower = ClaimBuilder("lower").Url(std::string(kHost) + kPageB).Subject("South Korea")
                          .AtLeast(250000, "25万基").Build();
  StatusOr<EvalReport> report = EvaluateConflicts(
      gold,
      ConflictsWith("expected", {Ref(kPageA, "26万枚"), Ref(kPageB, "25万基以上")}, "discrepancy"),
      {exact, lower}, {ConflictOf("c1", "discrepancy", {exact, lower})});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_THAT(report->expected, SizeIs(1));
  EXPECT_TRUE(report->expected[0].found);
  EXPECT_TRUE(report->expected[0].all_members);
  EXPECT_TRUE(report->expected[0].class_ok);
  EXPECT_EQ(report->expected[0].conflict_id, "c1");
  EXPECT_EQ(report->expected[0].expected_class, "discrepancy");
  EXPECT_EQ(report->expected_found, 1);
}

TEST(EvaluateAgainstGoldTest, ASubjectInAReferencePicksTheGoldClaimOfThatSubject) {
  // 5万枚 is stated for Samsung and for Hyundai on one page; the forbidden
  // pair is Samsung's part against the total. A conflict between Hyundai's
  // part and the total is a different pair.
  const std::vector<nlohmann::json> gold = {
      GoldGpus(kPageA, "5万枚", 50000, "Samsung Electronics"),
      GoldGpus(kPageA, "5万枚", 50000, "Hyundai Motor Group"),
      GoldGpus(kPageA, "26万枚", 260000, "South Korea")};
  const std::string url = std::string(kHost) + kPageA;
  const Claim samsung = ClaimBuilder("samsung").Url(url).Subject("Samsung Electronics").Exact(50000, "5万枚").Build();
  const Claim hyundai = ClaimBuilder("hyundai").Url(url).Subject("Hyundai Motor Group").Exact(50000, "5万枚").Build();
  const Claim total = ClaimBuilder("total").Url(url).Subject("South Korea").Exact(260000, "26万枚").Build();
  const std::string conflicts_json = ConflictsWith(
      "must_not_raise", {Ref(kPageA, "5万枚", "Samsung Electronics"), Ref(kPageA, "26万枚")});
  struct Case {
    const char* name;
    Claim part;
    bool violated;
  };
  for (const Case& c : {Case{"Samsung's part raised", samsung, true},
                        Case{"Hyundai's part raised", hyundai, false}}) {
    SCOPED_TRACE(c.name);
    StatusOr<EvalReport> report = EvaluateConflicts(gold, conflicts_json, {samsung, hyundai, total},
                                                    {ConflictOf("c1", "contradiction", {c.part, total})});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_THAT(report->must_not_raise, SizeIs(1));
    EXPECT_EQ(report->must_not_raise[0].found, c.violated);
    EXPECT_EQ(report->must_not_raise_violated, c.violated ? 1 : 0);
  }
}

TEST(EvaluateAgainstGoldTest, OnlyAnUnmatchedGoldClaimFallsBackToTheExactSurface) {
  const std::vector<nlohmann::json> gold = {
      GoldGpus(kPageA, "26万枚", 260000, "South Korea"),
      GoldGpus(kPageB, "25万基以上", 250000, "South Korea", /*at_least=*/true)};
  const std::string url_a = std::string(kHost) + kPageA;
  const Claim lower = ClaimBuilder("lower").Url(std::string(kHost) + kPageB).Subject("South Korea")
                          .AtLeast(250000, "25万基以上").Build();
  // Stored with the gold surface but a wrong figure: no match.
  const Claim misread = ClaimBuilder("misread").Url(url_a).Subject("South Korea").Exact(26000, "26万枚").Build();
  const Claim right = ClaimBuilder("right").Url(url_a).Subject("South Korea").Exact(260000, "26万").Build();
  const std::string conflicts_json =
      ConflictsWith("expected", {Ref(kPageA, "26万枚"), Ref(kPageB, "25万基以上")});
  struct Case {
    const char* name;
    std::vector<Claim> stored;
    bool found;
  };
  for (const Case& c : {
           // 26万枚 is unmatched: the misread claim stands for it by its surface.
           Case{"gold claim unmatched", {misread, lower}, true},
           // 26万枚 matched "26万": a misread claim with its surface is not it.
           Case{"gold claim matched to another claim", {misread, right, lower}, false},
       }) {
    SCOPED_TRACE(c.name);
    StatusOr<EvalReport> report =
        EvaluateConflicts(gold, conflicts_json, c.stored, {ConflictOf("c1", "discrepancy", {misread, lower})});
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_THAT(report->expected, SizeIs(1));
    EXPECT_EQ(report->expected[0].found, c.found);
  }
}

TEST(EvaluateAgainstGoldTest, AReferenceToAnAbsentGoldClaimIsAnError) {
  const std::vector<nlohmann::json> gold = {
      GoldGpus(kPageA, "26万枚", 260000, "South Korea"),
      GoldGpus(kPageB, "25万基以上", 250000, "South Korea", /*at_least=*/true)};
  struct Case {
    const char* name;
    std::string list;
    nlohmann::json bad_ref;
    std::string message;
  };
  const Case cases[] = {
      {"text not in the gold", "must_not_raise", Ref(kPageB, "6万枚"),
       "conflicts.json: must_not_raise entry 1: no gold claim /news/b.html 6万枚"},
      {"text on another page", "expected", Ref(kPageB, "26万枚"),
       "conflicts.json: expected entry 1: no gold claim /news/b.html 26万枚"},
      {"page without gold", "tolerated", Ref("/news/c.html", "26万枚"),
       "conflicts.json: tolerated entry 1: no gold claim /news/c.html 26万枚"},
      {"subject not the gold's", "must_not_raise", Ref(kPageA, "26万枚", "Japan"),
       "conflicts.json: must_not_raise entry 1: no gold claim /news/a.html 26万枚 (subject Japan)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<EvalReport> report =
        EvaluateConflicts(gold, ConflictsWith(c.list, {Ref(kPageA, "26万枚"), c.bad_ref}), {}, {});
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(report.status().message(), HasSubstr(c.message));
  }
  // The second entry of a list is numbered 2.
  nlohmann::json two = nlohmann::json::parse(ConflictsWith("must_not_raise", {Ref(kPageA, "26万枚")}));
  two["must_not_raise"].push_back({{"claims", {Ref(kPageA, "26万枚"), Ref(kPageA, "5万枚")}}});
  StatusOr<EvalReport> report = EvaluateConflicts(gold, two.dump(), {}, {});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(),
              HasSubstr("must_not_raise entry 2: no gold claim /news/a.html 5万枚"));
}

// ---- The corpus: every planted conflict found, no must-not pair raised --------

// The sentence around `text` in a corpus page's HTML (UTF-8 pages only;
// other encodings give ""), as the extractor's quote would be.
std::string QuoteFromHtml(const std::string& html, const std::string& text) {
  // Only the body: the head's meta description repeats figures, truncated.
  const size_t body = html.find("<body");
  const size_t at = html.find(text, body == std::string::npos ? 0 : body);
  if (at == std::string::npos) return "";
  size_t begin = html.rfind('>', at);
  const size_t period = html.rfind("。", at);
  if (period != std::string::npos && (begin == std::string::npos || period > begin)) {
    begin = period + std::string_view("。").size() - 1;
  }
  size_t end = std::min(html.find('<', at), html.find("。", at));
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::string quote = html.substr(begin, end - begin);
  for (size_t p = quote.find("&#x27;"); p != std::string::npos; p = quote.find("&#x27;")) {
    quote.replace(p, 6, "'");
  }
  return quote;
}

std::string PublishedFromHtml(const std::string& html) {
  const std::string marker = "article:published_time\" content=\"";
  const size_t at = html.find(marker);
  return at == std::string::npos ? "" : html.substr(at + marker.size(), 10);
}

TEST(CorpusReconciliationTest, FindsEveryPlantedConflictAndNoForbiddenOne) {
  const std::filesystem::path corpus = SourceDir() / "corpus";
  if (!std::filesystem::exists(corpus / "gold/conflicts.json")) {
    GTEST_SKIP() << "corpus/gold/conflicts.json not found under " << corpus;
  }
  // The gold claims stand in for a perfect extractor, with the page fields
  // and quotes a crawl of corpus/site would give.
  std::vector<Claim> claims;
  int64_t page_id = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus / "gold")) {
    if (entry.path().extension() != ".jsonl") continue;
    ++page_id;
    std::ifstream in(entry.path());
    std::string line;
    int index = 0;
    std::string html;
    std::string published;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      nlohmann::json gold = nlohmann::json::parse(line);
      // Gold lines use null for unknown inclusivity; the claim JSON wants booleans.
      for (const char* field : {"low_inclusive", "high_inclusive"}) {
        if (gold[field].is_null()) gold[field] = true;
      }
      if (gold["unit"].is_null()) gold["unit"] = "";
      StatusOr<Claim> parsed = ClaimFromJson(gold.dump());
      ASSERT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.status().ToString();
      Claim claim = *parsed;
      if (html.empty()) {
        std::ifstream page(corpus / "site" / gold["url"].get<std::string>().substr(1));
        std::stringstream buffer;
        buffer << page.rdbuf();
        html = buffer.str();
        published = PublishedFromHtml(html);
      }
      claim.id = entry.path().stem().string() + ":" + std::to_string(index++);
      claim.page_id = page_id;
      claim.url = "http://127.0.0.1:8000" + gold["url"].get<std::string>();
      claim.published = published;
      claim.quote = QuoteFromHtml(html, claim.text);
      claims.push_back(std::move(claim));
    }
  }
  PartOfLinks part_of;
  for (const char* part : {"Samsung Electronics", "SK Group", "Hyundai Motor Group", "NAVER Cloud",
                           "Government of South Korea", "KT"}) {
    part_of.parent[part] = "South Korea";
  }
  part_of.parent["SB OpenAI Japan"] = "SoftBank Group";
  const std::vector<Conflict> conflicts = FindConflicts(claims, part_of);

  StatusOr<EvalReport> report = EvaluateAgainstGold(claims, conflicts, corpus / "gold");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::string found;
  for (const Conflict& conflict : conflicts) {
    found += conflict.conflict_class + ": " + conflict.key + "\n";
  }
  // The gold scored against itself is perfect: the matcher is sound.
  EXPECT_DOUBLE_EQ(report->overall.f1, 1.0);
  // ...and so is every field the eval compares on matched pairs.
  EXPECT_DOUBLE_EQ(report->subject_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(report->time_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(report->counterparty_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(report->status_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(report->product_accuracy, 1.0);
  EXPECT_GT(report->time_matched, 0);
  EXPECT_THAT(report->wrong_kind, SizeIs(0));
  EXPECT_THAT(report->missed, SizeIs(0));
  EXPECT_EQ(report->expected_found, static_cast<int>(report->expected.size()))
      << EvalReportToText(*report) << found;
  for (const ConflictCheck& check : report->expected) {
    EXPECT_TRUE(check.all_members) << check.description;
  }
  EXPECT_EQ(report->must_not_raise_violated, 0) << EvalReportToText(*report) << found;
}

}  // namespace
}  // namespace newsclaim::store
