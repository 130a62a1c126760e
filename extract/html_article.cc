// extract/html_article.cc
// Main text and metadata of one HTML page, in four steps:
//   1. Parse once with gumbo and flatten the visible tree into `Node`s (pre-order),
//      collecting metadata (meta, link, title, JSON-LD, time) and links on the way.
//   2. Aggregate per-node statistics bottom-up in one reverse pass: text bytes, link
//      text bytes, commas, and the inline text that belongs to each block.
//   3. Score blocks readability-style (text length, punctuation including 、。,
//      link density, class/id and tag hints, <article>/articleBody hints), pick the
//      best container and the siblings that continue it.
//   4. Emit the container's text in reading order, dropping nested boilerplate
//      (comments, related lists, share bars, ads, author boxes, link lists).
// Everything after the parse is linear in the number of nodes.
#include "extract/html_article.h"

#include <gumbo.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/utf8.h"
#include "extract/html_date.h"
#include "extract/html_prescan.h"
#include "extract/markdown.h"
#include "extract/html_url.h"

namespace newsclaim::extract {
namespace {

constexpr size_t kMaxHtmlBytes = 16u << 20;
constexpr int64_t kMaxTextBytes = 4 << 20;

// ---------------------------------------------------------------------------
// Small UTF-8 and string helpers.

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Decodes the code point at s[i]; sets `len`. An ill-formed sequence
// (WellFormedUtf8Length is 0) decodes as U+FFFD with length 1 and sets
// *invalid. gumbo hands over such bytes: it writes
// an overflowed numeric reference such as "&#xFFFFFFF3" as one raw byte.
char32_t DecodeAt(std::string_view s, size_t i, int& len, bool* invalid = nullptr) {
  const int well_formed = WellFormedUtf8Length(s, i);
  if (invalid != nullptr) *invalid = well_formed == 0;
  if (well_formed == 0) {
    len = 1;
    return 0xFFFD;
  }
  len = well_formed;
  const unsigned char lead = s[i];
  if (len == 1) return lead;
  char32_t cp = lead & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// The last code point of `s` (0 when empty).
char32_t LastCodePoint(std::string_view s) {
  if (s.empty()) return 0;
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80 && s.size() - i < 4) --i;
  int len = 0;
  return DecodeAt(s, i, len);
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// East Asian wide scripts, for the CSS Text 3 rule that a line break between
// two of them renders as nothing (section 4.1.2, segment break transformation).
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x9FFF) ||
         (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Collapses runs of whitespace (ASCII and U+00A0) to one space and trims.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    int len = 1;
    bool invalid = false;
    char32_t cp = DecodeAt(s, i, len, &invalid);
    if (cp < 0x80 ? IsAsciiSpace(static_cast<char>(cp)) : (cp == 0xA0 || cp == 0x3000)) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.append(invalid ? kReplacementCharacter : s.substr(i, len));
    }
    i += len;
  }
  return out;
}

const char* Attr(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr ? attr->value : nullptr;
}

std::string_view AttrView(const GumboNode* node, const char* name) {
  const char* v = Attr(node, name);
  return v ? std::string_view(v) : std::string_view();
}

bool HasToken(std::string_view list, std::string_view token) {
  std::string lower = Lower(list);
  size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && IsAsciiSpace(lower[i])) ++i;
    size_t start = i;
    while (i < lower.size() && !IsAsciiSpace(lower[i])) ++i;
    if (std::string_view(lower).substr(start, i - start) == token) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Class and id hints.

// Splits class and id values into lower-case words at non-alphanumerics and
// camelCase boundaries: "relatedPosts c-share_bar" -> related posts c share bar.
std::vector<std::string> HintWords(std::string_view cls, std::string_view id) {
  std::vector<std::string> words;
  for (std::string_view s : {cls, id}) {
    std::string word;
    for (size_t i = 0; i < s.size(); ++i) {
      // WordPress and friends name classes after the post's own categories
      // and tags ("category-native-advertising"): those say nothing about layout.
      if (i == 0 || IsAsciiSpace(s[i - 1])) {
        std::string_view rest = s.substr(i);
        for (std::string_view prefix : {"category-", "tag-", "tags-", "topic-", "postid-"}) {
          if (rest.starts_with(prefix)) {
            while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
            break;
          }
        }
        if (i >= s.size()) break;
      }
      char c = s[i];
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      bool upper = c >= 'A' && c <= 'Z';
      if (!alnum || (upper && !word.empty() && i > 0 && s[i - 1] >= 'a' && s[i - 1] <= 'z')) {
        if (!word.empty()) words.push_back(Lower(word));
        word.clear();
      }
      if (alnum) word.push_back(c);
    }
    if (!word.empty()) words.push_back(Lower(word));
  }
  return words;
}

// Words naming boilerplate. Exact words, or stems that also match as a
// prefix ("commentlist", "sharebar", "relatedarticles"). Strong words mark
// whole regions that never hold the article (and everything inside them);
// weak ones only lower a score.
constexpr std::array<std::string_view, 30> kStrongExact = {
    "ad",       "ads",     "adv",     "aside",    "caption", "carousel", "cookie",  "credit",
    "credits",  "footer",  "gallery", "menu",     "modal",   "nav",      "navbar",  "navi",
    "pager",    "popular", "popup",   "rank",     "ranking", "sidebar",  "slideshow",
    "widget",   "widgets", "outbrain", "taboola", "sns",     "gnav",     "topics"};
constexpr std::array<std::string_view, 15> kStrongStems = {
    "comment",  "related",    "share",      "sharing",    "social",     "advert",
    "advertis", "promo",      "sponsor",    "recommend",  "breadcrumb", "pagination",
    "newsletter", "subscribe", "navigation"};
constexpr std::array<std::string_view, 10> kWeakExact = {
    "author", "authors", "banner", "byline", "header", "masthead", "profile", "tag", "tags",
    "toolbar"};
constexpr std::array<std::string_view, 14> kPositive = {
    "article", "articlebody", "entry", "post",  "content", "body", "story",
    "text",    "main",        "blog",  "hentry", "prose",  "news", "honbun"};

struct Hint {
  bool negative = false;  // any boilerplate word
  bool strong = false;    // a strong boilerplate word
  bool comment = false;   // reader comments: not redeemed by a positive word
  bool positive = false;
};

Hint ClassHint(const GumboNode* node) {
  Hint hint;
  std::string_view cls = AttrView(node, "class");
  std::string_view id = AttrView(node, "id");
  if (cls.empty() && id.empty()) return hint;
  for (const std::string& w : HintWords(cls, id)) {
    for (std::string_view n : kStrongExact) {
      if (w == n) hint.strong = true;
    }
    for (std::string_view n : kStrongStems) {
      if (w.starts_with(n)) hint.strong = true;
    }
    for (std::string_view n : kWeakExact) {
      if (w == n) hint.negative = true;
    }
    if (w.starts_with("comment")) hint.comment = true;
    for (std::string_view p : kPositive) {
      if (w == p) hint.positive = true;
    }
  }
  hint.negative = hint.negative || hint.strong;
  return hint;
}

bool IsHidden(const GumboNode* node) {
  if (Attr(node, "hidden") != nullptr) return true;
  if (Lower(AttrView(node, "aria-hidden")) == "true") return true;
  std::string_view style = AttrView(node, "style");
  if (style.empty()) return false;
  std::string compact;
  for (char c : style) {
    if (!IsAsciiSpace(c)) compact.push_back(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return compact.find("display:none") != std::string::npos ||
         compact.find("visibility:hidden") != std::string::npos;
}

// Elements whose content is never article text.
bool IsSkippedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_HEAD: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_MAP:
      return true;
    default:
      return false;
  }
}

