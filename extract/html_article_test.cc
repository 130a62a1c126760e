// extract/html_article_test.cc
// Small inline pages; the real-page measurements are in html_benchmark_test.cc.
#include "extract/html_article.h"

#include <string>
#include <vector>

#include "base/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsclaim::extract {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kUrl[] = "https://news.example.com/world/story.html";

// Three paragraphs of prose, enough for the scorer to see an article.
const char kProse[] =
    "<p>The ministry said on Monday that it had signed an agreement to buy 26,000 GPUs, "
    "the largest purchase of its kind in the region so far.</p>"
    "<p>Officials declined to name the supplier, but said deliveries would begin next year, "
    "with the first systems running by the end of 2026.</p>"
    "<p>Analysts said the deal, worth about $1 billion, would double the country's public "
    "computing capacity, although costs could still rise.</p>";

std::string Page(const std::string& head, const std::string& body) {
  return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>";
}

TEST(ExtractArticleTest, DropsNavigationAdsCommentsAndRelatedLinks) {
  std::string html = Page(
      "<title>Story</title>",
      "<nav class=\"global-nav\"><ul><li><a href=\"/\">Home NAVTEXT</a></li>"
      "<li><a href=\"/world\">World</a></li></ul></nav>"
      "<div class=\"sidebar\"><p>SIDEBARTEXT: the most read stories of the day, ranked by "
      "readers, updated every hour.</p></div>"
      "<article><h1>Ministry buys GPUs</h1>" +
          std::string(kProse) +
          "<div class=\"ad-box\"><p>ADTEXT: buy our wonderful product today, with a discount of "
          "fifty percent, only this week.</p></div>"
          "<div class=\"share-bar\"><a href=\"https://twitter.com/x\">SHARETEXT Tweet</a></div>"
          "<ul class=\"related-articles\"><li><a href=\"/a\">RELATEDTEXT one, a long headline "
          "about something else</a></li><li><a href=\"/b\">Another long related headline "
          "here</a></li></ul>"
          "<div class=\"author-box\"><p>AUTHORBOXTEXT: Jane writes about chips, and has done "
          "so, for many years.</p></div>"
          "</article>"
          "<section id=\"comments\"><p>COMMENTTEXT: I disagree with this article, and here is "
          "why, in many words, at length.</p></section>"
          "<footer><p>FOOTERTEXT Copyright, all rights reserved, 2025, Example News.</p></footer>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_THAT(a.text, HasSubstr("signed an agreement to buy 26,000 GPUs"));
  EXPECT_THAT(a.text, HasSubstr("computing capacity, although costs could still rise."));
  for (const char* leak : {"NAVTEXT", "SIDEBARTEXT", "ADTEXT", "SHARETEXT", "RELATEDTEXT",
                           "AUTHORBOXTEXT", "COMMENTTEXT", "FOOTERTEXT"}) {
    EXPECT_THAT(a.text, Not(HasSubstr(leak))) << leak;
  }
}

TEST(ExtractArticleTest, KeepsBlocksInReadingOrderWithSeparators) {
  std::string html = Page(
      "", "<div class=\"article-body\">" + std::string(kProse) +
              "<h2>Details</h2><ul><li>First item</li><li>Second item</li></ul>"
              "<table><tr><th>Year</th><th>GPUs</th></tr><tr><td>2025</td><td>13,000</td></tr>"
              "</table><blockquote>We are very pleased, the minister said.</blockquote>"
              "<p>Line one<br>line two</p></div>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_THAT(a.text, HasSubstr("costs could still rise.\n\nDetails\n\nFirst item\nSecond item"
                                "\n\nYear\tGPUs\n2025\t13,000\n\nWe are very pleased, the "
                                "minister said.\n\nLine one\nline two"));
  EXPECT_TRUE(a.text.starts_with("The ministry said on Monday"));
  EXPECT_FALSE(a.text.ends_with("\n"));
}

