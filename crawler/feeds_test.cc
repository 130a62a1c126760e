// crawler/feeds_test.cc
// Tests for ParseLinkList and MaybeGunzip: inline documents, our fixtures in
// tests/testdata/crawler/, feedparser's well-formed and ill-formed feeds (their
// "Expect:" lines), crawler-commons and trafilatura sitemaps, and scrapy's
// compression samples (bombs, truncated streams).

#include "crawler/feeds.h"
#include "tests/support/test_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;

fs::path SharedData() { return testing::SharedDataDir(); }
fs::path Fixtures() { return testing::SourceDir() / "tests" / "testdata" / "crawler"; }
std::string ReadFile(const fs::path& path) { return testing::ReadTestFile(path); }

std::vector<std::string> Urls(const LinkList& list) {
  std::vector<std::string> urls;
  for (const LinkListEntry& entry : list.entries) urls.push_back(entry.url);
  return urls;
}

// --- Inline documents --------------------------------------------------------

TEST(ParseLinkListTest, ReadsRss2ItemsWithLinksDatesAndTitles) {
  const char* rss = R"(<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Chan</title><link>https://example.com/</link>
<atom:link href="https://example.com/feed" rel="self"/>
<item><title>A &amp; B</title><link> https://example.com/a?x=1&amp;y=2 </link>
  <guid isPermaLink="false">tag:1</guid><pubDate>Tue, 19 Mar 2024 08:15:00 +0900</pubDate></item>
<item><title><![CDATA[<b>Bold</b> title]]></title><guid>https://example.com/b</guid>
  <pubDate>19 Mar 24 23:00 EST</pubDate></item>
<item><title>Only a non-permalink guid</title><guid isPermaLink="false">x</guid></item>
</channel></rss>)";
  LinkList list = ParseLinkList(rss, "application/rss+xml", "feed.xml");
  EXPECT_EQ(list.kind, LinkListKind::kRss);
  ASSERT_EQ(list.entries.size(), 2u);
  EXPECT_EQ(list.entries[0].url, "https://example.com/a?x=1&y=2");
  EXPECT_EQ(list.entries[0].title, "A & B");
  EXPECT_EQ(list.entries[0].published, "2024-03-18T23:15:00Z");
  EXPECT_EQ(list.entries[1].url, "https://example.com/b");
  EXPECT_EQ(list.entries[1].title, "<b>Bold</b> title");
  EXPECT_EQ(list.entries[1].published, "2024-03-20T04:00:00Z");
  EXPECT_TRUE(list.warnings.empty());
}

TEST(ParseLinkListTest, ReadsAtomAlternateLinks) {
  const char* atom = R"(<feed xmlns="http://www.w3.org/2005/Atom">
<link rel="self" href="https://example.com/atom"/>
<entry><title>One</title>
  <link rel="edit" href="https://example.com/edit/1"/>
  <link rel="alternate" type="application/pdf" href="https://example.com/1.pdf"/>
  <link rel="alternate" type="text/html" href="https://example.com/1"/>
  <updated>2024-03-18T00:00:00Z</updated><published>2024-03-17T10:00:00-05:00</published></entry>
<entry><link href="/relative/2"/><updated>2024-03-18</updated></entry>
<entry><link rel="enclosure" href="https://example.com/x.mp3"/></entry>
</feed>)";
  LinkList list = ParseLinkList(atom, "", "");
  EXPECT_EQ(list.kind, LinkListKind::kAtom);
  ASSERT_EQ(list.entries.size(), 2u);
  EXPECT_EQ(list.entries[0].url, "https://example.com/1");
  EXPECT_EQ(list.entries[0].published, "2024-03-17T15:00:00Z");
  EXPECT_EQ(list.entries[1].url, "/relative/2");  // the caller resolves it
  EXPECT_EQ(list.entries[1].published, "2024-03-18");
}