// Elements that do not start a new block of text.
bool IsInline(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A: case GUMBO_TAG_ABBR: case GUMBO_TAG_B: case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO: case GUMBO_TAG_CITE: case GUMBO_TAG_CODE: case GUMBO_TAG_DATA:
    case GUMBO_TAG_DEL: case GUMBO_TAG_DFN: case GUMBO_TAG_EM: case GUMBO_TAG_FONT:
    case GUMBO_TAG_I: case GUMBO_TAG_IMG: case GUMBO_TAG_INS: case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL: case GUMBO_TAG_MARK: case GUMBO_TAG_Q: case GUMBO_TAG_RP:
    case GUMBO_TAG_RT: case GUMBO_TAG_RUBY: case GUMBO_TAG_S: case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL: case GUMBO_TAG_SPAN: case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT: case GUMBO_TAG_U: case GUMBO_TAG_VAR: case GUMBO_TAG_WBR:
    case GUMBO_TAG_BIG: case GUMBO_TAG_NOBR: case GUMBO_TAG_UNKNOWN:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
         tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// Semantic containers of page furniture.
bool IsBoilerplateTag(GumboTag tag) {
  return tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER ||
         tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FORM;
}

// ---------------------------------------------------------------------------
// The flattened tree.

struct Node {
  const GumboNode* g = nullptr;
  int parent = -1;
  int first_child = -1;
  int last_child = -1;
  int next_sibling = -1;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  bool is_text = false;
  bool in_link = false;
  bool in_pre = false;
  bool boiler = false;     // inside a region that never holds the article
  bool has_heading = false;  // holds an <h1>, <article>, <main> or articleBody
  Hint hint;
  // Subtree statistics (visible text only).
  int64_t text_bytes = 0;    // non-space bytes
  int64_t link_bytes = 0;    // non-space bytes inside <a>
  int32_t commas = 0;        // , 、 ，
  int32_t links = 0;         // <a> elements
  // Text that belongs to this block and not to a nested block.
  int64_t inline_bytes = 0;
  int32_t inline_commas = 0;
  int64_t inline_link_bytes = 0;
  // Readability-style content score; `candidate` once initialised.
  double score = 0;
  bool candidate = false;
};

double LinkDensity(const Node& n) {
  return n.text_bytes == 0 ? 0.0 : static_cast<double>(n.link_bytes) / n.text_bytes;
}

struct PageMeta {
  std::string lang_attr;
  std::string base_href;
  std::string title_tag;
  std::string canonical;
  std::vector<std::string> feeds;
  std::unordered_map<std::string, std::string> meta;  // lower-case key -> first content
  std::vector<std::string> json_ld;
  std::vector<std::pair<int, std::string>> times;      // (nearest node, datetime)
  std::vector<int> h1s;                                // node indices
  std::vector<std::pair<int, int>> headings;           // (node, level) of <h1>-<h3>
  std::string logo_alt;                                // alt of an <img> linking home
  std::vector<int> author_nodes;                       // rel=author / .author / .byline
  std::vector<std::string> hrefs;
  std::vector<int> article_hints;                      // itemprop=articleBody, <article>, <main>
};

class TreeBuilder {
 public:
  TreeBuilder(std::vector<Node>& nodes, PageMeta& meta) : nodes_(nodes), meta_(meta) {}

  void Build(const GumboNode* root);

 private:
  void CollectMetadata(const GumboNode* g, int nearest);
  int AddNode(const GumboNode* g, int parent);
  void NoteLogo(int img);

  std::vector<Node>& nodes_;
  PageMeta& meta_;
  int64_t text_budget_ = kMaxTextBytes;
};

int TreeBuilder::AddNode(const GumboNode* g, int parent) {
  int index = static_cast<int>(nodes_.size());
  Node& n = nodes_.emplace_back();
  n.g = g;
  n.parent = parent;
  if (parent >= 0) {
    Node& p = nodes_[parent];
    if (p.last_child >= 0) {
      nodes_[p.last_child].next_sibling = index;
    } else {
      p.first_child = index;
    }
    p.last_child = index;
    // An <a> without href is an anchor (<a name="overview">), not a link.
    n.in_link = p.in_link || (p.tag == GUMBO_TAG_A && p.g != nullptr && p.g->type == GUMBO_NODE_ELEMENT &&
                              gumbo_get_attribute(&p.g->v.element.attributes, "href") != nullptr);
    n.in_pre = p.in_pre || p.tag == GUMBO_TAG_PRE;
  }
  return index;
}

// A site's logo is an image in a link to the site's home page; its alt text
// is the site's name, as the <title> may write it ("記事 - JVN iPedia -
// 脆弱性対策情報データベース" under a logo of that alt).
void TreeBuilder::NoteLogo(int img) {
  std::string_view alt = TrimView(AttrView(nodes_[img].g, "alt"));
  if (alt.empty()) return;
  for (int a = nodes_[img].parent, depth = 0; a >= 0 && depth < 3; a = nodes_[a].parent, ++depth) {
    if (nodes_[a].tag != GUMBO_TAG_A) continue;
    std::string_view href = TrimView(AttrView(nodes_[a].g, "href"));
    size_t scheme = href.find("://");
    if (scheme != std::string_view::npos) {
      size_t path = href.find('/', scheme + 3);
      href = path == std::string_view::npos ? "/" : href.substr(path);
    }
    if (href == "/" || href == "./" || href == "/index.html" || href == "index.html") {
      meta_.logo_alt = CollapseSpaces(alt);
    }
    return;
  }
}

// Records what metadata `g` carries. Runs for visible and hidden elements alike:
// <meta itemprop> and JSON-LD often sit in hidden places.
void TreeBuilder::CollectMetadata(const GumboNode* g, int nearest) {
  GumboTag tag = g->v.element.tag;
  switch (tag) {
    case GUMBO_TAG_HTML:
      if (meta_.lang_attr.empty()) meta_.lang_attr = AttrView(g, "lang");
      if (meta_.lang_attr.empty()) meta_.lang_attr = AttrView(g, "xml:lang");
      break;
    case GUMBO_TAG_BASE:
      if (meta_.base_href.empty()) meta_.base_href = AttrView(g, "href");
      break;
    case GUMBO_TAG_TITLE:
      if (meta_.title_tag.empty() && g->v.element.children.length > 0) {
        const GumboNode* t = static_cast<const GumboNode*>(g->v.element.children.data[0]);
        if (t->type == GUMBO_NODE_TEXT) meta_.title_tag = CollapseSpaces(t->v.text.text);
      }
      break;
    case GUMBO_TAG_META: {
      const char* content = Attr(g, "content");
      // Some re-serialisers (Mercury's fixtures among them) write "value".
      if (content == nullptr) content = Attr(g, "value");
      if (content == nullptr) break;
      for (const char* key_attr : {"property", "name", "itemprop", "http-equiv"}) {
        std::string_view key = AttrView(g, key_attr);
        if (!key.empty()) meta_.meta.emplace(Lower(TrimView(key)), TrimView(content));
      }
      if (Lower(AttrView(g, "itemprop")) == "datepublished") {
        meta_.times.emplace_back(nearest, std::string("itemprop:") + content);
      }
      break;
    }
    case GUMBO_TAG_LINK: {
      std::string_view rel = AttrView(g, "rel");
      std::string_view href = AttrView(g, "href");
      if (href.empty()) break;
      if (HasToken(rel, "canonical") && meta_.canonical.empty()) meta_.canonical = href;
      std::string type = Lower(AttrView(g, "type"));
      if (HasToken(rel, "alternate") &&
          (type == "application/rss+xml" || type == "application/atom+xml")) {
        meta_.feeds.emplace_back(href);
      }
      break;
    }
    case GUMBO_TAG_SCRIPT: {
      std::string type = Lower(TrimView(AttrView(g, "type")));
      if (type == "application/ld+json" && g->v.element.children.length > 0) {
        const GumboNode* t = static_cast<const GumboNode*>(g->v.element.children.data[0]);
        if (t->type == GUMBO_NODE_TEXT || t->type == GUMBO_NODE_CDATA ||
            t->type == GUMBO_NODE_WHITESPACE) {
          meta_.json_ld.emplace_back(t->v.text.text);
        }
      }
      break;
    }
    case GUMBO_TAG_TIME: {
      const char* dt = Attr(g, "datetime");
      if (dt != nullptr) {
        std::string prop = Lower(AttrView(g, "itemprop"));
        meta_.times.emplace_back(nearest, (prop == "datepublished" ? "itemprop:" : "") +
                                              std::string(dt));
      }
      break;
    }
    case GUMBO_TAG_A: {
      const char* href = Attr(g, "href");
      if (href != nullptr) meta_.hrefs.emplace_back(href);
      break;
    }
    default: {
      // <dd itemprop="datePublished" content="2019-04-26">2019年04月</dd>
      if (Lower(AttrView(g, "itemprop")) == "datepublished") {
        const char* v = Attr(g, "content");
        if (v == nullptr) v = Attr(g, "datetime");
        if (v != nullptr) meta_.times.emplace_back(nearest, std::string("itemprop:") + v);
      }
      break;
    }
  }
}

void TreeBuilder::Build(const GumboNode* root) {
  struct Item {
    const GumboNode* g;
    int parent;   // node index, -1 while inside hidden content
    int nearest;  // nearest visible ancestor node, for metadata positions
  };
  std::vector<Item> stack;
  stack.push_back({root, -1, -1});
  bool first = true;
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    const GumboNode* g = item.g;
    if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_WHITESPACE ||
        g->type == GUMBO_NODE_CDATA) {
      if (item.parent < 0 || text_budget_ <= 0) continue;
      int64_t bytes = static_cast<int64_t>(std::strlen(g->v.text.text));
      text_budget_ -= bytes;
      int index = AddNode(g, item.parent);
      nodes_[index].is_text = true;
      continue;
    }
    if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_TEMPLATE) continue;
    CollectMetadata(g, item.nearest);
    GumboTag tag = g->v.element.tag;
    int parent = item.parent;
    bool visible = (first || parent >= 0) && !IsSkippedTag(tag) &&
                   g->type != GUMBO_NODE_TEMPLATE && !IsHidden(g);
    if (tag == GUMBO_TAG_TITLE || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) {
      continue;  // their text is not markup; nothing below them to collect
    }
    int index = -1;
    if (visible) {
      index = AddNode(g, parent);
      Node& n = nodes_[index];
      n.tag = tag;
      n.hint = ClassHint(g);
      if (tag == GUMBO_TAG_H1) meta_.h1s.push_back(index);
      if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3) {
        meta_.headings.emplace_back(index, tag == GUMBO_TAG_H1 ? 1 : tag == GUMBO_TAG_H2 ? 2 : 3);
      }
      if (tag == GUMBO_TAG_IMG && meta_.logo_alt.empty()) NoteLogo(index);
      std::string_view itemprop = AttrView(g, "itemprop");
      if (tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN ||
          Lower(itemprop) == "articlebody") {
        meta_.article_hints.push_back(index);
      }
      if (HasToken(AttrView(g, "rel"), "author") || Lower(itemprop) == "author") {
        meta_.author_nodes.push_back(index);
      } else {
        for (const std::string& w : HintWords(AttrView(g, "class"), {})) {
          if (w == "author" || w == "byline") {
            meta_.author_nodes.push_back(index);
            break;
          }
        }
      }
    }
    first = false;
    const GumboVector& children = g->v.element.children;
    for (unsigned k = children.length; k-- > 0;) {
      stack.push_back({static_cast<const GumboNode*>(children.data[k]), index,
                       index >= 0 ? index : item.nearest});
    }
  }
}

