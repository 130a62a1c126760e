// crawler/robots_test.cc
// Tests for RobotsRules: RFC 9309 examples inline, then the 24 robots.txt
// cases from crawler-commons (expectations written from RFC 9309; where a
// file's own comment disagrees with the RFC, the case says so).

#include "crawler/robots.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;

fs::path RobotsDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return fs::path(env != nullptr ? env : NEWSCLAIM_SOURCE_DIR) / ".." / "shared" / "data" /
         "sitemaps-robots-urls" / "crawler-commons" / "robots";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(RobotsRulesTest, MatchesPatternsLikeRfc9309Examples) {
  // Pattern semantics of RFC 9309 section 2.2.3 ("*", "$") and the percent-
  // encoding table of section 2.2.2.
  struct Case {
    std::string_view pattern;
    std::string_view path;
    bool matches;
  };
  const Case cases[] = {
      {"/fish", "/fish", true},
      {"/fish", "/fish.html", true},
      {"/fish", "/fish/salmon.html", true},
      {"/fish", "/fishheads/yummy.html", true},
      {"/fish", "/fish.php?id=anything", true},
      {"/fish", "/Fish.asp", false},
      {"/fish", "/catfish", false},
      {"/fish", "/?id=fish", false},
      {"/fish*", "/fishheads", true},
      {"/fish/", "/fish/?id=anything", true},
      {"/fish/", "/fish", false},
      {"/fish/", "/animals/fish/", false},
      {"/*.php", "/folder/filename.php?parameters", true},
      {"/*.php", "/folder/any.php.file.html", true},
      {"/*.php", "/windows.PHP", false},
      {"/*.php$", "/filename.php", true},
      {"/*.php$", "/filename.php?parameters", false},
      {"/*.php$", "/filename.php5", false},
      {"/fish*.php", "/fishheads/catfish.php?parameters", true},
      {"*.gif$", "/a/b.gif", true},
      {"*.gif$", "/a/b.gif?x", false},
      {"/a$b", "/a$b", true},  // "$" not at the end is literal
      {"/foo/bar?baz=quz", "/foo/bar?baz=quz", true},
      {"/foo/bar/\xE3\x83\x84", "/foo/bar/%E3%83%84", true},
      {"/foo/bar/%E3%83%84", "/foo/bar/\xE3\x83\x84", true},
      {"/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84", true},
      {"/foo/bar/%62%61%7A", "/foo/bar/baz", true},
      {"/a%2Fb", "/a/b", false},  // an escaped reserved character stays escaped
  };
  for (const Case& c : cases) {
    const std::string body = "User-agent: *\nDisallow: " + std::string(c.pattern) + "\n";
    RobotsRules rules = RobotsRules::Parse(body, "newsclaim");
    EXPECT_EQ(rules.IsAllowed(c.path), !c.matches)
        << "pattern " << c.pattern << " path " << c.path;
  }
}

TEST(RobotsRulesTest, LongestMatchWinsAndAllowWinsTies) {
  RobotsRules rules = RobotsRules::Parse(
      "User-agent: *\n"
      "Allow: /p\n"
      "Disallow: /\n"
      "Disallow: /folder/\n"
      "Allow: /folder/page\n"
      "Allow: /tie\n"
      "Disallow: /tie\n"
      "Allow: /$\n"
      "Disallow: /*.htm\n"
      "Allow: /page\n",
      "newsclaim");
  EXPECT_TRUE(rules.IsAllowed("/page"));
  EXPECT_TRUE(rules.IsAllowed("/folder/page"));
  EXPECT_FALSE(rules.IsAllowed("/folder/other"));
  EXPECT_TRUE(rules.IsAllowed("/tie"));
  EXPECT_TRUE(rules.IsAllowed("/"));
  EXPECT_FALSE(rules.IsAllowed("/page.htm"));  // "/*.htm" (6) beats "/page" (5)
  EXPECT_FALSE(rules.IsAllowed("/x"));
}

