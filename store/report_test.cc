#include "store/report.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/test_claims.h"

namespace newsclaim::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kScript[] = "<script>alert(1)</script>";

// A discrepancy whose page fields are hostile: a script in the title and
// quote, a javascript: URL, an attribute-breaking quote character.
Conflict HostileConflict() {
  Conflict conflict;
  conflict.id = "0123456789abcdef";
  conflict.conflict_class = "discrepancy";
  conflict.severity = "medium";
  conflict.subject = "South Korea";
  conflict.kind = ClaimKind::kGpuCount;
  conflict.key = "South Korea / gpu_count";
  conflict.explanation = "The bounds overlap but the figures differ.";
  conflict.preferred_claim_id = "good";
  conflict.claims = {
      ClaimBuilder("evil").Page(1, "2025-11-03").Subject("South Korea")
          .AtLeast(250000, "25万基以上").Url("javascript:alert(document.cookie)")
          .Title(std::string("Evil ") + kScript)
          .Quote(std::string("韓国は25万基以上 ") + kScript + " \"onmouseover=x").Build(),
      ClaimBuilder("good").Page(2, "2025-11-01").Subject("South Korea")
          .Exact(260000, "26万枚").Url("https://example.com/news/a?x=1&y=2")
          .Title("NVIDIA | Korea").Quote("NVIDIAは韓国に26万枚のGPUを供給する").Build(),
  };
  return conflict;
}

StoreStats SomeStats() {
  StoreStats stats;
  stats.pages = 2;
  stats.claims = 5;
  stats.conflicts = 1;
  stats.open_conflicts = 1;
  stats.conflicts_by_class["discrepancy"] = 1;
  return stats;
}

TEST(HtmlReportTest, EscapesEveryPageTextAndNeutralisesScriptUrls) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"javascript:")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&quot;onmouseover=x"));
  // The javascript: page is shown as text, not linked.
  EXPECT_THAT(html, HasSubstr("Evil &lt;script&gt;"));
  // The https page is linked, its & escaped in the attribute.
  EXPECT_THAT(html, HasSubstr("href=\"https://example.com/news/a?x=1&amp;y=2\""));
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
}

TEST(HtmlReportTest, ShowsClaimsSideBySideWithHighlightedFigureAndPreference) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("NVIDIAは韓国に<mark>26万枚</mark>のGPUを供給する"));
  EXPECT_THAT(html, HasSubstr("<div class=\"claim preferred\">"));
  EXPECT_THAT(html, HasSubstr("≥ 250,000"));
  EXPECT_THAT(html, HasSubstr("[255,000, 265,000]"));  // how the exact figure is read
  EXPECT_THAT(html, HasSubstr("2025-11-01"));
  EXPECT_THAT(html, HasSubstr(">South Korea</h2>"));
  EXPECT_THAT(html, HasSubstr("newsclaim review 0123456789abcdef"));
  EXPECT_THAT(html, HasSubstr("2 pages, 5 live claims"));
}

TEST(HtmlReportTest, DrawsARevisionTimeline) {
  Conflict revision;
  revision.id = "1111111111111111";
  revision.conflict_class = "revision";
  revision.severity = "low";
  revision.subject = "HIREZO";
  revision.key = "HIREZO / gpu_count";
  revision.preferred_claim_id = "new";
  revision.claims = {
      ClaimBuilder("old").Page(1, "2025-09-10").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build(),
      ClaimBuilder("new").Page(2, "2025-12-05").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2027-01-01", "2027-12-31"}, TimeRelation::kBy}).Build(),
  };
  const std::string html = RenderReport({revision}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<svg class=\"timeline\""));
  EXPECT_THAT(html, HasSubstr("3万基 by 2027-12-31"));
  EXPECT_THAT(html, HasSubstr("2025-09-10"));
}

TEST(HtmlReportTest, SaysSoWhenThereIsNothingToReview) {
  const std::string html = RenderReport({}, StoreStats{}, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("No conflicts"));
}

TEST(SafeLinkTest, AllowsOnlyHttpAndHttps) {
  struct Case {
    const char* url;
    bool safe;
  };
  const Case cases[] = {
      {"https://example.com/a", true},  {"HTTP://example.com", true},
      {"javascript:alert(1)", false},   {"JavaScript:alert(1)", false},
      {"data:text/html,<x>", false},    {"file:///etc/passwd", false},
      {"//example.com", false},         {"https://", false},
      {"https://a\n.com", false},       {"vbscript:x", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsSafeLinkUrl(c.url), c.safe) << c.url;
}

TEST(MarkdownReportTest, EscapesTableCellsAndRawHtml) {
  Conflict conflict = HostileConflict();
  conflict.claims[1].quote = "line one | two\nline three 26万枚";
  const std::string md = RenderReport({conflict}, SomeStats(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, Not(HasSubstr("<script")));
  EXPECT_THAT(md, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(md, HasSubstr("line one \\| two line three **26万枚**"));
  EXPECT_THAT(md, HasSubstr("[NVIDIA \\| Korea](https://example.com/news/a?x=1&y=2)"));
  EXPECT_THAT(md, Not(HasSubstr("](javascript:")));
  EXPECT_THAT(md, HasSubstr("### discrepancy (medium, open)"));
  EXPECT_THAT(md, HasSubstr("| ★ preferred |"));
  // Every table row stays on one line: each starts and ends with a pipe.
  std::istringstream lines(md);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] == '|') {
      EXPECT_EQ(line.back(), '|') << line;
    }
  }
}

TEST(MarkdownReportTest, LeavesParenthesesInProseReadable) {
  Conflict conflict = HostileConflict();
  conflict.explanation = "26万枚 (2025-11-01) → 25万基以上 (2025-11-03)";
  const std::string md = RenderReport({conflict}, SomeStats(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("26万枚 (2025-11-01) → 25万基以上 (2025-11-03)"));
  EXPECT_THAT(md, Not(HasSubstr("\\(")));
}

TEST(JsonReportTest, HasStatsAndContractConflicts) {
  const std::string text = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kJson);
  const nlohmann::json root = nlohmann::json::parse(text);
  EXPECT_EQ(root["stats"]["pages"], 2);
  EXPECT_EQ(root["stats"]["conflicts_by_class"]["discrepancy"], 1);
  ASSERT_EQ(root["conflicts"].size(), 1u);
  EXPECT_EQ(root["conflicts"][0]["class"], "discrepancy");
  EXPECT_EQ(root["conflicts"][0]["preferred"], "good");
  EXPECT_EQ(root["conflicts"][0]["claims"].size(), 2u);
}

}  // namespace
}  // namespace newsclaim::store
