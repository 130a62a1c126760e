#include "store/report.h"

#include <unistd.h>

#include <filesystem>
#include <set>
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
  conflict.explanation =
      "The bounds overlap but the figures differ for South Korea / gpu_count: 26万枚 "
      "(2025-11-01), 25万基以上 (2025-11-03). Preferred: 26万枚 from example.com, the most "
      "specific figure (an exact or approximate figure is preferred over a bound or range).";
  conflict.preferred_claim_id = "good";
  Claim evil = ClaimBuilder("evil").Page(1, "2025-11-03").Subject("South Korea")
                   .AtLeast(250000, "25万基以上").Url("javascript:alert(document.cookie)")
                   .Title(std::string("Evil ") + kScript)
                   .Quote(std::string("韓国は25万基以上 ") + kScript + " \"onmouseover=x").Build();
  evil.attribution = "<b>Bloomberg</b>";
  evil.hedges = {"と報じた"};
  conflict.claims = {
      evil,
      ClaimBuilder("good").Page(2, "2025-11-01").Subject("South Korea")
          .Exact(260000, "26万枚").Url("https://www.example.com/news/a?x=1&y=2")
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

ReviewSummaries ConfirmedByReviewer() {
  ReviewSummary review;
  review.verdict = "confirmed";
  review.preferred_claim_id = "good";
  review.note = "NVIDIA's release <says> 260,000";
  review.at = "2025-11-05T10:00:00Z";
  review.reviews = 2;
  return {{"0123456789abcdef", review}};
}

// ---- HTML ---------------------------------------------------------------------

TEST(HtmlReportTest, EscapesEveryPageTextAndNeutralisesScriptUrls) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"javascript:")));
  EXPECT_THAT(html, Not(HasSubstr("<b>Bloomberg")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&quot;onmouseover=x"));
  // The javascript: page is shown as text, not linked, and gets no quote link.
  EXPECT_THAT(html, HasSubstr("Evil &lt;script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("javascript:alert(document.cookie)#")));
  // The https page is linked, its & escaped in the attribute.
  EXPECT_THAT(html, HasSubstr("href=\"https://www.example.com/news/a?x=1&amp;y=2\""));
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
}

TEST(HtmlReportTest, ShowsClaimsSideBySideWithHighlightedFigureAndSources) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("NVIDIAは韓国に<mark>26万枚</mark>のGPUを供給する"));
  EXPECT_THAT(html, HasSubstr("<div class=\"claims\">"));
  EXPECT_THAT(html, HasSubstr("<div class=\"claim preferred\" id=\"claim-good\">"));
  EXPECT_THAT(html, HasSubstr("≥ 250,000"));
  EXPECT_THAT(html, HasSubstr("[255,000, 265,000]"));  // how the exact figure is read
  EXPECT_THAT(html, HasSubstr("published 2025-11-01"));
  EXPECT_THAT(html, HasSubstr("<strong>example.com</strong>"));  // the site
  EXPECT_THAT(html, HasSubstr("according to &lt;b&gt;Bloomberg&lt;/b&gt;; hedged: と報じた"));
  EXPECT_THAT(html, HasSubstr(">South Korea</h2>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge class\">discrepancy</span>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge medium\">medium</span>"));
  EXPECT_THAT(html, HasSubstr("newsclaim review 0123456789abcdef"));
  EXPECT_THAT(html, HasSubstr("2 pages, 5 live claims"));
}

TEST(HtmlReportTest, LinksEachQuoteToItsPlaceInThePage) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("href=\"https://www.example.com/news/a?x=1&amp;y=2#:~:text=NVIDIA%E3"));
}

TEST(HtmlReportTest, StatesThePreferredFigureAndWhySeparately) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<p class=\"preference\">Preferred: <strong>26万枚</strong> — from "
                              "example.com, the most specific figure"));
  // The explanation paragraph no longer repeats the preference.
  EXPECT_THAT(html, HasSubstr("25万基以上 (2025-11-03).</p>"));
  EXPECT_THAT(html, HasSubstr("Not reviewed yet."));
}

TEST(HtmlReportTest, ShowsTheLatestVerdictAndAReviewersPreference) {
  const std::string html = RenderReport({HostileConflict()}, SomeStats(), ConfirmedByReviewer(),
                                        ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("Reviewed: confirmed on 2025-11-05 (2 reviews), prefers claim good: "
                              "NVIDIA&#39;s release &lt;says&gt; 260,000"));
  EXPECT_THAT(html, HasSubstr("— chosen by the reviewer (confirmed on 2025-11-05)"));
}

