// DropScriptAndStyleContents: what it drops and keeps on hand-written
// pages, and that on real pages the document gumbo builds and the article
// ExtractArticle reads are the same with and without it.
#include "extract/html_prescan.h"

#include <gumbo.h>
#include <zlib.h>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/generated_corpus.h"
#include "extract/html_article.h"
#include "tests/support/test_files.h"

namespace newsclaim::extract {
namespace {

struct DropCase {
  const char* name;
  const char* html;
  const char* expected;  // nullptr: nothing dropped (returns false)
};

const DropCase kDropCases[] = {
    {"plain markup", "<p>a</p>", nullptr},
    {"script", "<script>var a = 1 < 2;</script><p>x</p>", "<script></script><p>x</p>"},
    {"style", "<style>p { color: red }</style><p>x</p>", "<style></style><p>x</p>"},
    {"upper case and space before >", "<SCRIPT>a()</SCRIPT ><p>x</p>", "<SCRIPT></SCRIPT ><p>x</p>"},
    {"attributes with > in quotes", "<script data-x='a>b' src=x.js>f()</script>",
     "<script data-x='a>b' src=x.js></script>"},
    {"a longer tag name is no end tag", "<script>a</scripts>b</script>", "<script></script>"},
    {"JSON-LD is kept, other scripts dropped",
     "<script type=\"application/ld+json\">{\"a\":1}</script><script>x()</script>",
     "<script type=\"application/ld+json\">{\"a\":1}</script><script></script>"},
    {"a script in a comment is comment text", "<!-- <script>x()</script> --><p>a</p>", nullptr},
    {"empty comments end at once", "<!--><script>x()</script>",
     "<!--><script></script>"},
    {"a script in an attribute value is not a tag", "<div title=\"<script>x()</script>\">",
     nullptr},
    {"title is RCDATA", "<title><script>x()</script></title>", nullptr},
    {"textarea is RCDATA", "<textarea><style>a</style></textarea>", nullptr},
    {"xmp is RAWTEXT", "<xmp><script>x()</script></xmp><script>y()</script>",
     "<xmp><script>x()</script></xmp><script></script>"},
    {"noscript holds markup in gumbo", "<noscript><script>x()</script></noscript>",
     "<noscript><script></script></noscript>"},
    {"style in SVG is an element", "<svg><style>a</style></svg><style>b</style>",
     "<svg><style>a</style></svg><style></style>"},
    {"self-closing svg opens nothing", "<svg/><script>x()</script>", "<svg/><script></script>"},
    {"HTML breaking out of SVG stops the scan", "<svg><p><script>x()</script>", nullptr},
    {"foreignObject stops the scan", "<svg><foreignObject><style>a</style>", nullptr},
    {"escaped script stops the scan",
     "<script><!-- <script> </script> --></script><style>b</style>", nullptr},
    {"select stops the scan", "<select><style>x</style></select><script>y()</script>", nullptr},
    {"template stops the scan", "<template><style>x</style></template>", nullptr},
    {"an unclosed script is left", "<script>never closed", nullptr},
    {"end tag before start tag", "</script><script>x()</script>", "</script><script></script>"},
    {"bogus comment", "<!DOCTYPE html><?php echo 1 ?><script>x()</script>",
     "<!DOCTYPE html><?php echo 1 ?><script></script>"},
    {"CDATA only counts in SVG", "<svg><![CDATA[ > </svg> ]]></svg><style>s</style>",
     "<svg><![CDATA[ > </svg> ]]></svg><style></style>"},
};

class DropTest : public ::testing::TestWithParam<DropCase> {};

TEST_P(DropTest, DropsExactlyTheScriptAndStyleContents) {
  const DropCase& c = GetParam();
  std::string out;
  const bool dropped = DropScriptAndStyleContents(c.html, out);
  if (c.expected == nullptr) {
    EXPECT_FALSE(dropped) << out;
  } else {
    ASSERT_TRUE(dropped);
    EXPECT_EQ(out, c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DropTest, ::testing::ValuesIn(kDropCases),
                         [](const ::testing::TestParamInfo<DropCase>& info) {
                           std::string name;
                           for (const char* p = info.param.name; *p != '\0'; ++p) {
                             name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           }
                           return name;
                         });

// ---- Real pages ---------------------------------------------------------------

std::string Gunzip(const std::filesystem::path& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.append(buf, n);
  gzclose(f);
  return out;
}

// Every HTML page we have: corpus/site, generated pages, and the real pages
// of ../shared/data (when present).
std::vector<std::pair<std::string, std::string>> Pages() {
  std::vector<std::pair<std::string, std::string>> pages;
  auto add_tree = [&](const std::filesystem::path& dir) {
    if (!std::filesystem::is_directory(dir)) return;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".html.gz")) {
        pages.emplace_back(entry.path().string(), Gunzip(entry.path()));
      } else if (name.ends_with(".html") || name.ends_with(".htm")) {
        pages.emplace_back(entry.path().string(), testing::ReadTestFile(entry.path()));
      }
    }
  };
  add_tree(testing::SourceDir() / "corpus");
  add_tree(testing::SharedDataDir());
  const auto sources = bench::LoadSourceArticles(testing::SourceDir());
  for (int i = 0; i < 60 && !sources.empty(); ++i) {
    pages.emplace_back("generated-" + std::to_string(i), bench::GeneratePage(sources, i));
  }
  return pages;
}

bool IsRawElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML &&
         (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE);
}