// ---------------------------------------------------------------------------
// Statistics and scoring.

void ComputeStats(std::vector<Node>& nodes) {
  // Pre-order numbering puts every child after its parent, so one reverse
  // pass sees each node's children complete before the node itself.
  for (size_t i = nodes.size(); i-- > 0;) {
    Node& n = nodes[i];
    if (n.is_text) {
      std::string_view t = n.g->v.text.text;
      for (size_t k = 0; k < t.size(); ++k) {
        unsigned char c = t[k];
        if (c == ',') ++n.commas;
        if (c == 0xE3 && k + 2 < t.size() && static_cast<unsigned char>(t[k + 1]) == 0x80 &&
            static_cast<unsigned char>(t[k + 2]) == 0x81) {
          ++n.commas;  // 、
        }
        if (c == 0xEF && k + 2 < t.size() && static_cast<unsigned char>(t[k + 1]) == 0xBC &&
            static_cast<unsigned char>(t[k + 2]) == 0x8C) {
          ++n.commas;  // ，
        }
        if (!IsAsciiSpace(static_cast<char>(c))) ++n.text_bytes;
      }
      if (n.in_link) n.link_bytes = n.text_bytes;
      n.inline_bytes = n.text_bytes;
      n.inline_commas = n.commas;
      n.inline_link_bytes = n.link_bytes;
    } else if (n.tag == GUMBO_TAG_A) {
      ++n.links;
    }
    if (!n.is_text && (n.tag == GUMBO_TAG_H1 || n.tag == GUMBO_TAG_ARTICLE ||
                       n.tag == GUMBO_TAG_MAIN ||
                       Lower(AttrView(n.g, "itemprop")) == "articlebody")) {
      n.has_heading = true;
    }
    if (n.parent < 0) continue;
    Node& p = nodes[n.parent];
    p.has_heading = p.has_heading || n.has_heading;
    p.text_bytes += n.text_bytes;
    p.link_bytes += n.link_bytes;
    p.commas += n.commas;
    p.links += n.links;
    if (n.is_text || IsInline(n.tag)) {
      p.inline_bytes += n.inline_bytes;
      p.inline_commas += n.inline_commas;
      p.inline_link_bytes += n.inline_link_bytes;
    }
  }
}

// Marks boilerplate regions, top-down. A region named like boilerplate
// that holds the page's title or article is a layout wrapper
// ("has-sidebar", "site-navigation-standard") and is not boilerplate, nor
// is one holding most of the page's text, nor <html> and <body>; unless it
// is named for comments.
void MarkBoilerplate(std::vector<Node>& nodes) {
  int64_t total = nodes.empty() ? 0 : nodes[0].text_bytes;
  for (Node& n : nodes) {
    if (n.is_text) continue;
    bool parent_boiler = n.parent >= 0 && nodes[n.parent].boiler;
    bool named = (n.hint.strong && (!n.hint.positive || n.hint.comment)) ||
                 n.tag == GUMBO_TAG_NAV || n.tag == GUMBO_TAG_FIGCAPTION || n.tag == GUMBO_TAG_ASIDE ||
                 n.tag == GUMBO_TAG_FOOTER;
    bool wrapper = n.tag == GUMBO_TAG_HTML || n.tag == GUMBO_TAG_BODY ||
                   (!n.hint.comment && (n.has_heading || n.text_bytes * 2 > total));
    n.boiler = parent_boiler || (named && !wrapper);
  }
}

double InitialScore(const Node& n) {
  double score = 0;
  switch (n.tag) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_SECTION: case GUMBO_TAG_MAIN:
      score = 5;
      break;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE:
      score = 3;
      break;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM:
      score = -3;
      break;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH:
      score = -5;
      break;
    default:
      break;
  }
  if (n.hint.negative) score -= 25;
  if (IsBoilerplateTag(n.tag)) score -= 25;
  return score;
}

// A candidate's score before link density: its paragraphs' contributions,
// its tag, and class/id hints. A positive class ("content") adds at most as
// much as the paragraphs gave, so a tiny "content-title" box cannot win on
// its class name alone.
double CandidateScore(const Node& n) {
  double score = n.score + InitialScore(n);
  if (n.hint.positive) score += std::min(25.0, n.score);
  return score;
}

// Readability's scheme: every block with enough text of its own gives
// 1 + commas + min(bytes / 100, 3) to its ancestors, divided by 1, 2, 6, 9, 12
// for the parent, grandparent and so on. Byte length makes a Japanese
// character (3 bytes) weigh about as much as an English word's worth of
// letters, which matches how much each carries.
void ScoreBlocks(std::vector<Node>& nodes, bool skip_boiler) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& n = nodes[i];
    if (n.is_text || IsInline(n.tag) || n.inline_bytes < 25) continue;
    if (n.hint.negative || IsBoilerplateTag(n.tag)) continue;
    if (skip_boiler && n.boiler) continue;
    double own_link_density =
        static_cast<double>(n.inline_link_bytes) / static_cast<double>(n.inline_bytes);
    double score = 1.0 + n.inline_commas +
                   std::min(static_cast<double>(n.inline_bytes) / 100.0, 3.0);
    score *= 1.0 - own_link_density;
    // Any block with enough text of its own counts, a <div> of bare text
    // included (readability first rewrites such divs into paragraphs).
    int ancestor = n.parent;
    for (int level = 0; ancestor >= 0 && level < 5; ++level) {
      Node& a = nodes[ancestor];
      a.candidate = true;
      double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
      a.score += score / divider;
      ancestor = a.parent;
    }
  }
}

bool IsAncestorOrSelf(const std::vector<Node>& nodes, int ancestor, int node) {
  for (int k = node; k >= 0; k = nodes[k].parent) {
    if (k == ancestor) return true;
  }
  return false;
}