TEST(ParseLinkListTest, ReadsRdfItems) {
  const char* rdf = R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.jp/"><link>https://example.jp/</link></channel>
<item rdf:about="https://example.jp/1"><title>t</title><dc:date>2024-03-18T09:00+09:00</dc:date></item>
</rdf:RDF>)";
  LinkList list = ParseLinkList(rdf, "", "");
  EXPECT_EQ(list.kind, LinkListKind::kRdf);
  ASSERT_EQ(list.entries.size(), 1u);
  EXPECT_EQ(list.entries[0].url, "https://example.jp/1");
  EXPECT_EQ(list.entries[0].published, "2024-03-18T00:00:00Z");
}

TEST(ParseLinkListTest, ReadsJsonFeed) {
  const char* json = R"({"version": "https://jsonfeed.org/version/1.1", "title": "x",
    "items": [{"id": "1", "url": "https://example.com/1", "title": "One",
               "date_published": "2024-03-18T09:00:00+09:00"},
              {"id": "2", "external_url": "https://other.example/2"},
              {"id": "3"}, 42]})";
  LinkList list = ParseLinkList(json, "application/feed+json", "");
  EXPECT_EQ(list.kind, LinkListKind::kJsonFeed);
  EXPECT_EQ(Urls(list), (std::vector<std::string>{"https://example.com/1", "https://other.example/2"}));
  EXPECT_EQ(list.entries[0].published, "2024-03-18T00:00:00Z");
  EXPECT_EQ(list.entries[0].title, "One");
  EXPECT_EQ(list.warnings.size(), 1u);  // the item that is not an object
}

TEST(ParseLinkListTest, ReadsSitemapsAndIndexes) {
  LinkList urlset = ParseLinkList(
      "\xEF\xBB\xBF<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<url><loc>https://example.com/a</loc><lastmod>2024-03-01T10:00:00+00:00</lastmod></url>"
      "<url><loc>\n  https://example.com/b\n</loc></url></urlset>",
      "application/xml", "");
  EXPECT_EQ(urlset.kind, LinkListKind::kSitemap);
  EXPECT_EQ(Urls(urlset), (std::vector<std::string>{"https://example.com/a", "https://example.com/b"}));
  EXPECT_EQ(urlset.entries[0].published, "2024-03-01T10:00:00Z");
  EXPECT_TRUE(urlset.warnings.empty());

  LinkList index = ParseLinkList(
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<sitemap><loc>https://example.com/s1.xml.gz</loc></sitemap>"
      "<sitemap><loc>https://example.com/s2.xml</loc></sitemap></sitemapindex>",
      "", "");
  EXPECT_EQ(index.kind, LinkListKind::kSitemapIndex);
  EXPECT_EQ(Urls(index), (std::vector<std::string>{"https://example.com/s1.xml.gz",
                                                   "https://example.com/s2.xml"}));
}

TEST(ParseLinkListTest, WarnsAboutAWrongSitemapNamespaceButKeepsTheUrls) {
  LinkList list = ParseLinkList(
      "<urlset xmlns=\"http://www.google.com/schemas/sitemap/0.84\">"
      "<url><loc>https://example.com/a</loc></url></urlset>",
      "", "s.xml");
  EXPECT_EQ(list.kind, LinkListKind::kSitemap);
  EXPECT_EQ(Urls(list), (std::vector<std::string>{"https://example.com/a"}));
  ASSERT_EQ(list.warnings.size(), 1u);
  EXPECT_NE(list.warnings[0].find("namespace"), std::string::npos);
}

TEST(ParseLinkListTest, ReadsTextSitemaps) {
  LinkList list = ParseLinkList("https://example.com/1\r\n\r\nhttps://example.com/2\n", "text/plain", "");
  EXPECT_EQ(list.kind, LinkListKind::kSitemapText);
  EXPECT_EQ(Urls(list), (std::vector<std::string>{"https://example.com/1", "https://example.com/2"}));
}

TEST(ParseLinkListTest, TreatsPagesAndNoiseAsNotALinkList) {
  for (std::string_view body :
       {"<!DOCTYPE html><html><head><title>x</title></head><body><a href=\"/a\">a</a></body></html>",
        "", "   \n", "just some words\nhttps://example.com/\n", "{\"not\": \"a feed\"}",
        "{broken json", "<?xml version=\"1.0\"?><svg></svg>"}) {
    LinkList list = ParseLinkList(body, "", "");
    EXPECT_EQ(list.kind, LinkListKind::kNotALinkList) << body;
    EXPECT_TRUE(list.entries.empty()) << body;
  }
}