// The two trees are the same but for the text inside HTML script and style
// elements. Returns the first difference, or "".
std::string Compare(const GumboNode* a, const GumboNode* b, const std::string& path) {
  if (a->type != b->type) return path + ": node type";
  if (a->type == GUMBO_NODE_DOCUMENT) {
    const GumboVector& ca = a->v.document.children;
    const GumboVector& cb = b->v.document.children;
    if (ca.length != cb.length) return path + ": document children";
    for (unsigned i = 0; i < ca.length; ++i) {
      std::string d = Compare(static_cast<GumboNode*>(ca.data[i]),
                              static_cast<GumboNode*>(cb.data[i]), path + "/" + std::to_string(i));
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a->type != GUMBO_NODE_ELEMENT && a->type != GUMBO_NODE_TEMPLATE) {
    return std::string(a->v.text.text) == b->v.text.text ? "" : path + ": text";
  }
  const GumboElement& ea = a->v.element;
  const GumboElement& eb = b->v.element;
  if (ea.tag != eb.tag || ea.tag_namespace != eb.tag_namespace) return path + ": tag";
  if (ea.attributes.length != eb.attributes.length) return path + ": attribute count";
  for (unsigned i = 0; i < ea.attributes.length; ++i) {
    const auto* x = static_cast<const GumboAttribute*>(ea.attributes.data[i]);
    const auto* y = static_cast<const GumboAttribute*>(eb.attributes.data[i]);
    if (std::string(x->name) != y->name || std::string(x->value) != y->value) {
      return path + ": attribute " + x->name;
    }
  }
  if (IsRawElement(a)) return "";
  if (ea.children.length != eb.children.length) return path + ": child count";
  for (unsigned i = 0; i < ea.children.length; ++i) {
    std::string d = Compare(static_cast<GumboNode*>(ea.children.data[i]),
                            static_cast<GumboNode*>(eb.children.data[i]),
                            path + "/" + gumbo_normalized_tagname(ea.tag) + "[" +
                                std::to_string(i) + "]");
    if (!d.empty()) return d;
  }
  return "";
}

TEST(DropOnRealPagesTest, GumboBuildsTheSameDocumentWithoutScriptAndStyleContents) {
  const auto pages = Pages();
  ASSERT_GT(pages.size(), 60u);
  int dropped_pages = 0;
  for (const auto& [name, html] : pages) {
    std::string without;
    if (!DropScriptAndStyleContents(html, without)) continue;
    ++dropped_pages;
    EXPECT_LT(without.size(), html.size()) << name;
    GumboOutput* a = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
    GumboOutput* b =
        gumbo_parse_with_options(&kGumboDefaultOptions, without.data(), without.size());
    EXPECT_EQ(Compare(a->document, b->document, ""), "") << name;
    gumbo_destroy_output(&kGumboDefaultOptions, a);
    gumbo_destroy_output(&kGumboDefaultOptions, b);
  }
  EXPECT_GT(dropped_pages, 60);
}

// ExtractArticle drops script and style contents only when it is not asked
// for source offsets; both ways must read the same article.
TEST(DropOnRealPagesTest, ExtractArticleReadsTheSameArticleEitherWay) {
  for (const auto& [name, html] : Pages()) {
    const std::string url = "https://example.com/news/2025/11/page.html";
    const Article fast = ExtractArticle(html, url);
    std::vector<int64_t> offsets;
    const Article full = ExtractArticle(html, url, &offsets);
    EXPECT_EQ(fast.text, full.text) << name;
    EXPECT_EQ(fast.title, full.title) << name;
    EXPECT_EQ(fast.published, full.published) << name;
    EXPECT_EQ(fast.modified, full.modified) << name;
    EXPECT_EQ(fast.author, full.author) << name;
    EXPECT_EQ(fast.site_name, full.site_name) << name;
    EXPECT_EQ(fast.lang, full.lang) << name;
    EXPECT_EQ(fast.canonical_url, full.canonical_url) << name;
    EXPECT_EQ(fast.links, full.links) << name;
  }
}

}  // namespace
}  // namespace newsclaim::extract