// Picks the node that holds the article. Returns -1 for a page without one.
int SelectTopCandidate(std::vector<Node>& nodes, const PageMeta& meta,
                       int64_t json_body_bytes) {
  // Hints: the element marked as the article body, an <article> holding
  // most of the page's paragraph text, and a node whose text length matches
  // the JSON-LD articleBody all earn a bonus in proportion to their score.
  std::vector<double> final_score(nodes.size(), 0.0);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    if (!n.candidate) continue;
    final_score[i] = CandidateScore(n) * (1.0 - LinkDensity(n));
  }
  for (int h : meta.article_hints) {
    if (final_score[h] > 0) {
      bool itemprop = Lower(AttrView(nodes[h].g, "itemprop")) == "articlebody";
      final_score[h] *= itemprop ? 1.5 : 1.2;
    }
  }
  if (json_body_bytes >= 200) {
    for (size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      if (final_score[i] <= 0) continue;
      double ratio = static_cast<double>(n.text_bytes) / static_cast<double>(json_body_bytes);
      if (ratio >= 0.8 && ratio <= 1.5) final_score[i] *= 1.3;
    }
  }
  int top = -1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (final_score[i] > 0 && (top < 0 || final_score[i] > final_score[top])) {
      top = static_cast<int>(i);
    }
  }
  if (top < 0) return -1;
  // When the best few candidates share an ancestor, the article is split over
  // several containers: take the ancestor.
  std::vector<int> order;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (final_score[i] > 0) order.push_back(static_cast<int>(i));
  }
  std::partial_sort(order.begin(), order.begin() + std::min<size_t>(order.size(), 5),
                    order.end(), [&](int a, int b) { return final_score[a] > final_score[b]; });
  order.resize(std::min<size_t>(order.size(), 5));
  std::vector<int> alternatives;
  for (int c : order) {
    if (c != top && final_score[c] >= 0.75 * final_score[top]) alternatives.push_back(c);
  }
  if (alternatives.size() >= 3) {
    // Count, for each ancestor, how many alternatives it holds (linear in depth).
    std::unordered_map<int, int> held;
    for (int c : alternatives) {
      for (int p = c; p >= 0; p = nodes[p].parent) ++held[p];
    }
    for (int p = nodes[top].parent; p >= 0 && nodes[p].tag != GUMBO_TAG_BODY;
         p = nodes[p].parent) {
      if (held[p] >= 3) {
        top = p;
        break;
      }
    }
  }
  // Climb while the parent scores higher (it holds more of the article).
  double last = CandidateScore(nodes[top]);
  double threshold = last / 3;
  for (int p = nodes[top].parent; p >= 0 && nodes[p].tag != GUMBO_TAG_BODY;
       p = nodes[p].parent) {
    if (!nodes[p].candidate) continue;
    double score = CandidateScore(nodes[p]);
    if (score < threshold) break;
    if (score > last) {
      top = p;
      break;
    }
    last = score;
  }
  // A layout table splits an article over its cells (a lead in one, a
  // programme or a spec sheet in others): when the top candidate sits in a
  // table cell and the block holding the table has at least twice its text,
  // nearly free of links, that block is the article.
  int cell = -1;
  for (int p = top; p >= 0 && nodes[p].tag != GUMBO_TAG_BODY; p = nodes[p].parent) {
    if (nodes[p].tag == GUMBO_TAG_TD || nodes[p].tag == GUMBO_TAG_TH) {
      cell = p;
      break;
    }
  }
  if (cell >= 0) {
    int holder = nodes[cell].parent;
    while (holder >= 0 && (nodes[holder].tag == GUMBO_TAG_TR || nodes[holder].tag == GUMBO_TAG_TBODY ||
                           nodes[holder].tag == GUMBO_TAG_THEAD || nodes[holder].tag == GUMBO_TAG_TABLE ||
                           nodes[holder].tag == GUMBO_TAG_TFOOT)) {
      holder = nodes[holder].parent;
    }
    if (holder >= 0 && nodes[holder].tag != GUMBO_TAG_BODY && nodes[holder].tag != GUMBO_TAG_HTML &&
        nodes[holder].tag != GUMBO_TAG_TD && nodes[holder].tag != GUMBO_TAG_TH &&
        !nodes[holder].boiler && !nodes[holder].hint.negative &&
        nodes[holder].text_bytes >= 2 * nodes[top].text_bytes && LinkDensity(nodes[holder]) < 0.25) {
      top = holder;
    }
  }
  // An only child says nothing its parent does not.
  while (nodes[top].parent >= 0 && nodes[nodes[top].parent].tag != GUMBO_TAG_BODY &&
         nodes[nodes[top].parent].tag != GUMBO_TAG_HTML) {
    int p = nodes[top].parent;
    int elements = 0;
    for (int c = nodes[p].first_child; c >= 0; c = nodes[c].next_sibling) {
      if (!nodes[c].is_text) ++elements;
    }
    if (elements != 1) break;
    top = p;
  }
  return top;
}

