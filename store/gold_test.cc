#include "store/gold.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

const EvalRow& Row(const EvalReport& report, const std::string& kind) {
  for (const EvalRow& row : report.by_kind) {
    if (row.kind == kind) return row;
  }
  static const EvalRow kMissing;
  ADD_FAILURE() << "no row for " << kind;
  return kMissing;
}

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
  StatusOr<EvalReport> report = EvaluateAgainstGold(stored, {found, forbidden}, FixtureDir());
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
  EXPECT_EQ(EvaluateAgainstGold({}, SourceDir() / "tests/testdata/store").status().code(),
            StatusCode::kNotFound);
  std::string pattern = (std::filesystem::temp_directory_path() / "newsclaim-gold-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  std::ofstream(dir / "bad.jsonl") << "{\"url\": \"/a\", \"kind\": \"money\"}\n{not json\n";
  StatusOr<EvalReport> report = EvaluateAgainstGold({}, dir);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("bad.jsonl:2"));
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
  EXPECT_EQ(report->expected_found, static_cast<int>(report->expected.size()))
      << EvalReportToText(*report) << found;
  for (const ConflictCheck& check : report->expected) {
    EXPECT_TRUE(check.all_members) << check.description;
  }
  EXPECT_EQ(report->must_not_raise_violated, 0) << EvalReportToText(*report) << found;
}

}  // namespace
}  // namespace newsclaim::store