TEST(ExtractArticleTest, CollapsesWhitespaceWithoutSpacingJapanese) {
  std::string html = Page(
      "", "<article><p>政府は<b>２６万枚</b>のGPUを\n  確保したと発表した。関係者によると、"
          "納入は来年から始まる。</p><p>  Two   spaced\n words, in <i>English</i> text, "
          "and more words here.  </p><p>価格は約１０兆円で、過去最大の規模となる。"
          "詳細は明らかにされていない。</p></article>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_THAT(a.text, HasSubstr("政府は２６万枚のGPUを確保したと発表した。"));
  EXPECT_THAT(a.text, HasSubstr("\n\nTwo spaced words, in English text, and more words here.\n\n"));
}

TEST(ExtractArticleTest, SkipsScriptsStylesAndHiddenElements) {
  std::string html = Page(
      "<style>.x{color:red}</style>",
      "<article>" + std::string(kProse) +
          "<script>var SCRIPTTEXT = 1;</script><noscript>NOSCRIPTTEXT</noscript>"
          "<p hidden>HIDDENATTR text that is hidden from readers.</p>"
          "<p style=\"display: none\">DISPLAYNONE text that is not shown.</p>"
          "<p aria-hidden=\"true\">ARIAHIDDEN text for screen readers.</p>"
          "<template><p>TEMPLATETEXT</p></template></article>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_THAT(a.text, HasSubstr("26,000 GPUs"));
  for (const char* leak : {"SCRIPTTEXT", "NOSCRIPTTEXT", "HIDDENATTR", "DISPLAYNONE",
                           "ARIAHIDDEN", "TEMPLATETEXT", "color:red"}) {
    EXPECT_THAT(a.text, Not(HasSubstr(leak))) << leak;
  }
}

TEST(ExtractArticleTest, ExcludesTheTitleHeadingFromText) {
  std::string html = Page("", "<article><h1>Ministry buys GPUs</h1>" + std::string(kProse) +
                                  "</article>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_EQ(a.title, "Ministry buys GPUs");
  EXPECT_TRUE(a.text.starts_with("The ministry said")) << a.text;
}

struct TitleCase {
  const char* head;
  const char* body;
  const char* expected;
};

TEST(ExtractArticleTest, ChoosesTitleInConfidenceOrder) {
  const TitleCase kCases[] = {
      {"<meta property=\"og:title\" content=\"OG title\"><title>Tag | Site</title>"
       "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"LD\"}"
       "</script>",
       "<h1>H1 title</h1>", "OG title"},
      {"<title>Tag | Site</title><script type=\"application/ld+json\">"
       "{\"@type\":\"NewsArticle\",\"headline\":\"LD headline\"}</script>",
       "<h1>H1 title</h1>", "LD headline"},
      {"<title>Tag title | Site</title>", "<h1>H1 title</h1>", "H1 title"},
      {"<title>GPU deal signed - Example News</title>", "", "GPU deal signed"},
      {"<meta property=\"og:site_name\" content=\"Example\"><title>Example | A long story "
       "headline</title>",
       "", "A long story headline"},
      {"<title>政府がGPU調達｜ニュースサイト</title>", "", "政府がGPU調達"},
      {"<meta property=\"og:site_name\" content=\"Example News\">"
       "<meta property=\"og:title\" content=\"Deal done | Example News\">",
       "", "Deal done"},
      // An <h1> that is the site's logo is not the title.
      {"<meta property=\"og:site_name\" content=\"Diary of Someone\">"
       "<title>Diary of Someone - The real entry title here</title>",
       "<h1>Diary of Someone</h1>", "The real entry title here"},
      // Japanese separators and a site name after a section name.
      {"<title>政府がGPUを調達 : 経済 : 日本新聞</title>"
       "<meta property=\"og:site_name\" content=\"日本新聞\">",
       "", "政府がGPUを調達 : 経済"},
      {"<title>記事の題名です － Publickey</title>", "", "記事の題名です"},
      // A site name that itself holds a separator, known from the logo link.
      {"<title>GPU調達の記事 - JVN iPedia - 脆弱性対策情報データベース</title>",
       "<a href=\"/\"><img src=\"logo.gif\" alt=\"JVN iPedia - 脆弱性対策情報データベース\">"
       "</a>",
       "GPU調達の記事"},
      // A bare identifier keeps its context.
      {"<title>JVNDB-2018-013542 - JVN iPedia</title>", "", "JVNDB-2018-013542 - JVN iPedia"},
      // A site name written without a separator: no part is guessed away.
      {"<meta property=\"og:site_name\" content=\"MOONGIFT\">"
       "<title>wasm-module - RustでDOMを扱う MOONGIFT</title>",
       "", "wasm-module - RustでDOMを扱う MOONGIFT"},
  };
  for (const TitleCase& c : kCases) {
    Article a = ExtractArticle(Page(c.head, std::string(c.body) + kProse), kUrl);
    EXPECT_EQ(a.title, c.expected) << c.head << c.body;
  }
}

TEST(ExtractArticleTest, PrefersTheHeadlineOnThePageThatOgTitleNames) {
  const TitleCase kCases[] = {
      // The page's headline adds a subtitle og:title dropped.
      {"<meta property=\"og:title\" content=\"Intel NUCで最新SSDを比較\">",
       "<h1>Intel NUCで最新SSDを比較：さらば平成（1/2 ページ）</h1>",
       "Intel NUCで最新SSDを比較：さらば平成（1/2 ページ）"},
      // og:title keeps a section and site name the headline does not have.
      {"<meta property=\"og:title\" content=\"バルセロナ、マンＵに先勝 : スポーツ : 読売\">",
       "<h1>バルセロナ、マンＵに先勝</h1>", "バルセロナ、マンＵに先勝"},
      // A social-media variant of the headline.
      {"<meta property=\"og:title\" content=\"新聞ストッカーは引越しにも使える！ 新聞も家具も固定\">",
       "<h1>新聞ストッカーは引越しにも使える！ 家具の固定も簡単</h1>",
       "新聞ストッカーは引越しにも使える！ 家具の固定も簡単"},
      // An <h2> headline with line breaks: they separate its phrases.
      {"<meta property=\"og:title\" content=\"NSF 2019「早期発見、早期対処」のセキュリティ\">",
       "<h1>イベント情報</h1><h2>NSF 2019<br>\n「早期発見、早期対処」のセキュリティ<br>\n"
       "～守りから攻めへ～</h2>",
       "NSF 2019 「早期発見、早期対処」のセキュリティ ～守りから攻めへ～"},
      // An og:title that is only the site's name names nothing.
      {"<meta property=\"og:site_name\" content=\"Example News\">"
       "<meta property=\"og:title\" content=\"Example News\">",
       "<h1>Ministry buys GPUs</h1>", "Ministry buys GPUs"},
  };
  for (const TitleCase& c : kCases) {
    Article a = ExtractArticle(Page(c.head, "<article>" + std::string(c.body) + kProse +
                                                "</article>"),
                               kUrl);
    EXPECT_EQ(a.title, c.expected) << c.head << c.body;
  }
}

TEST(ExtractArticleTest, IgnoresHeadingsAfterTheArticleAndDropsTheTitleHeading) {
  // A widget injected at the end of the page has an <h1>; the <title> wins.
  std::string widget = Page("<title>[News] 薄型キーボード6モデルを発売</title>",
                            "<div class=\"story\">" + std::string(kProse) +
                                "</div><div id=\"goog-gt-tt\"><h1>Original text</h1></div>");
  EXPECT_EQ(ExtractArticle(widget, kUrl).title, "[News] 薄型キーボード6モデルを発売");
  // A diary entry's <h3> is its headline and is not repeated in the text.
  std::string diary = Page("<title>Someone's diary - 改正法がプチ炎上した件について</title>",
                           "<h1>Someone's diary</h1><div class=\"entry\"><h3>■ "
                           "改正法がプチ炎上した件について</h3>" + std::string(kProse) + "</div>");
  Article a = ExtractArticle(diary, kUrl);
  EXPECT_EQ(a.title, "■ 改正法がプチ炎上した件について");
  EXPECT_TRUE(a.text.starts_with("The ministry said")) << a.text;
}

struct DateCase {
  const char* head;
  const char* body;
  const char* url;
  const char* expected;
};

TEST(ExtractArticleTest, ChoosesPublicationDateInConfidenceOrder) {
  const char* ld = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                   "\"datePublished\":\"2025-11-01T09:00:00+09:00\"}</script>";
  const char* meta = "<meta property=\"article:published_time\" content=\"2025-10-30\">";
  const char* time = "<time datetime=\"2025-10-29T08:00:00Z\">Oct 29</time>";
  const char* dated_url = "https://ex.com/2025/10/28/story/";
  const DateCase kCases[] = {
      {ld, time, dated_url, "2025-11-01T09:00:00+09:00"},
      {meta, time, dated_url, "2025-10-30"},
      {"", time, dated_url, "2025-10-29T08:00:00Z"},
      {"", "", dated_url, "2025-10-28"},
      {"", "<h1>Title</h1><p class=\"dateline\">2025年10月27日 10時00分</p>", kUrl,
       "2025-10-27"},
      {"", "<h1>Title</h1><div>By Jane Doe, October 26, 2025</div>", kUrl, "2025-10-26"},
      {"", "<h1>Title</h1><p>令和7年10月25日 16時05分</p>", kUrl, "2025-10-25"},
      // A dateline above a headline that has no heading markup.
      {"<title>サクサク軽い打ち心地のキーボードを発売</title>",
       "<table><tr><td>EL34-194</td></tr><tr><td>2025.10.24</td></tr></table>"
       "<p><b>サクサク軽い打ち心地のキーボードを発売</b></p>",
       kUrl, "2025-10-24"},
      // A labelled date anywhere on the page, then a modification date.
      {"", "<dl><dt>配信開始日</dt><dd>2025/10/23</dd></dl>", kUrl, "2025-10-23"},
      {"", "<div>最終更新日：2025/10/22</div>", kUrl, "2025-10-22"},
      {"", "", kUrl, ""},
  };
  for (const DateCase& c : kCases) {
    Article a = ExtractArticle(Page(c.head, std::string(c.body) + kProse), c.url);
    EXPECT_EQ(a.published, c.expected) << c.head << c.body;
  }
}

TEST(ExtractArticleTest, ReadsLocalTimeMislabelledAsUtcFromTheZonedValue) {
  std::string html = Page(
      "<meta property=\"article:published_time\" content=\"2019-04-19T20:00:00.000Z\">",
      "<article><time datetime=\"2019-04-19T20:00:00+09:00\">4月19日</time>" +
          std::string(kProse) + "</article>");
  EXPECT_EQ(ExtractArticle(html, kUrl).published, "2019-04-19T20:00:00+09:00");
  // A UTC value that matches no zoned one stays as it is.
  std::string plain = Page(
      "<meta property=\"article:published_time\" content=\"2019-04-19T20:00:00.000Z\">",
      "<article><time datetime=\"2019-04-19T21:00:00+09:00\">4月19日</time>" +
          std::string(kProse) + "</article>");
  EXPECT_EQ(ExtractArticle(plain, kUrl).published, "2019-04-19T20:00:00Z");
}

TEST(ExtractArticleTest, ReadsMarkdownFrontMatter) {
  std::string doc = "---\ntitle: \"GPU調達の記事\"\ndate: 2025-11-03T16:05:00+09:00\n---\n\n" +
                    std::string(kProse);
  Article a = ExtractArticle(doc, kUrl);
  EXPECT_EQ(a.title, "GPU調達の記事");
  EXPECT_EQ(a.published, "2025-11-03T16:05:00+09:00");
}

TEST(ExtractArticleTest, PrefersTimeElementInsideTheArticle) {
  std::string html = Page(
      "", "<div class=\"header\"><time datetime=\"2025-01-01\">today</time></div>"
          "<article><time datetime=\"2024-12-24\">Dec 24</time>" + std::string(kProse) +
          "</article>");
  EXPECT_EQ(ExtractArticle(html, kUrl).published, "2024-12-24");
}

TEST(ExtractArticleTest, ReadsJsonLdVariants) {
  struct Case {
    const char* json;
    const char* title;
    const char* author;
    const char* modified;
  };
  const Case kCases[] = {
      {R"({"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
          {"@type":"NewsArticle","headline":"Graph headline","author":{"@type":"Person",
          "name":"Jane Doe"},"dateModified":"2025-11-02"}]})",
       "Graph headline", "Jane Doe", "2025-11-02"},
      {R"([{"@type":"BreadcrumbList"},{"@type":["Article"],"headline":"Array headline",
          "author":[{"name":"A One"},{"name":"B Two"}]}])",
       "Array headline", "A One, B Two", ""},
      {R"({"@type":"BlogPosting","headline":"Broken", "author": )", "", "", ""},
      {"<!--\n{\"@type\":\"Article\",\"headline\":\"Commented\",\"author\":\"Kim\"}\n-->",
       "Commented", "Kim", ""},
  };
  for (const Case& c : kCases) {
    std::string html = Page("<script type=\"application/ld+json\">" + std::string(c.json) +
                                "</script>",
                            kProse);
    Article a = ExtractArticle(html, kUrl);
    EXPECT_EQ(a.title, c.title) << c.json;
    EXPECT_EQ(a.author, c.author) << c.json;
    EXPECT_EQ(a.modified, c.modified) << c.json;
  }
}