// Siblings of the top candidate that continue the article: scored well
// enough, or a paragraph of prose with few links.
std::vector<int> SelectContainers(const std::vector<Node>& nodes, int top) {
  std::vector<int> out;
  int parent = nodes[top].parent;
  if (parent < 0) return {top};
  double top_score = CandidateScore(nodes[top]) * (1.0 - LinkDensity(nodes[top]));
  double threshold = std::max(10.0, top_score * 0.2);
  std::string_view top_class = AttrView(nodes[top].g, "class");
  for (int c = nodes[parent].first_child; c >= 0; c = nodes[c].next_sibling) {
    const Node& s = nodes[c];
    if (c == top) {
      out.push_back(c);
      continue;
    }
    if (s.is_text || s.hint.negative || IsBoilerplateTag(s.tag)) continue;
    double bonus = 0;
    if (!top_class.empty() && AttrView(s.g, "class") == top_class) bonus = top_score * 0.2;
    double ld = LinkDensity(s);
    if (s.candidate && CandidateScore(s) * (1.0 - ld) + bonus >= threshold) {
      out.push_back(c);
    } else if (s.tag == GUMBO_TAG_P) {
      if (s.text_bytes > 80 && ld < 0.25) {
        out.push_back(c);
      } else if (s.text_bytes > 0 && s.text_bytes <= 80 && ld == 0) {
        std::string_view t = s.first_child >= 0 && nodes[s.first_child].is_text
                                 ? std::string_view(nodes[s.first_child].g->v.text.text)
                                 : std::string_view();
        if (t.find(". ") != std::string_view::npos || t.find("。") != std::string_view::npos) {
          out.push_back(c);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Text output.

// Collects text with pending separators, so that no separator is written at
// the start or end and the strongest of several adjacent ones wins.
class TextBuilder {
 public:
  enum Break { kNone = 0, kSpace = 1, kTab = 2, kLine = 3, kParagraph = 4 };

  explicit TextBuilder(bool track_offsets) : track_(track_offsets) {}

  void RequestBreak(Break b) { pending_ = std::max(pending_, b); }

  // Appends the text of a gumbo text node, collapsing whitespace (unless
  // `pre`). `raw` is the node's source text and `raw_offset` its offset in
  // the page, for the offset map.
  void AppendText(std::string_view text, std::string_view raw, int64_t raw_offset, bool pre);

  std::string& text() { return out_; }
  std::vector<int64_t>& offsets() { return offsets_; }

 private:
  void Flush(char32_t next);
  void Put(std::string_view bytes, int64_t source);

  std::string out_;
  std::vector<int64_t> offsets_;  // one per byte of out_
  Break pending_ = kNone;
  bool pending_space_had_newline_ = false;
  bool track_;
};

void TextBuilder::Put(std::string_view bytes, int64_t source) {
  out_.append(bytes);
  if (track_) offsets_.insert(offsets_.end(), bytes.size(), source);
}

void TextBuilder::Flush(char32_t next) {
  if (out_.empty()) {
    pending_ = kNone;
    return;
  }
  switch (pending_) {
    case kNone:
      break;
    case kSpace:
      // CSS Text 3, 4.1.2: a segment break between two East Asian wide
      // characters is removed rather than turned into a space.
      if (!(pending_space_had_newline_ && IsWide(LastCodePoint(out_)) && IsWide(next)) &&
          out_.back() != '\n' && out_.back() != '\t') {
        Put(" ", -1);
      }
      break;
    case kTab:
      if (out_.back() != '\n') Put("\t", -1);
      break;
    case kLine:
      Put("\n", -1);
      break;
    case kParagraph:
      Put(out_.back() == '\n' ? "\n" : "\n\n", -1);
      break;
  }
  pending_ = kNone;
  pending_space_had_newline_ = false;
}

void TextBuilder::AppendText(std::string_view text, std::string_view raw, int64_t raw_offset,
                             bool pre) {
  size_t r = 0;  // position in raw, kept roughly in step with text for offsets
  for (size_t i = 0; i < text.size();) {
    int len = 1;
    bool invalid = false;
    char32_t cp = DecodeAt(text, i, len, &invalid);
    const std::string_view character = invalid ? kReplacementCharacter : text.substr(i, len);
    // Offset of this character in the source: step over "\r" and entities.
    int64_t source = -1;
    if (track_ && raw_offset >= 0 && !raw.empty()) {
      if (r < raw.size() && raw[r] == '\r' && cp == '\n') ++r;
      // Never past the node's last byte: a drifted estimate stays inside
      // the node (and inside `html`, which a node may end).
      source = raw_offset + static_cast<int64_t>(std::min(r, raw.size() - 1));
      if (cp == 0xFFFD && r < raw.size() && raw.substr(r, 3) != "\xEF\xBF\xBD") {
        // gumbo replaced an invalid byte with U+FFFD: one byte of the source.
        ++r;
      } else if (r < raw.size() && raw[r] == '&' && cp != '&') {
        size_t semi = raw.find(';', r);
        size_t stop = raw.find_first_of(" \t\n<&", r + 1);
        if (semi != std::string_view::npos && semi - r <= 40 && (stop == std::string_view::npos || semi < stop)) {
          r = semi + 1;
        } else {
          ++r;
          while (r < raw.size() && std::isalnum(static_cast<unsigned char>(raw[r]))) ++r;
        }
      } else if (r < raw.size() && raw[r] == '&' && raw.substr(r, 5) == "&amp;") {
        r += 5;
      } else {
        r += len;
      }
    }
    bool space = cp < 0x80 ? IsAsciiSpace(static_cast<char>(cp)) : cp == 0xA0;
    if (pre && (cp == '\n' || cp == '\t' || cp == ' ')) {
      Flush(cp);
      Put(character, source);
    } else if (space) {
      if (pending_ <= kSpace) {
        if (pending_ == kNone) pending_space_had_newline_ = false;
        pending_ = kSpace;
        if (cp == '\n' || cp == '\r') pending_space_had_newline_ = true;
      }
    } else {
      Flush(cp);
      Put(character, source);
    }
    i += len;
  }
}

struct Emitter {
  const std::vector<Node>& nodes;
  TextBuilder& out;
  int64_t container_bytes;
  bool keep_h1;
  int title_node = -1;  // the heading that gave the title, left out too

  // Boilerplate nested in the article: dropped unless it holds most of
  // the article text (some sites put their whole article in a "post-header").
  bool Drop(const Node& n) const {
    if (n.is_text) return false;
    if (n.tag == GUMBO_TAG_H1 && !keep_h1) return true;
    if (title_node >= 0 && &n == &nodes[title_node]) return true;
    bool majority = n.text_bytes * 2 > container_bytes;
    if (majority) return false;
    if (n.boiler || (n.hint.negative && !n.hint.positive)) return true;
    if (n.hint.negative && n.text_bytes * 4 < container_bytes) return true;
    if (IsBoilerplateTag(n.tag)) return true;
    if (IsInline(n.tag) || n.tag == GUMBO_TAG_P || IsHeading(n.tag)) return false;
    // Link lists and link-heavy boxes.
    double ld = LinkDensity(n);
    if (n.links >= 1 && ld > 0.5) return true;
    if (n.links >= 3 && ld > 0.3 && n.commas == 0) return true;
    return false;
  }

  void Emit(int root) {
    struct Item {
      int node;
      bool closing;
    };
    std::vector<Item> stack;
    stack.push_back({root, false});
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      const Node& n = nodes[item.node];
      if (item.closing) {
        Close(n);
        continue;
      }
      if (n.is_text) {
        const GumboText& t = n.g->v.text;
        out.AppendText(t.text, {t.original_text.data, t.original_text.length},
                       t.original_text.data != nullptr ? static_cast<int64_t>(t.start_pos.offset) : -1,
                       n.in_pre);
        continue;
      }
      if (item.node != root && Drop(n)) continue;
      Open(n);
      stack.push_back({item.node, true});
      std::vector<int> children;
      for (int c = n.first_child; c >= 0; c = nodes[c].next_sibling) children.push_back(c);
      for (size_t k = children.size(); k-- > 0;) stack.push_back({children[k], false});
    }
  }

  void Open(const Node& n) {
    switch (n.tag) {
      case GUMBO_TAG_BR:
        out.RequestBreak(TextBuilder::kLine);
        break;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        out.RequestBreak(TextBuilder::kTab);
        break;
      case GUMBO_TAG_LI: case GUMBO_TAG_TR: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
      case GUMBO_TAG_CAPTION: case GUMBO_TAG_OPTION:
        out.RequestBreak(TextBuilder::kLine);
        break;
      default:
        if (!IsInline(n.tag)) out.RequestBreak(TextBuilder::kParagraph);
        break;
    }
  }

  void Close(const Node& n) {
    if (n.tag == GUMBO_TAG_TR || n.tag == GUMBO_TAG_LI || n.tag == GUMBO_TAG_DT ||
        n.tag == GUMBO_TAG_DD) {
      out.RequestBreak(TextBuilder::kLine);
    } else if (n.tag == GUMBO_TAG_TD || n.tag == GUMBO_TAG_TH) {
      out.RequestBreak(TextBuilder::kTab);
    } else if (!IsInline(n.tag) && n.tag != GUMBO_TAG_BR) {
      out.RequestBreak(TextBuilder::kParagraph);
    }
  }
};

// The collapsed text of a subtree, for headings, bylines and datelines.
std::string SubtreeText(const std::vector<Node>& nodes, int root, size_t max_bytes) {
  TextBuilder b(false);
  int end = root + 1;
  // Pre-order: the subtree is the run of indices up to the next node that is
  // not a descendant.
  while (end < static_cast<int>(nodes.size()) && IsAncestorOrSelf(nodes, root, end)) {
    const Node& n = nodes[end];
    if (n.is_text) {
      b.AppendText(n.g->v.text.text, {}, -1, false);
      if (b.text().size() > max_bytes) break;
    } else if (!IsInline(n.tag)) {
      // A tab, not a space: a line break between two Japanese phrases of
      // a heading ("セキュリティ<br>～守り") still separates them.
      b.RequestBreak(TextBuilder::kTab);
    }
    ++end;
  }
  std::string out = std::move(b.text());
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

// ---------------------------------------------------------------------------
// JSON-LD.

struct JsonLdInfo {
  std::string headline;
  std::string published;
  std::string modified;
  std::string author;
  std::string publisher;
  std::string body;
  int rank = 0;  // how article-like the type that gave these was
};

std::string JsonString(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_array() && !j.empty()) return JsonString(j[0]);
  return "";
}

std::string JsonNames(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object()) {
    auto it = j.find("name");
    return it != j.end() ? JsonString(*it) : "";
  }
  if (j.is_array()) {
    std::string out;
    for (const auto& e : j) {
      std::string name = JsonNames(e);
      if (name.empty()) continue;
      if (!out.empty()) out += ", ";
      out += name;
    }
    return out;
  }
  return "";
}

int TypeRank(const nlohmann::json& type) {
  int best = 0;
  auto rank_of = [](std::string t) {
    if (t.ends_with("Article") || t == "BlogPosting" || t == "Report" ||
        t == "ReportageNewsArticle" || t == "LiveBlogPosting" || t == "SocialMediaPosting") {
      return 3;
    }
    if (t == "WebPage" || t == "ItemPage") return 1;
    return 0;
  };
  if (type.is_string()) best = rank_of(type.get<std::string>());
  if (type.is_array()) {
    for (const auto& t : type) {
      if (t.is_string()) best = std::max(best, rank_of(t.get<std::string>()));
    }
  }
  return best;
}

void VisitJsonLd(const nlohmann::json& j, JsonLdInfo& info, int depth) {
  if (depth > 8) return;
  if (j.is_array()) {
    for (const auto& e : j) VisitJsonLd(e, info, depth + 1);
    return;
  }
  if (!j.is_object()) return;
  if (auto graph = j.find("@graph"); graph != j.end()) VisitJsonLd(*graph, info, depth + 1);
  int rank = 0;
  if (auto type = j.find("@type"); type != j.end()) rank = TypeRank(*type);
  if (rank == 0) {
    if (auto main = j.find("mainEntity"); main != j.end()) VisitJsonLd(*main, info, depth + 1);
    return;
  }
  if (rank < info.rank) return;
  auto get = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it == j.end() ? "" : JsonString(*it);
  };
  auto fill = [&](std::string& field, std::string value) {
    if (!value.empty() && (field.empty() || rank > info.rank)) field = std::move(value);
  };
  std::string headline = get("headline");
  if (headline.empty() && rank >= 3) headline = get("name");
  fill(info.headline, headline);
  fill(info.published, get("datePublished"));
  fill(info.modified, get("dateModified"));
  if (auto a = j.find("author"); a != j.end()) fill(info.author, JsonNames(*a));
  if (auto p = j.find("publisher"); p != j.end()) fill(info.publisher, JsonNames(*p));
  fill(info.body, get("articleBody"));
  info.rank = std::max(info.rank, rank);
}

JsonLdInfo ParseJsonLd(const std::vector<std::string>& scripts) {
  JsonLdInfo info;
  for (const std::string& s : scripts) {
    std::string_view v = TrimView(s);
    // Some CMSs wrap the JSON in an HTML comment or CDATA section.
    for (std::string_view prefix : {"<!--", "//<![CDATA[", "<![CDATA["}) {
      if (v.starts_with(prefix)) v = TrimView(v.substr(prefix.size()));
    }
    for (std::string_view suffix : {"-->", "//]]>", "]]>"}) {
      if (v.ends_with(suffix)) v = TrimView(v.substr(0, v.size() - suffix.size()));
    }
    while (!v.empty() && v.back() == ';') v.remove_suffix(1);
    nlohmann::json j = nlohmann::json::parse(v, nullptr, /*allow_exceptions=*/false,
                                             /*ignore_comments=*/true);
    if (j.is_discarded()) continue;
    VisitJsonLd(j, info, 0);
  }
  return info;
}

// ---------------------------------------------------------------------------
// Metadata choices.

std::string Meta(const PageMeta& meta, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = meta.meta.find(key);
    if (it != meta.meta.end() && !TrimView(it->second).empty()) return CollapseSpaces(it->second);
  }
  return "";
}

// The letters and digits of `s` after NFKC (UAX #15), lower-cased: what is
// left of a title once spacing, punctuation and full-width forms are set
// aside, so that "マンＵに先勝…" and "マンUに先勝" compare equal.
std::u32string TitleKey(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_SUCCESS(status)) {
    icu::UnicodeString normalized = nfkc->normalize(text, status);
    if (U_SUCCESS(status)) text = normalized;
  }
  std::u32string key;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) key.push_back(static_cast<char32_t>(u_tolower(c)));
  }
  return key;
}