TEST(HtmlReportTest, SaysWhenNewEvidenceReopenedAReviewedConflict) {
  ReviewSummaries reviews;
  reviews["0123456789abcdef"].reopened_from = "fedcba9876543210";
  reviews["0123456789abcdef"].reopened_verdict = "dismissed";
  const std::string html =
      RenderReport({HostileConflict()}, SomeStats(), reviews, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("Not reviewed yet. Reopened: new evidence joined conflict "
                              "fedcba9876543210 (dismissed before)."));
}

Conflict HirezoRevision() {
  Conflict revision;
  revision.id = "1111111111111111";
  revision.conflict_class = "revision";
  revision.severity = "low";
  revision.subject = "HIREZO";
  revision.key = "HIREZO / gpu_count <by>";
  revision.preferred_claim_id = "new";
  revision.explanation = "Restated over time. Preferred: the newer statement, 3万基 from x.";
  revision.claims = {
      ClaimBuilder("old").Page(1, "2025-09-10").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2030-01-01", "2030-12-31"}, TimeRelation::kBy}).Build(),
      ClaimBuilder("new").Page(2, "2025-12-05").Subject("HIREZO").Exact(30000, "3万基")
          .Time({{"2027-01-01", "2027-12-31"}, TimeRelation::kBy}).Build(),
  };
  return revision;
}

TEST(HtmlReportTest, DrawsARevisionTimelinePerSubject) {
  const std::string html =
      RenderReport({HirezoRevision(), HostileConflict()}, SomeStats(), ReportFormat::kHtml);
  // One timeline, in the HIREZO section only (South Korea has no revision).
  const size_t svg = html.find("<svg class=\"timeline\"");
  ASSERT_NE(svg, std::string::npos);
  EXPECT_EQ(html.find("<svg class=\"timeline\"", svg + 1), std::string::npos);
  EXPECT_LT(html.find(">HIREZO</h2>"), svg);
  EXPECT_GT(html.find(">South Korea</h2>"), svg);
  EXPECT_THAT(html, HasSubstr("3万基 by 2027-12-31"));
  EXPECT_THAT(html, HasSubstr("3万基 by 2030-12-31"));
  EXPECT_THAT(html, HasSubstr(">2025-09-10</text>"));
  EXPECT_THAT(html, HasSubstr(">2025-10</text>"));  // a month tick between the statements
  EXPECT_THAT(html, HasSubstr("HIREZO / gpu_count &lt;by&gt;"));
  EXPECT_THAT(html, HasSubstr("fill=\"#067647\""));  // the preferred statement
}

TEST(HtmlReportTest, SaysSoWhenThereIsNothingToReview) {
  const std::string html = RenderReport({}, StoreStats{}, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("No conflicts"));
}

// ---- helpers --------------------------------------------------------------------

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

TEST(TextFragmentUrlTest, PointsAtTheQuoteWithEncodedSyntaxCharacters) {
  const std::string long_english =
      "Microsoft signed a contract worth up to $19.4 billion with Nebius for dedicated GPU "
      "capacity in New Jersey, the largest of its neocloud deals so far this year.";
  const std::string long_japanese =
      "韓国政府は第1弾として約1万3000基のGPUを調達する計画で、調達したGPUは大学やスタートアップにも"
      "開放するほか、国内の研究機関や中小企業が使える共同利用の計算基盤として整備し、"
      "地方の拠点にも順次広げていく方針を示しており、電力の確保が今後の課題になるとみられている。";
  struct Case {
    std::string url;
    std::string quote;
    std::string expected;
  };
  const Case cases[] = {
      {"https://a.jp/x", "26万枚", "https://a.jp/x#:~:text=26%E4%B8%87%E6%9E%9A"},
      {"https://a.jp/x", "A-B, C&D", "https://a.jp/x#:~:text=A%2DB%2C%20C%26D"},
      {"https://a.jp/x#top", "ok", "https://a.jp/x#top:~:text=ok"},
      {"https://a.jp/x", "", "https://a.jp/x"},
      {"javascript:alert(1)", "x", ""},
      {"file:///tmp/a.html", "x", ""},
      {"https://e.com/n", long_english,
       "https://e.com/n#:~:text=Microsoft%20signed%20a%20contract%20worth%20up,"
       "neocloud%20deals%20so%20far%20this%20year."},
  };
  for (const Case& c : cases) EXPECT_EQ(TextFragmentUrl(c.url, c.quote), c.expected) << c.quote;
  // A long quote without spaces: its first and last 16 code points.
  const std::string japanese = TextFragmentUrl("https://a.jp/x", long_japanese);
  EXPECT_THAT(japanese, HasSubstr("#:~:text=%E9%9F%93"));  // 韓
  EXPECT_THAT(japanese, HasSubstr(",%E4%BB%8A%E5%BE%8C"));  // 今後, 16 code points from the end
  EXPECT_THAT(japanese, Not(HasSubstr("%E4%B8%AD%E5%B0%8F")));  // 中小, from the middle
}