TEST(ExtractArticleTest, UsesJsonLdBodyWhenMarkupHasNoArticle) {
  std::string body(400, 'x');
  body = "The whole story is only in JSON-LD. " + std::string(300, 'y') + ".";
  std::string html = Page("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
                          "\"articleBody\":\"" + body + "\"}</script>",
                          "<div id=\"app\"></div>");
  EXPECT_EQ(ExtractArticle(html, kUrl).text, body);
}

TEST(ExtractArticleTest, UsesTheDescriptionWhenThePageHasNextToNoText) {
  const std::string summary =
      "阪南大学は3月4日、同学の専任教員が学生情報等を保存したUSBメモリを紛失したと発表した。";
  std::string html = Page("<meta property=\"og:description\" content=\"" + summary + "\">",
                          "<header class=\"arti-header\"><h1>USBメモリ紛失</h1><p>" + summary +
                              "</p></header><section class=\"relation\"><h2>カテゴリ別新着記事"
                              "</h2></section>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_EQ(a.text, summary);
  std::vector<int64_t> offsets;
  ExtractArticle(html, kUrl, &offsets);
  size_t code_points = 0;
  for (char c : summary) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EXPECT_EQ(offsets.size(), code_points);  // none traced to markup
  EXPECT_EQ(offsets.front(), -1);
}

TEST(ExtractArticleTest, TakesAnArticleSpreadOverLayoutTableCellsWhole) {
  // A lead in one table, a programme in another: the programme cell alone
  // scores best, but the block holding both tables is the article.
  std::string cell =
      "<td><div>【講演】15:00-15:40</div><div>本講演では、業務システムをレジリエンス工学の視点"
      "から捉え、システム障害への対応と同等以上に、サイバー攻撃への対策を行っておくことが、"
      "結果的に事故発生時の業務へのインパクトを最小化できることを示す。</div></td>";
  std::string html = Page(
      "", "<div id=\"nav\"><a href=\"/\">HOME</a></div><div id=\"seminar\">"
          "<table><tr><td><p>LEADTEXT 情報セキュリティ対策を予防、防御、検知、回復と分類すると、"
          "これまでは防御に重きをおいてきたのではないでしょうか。</p></td></tr></table>"
          "<table><tr><td>■ 日時：</td><td>2019年3月6日（水）13:00-16:40</td></tr></table>"
          "<table><tr>" + cell + "</tr><tr><td><div>【基調講演】13:15-14:45</div><div>一般に、"
          "情報システムの長期にわたる障害が業務に与える影響は広く理解されている。重要な業務"
          "システムでは、冗長化や保守運用体制の整備が行われてきた。</div></td></tr></table>"
          "</div>");
  Article a = ExtractArticle(html, kUrl);
  EXPECT_TRUE(a.text.starts_with("LEADTEXT")) << a.text;
  EXPECT_THAT(a.text, HasSubstr("2019年3月6日"));
  EXPECT_THAT(a.text, HasSubstr("【講演】"));
  EXPECT_THAT(a.text, Not(HasSubstr("HOME")));
}

TEST(ExtractArticleTest, AnAnchorWithoutHrefIsTextNotALink) {
  std::string html = Page(
      "", "<article><p><a name=\"overview\">概要</a></p>" + std::string(kProse) + "</article>");
  EXPECT_TRUE(ExtractArticle(html, kUrl).text.starts_with("概要")) << ExtractArticle(html, kUrl).text;
}

TEST(ExtractArticleTest, ReadsAuthorSiteNameAndCanonical) {
  std::string html = Page(
      "<meta property=\"og:site_name\" content=\"Example News\">"
      "<meta name=\"author\" content=\"Jane Doe\">"
      "<link rel=\"canonical\" href=\"/world/story-canonical.html?x=1#top\">",
      kProse);
  Article a = ExtractArticle(html, kUrl);
  EXPECT_EQ(a.site_name, "Example News");
  EXPECT_EQ(a.author, "Jane Doe");
  EXPECT_EQ(a.canonical_url, "https://news.example.com/world/story-canonical.html?x=1");
  std::string byline = Page("", "<article><p class=\"byline\">By Ann Lee</p>" +
                                    std::string(kProse) + "</article>");
  EXPECT_EQ(ExtractArticle(byline, kUrl).author, "By Ann Lee");
}

TEST(ExtractArticleTest, DetectsLanguage) {
  struct Case {
    const char* lang_attr;
    const char* text;
    const char* expected;
  };
  const Case kCases[] = {
      {"ja-JP", "English text only, but the page says Japanese.", "ja"},
      {"EN_us", "日本語のテキストです。", "en"},
      {"", "政府はGPUを確保したと発表した。関係者によると、納入は来年から始まる。", "ja"},
      {"", "정부는 GPU 26만 장을 확보했다고 발표했다. 납품은 내년부터 시작된다.", "ko"},
      {"", "政府宣布已确保二十六万块图形处理器，交付将于明年开始，规模为历史最大。", "zh"},
      {"", "The ministry said on Monday that it had signed an agreement.", "en"},
  };
  for (const Case& c : kCases) {
    std::string attr = *c.lang_attr ? std::string(" lang=\"") + c.lang_attr + "\"" : "";
    std::string html = "<html" + attr + "><body><article><p>" + c.text + "</p><p>" + c.text +
                       "</p></article></body></html>";
    EXPECT_EQ(ExtractArticle(html, kUrl).lang, c.expected) << c.text;
  }
}

TEST(ExtractArticleTest, ResolvesLinksAndFeeds) {
  std::string html = Page(
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\">"
      "<link rel=\"alternate\" type=\"text/html\" hreflang=\"ja\" href=\"/ja/\">",
      "<a href=\"b.html#c\">1</a><a href=\"b.html\">2</a><a href=\"//cdn.example.org/x\">3</a>"
      "<a href=\"mailto:a@b.c\">4</a><a href=\"#top\">5</a><a href=\"../up.html\">6</a>"
      "<a>no href</a>" + std::string(kProse));
  Article a = ExtractArticle(html, kUrl);
  EXPECT_EQ(a.links, (std::vector<std::string>{
                         "https://news.example.com/world/b.html",
                         "https://cdn.example.org/x",
                         "https://news.example.com/world/story.html",
                         "https://news.example.com/up.html",
                         "https://news.example.com/feed.xml"}));
  std::string based = Page("<base href=\"https://other.example/dir/\">",
                           "<a href=\"page.html\">x</a>");
  EXPECT_EQ(ExtractArticle(based, kUrl).links,
            (std::vector<std::string>{"https://other.example/dir/page.html"}));
}

TEST(ExtractArticleTest, KeepsTheFirstMaxPageLinksDistinctLinksAndItsFeeds) {
  // At the limit every link is kept; past it, the first kMaxPageLinks in
  // page order, and the page's feeds still follow them.
  for (const size_t count : {kMaxPageLinks, kMaxPageLinks + 1, 3 * kMaxPageLinks}) {
    std::string anchors;
    for (size_t i = 0; i < count; ++i) {
      anchors += "<a href=\"/p" + std::to_string(i) + "\">" + std::to_string(i) + "</a> ";
    }
    std::string feeds;
    for (size_t i = 0; i < kMaxPageFeeds + 1; ++i) {
      feeds += "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed" +
               std::to_string(i) + ".xml\">";
    }
    const Article a = ExtractArticle(Page(feeds, anchors + kProse), kUrl);
    ASSERT_EQ(a.links.size(), kMaxPageLinks + kMaxPageFeeds) << count << " links";
    EXPECT_EQ(a.links.front(), "https://news.example.com/p0");
    EXPECT_EQ(a.links[kMaxPageLinks - 1],
              "https://news.example.com/p" + std::to_string(kMaxPageLinks - 1));
    EXPECT_EQ(a.links[kMaxPageLinks], "https://news.example.com/feed0.xml");
    EXPECT_EQ(a.links.back(),
              "https://news.example.com/feed" + std::to_string(kMaxPageFeeds - 1) + ".xml");
  }
}

TEST(ExtractArticleTest, SurvivesBrokenAndHostileInput) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  deep += "deep text, long enough to be a paragraph of its own, with commas, and more.";
  const std::string kInputs[] = {
      "",
      "plain text, no markup at all",
      "<html><body><p>unclosed <b>bold <i>italic <table><tr><td>cell",
      "<p>\xff\xfe\x80 invalid UTF-8 \xc3</p>",
      std::string("<p>nul\0byte</p>", 15),
      "<script>never closed",
      "<!-- unterminated comment",
      "<svg><p>foreign content</p></svg><math><mi>x</mi></math>",
      deep,
  };
  for (const std::string& input : kInputs) {
    Article a = ExtractArticle(input, "not a url");
    EXPECT_TRUE(a.links.empty());
  }
  EXPECT_THAT(ExtractArticle(deep, kUrl).text, HasSubstr("deep text"));
}