// Whether a heading on the page is the headline that `reference` (og:title,
// the JSON-LD headline or the <title>) names: the same words, one a longer
// form of the other (a subtitle or a site name added), or a long common
// beginning (a social-media variant of the headline).
bool HeadingNamesTitle(const std::u32string& heading, const std::u32string& reference) {
  size_t shorter = std::min(heading.size(), reference.size());
  if (shorter < 4) return false;
  size_t common = 0;
  while (common < shorter && heading[common] == reference[common]) ++common;
  if (common == shorter) {
    // A heading cut short (a site name that begins og:title) is not the
    // headline; a heading that extends the reference by a subtitle is.
    return heading.size() >= reference.size() ? reference.size() * 3 >= heading.size()
                                              : heading.size() * 2 >= reference.size();
  }
  return common >= 8 && common * 5 >= shorter * 3;
}

struct TitleParts {
  std::string title;    // what is left of the title
  std::string site;     // what was removed, "" if nothing
  bool guessed = false;  // `site` is a guess, not a known site name
  bool at_end = false;   // `site` was at the end of the title
};

// A title minus the site name: when one of `site_names` (og:site_name, a
// logo's alt text, the publisher) is written at either end, behind one of
// the usual separators ("記事名 | サイト名", "記事名 : スポーツ :
// 読売新聞オンライン", "サイト名 - 記事名"), it is removed; when no site
// name is known and `guess` is set, the shorter end part is taken for one.
// A title that would be left as a bare identifier ("JVNDB-2018-013542")
// keeps its context.
TitleParts CleanTitle(std::string_view title, std::initializer_list<std::string_view> site_names,
                      bool guess) {
  TitleParts out;
  std::string t = CollapseSpaces(title);
  out.title = t;
  if (t.empty()) return out;
  static constexpr std::array<std::string_view, 10> kSeparators = {
      " | ", " - ", " – ", " — ", "｜", " : ", " :: ", " / ", " － ", " » "};
  struct Cut {
    size_t pos, len;
  };
  std::vector<Cut> cuts;
  for (size_t i = 0; i < t.size();) {
    size_t best = std::string::npos, best_len = 0;
    for (std::string_view sep : kSeparators) {
      size_t pos = t.find(sep, i);
      if (pos < best || (pos == best && sep.size() > best_len)) {
        best = pos;
        best_len = sep.size();
      }
    }
    if (best == std::string::npos) break;
    cuts.push_back({best, best_len});
    i = best + best_len;
  }
  if (cuts.empty()) return out;
  auto part = [&](size_t begin, size_t end) {
    return std::string(TrimView(std::string_view(t).substr(begin, end - begin)));
  };
  auto bare_identifier = [](std::string_view s) {
    bool digit = false;
    for (char c : s) {
      if (IsAsciiSpace(c) || static_cast<unsigned char>(c) >= 0x80) return false;
      digit = digit || (c >= '0' && c <= '9');
    }
    return digit;
  };
  auto keep = [&](std::string rest, std::string site, bool at_end) {
    if (rest.empty() || bare_identifier(rest)) return;
    out.title = std::move(rest);
    out.site = std::move(site);
    out.at_end = at_end;
  };
  // A known site name at the end (the usual place) or at the start; it may
  // itself hold a separator ("JVN iPedia - 脆弱性対策情報データベース").
  for (std::string_view name : site_names) {
    std::u32string site = TitleKey(name);
    if (site.empty()) continue;
    for (const Cut& c : cuts) {
      if (TitleKey(std::string_view(t).substr(c.pos + c.len)) == site) {
        keep(part(0, c.pos), part(c.pos + c.len, t.size()), true);
        return out;
      }
    }
    for (auto c = cuts.rbegin(); c != cuts.rend(); ++c) {
      if (TitleKey(std::string_view(t).substr(0, c->pos)) == site) {
        keep(part(c->pos + c->len, t.size()), part(0, c->pos), false);
        return out;
      }
    }
  }
  // A part at either end that holds a known site name, or is held in it,
  // spelled a little differently ("Moneycontrol.com" for "Moneycontrol").
  std::string first_part = part(0, cuts.front().pos);
  std::string last_part = part(cuts.back().pos + cuts.back().len, t.size());
  std::u32string first_key = TitleKey(first_part), last_key = TitleKey(last_part);
  bool known = false;
  for (std::string_view name : site_names) {
    std::u32string site = TitleKey(name);
    if (site.size() < 3) continue;
    known = true;
    // Only a near spelling: a headline that mentions the site ("The
    // Guardian view on ...") is no site name.
    auto near = [&](const std::u32string& key) {
      return (key.find(site) != std::u32string::npos && key.size() <= site.size() + 8) ||
             (site.find(key) != std::u32string::npos && key.size() * 2 >= site.size());
    };
    if (near(last_key)) {
      keep(part(0, cuts.back().pos), last_part, true);
      return out;
    }
    if (near(first_key)) {
      keep(part(cuts.front().pos + cuts.front().len, t.size()), first_part, false);
      return out;
    }
  }
  // A known site name that no end part names: the title has none ("製品名
  // - 記事 MOONGIFT" writes it without a separator, "Milan Design Week
  // 2018 | Anastassiades' installation" not at all). With no site name
  // known and `guess` set, drop the end part, which is usually the site
  // name, unless the first part is much shorter (a site name in front).
  if (known || !guess) return out;
  if (first_part.size() * 2 >= last_part.size()) {
    keep(part(0, cuts.back().pos), last_part, true);
  } else {
    keep(part(cuts.front().pos + cuts.front().len, t.size()), first_part, false);
  }
  out.guessed = !out.site.empty();
  return out;
}

bool InsideAny(const std::vector<Node>& nodes, const std::vector<int>& containers, int node) {
  for (int c : containers) {
    if (IsAncestorOrSelf(nodes, c, node)) return true;
  }
  return false;
}

// The visible text of nodes [begin, end) in document order, up to about
// `max_bytes`; regions marked as boilerplate are left out when `skip_boiler`.
std::string RangeText(const std::vector<Node>& nodes, int begin, int end, size_t max_bytes,
                      bool skip_boiler) {
  TextBuilder b(false);
  begin = std::max(begin, 0);
  end = std::min(end, static_cast<int>(nodes.size()));
  for (int i = begin; i < end && b.text().size() < max_bytes; ++i) {
    const Node& n = nodes[i];
    if (n.is_text) {
      if (skip_boiler && n.parent >= 0 && nodes[n.parent].boiler) continue;
      b.AppendText(n.g->v.text.text, {}, -1, false);
    } else if (!IsInline(n.tag)) {
      b.RequestBreak(TextBuilder::kSpace);
    }
  }
  return b.text();
}

// The last `max_bytes` or so of visible text before node `end`.
std::string TextBefore(const std::vector<Node>& nodes, int end, size_t max_bytes) {
  size_t bytes = 0;
  int begin = end;
  while (begin > 0 && bytes < max_bytes) {
    --begin;
    if (nodes[begin].is_text) bytes += TrimView(nodes[begin].g->v.text.text).size();
  }
  return RangeText(nodes, begin, end, 4 * max_bytes, /*skip_boiler=*/false);
}

// The <h1>s placed as headlines: inside the article or before it (all of
// them when no article was found), inside ones first.
std::vector<int> PlacedH1s(const std::vector<Node>& nodes, const PageMeta& meta,
                           const std::vector<int>& containers) {
  int first = containers.empty() ? static_cast<int>(nodes.size())
                                 : *std::min_element(containers.begin(), containers.end());
  std::vector<int> inside, before;
  for (int h : meta.h1s) {
    if (InsideAny(nodes, containers, h)) {
      inside.push_back(h);
    } else if (h < first) {
      before.push_back(h);
    }
  }
  inside.insert(inside.end(), before.begin(), before.end());
  return inside;
}

// Where a title without heading markup shows on the page (a press release
// laid out in tables writes its headline in a <p><b><font>): the first
// text, up to the end of the article, that is a sizeable part of the title.
// Returns its node or -1.
int TitleTextNode(const std::vector<Node>& nodes, const std::vector<int>& containers,
                  std::string_view title) {
  std::u32string title_key = TitleKey(title);
  if (title_key.size() < 10) return -1;
  // Pre-order: a subtree ends at its last child's last child's ... last child.
  int end = containers.empty() ? static_cast<int>(nodes.size()) : 0;
  for (int c : containers) {
    int last = c;
    while (nodes[last].last_child >= 0) last = nodes[last].last_child;
    end = std::max(end, last + 1);
  }
  for (int i = 0; i < end; ++i) {
    if (!nodes[i].is_text || nodes[i].text_bytes < 20) continue;
    std::u32string key = TitleKey(nodes[i].g->v.text.text);
    if (key.size() >= 10 && key.size() * 4 >= title_key.size() &&
        title_key.find(key) != std::u32string::npos) {
      return i;
    }
  }
  return -1;
}

struct TitleChoice {
  std::string title;
  int node = -1;  // the heading that shows the title, or -1
};