TEST(ParseLinkListTest, KeepsExactlyMaxEntriesAndWarnsOnlyPastThem) {
  struct Format {
    const char* name;
    std::string head, entry_open, entry_close, tail, separator;
  };
  const std::vector<Format> formats = {
      {"sitemap", "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
       "<url><loc>", "</loc></url>", "</urlset>", ""},
      {"rss", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>",
       "<item><link>", "</link></item>", "</channel></rss>", ""},
      {"text sitemap", "", "", "", "", "\n"},
      {"json feed", "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [",
       "{\"url\": \"", "\"}", "]}", ","},
  };
  const std::string warning =
      "more than " + std::to_string(kMaxLinkListEntries) + " entries; rest ignored";
  for (const Format& format : formats) {
    for (const size_t count : {kMaxLinkListEntries, kMaxLinkListEntries + 1}) {
      std::string body = format.head;
      body.reserve(count * 40);
      for (size_t i = 0; i < count; ++i) {
        if (i > 0) body += format.separator;
        body += format.entry_open + "https://e.jp/" + std::to_string(i) + format.entry_close;
      }
      body += format.tail;
      const LinkList list = ParseLinkList(body, "", "");
      ASSERT_EQ(list.entries.size(), kMaxLinkListEntries) << format.name << " " << count;
      EXPECT_EQ(list.entries.back().url,
                "https://e.jp/" + std::to_string(kMaxLinkListEntries - 1))
          << format.name;
      const bool warned =
          std::find(list.warnings.begin(), list.warnings.end(), warning) != list.warnings.end();
      EXPECT_EQ(warned, count > kMaxLinkListEntries) << format.name << " " << count;
    }
  }
}

TEST(ParseLinkListTest, NeverExpandsDoctypeEntities) {
  // Billion laughs and an external entity: the DOCTYPE is skipped, so the
  // references stay undefined (warned about) and nothing is expanded.
  const char* xml = R"(<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<rss><channel><item><title>&lol2;&xxe;</title><link>https://example.com/1</link></item></channel></rss>)";
  LinkList list = ParseLinkList(xml, "", "");
  ASSERT_EQ(list.entries.size(), 1u);
  EXPECT_EQ(list.entries[0].title, "&lol2;&xxe;");
  EXPECT_EQ(list.warnings.size(), 2u);
}