TEST(ExtractArticleTest, MapsTextBackToSourceOffsets) {
  std::string html = Page("", "<article><p>AT&amp;T &#x65E5;本 said, on Monday, that it had "
                              "signed a large agreement.</p>" + std::string(kProse) +
                              "</article>");
  std::vector<int64_t> offsets;
  Article a = ExtractArticle(html, kUrl, &offsets);
  ASSERT_EQ(static_cast<int64_t>(offsets.size()), CodePointCount(a.text));
  ASSERT_TRUE(a.text.starts_with("AT&T 日本 said"));
  EXPECT_EQ(html.substr(offsets[0], 2), "AT");
  EXPECT_EQ(html.substr(offsets[2], 5), "&amp;");
  EXPECT_EQ(html.substr(offsets[3], 1), "T");
  EXPECT_EQ(html.substr(offsets[5], 8), "&#x65E5;");
  EXPECT_EQ(html.substr(offsets[6], 3), "本");
  // Every character that came from the page points at itself.
  std::vector<int64_t> cp = CodePointByteOffsets(a.text);
  int checked = 0;
  for (size_t i = 0; i + 1 < cp.size(); ++i) {
    std::string ch = a.text.substr(cp[i], cp[i + 1] - cp[i]);
    if (offsets[i] < 0 || ch == "&" || ch == "日") continue;
    EXPECT_EQ(html.substr(offsets[i], ch.size()), ch) << i;
    ++checked;
  }
  EXPECT_GT(checked, 300);
  // The separator between paragraphs was inserted.
  size_t para = a.text.find("\n\n");
  ASSERT_NE(para, std::string::npos);
  EXPECT_EQ(offsets[CodePointOffsetOfByte(a.text, para)], -1);
}