TEST(RobotsRulesTest, FallsBackToStarAndMatchesProductTokenCaseInsensitively) {
  const char* body =
      "User-agent: NewsClaim/1.0\n"
      "Disallow: /mine\n"
      "\n"
      "User-agent: *\n"
      "Disallow: /everyone\n";
  RobotsRules ours = RobotsRules::Parse(body, "newsclaim/0.1 (+https://example.org/bot)");
  EXPECT_FALSE(ours.IsAllowed("/mine"));
  EXPECT_TRUE(ours.IsAllowed("/everyone"));
  RobotsRules other = RobotsRules::Parse(body, "otherbot");
  EXPECT_TRUE(other.IsAllowed("/mine"));
  EXPECT_FALSE(other.IsAllowed("/everyone"));
}

TEST(RobotsRulesTest, RobotsTxtItselfIsAlwaysAllowed) {
  RobotsRules rules = RobotsRules::Parse("User-agent: *\nDisallow: /\n", "newsclaim");
  EXPECT_TRUE(rules.IsAllowed("/robots.txt"));
  EXPECT_FALSE(rules.IsAllowed("/robots.txt.bak"));
}

TEST(RobotsRulesTest, AllowAllAndDisallowAllAreFixedAnswers) {
  EXPECT_TRUE(RobotsRules::AllowAll().IsAllowed("/anything"));
  EXPECT_FALSE(RobotsRules::DisallowAll().IsAllowed("/anything"));
  EXPECT_FALSE(RobotsRules::DisallowAll().IsAllowed("/"));
  EXPECT_TRUE(RobotsRules::Parse("", "newsclaim").IsAllowed("/x"));
}

TEST(RobotsRulesTest, HandlesCrLineEndingsCommentsAndGarbage) {
  RobotsRules rules = RobotsRules::Parse(
      "# comment\r\nUser-agent: * # trailing\rDisallow: /a # c\r\n"
      "this line is garbage\n\x01\x02\nCrawl-delay: abc\n",
      "newsclaim");
  EXPECT_FALSE(rules.IsAllowed("/a"));
  EXPECT_TRUE(rules.IsAllowed("/b"));
  EXPECT_EQ(rules.warnings().size(), 3u);
}

TEST(RobotsRulesTest, SurvivesHugeAndBinaryInput) {
  std::string body = "User-agent: *\nDisallow: /x\n";
  body += std::string(600 * 1024, '\0');
  body += "\nDisallow: /late\n";
  RobotsRules rules = RobotsRules::Parse(body, "newsclaim");
  EXPECT_FALSE(rules.IsAllowed("/x"));
  EXPECT_TRUE(rules.IsAllowed("/late"));  // past the 512 KiB cap
  EXPECT_FALSE(rules.warnings().empty());
  // A pathological pattern stays fast (position-set matching, no backtracking).
  RobotsRules stars = RobotsRules::Parse(
      "User-agent: *\nDisallow: /" + std::string(200, '*') + "x$\n", "newsclaim");
  EXPECT_TRUE(stars.IsAllowed("/" + std::string(5000, 'a')));
}

// --- crawler-commons files ---------------------------------------------------

struct FileCase {
  const char* file;
  const char* agent;
  const char* path;
  bool allowed;
};