TEST(ParseLinkListTest, DecodesNumericReferences) {
  LinkList list = ParseLinkList(
      "<rss><channel><item><title>&#x65E5;&#26412;&#0;&#x110000;</title>"
      "<link>https://example.com/&#x61;</link></item></channel></rss>",
      "", "");
  ASSERT_EQ(list.entries.size(), 1u);
  EXPECT_EQ(list.entries[0].title, "\xE6\x97\xA5\xE6\x9C\xAC\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(list.entries[0].url, "https://example.com/a");
}

TEST(ParseLinkListTest, SurvivesTruncatedAndGarbageInput) {
  const std::string feed =
      "<rss><channel><item><link>https://example.com/1</link></item>"
      "<item><link>https://example.com/2</link><title a=\"1\" b='2' c=3 d>t</title></item>";
  // Every prefix of a feed parses without crashing; the full one yields both.
  for (size_t n = 0; n <= feed.size(); ++n) ParseLinkList(feed.substr(0, n), "", "");
  LinkList full = ParseLinkList(feed, "", "");
  EXPECT_EQ(full.entries.size(), 2u);
  EXPECT_FALSE(full.warnings.empty());  // unclosed channel/rss, unquoted attribute
  std::string deep = "<rss>";
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  LinkList nested = ParseLinkList(deep, "", "");
  EXPECT_EQ(nested.kind, LinkListKind::kRss);
  std::string binary(4096, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7919 % 256);
  ParseLinkList("<" + binary, "", "");
  ParseLinkList(binary, "", "");
}

// --- Fixtures ----------------------------------------------------------------

TEST(ParseLinkListTest, SalvagesTheBrokenRssFixture) {
  LinkList list = ParseLinkList(ReadFile(Fixtures() / "broken-rss.xml"), "", "broken-rss.xml");
  EXPECT_EQ(list.kind, LinkListKind::kRss);
  EXPECT_EQ(Urls(list), (std::vector<std::string>{"https://example.com/1", "https://example.com/2",
                                                  "https://example.com/3"}));
  EXPECT_EQ(list.entries[0].published, "2024-03-18T00:30:00Z");
  EXPECT_EQ(list.entries[0].title, "First &bogus; item");
  std::string all;
  for (const std::string& warning : list.warnings) all += warning + "\n";
  for (const char* expected : {"bare '&'", "undefined entity &bogus;", "stray </span>",
                               "unterminated CDATA", "unclosed <item>", "broken-rss.xml: "}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << " not in:\n" << all;
  }
}

TEST(ParseLinkListTest, ReadsTheNewsSitemapFixture) {
  LinkList list = ParseLinkList(ReadFile(Fixtures() / "news-sitemap.xml"), "", "");
  EXPECT_EQ(list.kind, LinkListKind::kSitemap);
  ASSERT_EQ(list.entries.size(), 2u);
  EXPECT_EQ(list.entries[0].published, "2024-03-18T00:30:00Z");  // publication_date wins
  EXPECT_EQ(list.entries[0].title, "韓国にGPU26万枚 供給へ");
  EXPECT_EQ(list.entries[1].url, "https://news.example.jp/articles/2024/03/17/dc.html?a=1&b=2");
  EXPECT_EQ(list.entries[1].published, "2024-03-17");
  EXPECT_TRUE(list.warnings.empty());
}

TEST(ParseLinkListTest, DecodesAShiftJisFeed) {
  LinkList list = ParseLinkList(ReadFile(Fixtures() / "feed-sjis.rdf"), "", "");
  EXPECT_EQ(list.kind, LinkListKind::kRdf);
  ASSERT_EQ(list.entries.size(), 2u);
  EXPECT_EQ(list.entries[0].title, "ＧＰＵ５万基を調達");
  EXPECT_EQ(list.entries[1].title, "データセンター①");
  EXPECT_EQ(list.entries[1].url, "https://example.jp/news/2.html");  // from rdf:about
}

TEST(MaybeGunzipTest, InflatesGzipAndPassesOtherBytesThrough) {
  auto plain = MaybeGunzip("<urlset/>", 100);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "<urlset/>");
  auto gz = MaybeGunzip(ReadFile(Fixtures() / "sitemap.xml.gz"), 1 << 20);
  ASSERT_TRUE(gz.ok()) << gz.status().ToString();
  EXPECT_EQ(Urls(ParseLinkList(*gz, "", "")),
            (std::vector<std::string>{"https://example.com/a", "https://example.com/b"}));
  auto members = MaybeGunzip(ReadFile(Fixtures() / "two-members.txt.gz"), 1 << 20);
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(*members, "https://example.com/1\nhttps://example.com/2\n");
  auto small = MaybeGunzip(ReadFile(Fixtures() / "sitemap.xml.gz"), 10);
  EXPECT_EQ(small.status().code(), StatusCode::kResourceExhausted);
  const std::string whole = ReadFile(Fixtures() / "sitemap.xml.gz");
  auto cut = MaybeGunzip(whole.substr(0, whole.size() - 6), 1 << 20);
  EXPECT_EQ(cut.status().code(), StatusCode::kCorruption);
}

// --- Shared real-world data --------------------------------------------------

// One feedparser expectation we can check: the first (and maybe second)
// entry's link, or its date, or that the feed is malformed ("bozo").
struct FeedExpectation {
  fs::path file;
  std::string kind;  // "link", "link2", "date", "bozo"
  std::string value;
};