TEST(ExtractArticleTest, MapsReplacedInvalidBytesToThemselvesAndStaysInsideTheInput) {
  // Found by fuzz/html_article_fuzzer: each invalid byte becomes one U+FFFD
  // (three bytes of text), and the offsets ran ahead of the source until a
  // page ending in such text gave offsets equal to its size.
  const std::string prose = "This paragraph is long enough to be read as the article, "
                            "with a few commas, and more words after them, ";
  const std::string html = "<html><body><article><p>" + prose + "ab\xff\xfe" "cd " + prose +
                           "\xff\xff\xff\xff" "tail";
  std::vector<int64_t> offsets;
  const Article a = ExtractArticle(html, kUrl, &offsets);
  ASSERT_EQ(static_cast<int64_t>(offsets.size()), CodePointCount(a.text));
  for (int64_t offset : offsets) {
    EXPECT_TRUE(offset == -1 || (offset >= 0 && offset < static_cast<int64_t>(html.size())))
        << offset;
  }
  // The characters after the replaced bytes still point at themselves.
  const std::vector<int64_t> cp = CodePointByteOffsets(a.text);
  for (const std::string& word : {std::string("cd "), std::string("tail")}) {
    const size_t at = a.text.find(word);
    ASSERT_NE(at, std::string::npos) << a.text;
    const int64_t i = CodePointOffsetOfByte(a.text, static_cast<int64_t>(at));
    EXPECT_EQ(html.substr(offsets[i], word.size()), word);
  }
  EXPECT_EQ(cp.size(), offsets.size() + 1);
}