TEST(RobotsRulesTest, AnswersCrawlerCommonsFiles) {
  if (!fs::exists(RobotsDir())) GTEST_SKIP() << "shared data not found at " << RobotsDir();
  const FileCase cases[] = {
      // RFC 9309 5.1
      {"rfc9309-example-simple-robots.txt", "foobot", "/example/page.html", true},
      {"rfc9309-example-simple-robots.txt", "foobot", "/example/allowed.gif", true},
      {"rfc9309-example-simple-robots.txt", "foobot", "/example/disallowed.gif", false},
      {"rfc9309-example-simple-robots.txt", "foobot", "/other", false},
      {"rfc9309-example-simple-robots.txt", "barbot", "/example/page.html", false},
      {"rfc9309-example-simple-robots.txt", "bazbot", "/example/page.html", false},
      {"rfc9309-example-simple-robots.txt", "bazbot", "/example/other.gif", true},
      {"rfc9309-example-simple-robots.txt", "quxbot", "/example/page.gif", true},
      {"rfc9309-example-simple-robots.txt", "otherbot", "/pics/a.gif", false},
      {"rfc9309-example-simple-robots.txt", "otherbot", "/pics/a.gif?v=1", true},
      {"rfc9309-example-simple-robots.txt", "otherbot", "/example/x", false},
      {"rfc9309-example-simple-robots.txt", "otherbot", "/publications/x", true},
      // RFC 9309 5.2
      {"rfc9309-example-longest-match-robots.txt", "foobot", "/example/page/", true},
      {"rfc9309-example-longest-match-robots.txt", "foobot", "/example/page/disallowed.gif", false},
      {"rfc9309-example-longest-match-robots.txt", "foobot", "/example/page/ok.gif", true},
      // RFC 9309 2.2.1 group merging
      {"rfc9309-example-rule-group-merging.txt", "ExampleBot", "/foo", false},
      {"rfc9309-example-rule-group-merging.txt", "examplebot", "/baz", false},
      {"rfc9309-example-rule-group-merging.txt", "BazBot", "/baz", false},
      {"rfc9309-example-rule-group-merging.txt", "BazBot", "/foo", true},
      {"rfc9309-example-rule-group-merging.txt", "otherbot", "/bar", false},
      {"rfc9309-example-rule-group-merging.txt", "otherbot", "/baz", true},
      // Crawl-delay between two user-agent lines keeps them in one group.
      {"crawl-delay-group-merging.txt", "mybot", "/private/x", false},
      {"crawl-delay-group-merging.txt", "yourbot", "/private/x", false},
      {"crawl-delay-group-merging.txt", "yourbot", "/login/", false},
      // The file's comment says /login/ applies to mybot too; RFC 9309 2.2.1
      // merges groups per product token, and that group names only yourbot.
      {"crawl-delay-group-merging.txt", "mybot", "/login/", true},
      {"crawl-delay-group-merging.txt", "otherbot", "/private/x", true},
      // Unknown records (Clean-Param) do not end a run of user-agent lines.
      {"extensions-group-merging.txt", "mybot", "/private/", false},
      {"extensions-group-merging.txt", "mybot", "/login/", false},
      {"extensions-group-merging.txt", "mybot", "/other", true},
      {"extensions-group-merging.txt", "otherbot", "/other", false},
      {"extensions-group-merging.txt", "otherbot", "/llms.txt", true},
      // Typos.
      {"directive-typos-robots.txt", "bot1", "/desallow/x", false},
      {"directive-typos-robots.txt", "bot1", "/dissalow/x", false},
      {"directive-typos-robots.txt", "bot2", "/useragent/", false},
      {"directive-typos-robots.txt", "bot3", "/useg-agent/", true},  // "useg-agent" is not read
      {"directive-typos-robots.txt", "bot4", "/useragent-no-colon/", false},
      {"format-errors-robots.txt", "bot1", "/whitespace-before-colon/", false},
      {"format-errors-robots.txt", "bot1", "/no-colon/", false},
      {"format-errors-robots.txt", "bot2", "/no-colon-useragent/", false},
      {"format-errors-robots.txt", "bot3", "/whitespace-before-colon", true},
      {"format-errors-robots.txt", "bot3", "/other", false},
      {"malformed-path.txt", "anybot", "/wiki/Wikipedia_talk:Mediation_Committee/x", false},
      {"malformed-path.txt", "anybot", "/wiki/Wikipedia_talk%3Mediation_Committee/x", false},
      {"malformed-path.txt", "anybot", "/wiki/Tokyo", true},
      {"merge-rules.txt", "wget", "/foo/bar", true},  // Allow ties with Disallow
      {"merge-rules.txt", "wget", "/tmp/bar", false},
      {"merge-rules.txt", "testy", "/anything", false},
      {"merge-rules.txt", "otherbot", "/foo/bar", false},
      {"merge-rules.txt", "otherbot", "/ckh/bar", true},
      {"precedence-of-rules.txt", "testy", "/foo/bar", true},
      {"precedence-of-rules.txt", "testy", "/foo/baz", false},
      {"precedence-of-rules.txt", "testy", "/foo", false},
      {"precedence-of-rules.txt", "testy", "/elsewhere", true},
      {"precedence-of-rules.txt", "wget", "/foo", true},
      {"precedence-of-rules.txt", "wget", "/index.html", true},
      {"precedence-of-rules.txt", "wget", "/other", false},
      {"many-user-agents.txt", "wget", "/index.html", false},
      {"many-user-agents.txt", "BlackWidow", "/", false},
      {"many-user-agents.txt", "newsclaim", "/forum/x", false},
      {"many-user-agents.txt", "newsclaim", "/news/x", true},
      {"twitter.com-robots.txt", "Googlebot", "/search?q=x", false},
      {"twitter.com-robots.txt", "Googlebot", "/jack/with_friends", false},
      {"twitter.com-robots.txt", "newsclaim", "/jack/status/1", true},
      {"wildcards.txt", "newsclaim", "/gp/registry/wishlist/123/reserve", false},
      {"wildcards.txt", "newsclaim", "/wishlist/universal-thing", true},
      {"wildcards.txt", "newsclaim", "/wishlist/mine", false},
      {"wildcards.txt", "newsclaim", "/deep/path/gcrnsts", false},
      {"wildcards.txt", "newsclaim", "/gp/cart", false},
      {"wildcards.txt", "newsclaim", "/books", true},
      {"robots-with-utf8-bom.txt", "newsclaim", "/login.aspx", false},
      {"robots-with-utf8-bom.txt", "newsclaim", "/x/output/print", false},
      {"robots-with-utf8-bom.txt", "newsclaim", "/news", true},
      {"robots-with-utf16le-bom.txt", "newsclaim", "/login.aspx", false},
      {"robots-with-utf16le-bom.txt", "Googlebot", "/profile", false},
      {"robots-with-utf16le-bom.txt", "newsclaim", "/news", true},
      {"robots-with-utf16be-bom.txt", "newsclaim", "/register.aspx", false},
      {"robots-with-utf16be-bom.txt", "newsclaim", "/news", true},
      {"extension-robots.txt", "newsclaim", "/private/", true},
      {"extension-robots.txt", "mybot", "/private/", false},
      {"extension-robots.txt", "otherbot", "/admin/", false},
      {"extended-standard-robots.txt", "bot1", "/x", true},
      {"www.flot.com-robots.txt", "newsclaim", "/admin/", false},
      {"www.flot.com-robots.txt", "newsclaim", "/news/", true},
      {"relative-sitemap-robots.txt", "newsclaim", "/cache/x", false},
      {"relative-sitemap-robots.txt", "newsclaim", "/about", true},
      {"sitemap-robots.txt", "newsclaim", "/anything", true},
      {"sitemap-robots-dedup.txt", "newsclaim", "/anything", true},
      {"astore.amazon.com-robots.txt", "newsclaim", "/x", true},
      {"dos-line-endings.txt", "newsclaim", "/x", true},
  };
  std::set<std::string> files;
  for (const FileCase& c : cases) {
    const std::string body = ReadFile(RobotsDir() / c.file);
    ASSERT_FALSE(body.empty()) << c.file;
    RobotsRules rules = RobotsRules::Parse(body, c.agent);
    EXPECT_EQ(rules.IsAllowed(c.path), c.allowed)
        << c.file << " agent " << c.agent << " path " << c.path;
    files.insert(c.file);
  }
  EXPECT_EQ(files.size(), 24u);
}