TEST(SiteOfTest, GivesTheHostWithoutWwwOrPort) {
  const std::pair<const char*, const char*> cases[] = {
      {"https://www.nikkei.com/article/1", "nikkei.com"},
      {"http://127.0.0.1:8080/news/a.html", "127.0.0.1"},
      {"HTTPS://News.Example.COM?q=1", "news.example.com"},
      {"https://user:pw@host.jp/x", "host.jp"},
      {"file:///tmp/a.html", "local file"},
      {"not a url", ""},
  };
  for (const auto& [url, site] : cases) EXPECT_EQ(SiteOf(url), site) << url;
}

TEST(ExplanationTest, SeparatesThePreferenceAndReviewerSentences) {
  const std::pair<const char*, const char*> cases[] = {
      {"Figures differ: a, b. Preferred: a from x, the most specific figure.",
       "Figures differ: a, b."},
      {"Same figure, other actors. No preference: check the primary source.",
       "Same figure, other actors."},
      {"Figures differ. Preferred: a. The reviewer prefers claim b. Reviewer's note: why",
       "Figures differ."},
      {"Nothing to cut here.", "Nothing to cut here."},
  };
  for (const auto& [explanation, expected] : cases) {
    EXPECT_EQ(ExplanationWithoutPreference(explanation), expected) << explanation;
  }
}

TEST(PreferenceTest, GivesTheStoresReasonUntilAReviewerChooses) {
  Conflict conflict = HostileConflict();
  Preference store = PreferenceOf(conflict, nullptr);
  EXPECT_EQ(store.claim_id, "good");
  EXPECT_EQ(store.figure, "26万枚");
  EXPECT_FALSE(store.by_reviewer);
  EXPECT_THAT(store.reason, HasSubstr("from example.com, the most specific figure"));
  EXPECT_FALSE(store.reason.ends_with("."));

  // ListConflicts puts the reviewer's choice in preferred_claim_id.
  conflict.preferred_claim_id = "evil";
  conflict.explanation += " The reviewer prefers claim evil. Reviewer's note: bounds are safer";
  ReviewSummary review;
  review.verdict = "resolved";
  review.preferred_claim_id = "evil";
  review.note = "bounds are safer";
  review.at = "2025-11-06T00:00:00Z";
  Preference reviewer = PreferenceOf(conflict, &review);
  EXPECT_EQ(reviewer.claim_id, "evil");
  EXPECT_EQ(reviewer.figure, "25万基以上");
  EXPECT_TRUE(reviewer.by_reviewer);
  EXPECT_EQ(reviewer.reason, "chosen by the reviewer (resolved on 2025-11-06): bounds are safer");
}

TEST(PreferenceTest, SaysWhenThereIsNone) {
  Conflict conflict = HostileConflict();
  conflict.preferred_claim_id.clear();
  conflict.explanation = "Same figure, other actors. No preference: check the primary source.";
  Preference none = PreferenceOf(conflict, nullptr);
  EXPECT_TRUE(none.claim_id.empty());
  EXPECT_EQ(none.reason, "No preference: check the primary source");
  conflict.explanation = "Unusual wording.";
  EXPECT_THAT(PreferenceOf(conflict, nullptr).reason, HasSubstr("No preference"));
}

// ---- Markdown -------------------------------------------------------------------