TEST(ExtractArticleTest, WritesAnOverflowedCharacterReferenceAsReplacementCharacters) {
  // Found by fuzz/html_article_fuzzer: gumbo 0.10 computes "&#xFFFFFFF3" in
  // an int that overflows and writes one raw byte (0xF3), so valid UTF-8 in
  // gave ill-formed UTF-8 out, in the text and in the title.
  const std::string prose = "This paragraph is long enough to be read as the article, "
                            "with a few commas, and more words after them. ";
  const std::string html = "<html><head><title>T &#xFFFFFFF3 x</title></head><body><article><p>" +
                           prose + "a&#xFFFFFFF3 b &#x110000; c" + prose +
                           "</p></article></body></html>";
  std::vector<int64_t> offsets;
  const Article a = ExtractArticle(html, kUrl, &offsets);
  for (const std::string* field : {&a.text, &a.title}) {
    ASSERT_FALSE(field->empty());
    EXPECT_EQ(CodePointByteOffsets(*field).back(), static_cast<int64_t>(field->size()));
    int64_t bytes = 0;
    for (size_t i = 0; i < field->size(); i += std::max(1, Utf8SequenceLength((*field)[i]))) {
      const int len = Utf8SequenceLength(static_cast<unsigned char>((*field)[i]));
      ASSERT_LE(i + len, field->size()) << *field;
      for (int k = 1; k < len; ++k) {
        ASSERT_EQ(static_cast<unsigned char>((*field)[i + k]) & 0xC0, 0x80) << *field;
      }
      ASSERT_TRUE(len > 1 || static_cast<unsigned char>((*field)[i]) < 0x80) << *field;
      bytes += len;
    }
    EXPECT_EQ(bytes, static_cast<int64_t>(field->size()));
  }
  EXPECT_NE(a.text.find("a\xEF\xBF\xBD b \xEF\xBF\xBD c"), std::string::npos)
      << ::testing::PrintToString(a.text);
  EXPECT_EQ(static_cast<int64_t>(offsets.size()), CodePointCount(a.text));
}

}  // namespace
}  // namespace newsclaim::extract