std::vector<FeedExpectation> ReadFeedparserExpectations(const fs::path& root) {
  static const std::regex kLink(R"(^(?:not bozo and )?entries\[0\]\['link'\] == '([^']*)'\s*$)");
  static const std::regex kLink2(
      R"(^(?:not bozo and )?entries\[0\]\['link'\] == entries\[1\]\['link'\] == '([^']*)'\s*$)");
  static const std::regex kDate(
      R"(^(?:not bozo and )?entries\[0\]\['(?:published|updated)_parsed'\] == \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),.*\)\s*$)");
  std::vector<FeedExpectation> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".xml") continue;
    const std::string text = ReadFile(entry.path()).substr(0, 2000);
    size_t expect = text.find("Expect:");
    if (expect == std::string::npos) continue;
    size_t end = text.find('\n', expect);
    std::string line(text.substr(expect + 7, end - expect - 7));
    line.erase(0, line.find_first_not_of(" \t"));
    std::smatch m;
    if (std::regex_match(line, m, kLink2)) {
      out.push_back({entry.path(), "link2", m[1]});
    } else if (std::regex_match(line, m, kLink)) {
      out.push_back({entry.path(), "link", m[1]});
    } else if (std::regex_match(line, m, kDate)) {
      char iso[32];
      std::snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", std::stoi(m[1]),
                    std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]), std::stoi(m[5]),
                    std::stoi(m[6]));
      out.push_back({entry.path(), "date", iso});
    } else if (line.starts_with("bozo")) {
      out.push_back({entry.path(), "bozo", ""});
    }
  }
  return out;
}

TEST(ParseLinkListTest, MeetsFeedparserLinkDateAndBozoExpectations) {
  const fs::path root = SharedData() / "feeds" / "feedparser";
  if (!fs::exists(root)) GTEST_SKIP() << "shared data not found at " << root;
  int total = 0;
  int passed = 0;
  std::map<std::string, int> by_kind;
  for (const FeedExpectation& e : ReadFeedparserExpectations(root)) {
    // xml:base and the test server's document URL are the caller's business
    // (entries keep relative URLs as written).
    if (e.file.parent_path().filename() == "base") continue;
    // encoding/ checks feedparser's RFC 3023 rules for HTTP headers against
    // XML declarations (text/xml means us-ascii...), not feed structure.
    if (e.file.parent_path().filename() == "encoding") continue;
    ++total;
    ++by_kind[e.kind];
    std::string body = ReadFile(e.file);
    if (e.kind == "date") {
      // Entries without a link are dropped by design (the crawler has no use
      // for them), and these date cases have none: give each one a link.
      for (const char* tag : {"<item>", "<entry>"}) {
        for (size_t at = body.find(tag); at != std::string::npos; at = body.find(tag, at + 1)) {
          body.insert(at + std::strlen(tag), "<link href=\"https://example.com/\">https://example.com/</link>");
        }
      }
    }
    LinkList list = ParseLinkList(body, "", e.file.filename().string());
    bool ok = false;
    std::string got;
    if (e.kind == "bozo") {
      ok = !list.warnings.empty();
      got = "no warnings";
    } else if (e.kind == "link" || e.kind == "date") {
      if (!list.entries.empty()) {
        got = e.kind == "link" ? list.entries[0].url : list.entries[0].published;
      }
      ok = got == e.value;
    } else {
      if (list.entries.size() >= 2) got = list.entries[0].url + " | " + list.entries[1].url;
      ok = list.entries.size() >= 2 && list.entries[0].url == e.value &&
           list.entries[1].url == e.value;
    }
    if (ok) {
      ++passed;
    } else {
      ADD_FAILURE() << e.file << " (" << e.kind << "): want " << e.value << " got " << got;
    }
  }
  std::printf("feedparser: %d/%d expectations met (link %d, link2 %d, date %d, bozo %d)\n", passed,
              total, by_kind["link"], by_kind["link2"], by_kind["date"], by_kind["bozo"]);
  EXPECT_EQ(total, 40);
  EXPECT_EQ(passed, total);
}

TEST(ParseLinkListTest, ParsesEveryFeedparserFeedWithoutCrashing) {
  const fs::path root = SharedData() / "feeds" / "feedparser";
  if (!fs::exists(root)) GTEST_SKIP() << "shared data not found at " << root;
  int files = 0;
  int feeds = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".xml") continue;
    ++files;
    LinkList list = ParseLinkList(ReadFile(entry.path()), "", "");
    feeds += list.kind != LinkListKind::kNotALinkList;
  }
  EXPECT_GT(files, 900);
  EXPECT_GT(feeds, files * 9 / 10);
}