// Title, in confidence order: og:title, the JSON-LD headline, front
// matter, <h1>, <title> minus the site name. The first of the first three
// (or else the cleaned <title>) names the headline; when a heading placed
// as a headline (inside the article, or before it) says the same, its text
// is the title, being what readers see: it keeps a subtitle og:title drops
// and loses a site name og:title keeps. An og:title that is only the site's
// name names nothing. A heading after the article (a widget injected at
// the end of the page, a related article) is never the title.
TitleChoice ChooseTitle(const std::vector<Node>& nodes, const PageMeta& meta,
                        const JsonLdInfo& ld, const FrontMatter& fm,
                        const std::vector<int>& containers, const std::string& site_name) {
  std::string publisher = CollapseSpaces(ld.publisher);
  TitleParts tag = CleanTitle(meta.title_tag, {site_name, meta.logo_alt, publisher}, true);
  std::vector<std::u32string> site_keys;
  // A part the <title> lost at its end is a site name og:title may carry
  // too; a guessed part at the start is as likely a product name.
  std::string_view removed = !tag.guessed || tag.at_end ? std::string_view(tag.site) : "";
  for (std::string_view s : {std::string_view(site_name), std::string_view(meta.logo_alt),
                             std::string_view(publisher), removed}) {
    if (!s.empty()) site_keys.push_back(TitleKey(s));
  }
  auto is_site = [&](const std::u32string& key) {
    return std::find(site_keys.begin(), site_keys.end(), key) != site_keys.end();
  };
  std::string og = Meta(meta, {"og:title", "twitter:title"});
  if (!og.empty()) {
    og = CleanTitle(og, {site_name, meta.logo_alt, publisher, removed}, false).title;
    if (is_site(TitleKey(og))) og.clear();
  }
  std::string reference;
  bool from_metadata = true;
  for (const std::string& r : {og, CollapseSpaces(ld.headline), CollapseSpaces(fm.title)}) {
    if (reference.empty()) reference = r;
  }
  if (reference.empty()) {
    reference = tag.title;
    from_metadata = false;
  }
  int first_container = containers.empty() ? static_cast<int>(nodes.size())
                                           : *std::min_element(containers.begin(), containers.end());
  struct Heading {
    int node, level;
    bool inside;
    std::string text;
    std::u32string key;
  };
  std::vector<Heading> placed;
  for (const auto& [h, level] : meta.headings) {
    bool inside = InsideAny(nodes, containers, h);
    if (!inside && h >= first_container) continue;
    std::string text = SubtreeText(nodes, h, 1000);
    std::u32string key = TitleKey(text);
    if (key.empty() || is_site(key)) continue;
    placed.push_back({h, level, inside, std::move(text), std::move(key)});
  }
  // Headline order: <h1> before <h2> before <h3>, inside before before.
  auto better = [](const Heading& a, const Heading* b) {
    return b == nullptr || a.level < b->level || (a.level == b->level && a.inside && !b->inside);
  };
  std::u32string reference_key = TitleKey(reference);
  const Heading* named = nullptr;
  for (const Heading& h : placed) {
    if (HeadingNamesTitle(h.key, reference_key) && better(h, named)) named = &h;
  }
  if (named != nullptr) return {named->text, named->node};
  if (from_metadata) return {reference, -1};
  // Only the <title> to go by: an <h1> outranks it, unless the <h1> is the
  // part of the <title> that cleaning removed (the site's name).
  const Heading* h1 = nullptr;
  for (const Heading& h : placed) {
    if (h.level == 1 && better(h, h1)) h1 = &h;
  }
  if (h1 != nullptr) {
    bool site = meta.title_tag.find(h1->text) != std::string::npos &&
                tag.title.find(h1->text) == std::string::npos;
    if (!site) return {h1->text, h1->node};
  }
  return {tag.title, -1};
}

// A value that says UTC but repeats, hour and minute, a time the page
// also gives with a zone offset ("2019-04-19T20:00:00.000Z" in
// article:published_time, "2019-04-19T20:00:00+09:00" in <time>) is that
// local time mislabelled: the zoned value is taken instead.
std::string FixMislabelledUtc(const std::string& value, const PageMeta& meta) {
  if (value.size() < 17 || value.back() != 'Z') return value;
  std::string_view clock = std::string_view(value).substr(0, 16);
  for (const auto& [node, raw] : meta.times) {
    std::string_view v = raw;
    if (v.starts_with("itemprop:")) v.remove_prefix(9);
    std::string other = NormalizeDate(v);
    if (other.size() > 19 && other.starts_with(clock) && other.back() != 'Z' &&
        !other.ends_with("+00:00")) {
      return other;
    }
  }
  return value;
}

// Publication date, in confidence order: JSON-LD datePublished, meta
// (article:published_time and kin), front matter, <time datetime> (an
// itemprop=datePublished one, one inside the article first), a date in
// the URL path, a dateline next to the title, a labelled date ("公開日",
// "配信開始日", "Published"), a date just before the article or at its
// start, and last the modification date.
std::string ChoosePublished(const std::vector<Node>& nodes, const PageMeta& meta,
                            const JsonLdInfo& ld, const FrontMatter& fm,
                            const std::vector<int>& containers, std::string_view url,
                            int title_node, const std::vector<int>& h1s,
                            const std::string& text) {
  std::string published = NormalizeDate(ld.published);
  if (published.empty()) {
    published = NormalizeDate(Meta(
        meta, {"article:published_time", "og:published_time", "datepublished", "pubdate",
               "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
               "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date",
               "cxenseparse:recs:publishtime", "citation_publication_date"}));
  }
  if (published.empty()) published = fm.published;
  if (published.empty()) {
    const std::string* best = nullptr;
    int best_rank = -1;
    for (const auto& [node, value] : meta.times) {
      bool itemprop = value.starts_with("itemprop:");
      bool inside = node >= 0 && InsideAny(nodes, containers, node);
      int rank = (itemprop ? 2 : 0) + (inside ? 1 : 0);
      if (rank > best_rank) {
        best_rank = rank;
        best = &value;
      }
    }
    if (best != nullptr) {
      std::string_view v = *best;
      if (v.starts_with("itemprop:")) v.remove_prefix(9);
      published = NormalizeDate(v);
    }
  }
  if (!published.empty()) return FixMislabelledUtc(published, meta);
  published = FindDateInUrl(url);
  if (!published.empty()) return published;
  // A dateline: the text right after the title (then after any other
  // <h1> placed as a headline), page furniture included: bylines and
  // datelines often sit in a <header>; then the text right before the
  // title (a date above the headline).
  std::vector<int> heads;
  if (title_node >= 0) heads.push_back(title_node);
  for (int h : h1s) {
    if (h != title_node) heads.push_back(h);
  }
  for (size_t k = 0; k < heads.size() && k < 4 && published.empty(); ++k) {
    published = FindDateInText(RangeText(nodes, heads[k] + 1, static_cast<int>(nodes.size()),
                                         400, /*skip_boiler=*/false));
  }
  if (title_node >= 0 && published.empty()) {
    published = FindDateInText(TextBefore(nodes, title_node, 60));
  }
  if (published.empty()) {
    published = FindLabelledDate(RangeText(nodes, 0, static_cast<int>(nodes.size()), 1 << 20,
                                           /*skip_boiler=*/true),
                                 DateLabel::kPublished);
  }
  if (published.empty() && !containers.empty()) {
    published = FindDateInText(
        TextBefore(nodes, *std::min_element(containers.begin(), containers.end()), 60));
  }
  if (published.empty()) published = FindDateInText(std::string_view(text).substr(0, 200));
  return published;
}

std::string DetectLang(std::string_view text) {
  int64_t kana = 0, hangul = 0, han = 0;
  for (size_t i = 0; i < text.size();) {
    int len = 1;
    char32_t cp = DecodeAt(text, i, len);
    i += len;
    if (cp < 0x1100) continue;
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
        (cp >= 0xFF66 && cp <= 0xFF9D)) {
      ++kana;
    } else if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
               (cp >= 0x3130 && cp <= 0x318F)) {
      ++hangul;
    } else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) {
      ++han;
    }
  }
  // A few kana in a Chinese page (a quoted product name) do not make it Japanese.
  if (kana > 0 && kana * 50 >= han) return "ja";
  if (hangul > 0 && hangul >= han) return "ko";
  if (han > 0) return "zh";
  return "en";
}

std::string LangFromAttr(std::string_view attr) {
  std::string_view v = TrimView(attr);
  size_t end = v.find_first_of("-_");
  std::string primary = Lower(v.substr(0, end));
  if (primary.size() < 2 || primary.size() > 3) return "";
  for (char c : primary) {
    if (c < 'a' || c > 'z') return "";
  }
  return primary;
}

// gumbo allocates every node, attribute and buffer on its own (some 14,000
// allocations for a 50 KB page) and grows buffers by allocating, copying
// and freeing. A bump arena per thread, dropped as a whole after each page,
// makes allocation a pointer increment and the tree's destruction free.
// Blocks are kept for the next page up to kKeepBytes.
class GumboArena {
 public:
  static void* Allocate(void* arena, size_t size) {
    return static_cast<GumboArena*>(arena)->Take(size);
  }
  static void Deallocate(void*, void*) {}  // everything goes at Reset()

