// extract/corpus_text_test.cc
// Our corpus (corpus/site) as a leak test for ExtractArticle: every page
// wraps its article in one element of a known class (corpus/README.md,
// "Page templates"), and surrounds it with navigation, ads with numbers,
// related links, rankings, author boxes and reader comments full of
// numbers. No line of the extracted text may come from outside that
// element, and the text must start with the article's first paragraph.
// The test reads the corpus's HTML, not our extractor's opinion of it: the
// container is found by its class alone, with gumbo, here in the test.
#include <gumbo.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "crawler/charset.h"
#include "extract/html_article.h"
#include "gtest/gtest.h"
#include "tests/support/test_files.h"

namespace newsclaim::extract {
namespace {

namespace fs = std::filesystem;

// The article element of each template (corpus/README.md).
constexpr std::string_view kContainerClasses[] = {
    "tis-article",  // A
    "post-article", "entry-body",  // B
    "story",        // C
    "prw-release",  // D
    "post hentry",  // E
    "wf-release",   // F
    "rr-post",      // G
};

// The template's first body block: its first paragraph is where the
// article starts.
constexpr std::string_view kBodyClasses[] = {
    "tis-body", "entry-body", "post-content", "story__body", "prw-release-body",
    "entry-content", "wf-release__body", "rr-post__body",
};

const GumboNode* FindByClass(const GumboNode* node, const std::string_view* classes,
                             size_t count) {
  if (node->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* cls = gumbo_get_attribute(&node->v.element.attributes, "class");
  if (cls != nullptr && std::find(classes, classes + count, cls->value) != classes + count) {
    return node;
  }
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    if (const GumboNode* found =
            FindByClass(static_cast<const GumboNode*>(children.data[i]), classes, count)) {
      return found;
    }
  }
  return nullptr;
}

void CollectText(const GumboNode* node, std::string& out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  if (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE) return;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    CollectText(static_cast<const GumboNode*>(children.data[i]), out);
  }
  out += ' ';
}

// White space carries no content for these comparisons (Japanese has none,
// and the extractor re-spaces blocks).
std::string Squeezed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out.push_back(c);
  }
  return out;
}

std::string FirstParagraph(const GumboNode* body) {
  const GumboVector& children = body->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const GumboNode* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type != GUMBO_NODE_ELEMENT || child->v.element.tag != GUMBO_TAG_P) continue;
    std::string text;
    CollectText(child, text);
    if (!Squeezed(text).empty()) return text;
  }
  return "";
}

TEST(CorpusTextTest, NoPageLeaksTextFromOutsideItsArticle) {
  const fs::path site = fs::path(NEWSCLAIM_SOURCE_DIR) / "corpus" / "site" / "news";
  ASSERT_TRUE(fs::is_directory(site)) << site;
  int pages = 0, lines_checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(site)) {
    if (entry.path().extension() != ".html") continue;
    std::string bytes = ::newsclaim::testing::ReadTestFile(entry.path());
    StatusOr<crawler::DecodedDocument> decoded = crawler::DecodeDocument(bytes, "text/html");
    ASSERT_TRUE(decoded.ok()) << entry.path();
    const std::string& html = decoded->utf8;
    const std::string name = entry.path().filename().string();

    GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
    const GumboNode* container =
        FindByClass(output->root, kContainerClasses, std::size(kContainerClasses));
    const GumboNode* body = FindByClass(output->root, kBodyClasses, std::size(kBodyClasses));
    ASSERT_NE(container, nullptr) << name << ": no template article element";
    ASSERT_NE(body, nullptr) << name << ": no template body element";
    std::string container_text;
    CollectText(container, container_text);
    const std::string inside = Squeezed(container_text);
    const std::string first = Squeezed(FirstParagraph(body));
    gumbo_destroy_output(&kGumboDefaultOptions, output);

    Article article = ExtractArticle(html, "http://127.0.0.1/news/" + name);
    ++pages;
    EXPECT_TRUE(Squeezed(article.text).starts_with(first.substr(0, 60)))
        << name << ": the text does not start with the article's first paragraph\n"
        << article.text.substr(0, 300);
    std::string_view text = article.text;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string line = Squeezed(text.substr(0, nl));
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (line.empty()) continue;
      ++lines_checked;
      EXPECT_NE(inside.find(line), std::string::npos)
          << name << ": a line from outside the article: " << line;
    }
  }
  EXPECT_GE(pages, 30);
  EXPECT_GT(lines_checked, 250);
}

}  // namespace
}  // namespace newsclaim::extract