TEST(RobotsRulesTest, ReadsCrawlDelaysFromCrawlerCommonsFiles) {
  if (!fs::exists(RobotsDir())) GTEST_SKIP() << "shared data not found at " << RobotsDir();
  struct Case {
    const char* file;
    const char* agent;
    double seconds;
  };
  const Case cases[] = {
      {"crawl-delay-group-merging.txt", "mybot", 10},
      {"crawl-delay-group-merging.txt", "yourbot", 10},
      {"crawl-delay-group-merging.txt", "otherbot", 30},
      {"twitter.com-robots.txt", "Slurp", 1},
      {"twitter.com-robots.txt", "msnbot", 10},
      {"twitter.com-robots.txt", "newsclaim", 0},
      {"astore.amazon.com-robots.txt", "newsclaim", 5},
      {"dos-line-endings.txt", "newsclaim", 1},
  };
  for (const Case& c : cases) {
    RobotsRules rules = RobotsRules::Parse(ReadFile(RobotsDir() / c.file), c.agent);
    EXPECT_DOUBLE_EQ(rules.crawl_delay_seconds(), c.seconds) << c.file << " " << c.agent;
  }
}

TEST(RobotsRulesTest, CollectsSitemapsFromAnyPosition) {
  if (!fs::exists(RobotsDir())) GTEST_SKIP() << "shared data not found at " << RobotsDir();
  struct Case {
    const char* file;
    std::vector<std::string> sitemaps;
  };
  const Case cases[] = {
      {"sitemap-robots.txt",
       {"http://domain.com/sitemap.xml", "http://domain.com/dir/my-sitemap.xml",
        "http://domain.com/dir/MixedCased-sitemap.xml"}},
      {"sitemap-robots-dedup.txt", {"http://example.org/sitemap.xml"}},
      {"relative-sitemap-robots.txt", {"/sitemap.xml"}},
      {"robots-with-utf16be-bom.txt", {"http://www.newsweek.com/sitemap_index.xml"}},
      {"robots-with-utf16le-bom.txt", {"http://www.newsweek.com/sitemap_index.xml"}},
      {"robots-with-utf8-bom.txt", {"http://www.newsweek.com/sitemap_index.xml"}},
      {"www.flot.com-robots.txt", {"http://flot.com/sitemap_index.xml"}},
      {"format-errors-robots.txt", {"/sitemap.xml"}},
      {"extension-robots.txt", {"/sitemap.xml"}},
      {"twitter.com-robots.txt", {}},
  };
  for (const Case& c : cases) {
    RobotsRules rules = RobotsRules::Parse(ReadFile(RobotsDir() / c.file), "newsclaim");
    EXPECT_EQ(rules.sitemaps(), c.sitemaps) << c.file;
  }
}

TEST(RobotsRulesTest, WarnsOnlyAboutMalformedLines) {
  if (!fs::exists(RobotsDir())) GTEST_SKIP() << "shared data not found at " << RobotsDir();
  // Known extensions (Request-rate, Host, Visit-time...) are not malformed.
  for (const char* file : {"extended-standard-robots.txt", "extension-robots.txt",
                           "rfc9309-example-simple-robots.txt", "wildcards.txt"}) {
    EXPECT_TRUE(RobotsRules::Parse(ReadFile(RobotsDir() / file), "x").warnings().empty()) << file;
  }
  // "disallow /no-colon/", "user-agent bot2" (accepted, with a warning each).
  EXPECT_EQ(RobotsRules::Parse(ReadFile(RobotsDir() / "format-errors-robots.txt"), "x")
                .warnings()
                .size(),
            2u);
}

}  // namespace
}  // namespace newsclaim::crawler