TEST(MarkdownReportTest, EscapesTableCellsAndRawHtml) {
  Conflict conflict = HostileConflict();
  conflict.claims[1].quote = "line one | two\nline three 26万枚";
  const std::string md = RenderReport({conflict}, SomeStats(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, Not(HasSubstr("<script")));
  EXPECT_THAT(md, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(md, HasSubstr("line one \\| two line three **26万枚**"));
  EXPECT_THAT(md, HasSubstr("[NVIDIA \\| Korea](https://www.example.com/news/a?x=1&y=2)"));
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

TEST(MarkdownReportTest, HasThePreferenceSourcesAndQuoteLinks) {
  const std::string md = RenderReport({HostileConflict()}, SomeStats(), ConfirmedByReviewer(),
                                      ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("**Preferred:** 26万枚 — chosen by the reviewer"));
  EXPECT_THAT(md, HasSubstr("Reviewed: confirmed on 2025-11-05"));
  EXPECT_THAT(md, HasSubstr("example.com: [NVIDIA \\| Korea]("));
  EXPECT_THAT(md, HasSubstr("[↗](https://www.example.com/news/a?x=1&y=2#:~:text=NVIDIA"));
  EXPECT_THAT(md, HasSubstr("(according to &lt;b&gt;Bloomberg&lt;/b&gt;; hedged: と報じた)"));
}

TEST(MarkdownReportTest, LeavesParenthesesInProseReadable) {
  Conflict conflict = HostileConflict();
  conflict.explanation = "26万枚 (2025-11-01) → 25万基以上 (2025-11-03)";
  const std::string md = RenderReport({conflict}, SomeStats(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("26万枚 (2025-11-01) → 25万基以上 (2025-11-03)"));
  EXPECT_THAT(md, Not(HasSubstr("\\(")));
}

// ---- JSON -----------------------------------------------------------------------

TEST(JsonReportTest, HasStatsSubjectsAndContractConflicts) {
  const std::string text =
      RenderReport({HirezoRevision(), HostileConflict()}, SomeStats(), ReportFormat::kJson);
  const nlohmann::json root = nlohmann::json::parse(text);
  EXPECT_EQ(root["stats"]["pages"], 2);
  EXPECT_EQ(root["stats"]["conflicts_by_class"]["discrepancy"], 1);
  ASSERT_EQ(root["subjects"].size(), 2u);
  EXPECT_EQ(root["subjects"][0]["subject"], "HIREZO");
  EXPECT_EQ(root["subjects"][1]["conflicts"][0], "0123456789abcdef");
  ASSERT_EQ(root["conflicts"].size(), 2u);
  const nlohmann::json& conflict = root["conflicts"][1];
  EXPECT_EQ(conflict["class"], "discrepancy");
  EXPECT_EQ(conflict["preferred"], "good");
  EXPECT_EQ(conflict["preferred_by"], "store");
  EXPECT_THAT(conflict["preferred_reason"].get<std::string>(), HasSubstr("most specific"));
  EXPECT_TRUE(conflict["review"].is_null());
  EXPECT_EQ(conflict["claims"].size(), 2u);
  EXPECT_EQ(conflict["claims"][1]["site"], "example.com");
  EXPECT_TRUE(conflict["claims"][0]["quote_url"].is_null());  // javascript: page
}

TEST(ReportStatsTest, CountsWarningsApartFromFailures) {
  StoreStats stats = SomeStats();
  stats.failures = 3;
  const std::string md = RenderReport({}, stats, ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("(0 superseded), 3 failures; 1 conflicts"));
  stats.warnings = 2;
  EXPECT_THAT(RenderReport({}, stats, ReportFormat::kMarkdown),
              HasSubstr("(0 superseded), 3 failures, 2 warnings; 1 conflicts"));
  const nlohmann::json root = nlohmann::json::parse(RenderReport({}, stats, ReportFormat::kJson));
  EXPECT_EQ(root["stats"]["failures"], 3);
  EXPECT_EQ(root["stats"]["warnings"], 2);
}

TEST(JsonReportTest, KeepsEveryContractFieldAndOnlyAddsOthers) {
  const std::set<std::string> conflict_fields = {"id", "class", "severity", "status", "subject",
                                                 "kind", "key", "explanation", "preferred",
                                                 "claims"};
  const std::set<std::string> claim_fields = {
      "id", "kind", "subject", "product", "value", "low", "high", "low_inclusive",
      "high_inclusive", "qualifier", "unit", "time", "status", "published", "url", "title",
      "lang", "text", "quote", "rule"};
  for (const std::string& text :
       {RenderReport({HostileConflict()}, SomeStats(), ConfirmedByReviewer(), ReportFormat::kJson),
        ConflictsJson({HostileConflict()}, ConfirmedByReviewer())}) {
    const nlohmann::json root = nlohmann::json::parse(text);
    for (const nlohmann::json& conflict : root["conflicts"]) {
      for (const std::string& field : conflict_fields) {
        EXPECT_TRUE(conflict.contains(field)) << field;
      }
      EXPECT_EQ(conflict["status"], "open");  // as the store listed it
      EXPECT_EQ(conflict["review"]["verdict"], "confirmed");
      EXPECT_EQ(conflict["review"]["prefer"], "good");
      EXPECT_EQ(conflict["review"]["reviews"], 2);
      EXPECT_EQ(conflict["preferred_by"], "reviewer");
      for (const nlohmann::json& claim : conflict["claims"]) {
        for (const std::string& field : claim_fields) EXPECT_TRUE(claim.contains(field)) << field;
      }
    }
  }
}

// ---- terminal tables ------------------------------------------------------------

TEST(DisplayWidthTest, CountsWideCharactersTwice) {
  const std::pair<const char*, int> cases[] = {
      {"abc", 3},      {"26万枚", 6},   {"ＧＰＵ", 6},  {"한국", 4},
      {"é", 1},        {"e\xcc\x81", 1}, {"…", 1},      {"", 0},
  };
  for (const auto& [text, width] : cases) EXPECT_EQ(DisplayWidth(text), width) << text;
}

TEST(FitToWidthTest, CutsOnCharacterBoundariesAndMarksTheCut) {
  struct Case {
    const char* text;
    int columns;
    const char* expected;
  };
  const Case cases[] = {
      {"abcdef", 6, "abcdef"}, {"abcdef", 4, "abc…"},  {"韓国政府", 5, "韓国…"},
      {"韓国政府", 4, "韓…"},   {"a\nb", 5, "a b"},     {"abc", 0, ""},
  };
  for (const Case& c : cases) EXPECT_EQ(FitToWidth(c.text, c.columns), c.expected) << c.text;
}

TEST(QuoteAroundTest, KeepsTheFigureVisibleWithinTheWidth) {
  const std::string quote =
      "韓国政府は、AI分野に官民で巨額を投じる計画を掲げており、NVIDIAから26万枚のGPUを"
      "確保する見通しとなったと、複数の関係者が明らかにした。";
  for (int columns : {12, 20, 30, 50}) {
    const std::string cut = QuoteAround(quote, "26万枚", columns);
    EXPECT_THAT(cut, HasSubstr("26万枚")) << columns;
    EXPECT_LE(DisplayWidth(cut), columns) << cut;
    EXPECT_TRUE(cut.starts_with("…")) << cut;
    EXPECT_TRUE(cut.ends_with("…")) << cut;
  }
  EXPECT_EQ(QuoteAround("short 26万枚", "26万枚", 40), "short 26万枚");
  EXPECT_EQ(QuoteAround("no figure here at all", "26万枚", 10), "no figure…");
}

TEST(ClaimsTableTest, AlignsColumnsAndTruncatesQuotesAroundTheFigure) {
  std::vector<Claim> claims = {
      ClaimBuilder("aaaaaaaaaaaaaaaa").Page(1, "2025-11-01").Subject("South Korea")
          .Exact(260000, "26万枚").Url("https://www.nikkei.com/a")
          .Quote(std::string(60, 'x') + " NVIDIAは韓国に26万枚のGPUを供給する " +
                 std::string(60, 'y'))
          .Build(),
      ClaimBuilder("bbbbbbbbbbbbbbbb").Page(2, "").Subject("サムスン電子")
          .AtLeast(50000, "5万基以上").Url("http://127.0.0.1:8000/b").Quote("短い引用5万基以上")
          .Status(ClaimStatus::kPlanned)
          .Time({{"2027-01-01", "2027-12-31"}, TimeRelation::kBy}).Build(),
  };
  const std::string table = ClaimsTable(claims, 130);
  std::istringstream in(table);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(lines[0].starts_with("ID"));
  EXPECT_EQ(lines[3], "2 claims");
  // The QUOTE column starts at the same display column on every row.
  const int quote_column = DisplayWidth(lines[0].substr(0, lines[0].find("QUOTE")));
  const std::string first_row_prefix =
      lines[1].substr(0, lines[1].find("…"));  // the quote starts with a cut mark
  EXPECT_EQ(DisplayWidth(first_row_prefix), quote_column);
  const std::string second_row_prefix = lines[2].substr(0, lines[2].find("短い"));
  EXPECT_EQ(DisplayWidth(second_row_prefix), quote_column);
  for (int i = 0; i < 3; ++i) EXPECT_LE(DisplayWidth(lines[i]), 130) << lines[i];
  // The long quote fills the line (but for a wide character that would not fit).
  EXPECT_GE(DisplayWidth(lines[1]), 129);
  EXPECT_THAT(lines[1], HasSubstr("26万枚のGPU"));
  EXPECT_THAT(lines[1], HasSubstr("nikkei.com"));
  EXPECT_THAT(lines[2], HasSubstr("by 2027-12-31"));
  EXPECT_THAT(lines[2], HasSubstr("planned"));
  EXPECT_THAT(lines[2], HasSubstr("127.0.0.1"));
}

TEST(ConflictsTableTest, ListsStatusAndTheLatestVerdict) {
  Conflict reviewed = HostileConflict();
  reviewed.status = "confirmed";
  const std::string table =
      ConflictsTable({HirezoRevision(), reviewed}, ConfirmedByReviewer(), 160);
  EXPECT_THAT(table, HasSubstr("0123456789abcdef  discrepancy (medium)  status: confirmed"));
  EXPECT_THAT(table, HasSubstr("latest verdict: confirmed on 2025-11-05 (2 reviews), prefers "
                               "claim good: NVIDIA's release <says> 260,000"));
  EXPECT_THAT(table, HasSubstr("1111111111111111  revision (low)  status: open"));
  EXPECT_THAT(table, HasSubstr("latest verdict: none (not reviewed)"));
  EXPECT_THAT(table, HasSubstr("* 26万枚"));
  EXPECT_THAT(table, HasSubstr("Preferred: 26万枚 — chosen by the reviewer"));
  EXPECT_THAT(table, HasSubstr("2 conflicts: 1 confirmed, 1 open"));
}

TEST(RefinementTest, FiltersByTheExtraFields) {
  const Claim claim = [] {
    Claim c = ClaimBuilder("c").Page(1, "2025-11-03").Subject("South Korea")
                  .Exact(260000, "26万枚").Url("https://news.nikkei.com/a").Title("Korea GPUs")
                  .Quote("NVIDIAは韓国に26万枚のGPUを供給する").Product("Blackwell")
                  .Counterparty("NVIDIA").Rule("ja.gpu_count.supply")
                  .Status(ClaimStatus::kAnnounced).Build();
    c.lang = "ja";
    return c;
  }();
  struct Case {
    const char* name;
    ClaimRefinement refinement;
    bool matches;
  };
  auto with = [](auto setter) {
    ClaimRefinement refinement;
    setter(refinement);
    return refinement;
  };
  const Case cases[] = {
      {"nothing set", {}, true},
      {"product, any case", with([](auto& r) { r.product = "blackwell"; }), true},
      {"other product", with([](auto& r) { r.product = "H200"; }), false},
      {"lang", with([](auto& r) { r.lang = "ja"; }), true},
      {"other lang", with([](auto& r) { r.lang = "en"; }), false},
      {"parent site", with([](auto& r) { r.site = "www.nikkei.com"; }), true},
      {"exact site", with([](auto& r) { r.site = "news.nikkei.com"; }), true},
      {"suffix that is not a domain", with([](auto& r) { r.site = "kei.com"; }), false},
      {"status", with([](auto& r) { r.status = "announced"; }), true},
      {"status none", with([](auto& r) { r.status = "none"; }), false},
      {"counterparty", with([](auto& r) { r.counterparty = "nvidia"; }), true},
      {"contains in quote", with([](auto& r) { r.contains = "供給"; }), true},
      {"contains in title, any case", with([](auto& r) { r.contains = "korea gpu"; }), true},
      {"contains nowhere", with([](auto& r) { r.contains = "Samsung"; }), false},
      {"rule prefix", with([](auto& r) { r.rule = "ja.gpu_count"; }), true},
      {"other rule prefix", with([](auto& r) { r.rule = "en."; }), false},
      {"published since", with([](auto& r) { r.published_since = "2025-11-03"; }), true},
      {"published since later", with([](auto& r) { r.published_since = "2025-11-04"; }), false},
      {"published until", with([](auto& r) { r.published_until = "2025-11-03"; }), true},
      {"published until earlier", with([](auto& r) { r.published_until = "2025-11-02"; }), false},
  };
  for (const Case& c : cases) EXPECT_EQ(MatchesRefinement(claim, c.refinement), c.matches) << c.name;
}

// ---- reading the database --------------------------------------------------------

class ReviewHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "newsclaim-report-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Two pages disagreeing about South Korea's GPU count, reconciled.
  Database KoreaDatabase() {
    StatusOr<Database> db = Database::Open(dir_ / "claims.db");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    Store(*db, "http://example.com/a", "2025-11-01",
          ClaimBuilder("a").Subject("South Korea").Exact(260000, "26万枚").Span(1, 5).Build());
    Store(*db, "http://example.com/b", "2025-11-03",
          ClaimBuilder("b").Subject("South Korea").AtLeast(250000, "25万基以上").Span(1, 7).Build());
    EXPECT_TRUE(db->Reconcile().ok());
    return std::move(db).value();
  }

  static void Store(Database& db, const std::string& url, const std::string& published,
                    const Claim& claim) {
    Page page;
    page.url = url;
    page.fetched_at = "2025-11-04T00:00:00Z";
    page.content_hash = "hash-" + url;
    Article article;
    article.title = url;
    article.published = published;
    article.lang = "ja";
    StatusOr<int64_t> id = db.UpsertPage(page, article);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ASSERT_TRUE(db.ReplaceClaims(*id, {claim}, "rules").ok());
  }

  std::filesystem::path dir_;
};

TEST_F(ReviewHistoryTest, ReadsTheLatestVerdictAndCountsReviews) {
  Database db = KoreaDatabase();
  StatusOr<std::vector<Conflict>> conflicts = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 1u);
  const std::string id = (*conflicts)[0].id;

  StatusOr<ReviewSummaries> none = LoadReviewSummaries(db.path());
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(db.RecordReview(id, "dismissed", "", "first look").ok());
  ASSERT_TRUE(db.RecordReview(id, "confirmed", "b", "the release says at least").ok());
  StatusOr<ReviewSummaries> reviews = LoadReviewSummaries(db.path());
  ASSERT_TRUE(reviews.ok()) << reviews.status().ToString();
  ASSERT_EQ(reviews->count(id), 1u);
  const ReviewSummary& review = reviews->at(id);
  EXPECT_EQ(review.verdict, "confirmed");
  EXPECT_EQ(review.preferred_claim_id, "b");
  EXPECT_EQ(review.note, "the release says at least");
  EXPECT_EQ(review.reviews, 2);
  EXPECT_TRUE(review.at.starts_with("20") && review.at.find('T') == 10) << review.at;
  EXPECT_TRUE(review.reopened_from.empty());
}

TEST_F(ReviewHistoryTest, ResolvesAliasesToCanonicalSubjects) {
  Database db = KoreaDatabase();
  ASSERT_TRUE(db.SyncGazetteer({{"South Korea", "country", "", {"韓国", "Korea", "ROK"}},
                                {"Samsung Electronics", "company", "South Korea",
                                 {"サムスン", "Samsung"}}})
                  .ok());
  const std::pair<const char*, const char*> cases[] = {
      {"South Korea", "South Korea"}, {"south korea", "South Korea"},
      {"韓国", "South Korea"},         {"rok", "South Korea"},
      {"サムスン", "Samsung Electronics"}, {"SAMSUNG", "Samsung Electronics"},
  };
  for (const auto& [name, canonical] : cases) {
    StatusOr<std::optional<std::string>> resolved = ResolveSubjectAlias(db.path(), name);
    ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
    ASSERT_TRUE(resolved->has_value()) << name;
    EXPECT_EQ(**resolved, canonical) << name;
  }
  StatusOr<std::optional<std::string>> unknown = ResolveSubjectAlias(db.path(), "Atlantis");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

}  // namespace
}  // namespace newsclaim::store