  void* Take(size_t size) {
    size = size == 0 ? 16 : (size + 15) & ~size_t{15};
    while (current_ < blocks_.size()) {
      Block& block = blocks_[current_];
      if (block.size - used_ >= size) {
        void* p = block.data.get() + used_;
        used_ += size;
        return p;
      }
      ++current_;
      used_ = 0;
    }
    const size_t block_size = std::max(size, kBlockBytes);
    // new char[] (not make_unique) leaves the block uninitialised; its
    // alignment (__STDCPP_DEFAULT_NEW_ALIGNMENT__, 16) is malloc's.
    blocks_.push_back({std::unique_ptr<char[]>(new char[block_size]), block_size});
    current_ = blocks_.size() - 1;
    used_ = size;
    return blocks_.back().data.get();
  }

  void Reset() {
    size_t kept = 0;
    size_t keep = 0;
    while (keep < blocks_.size() && kept + blocks_[keep].size <= kKeepBytes) {
      kept += blocks_[keep++].size;
    }
    blocks_.resize(keep);
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr size_t kBlockBytes = 256 << 10;
  static constexpr size_t kKeepBytes = 1 << 20;
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  std::vector<Block> blocks_;
  size_t current_ = 0;  // the block being filled
  size_t used_ = 0;     // bytes of it taken
};

// Pages up to this size are parsed into the arena (a 50 KB page takes about
// 600 KB); larger ones with malloc, so one huge page cannot hold a huge
// arena for the rest of the run.
constexpr size_t kArenaMaxHtmlBytes = 2u << 20;

// One gumbo parse, released when it goes out of scope.
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html) {
    static thread_local GumboArena arena;
    if (html.size() <= kArenaMaxHtmlBytes) {
      arena_ = &arena;
      options_.allocator = &GumboArena::Allocate;
      options_.deallocator = &GumboArena::Deallocate;
      options_.userdata = arena_;
    }
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
  }
  ~ParsedHtml() {
    if (arena_ != nullptr) {
      arena_->Reset();
    } else if (output_ != nullptr) {
      gumbo_destroy_output(&options_, output_);
    }
  }
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  GumboOutput* get() const { return output_; }
  GumboOutput* operator->() const { return output_; }

 private:
  GumboOptions options_ = kGumboDefaultOptions;
  GumboArena* arena_ = nullptr;
  GumboOutput* output_ = nullptr;
};

}  // namespace

Article ExtractArticle(std::string_view html, std::string_view url) {
  return ExtractArticle(html, url, nullptr);
}

Article ExtractArticle(std::string_view html, std::string_view url,
                       std::vector<int64_t>* text_source_offsets) {
  Article article;
  if (text_source_offsets != nullptr) text_source_offsets->clear();
  if (html.size() > kMaxHtmlBytes) html = html.substr(0, kMaxHtmlBytes);

  // 1. Parse and flatten. Script and style contents go first: they are
  // never text, and gumbo would tokenize them a character at a time. (Not
  // when offsets are asked for: those are positions in `html` as given.)
  std::string without_scripts;
  std::string_view parsed = html;
  if (text_source_offsets == nullptr && DropScriptAndStyleContents(html, without_scripts)) {
    parsed = without_scripts;
  }
  ParsedHtml output(parsed);
  if (output.get() == nullptr || output->root == nullptr) return article;
  std::vector<Node> nodes;
  nodes.reserve(parsed.size() / 40 + 16);
  PageMeta meta;
  TreeBuilder(nodes, meta).Build(output->root);

  // Links, resolved against <base href> (itself resolved against the URL).
  std::string base(url);
  if (!meta.base_href.empty()) {
    std::string resolved = ResolveUrl(url, meta.base_href);
    if (!resolved.empty()) base = resolved;
  }
  std::unordered_set<std::string> seen;
  auto add_link = [&](std::string_view href) {
    std::string resolved = ResolveUrl(base, href);
    if (!resolved.empty() && seen.insert(resolved).second) article.links.push_back(resolved);
  };
  for (const std::string& href : meta.hrefs) {
    if (article.links.size() >= kMaxPageLinks) break;
    add_link(href);
  }
  const size_t feeds_limit = article.links.size() + kMaxPageFeeds;
  for (const std::string& feed : meta.feeds) {
    if (article.links.size() >= feeds_limit) break;
    add_link(feed);
  }
  if (!meta.canonical.empty()) article.canonical_url = ResolveUrl(base, meta.canonical);

  // 2-3. Statistics, scores, containers.
  JsonLdInfo ld = ParseJsonLd(meta.json_ld);
  int64_t json_body_bytes = 0;
  for (char c : ld.body) json_body_bytes += IsAsciiSpace(c) ? 0 : 1;
  ComputeStats(nodes);
  MarkBoilerplate(nodes);
  ScoreBlocks(nodes, /*skip_boiler=*/true);
  int top = SelectTopCandidate(nodes, meta, json_body_bytes);
  if (top < 0) {
    // Everything sat in regions named like boilerplate (a "sidebar-layout"
    // wrapper around the whole page): score again without that filter.
    ScoreBlocks(nodes, /*skip_boiler=*/false);
    top = SelectTopCandidate(nodes, meta, json_body_bytes);
  }

  // 4. Title first (its heading is left out of the text), then the text.
  std::vector<int> containers;
  if (top >= 0) containers = SelectContainers(nodes, top);
  FrontMatter front_matter = ReadFrontMatter(html);
  article.site_name = Meta(meta, {"og:site_name", "application-name"});
  if (article.site_name.empty()) article.site_name = CollapseSpaces(ld.publisher);
  TitleChoice title = ChooseTitle(nodes, meta, ld, front_matter, containers, article.site_name);
  article.title = CollapseSpaces(title.title);

  TextBuilder builder(text_source_offsets != nullptr);
  int64_t container_bytes = 0;
  for (int c : containers) container_bytes += nodes[c].text_bytes;
  Emitter emitter{nodes, builder, container_bytes, /*keep_h1=*/false, title.node};
  for (int c : containers) {
    builder.RequestBreak(TextBuilder::kParagraph);
    emitter.Emit(c);
  }
  article.text = std::move(builder.text());
  std::vector<int64_t> byte_offsets = std::move(builder.offsets());
  // A page whose markup hides the article (rendered by script) may still
  // carry it in JSON-LD.
  auto code_points = [](std::string_view text) {
    size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  if (article.text.size() < 200 && json_body_bytes > static_cast<int64_t>(article.text.size()) * 2) {
    article.text = TrimView(ld.body);
    byte_offsets.assign(code_points(article.text), -1);
  }
  // A page with next to no article text of its own (a teaser behind a
  // paywall, a summary set in the page header) still says what it is about
  // in its description: better that sentence than a stray sidebar heading.
  if (article.text.size() < 150) {
    std::string description = Meta(meta, {"og:description", "description", "twitter:description"});
    if (description.size() > 2 * article.text.size() && description.size() >= 60) {
      article.text = std::move(description);
      byte_offsets.assign(code_points(article.text), -1);
    }
  }

  // Dates. A page that states only when it was modified was at least
  // published by then; many CMSs write the publication time there.
  std::vector<int> heads = PlacedH1s(nodes, meta, containers);
  int dateline_anchor = title.node >= 0 ? title.node : TitleTextNode(nodes, containers, article.title);
  if (dateline_anchor < 0 && !heads.empty()) dateline_anchor = heads.front();
  article.published = ChoosePublished(nodes, meta, ld, front_matter, containers, url,
                                      dateline_anchor, heads, article.text);
  article.modified = NormalizeDate(ld.modified);
  if (article.modified.empty()) {
    article.modified =
        NormalizeDate(Meta(meta, {"article:modified_time", "og:updated_time", "datemodified",
                                  "dcterms.modified", "last-modified"}));
  }
  if (article.modified.empty()) {
    article.modified = FindLabelledDate(
        RangeText(nodes, 0, static_cast<int>(nodes.size()), 1 << 20, /*skip_boiler=*/true),
        DateLabel::kModified);
  }
  if (article.published.empty()) article.published = article.modified;

  // Author: JSON-LD, meta, then a short rel=author / byline element.
  article.author = CollapseSpaces(ld.author);
  if (article.author.empty()) article.author = Meta(meta, {"author", "article:author", "dc.creator"});
  if (article.author.empty()) {
    for (int a : meta.author_nodes) {
      std::string t = SubtreeText(nodes, a, 200);
      if (!t.empty() && t.size() <= 100) {
        article.author = t;
        break;
      }
    }
  }

  article.lang = LangFromAttr(meta.lang_attr);
  if (article.lang.empty()) {
    article.lang = DetectLang(article.text.empty() ? std::string_view(article.title)
                                                   : std::string_view(article.text));
  }

  if (text_source_offsets != nullptr) {
    // Per code point: the offset of the code point's first byte.
    for (size_t i = 0; i < article.text.size();) {
      int len = Utf8SequenceLength(static_cast<unsigned char>(article.text[i]));
      text_source_offsets->push_back(i < byte_offsets.size() ? byte_offsets[i] : -1);
      i += std::max(len, 1);
    }
  }
  return article;
}

}  // namespace newsclaim::extract
