#include "extract/markdown.h"

#include <string>

#include "extract/html_article.h"
#include "gtest/gtest.h"

namespace newsclaim::extract {
namespace {

constexpr char kUrl[] = "file:///saved/article.md";

TEST(FrontMatterTest, ReadsTheKeysArticlesUse) {
  size_t body = 0;
  FrontMatter fm = ReadFrontMatter(
      "---\n"
      "title: \"韓国向けGPU供給\"\n"
      "date: 2025-11-01T09:00:00+09:00\n"
      "lastmod: 2025-11-02\n"
      "authors: [Jane Doe, 'Taro Yamada']\n"
      "lang: ja\n"
      "canonical_url: https://example.com/a\n"
      "tags:\n"
      "  - gpu\n"
      "---\n"
      "Body\n",
      &body);
  EXPECT_EQ(fm.title, "韓国向けGPU供給");
  EXPECT_EQ(fm.published, "2025-11-01T09:00:00+09:00");
  EXPECT_EQ(fm.modified, "2025-11-02");
  EXPECT_EQ(fm.author, "Jane Doe, Taro Yamada");
  EXPECT_EQ(fm.lang, "ja");
  EXPECT_EQ(fm.canonical, "https://example.com/a");
  EXPECT_EQ(body, std::string("---\ntitle: \"韓国向けGPU供給\"\ndate: 2025-11-01T09:00:00+09:00\n"
                              "lastmod: 2025-11-02\nauthors: [Jane Doe, 'Taro Yamada']\nlang: "
                              "ja\ncanonical_url: https://example.com/a\ntags:\n  - gpu\n---\n")
                      .size());
}

TEST(FrontMatterTest, ReadsABlockListOfAuthors) {
  FrontMatter fm = ReadFrontMatter("---\nauthor:\n  - A. Writer\n  - B. Editor\n---\n");
  EXPECT_EQ(fm.author, "A. Writer, B. Editor");
}

TEST(FrontMatterTest, WithoutAClosingLineThereIsNone) {
  size_t body = 99;
  FrontMatter fm = ReadFrontMatter("---\ntitle: never closed\n\nText.", &body);
  EXPECT_TRUE(fm.title.empty());
  EXPECT_EQ(body, 0u);
  // A thematic break later in a file is not front matter either.
  EXPECT_TRUE(ReadFrontMatter("Intro\n---\ntitle: x\n---\n").title.empty());
}

TEST(MarkdownToHtmlTest, FrontMatterBecomesMetadataAndNotText) {
  std::string md =
      "---\ntitle: Test MD\ndate: 2025-10-31\nauthor: Jane Doe\nlang: en\n---\n\n"
      "# Heading\n\nSK hynix will get 50,000 GPUs from NVIDIA under the agreement.\n";
  Article a = ExtractArticle(MarkdownToHtml(md), kUrl);
  EXPECT_EQ(a.title, "Test MD");
  EXPECT_EQ(a.published, "2025-10-31");
  EXPECT_EQ(a.author, "Jane Doe");
  EXPECT_EQ(a.lang, "en");
  EXPECT_EQ(a.text.find("title:"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("---"), std::string::npos) << a.text;
  EXPECT_NE(a.text.find("SK hynix will get 50,000 GPUs"), std::string::npos) << a.text;
}

TEST(MarkdownToHtmlTest, KeepsBlocksAsParagraphsListsAndTables) {
  std::string md =
      "Intro line one\ncontinues here.\n\n"
      "Subtitle\n--------\n\n"
      "- first *item*\n- second **item**\n\n"
      "1. one\n2. two\n\n"
      "> quoted `code` text\n\n"
      "| Company | GPUs |\n|---|---:|\n| Samsung | 50,000 |\n";
  std::string html = MarkdownToHtml(md);
  EXPECT_NE(html.find("<p>Intro line one\ncontinues here.</p>"), std::string::npos) << html;
  EXPECT_NE(html.find("<h2>Subtitle</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<ul>\n<li>first item</li>\n<li>second item</li>\n</ul>"),
            std::string::npos) << html;
  EXPECT_NE(html.find("<ol>\n<li>one</li>\n<li>two</li>\n</ol>"), std::string::npos) << html;
  EXPECT_NE(html.find("<blockquote>\n<p>quoted <code>code</code> text</p>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>Samsung</td><td>50,000</td></tr>"), std::string::npos) << html;
}

TEST(MarkdownToHtmlTest, LinksKeepTheirTextAndImagesDropOut) {
  std::string html = MarkdownToHtml(
      "See [the release](https://example.com/r \"title\") and ![a chart of 26万枚](c.png).\n");
  EXPECT_NE(html.find("<a href=\"https://example.com/r\">the release</a>"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("26万枚"), std::string::npos) << html;
}

TEST(MarkdownToHtmlTest, RawHtmlIsEscapedNotRendered) {
  std::string html = MarkdownToHtml("<script>alert(1)</script>\n\nText <b onclick=x>bold</b>\n");
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<b onclick"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
}

TEST(MarkdownToHtmlTest, SnakeCaseAndLoneStarsStayText) {
  std::string html = MarkdownToHtml("rule_id stays, 3 * 4 stays, and _emph_ goes.\n");
  EXPECT_NE(html.find("rule_id stays, 3 * 4 stays, and emph goes."), std::string::npos) << html;
}

TEST(MarkdownToHtmlTest, FencedCodeIsKeptVerbatim) {
  std::string html = MarkdownToHtml("```\n# not a heading\n<tag>\n```\n\nAfter.\n");
  EXPECT_NE(html.find("<pre><code># not a heading\n&lt;tag&gt;\n</code></pre>"),
            std::string::npos) << html;
  EXPECT_NE(html.find("<p>After.</p>"), std::string::npos) << html;
}

TEST(PlainTextToHtmlTest, BlankLinesSeparateParagraphs) {
  std::string text =
      "First paragraph of the saved article, about 26万枚 of GPUs.\nSame paragraph.\n\n\n"
      "Second paragraph with <angle> brackets & an ampersand.\n";
  std::string html = PlainTextToHtml(text);
  EXPECT_NE(html.find("<p>First paragraph of the saved article, about 26万枚 of GPUs.<br>Same "
                      "paragraph.</p>"),
            std::string::npos) << html;
  EXPECT_NE(html.find("<p>Second paragraph with &lt;angle&gt; brackets &amp; an ampersand.</p>"),
            std::string::npos) << html;
  Article a = ExtractArticle(html, "file:///saved/a.txt");
  EXPECT_NE(a.text.find("Second paragraph"), std::string::npos);
}

TEST(MarkdownNameTest, KnowsMarkdownNamesAndMediaTypes) {
  EXPECT_TRUE(IsMarkdownName("a/b/Article.MD"));
  EXPECT_TRUE(IsMarkdownName("x.markdown"));
  EXPECT_FALSE(IsMarkdownName("x.txt"));
  EXPECT_FALSE(IsMarkdownName("md"));
  EXPECT_TRUE(IsMarkdownMediaType("text/markdown; charset=UTF-8"));
  EXPECT_FALSE(IsMarkdownMediaType("text/plain"));
}

}  // namespace
}  // namespace newsclaim::extract