TEST(ParseLinkListTest, ReadsRealFeeds) {
  const fs::path dir = SharedData() / "feeds" / "other";
  if (!fs::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir;
  struct Case {
    const char* file;
    LinkListKind kind;
    size_t min_entries;
    bool dated;
  };
  const Case cases[] = {
      {"trafilatura-feed.json", LinkListKind::kJsonFeed, 10, true},
      {"trafilatura-feed1.atom", LinkListKind::kAtom, 1, true},  // 2nd entry: rel="self" only
      {"trafilatura-feed2.rss", LinkListKind::kRss, 1, true},
      {"scrapy-feed-sample2.rss.xml", LinkListKind::kRss, 1, false},  // no pubDate at all
  };
  for (const Case& c : cases) {
    LinkList list = ParseLinkList(ReadFile(dir / c.file), "", c.file);
    EXPECT_EQ(list.kind, c.kind) << c.file;
    EXPECT_GE(list.entries.size(), c.min_entries) << c.file;
    for (const LinkListEntry& entry : list.entries) {
      EXPECT_TRUE(entry.url.starts_with("http")) << c.file << ": " << entry.url;
      EXPECT_EQ(entry.published.empty(), !c.dated) << c.file << ": " << entry.url;
    }
    EXPECT_TRUE(list.warnings.empty()) << c.file << ": " << list.warnings[0];
  }
}

TEST(ParseLinkListTest, ReadsJapaneseLegacyEncodedFeeds) {
  const fs::path root = SharedData() / "charset-ja" / "chardet";
  if (!fs::exists(root)) GTEST_SKIP() << "shared data not found at " << root;
  int feeds = 0;
  for (const char* dir : {"SHIFT_JIS", "EUC-JP"}) {
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      if (entry.path().extension() != ".xml") continue;
      LinkList list = ParseLinkList(ReadFile(entry.path()), "", "");
      if (list.kind == LinkListKind::kNotALinkList) continue;  // a few are HTML pages
      ++feeds;
      ASSERT_FALSE(list.entries.empty()) << entry.path();
      EXPECT_TRUE(list.entries[0].url.starts_with("http")) << entry.path();
      EXPECT_EQ(list.entries[0].title.find("\xEF\xBF\xBD"), std::string::npos) << entry.path();
    }
  }
  EXPECT_GE(feeds, 40);
}

TEST(ParseLinkListTest, ReadsCrawlerCommonsAndTrafilaturaSitemaps) {
  const fs::path data = SharedData() / "sitemaps-robots-urls";
  if (!fs::exists(data)) GTEST_SKIP() << "shared data not found at " << data;
  const fs::path cc = data / "crawler-commons" / "sitemaps";
  const fs::path tr = data / "trafilatura";
  struct Case {
    fs::path file;
    LinkListKind kind;
    size_t entries;
    bool warnings;
  };
  const Case cases[] = {
      {cc / "sitemap.ns.xml", LinkListKind::kSitemap, 2, false},
      {cc / "sitemap.badns.xml", LinkListKind::kSitemap, 2, true},
      {cc / "sitemap.index.xml", LinkListKind::kSitemapIndex, 15, false},
      {cc / "sitemap.txt", LinkListKind::kSitemapText, 2, false},
      {cc / "sitemap-with-bom.txt", LinkListKind::kSitemapText, 2, false},
      {cc / "sitemap.txt.gz", LinkListKind::kSitemapText, 5, false},
      {cc / "xmlSitemap.gz", LinkListKind::kSitemap, 5, false},
      {cc / "atom.xml", LinkListKind::kAtom, 1, false},
      {cc / "extension" / "sitemap-news.xml", LinkListKind::kSitemap, 2, false},
      {tr / "sitemap.xml.gz", LinkListKind::kSitemap, 0, false},
      {tr / "sitemap2.xml", LinkListKind::kSitemapIndex, 0, false},
  };
  for (const Case& c : cases) {
    auto body = MaybeGunzip(ReadFile(c.file), 10 << 20);
    ASSERT_TRUE(body.ok()) << c.file << ": " << body.status().ToString();
    LinkList list = ParseLinkList(*body, "", "");
    EXPECT_EQ(list.kind, c.kind) << c.file;
    if (c.entries > 0) {
      EXPECT_EQ(list.entries.size(), c.entries) << c.file;
    } else {
      EXPECT_GT(list.entries.size(), 0u) << c.file;
    }
    EXPECT_EQ(!list.warnings.empty(), c.warnings) << c.file;
    for (const LinkListEntry& entry : list.entries) {
      EXPECT_TRUE(entry.url.starts_with("http")) << c.file << ": [" << entry.url << "]";
      EXPECT_EQ(entry.url.find_first_of(" \n\t"), std::string::npos) << c.file;
    }
  }
  // The index entries without <loc> keep their &amp;-decoded text.
  LinkList index = ParseLinkList(ReadFile(cc / "sitemap.index.xml"), "", "");
  ASSERT_FALSE(index.entries.empty());
  EXPECT_EQ(index.entries[0].url, "https://example.com/sitemap.jss?portalCode=10260&lang=en");
  LinkList news = ParseLinkList(ReadFile(cc / "extension" / "sitemap-news.xml"), "", "");
  ASSERT_EQ(news.entries.size(), 2u);
  EXPECT_EQ(news.entries[0].published, "2008-12-23");
  EXPECT_EQ(news.entries[0].title, "Companies A, B in Merger Talks");
  // trafilatura's sitemap.xml.gz is the gzip of its sitemap.xml.
  auto gz = MaybeGunzip(ReadFile(tr / "sitemap.xml.gz"), 10 << 20);
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(Urls(ParseLinkList(*gz, "", "")), Urls(ParseLinkList(ReadFile(tr / "sitemap.xml"), "", "")));
}

TEST(ParseLinkListTest, ReadsEveryExtensionSitemap) {
  const fs::path dir = SharedData() / "sitemaps-robots-urls" / "crawler-commons" / "sitemaps" / "extension";
  if (!fs::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir;
  for (const auto& entry : fs::directory_iterator(dir)) {
    LinkList list = ParseLinkList(ReadFile(entry.path()), "", "");
    EXPECT_EQ(list.kind, LinkListKind::kSitemap) << entry.path();
    EXPECT_FALSE(list.entries.empty()) << entry.path();
    for (const LinkListEntry& e : list.entries) {
      EXPECT_TRUE(e.url.starts_with("http")) << entry.path() << ": " << e.url;
    }
  }
}

TEST(MaybeGunzipTest, StopsBombsAndReportsBrokenStreams) {
  const fs::path dir = SharedData() / "http-compression";
  if (!fs::exists(dir)) GTEST_SKIP() << "shared data not found at " << dir;
  auto bomb = MaybeGunzip(ReadFile(dir / "bomb-gzip.bin"), 1 << 20);
  EXPECT_EQ(bomb.status().code(), StatusCode::kResourceExhausted);
  auto bomb_roomy = MaybeGunzip(ReadFile(dir / "bomb-gzip.bin"), 12 << 20);
  ASSERT_TRUE(bomb_roomy.ok());
  EXPECT_EQ(bomb_roomy->size(), 11511612u);
  for (const char* broken : {"truncated-crc-error.gz", "truncated-crc-error-short.gz",
                             "unexpected-eof.gz"}) {
    auto result = MaybeGunzip(ReadFile(dir / broken), 10 << 20);
    EXPECT_EQ(result.status().code(), StatusCode::kCorruption) << broken;
  }
  auto page = MaybeGunzip(ReadFile(dir / "html-gzip.bin"), 1 << 20);
  ASSERT_TRUE(page.ok());
  EXPECT_NE(page->find("<html"), std::string::npos);
  auto feed = MaybeGunzip(ReadFile(dir / "feed-sample1.xml.gz"), 1 << 20);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(*feed, ReadFile(dir / "feed-sample1.xml"));
  // Not gzip (raw deflate, brotli): returned unchanged for the fetcher to handle.
  const std::string br = ReadFile(dir / "html-br.bin");
  auto passthrough = MaybeGunzip(br, 1 << 20);
  ASSERT_TRUE(passthrough.ok());
  EXPECT_EQ(*passthrough, br);
}

}  // namespace
}  // namespace newsclaim::crawler
