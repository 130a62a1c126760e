#include "crawler/crawl_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newsclaim::crawler {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kGoodConfig[] = R"toml(# a scheduled crawl
user_agent = "testbot/1.0 (+https://example.org/bot)"
max_depth = 3
delay_ms = 250
recrawl_interval = "1h"
deny = ["/private/"]
warc_dir = "archive"

[[source]]
name = "news"
start = ["https://news.example/"]
feeds = ["https://news.example/feed.xml"]
sitemaps = ["https://news.example/sitemap.xml", "https://news.example/"]
deny = ["*.pdf"]
max_pages = 50

[[source]]
name = "press"
sitemaps = "https://press.example/sitemap.xml"
allow = ["/releases/"]
delay_ms = 2000
recrawl_interval = "6h"
enabled = false
)toml";

TEST(CrawlConfigTest, ParsesSourcesWithTopLevelDefaultsMergedIn) {
  StatusOr<CrawlConfig> config = ParseCrawlConfig(kGoodConfig, "/etc/newsclaim/crawl.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->user_agent, "testbot/1.0 (+https://example.org/bot)");
  EXPECT_EQ(config->warc_dir, "/etc/newsclaim/archive");
  ASSERT_EQ(config->sources.size(), 2u);

  const SourceConfig& news = config->sources[0];
  EXPECT_EQ(news.name, "news");
  EXPECT_EQ(news.line, 9);
  EXPECT_EQ(news.max_depth, 3);
  EXPECT_EQ(news.max_pages, 50);
  EXPECT_EQ(news.delay_ms, 250);
  EXPECT_EQ(news.recrawl_interval_s, 3600);
  EXPECT_THAT(news.deny, ElementsAre("/private/", "*.pdf"));
  EXPECT_TRUE(news.allow.empty());
  EXPECT_TRUE(news.enabled);
  EXPECT_THAT(news.Seeds(), ElementsAre("https://news.example/", "https://news.example/feed.xml",
                                        "https://news.example/sitemap.xml"));

  const SourceConfig& press = config->sources[1];
  EXPECT_THAT(press.sitemaps, ElementsAre("https://press.example/sitemap.xml"));
  EXPECT_THAT(press.allow, ElementsAre("/releases/"));
  EXPECT_THAT(press.deny, ElementsAre("/private/"));
  EXPECT_EQ(press.delay_ms, 2000);
  EXPECT_EQ(press.recrawl_interval_s, 6 * 3600);
  EXPECT_FALSE(press.enabled);
}

TEST(CrawlConfigTest, ReportsEachProblemAtItsFileAndLine) {
  struct Case {
    const char* what;
    const char* text;
    const char* prefix;  // file:line
    const char* message;
  };
  const Case cases[] = {
      {"toml syntax", "user_agent = \"a/1 (+https://x.org)\"\n[[source]\nname = 1\n",
       "c.toml:2: ", ""},
      {"unknown top-level key", "user_agent = \"a/1 (+https://x.org)\"\nmax_deph = 2\n",
       "c.toml:2: ", "unknown key \"max_deph\""},
      {"source key at top level", "start = [\"https://x.org/\"]\n", "c.toml:1: ",
       "belongs in a [[source]]"},
      {"unknown source key", "[[source]]\nname = \"a\"\nstart = [\"https://x.org/\"]\nurl = 1\n",
       "c.toml:4: ", "unknown key \"url\""},
      {"no contact URL", "\n\nuser_agent = \"mybot/1.0\"\n", "c.toml:3: ", "no contact URL"},
      {"no product", "user_agent = \"(+https://x.org)\"\n", "c.toml:1: ", "product name"},
      {"bad URL", "[[source]]\nname = \"a\"\nstart = [\n  \"https://x.org/\",\n  \"ftp://x.org/\",\n]\n",
       "c.toml:5: ", "not an absolute http(s) URL: \"ftp://x.org/\""},
      {"relative URL", "[[source]]\nname = \"a\"\nfeeds = [\"/feed.xml\"]\n", "c.toml:3: ",
       "not an absolute"},
      {"nothing to crawl", "# x\n[[source]]\nname = \"a\"\n", "c.toml:2: ", "nothing to crawl"},
      {"no name", "[[source]]\nstart = [\"https://x.org/\"]\n", "c.toml:1: ", "no name"},
      {"bad name", "[[source]]\nname = \"a b\"\nstart = [\"https://x.org/\"]\n", "c.toml:2: ",
       "must be 1-64 letters"},
      {"duplicate name",
       "[[source]]\nname = \"a\"\nstart = [\"https://x.org/\"]\n"
       "[[source]]\nname = \"a\"\nstart = [\"https://y.org/\"]\n",
       "c.toml:4: ", "duplicate source name \"a\""},
      {"depth out of range", "max_depth = 101\n", "c.toml:1: ", "between 0 and 100, not 101"},
      {"negative delay", "[[source]]\nname = \"a\"\nstart = [\"https://x.org/\"]\ndelay_ms = -1\n",
       "c.toml:4: ", "delay_ms must be between 0"},
      {"wrong type", "max_pages = \"ten\"\n", "c.toml:1: ", "max_pages must be an integer"},
      {"bad interval", "recrawl_interval = \"6 hours\"\n", "c.toml:1: ", "not a duration"},
      {"url list of numbers", "[[source]]\nname = \"a\"\nstart = [1]\n", "c.toml:3: ",
       "only strings"},
      {"no sources", "user_agent = \"a/1 (+https://x.org)\"\n", "c.toml:1: ", "no sources"},
      {"source not a table array", "source = \"a\"\n", "c.toml:1: ", "[[source]]"},
      {"top-only key in a source",
       "[[source]]\nname = \"a\"\nstart = [\"https://x.org/\"]\nuser_agent = \"x\"\n",
       "c.toml:4: ", "only be set at the top level"},
  };
  for (const Case& c : cases) {
    StatusOr<CrawlConfig> config = ParseCrawlConfig(c.text, "c.toml");
    ASSERT_FALSE(config.ok()) << c.what;
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(config.status().message(), StartsWith(c.prefix)) << c.what;
    EXPECT_THAT(config.status().message(), HasSubstr(c.message)) << c.what;
  }
}

TEST(CrawlConfigTest, AMissingFileIsAnIoErrorNamingIt) {
  StatusOr<CrawlConfig> config = LoadCrawlConfig("/nonexistent/crawl.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kIoError);
  EXPECT_THAT(config.status().message(), HasSubstr("/nonexistent/crawl.toml"));
}

TEST(CrawlConfigTest, CommandLineOverridesReplaceSourceValues) {
  StatusOr<CrawlConfig> config = ParseCrawlConfig(kGoodConfig, "/etc/crawl.toml");
  ASSERT_TRUE(config.ok());
  CrawlOverrides overrides;
  overrides.max_depth = 0;
  overrides.delay_ms = 5;
  overrides.user_agent = "other/2 (+mailto:ops@example.org)";
  ApplyOverrides(overrides, *config);
  EXPECT_EQ(config->user_agent, "other/2 (+mailto:ops@example.org)");
  for (const SourceConfig& source : config->sources) {
    EXPECT_EQ(source.max_depth, 0) << source.name;
    EXPECT_EQ(source.delay_ms, 5) << source.name;
  }
  EXPECT_EQ(config->sources[0].max_pages, 50);  // not overridden
}

TEST(CrawlConfigTest, UserAgentNeedsAProductAndAContactUrl) {
  struct Case {
    const char* user_agent;
    bool ok;
  };
  const Case cases[] = {
      {"newsclaim/0.1 (+https://github.com/newsclaim/newsclaim)", true},
      {"mybot/1.0 (+http://example.org/bot.html)", true},
      {"mybot/1.0 (mailto:ops@example.org)", true},
      {"mybot/1.0", false},
      {"mybot/1.0 (https://)", false},
      {"", false},
      {"https://example.org/bot", false},
      {"mybot/1.0 (+https://example.org)\n", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ValidateUserAgent(c.user_agent).ok(), c.ok) << c.user_agent;
  }
}

TEST(CrawlConfigTest, RobotsTokenIsTheProductName) {
  EXPECT_EQ(RobotsToken("newsclaim/0.1 (+https://x.org)"), "newsclaim");
  EXPECT_EQ(RobotsToken("My_Bot-2 (+https://x.org)"), "My_Bot-");
  EXPECT_EQ(RobotsToken("(x)"), "");
}

TEST(CrawlConfigTest, ParsesDurationsWithUnits) {
  struct Case {
    const char* text;
    int64_t seconds;  // -1: an error
  };
  const Case cases[] = {{"0", 0},       {"90s", 90},     {"30m", 1800}, {"6h", 21600},
                        {"1d", 86400},  {"2w", 1209600}, {"6", -1},     {"h", -1},
                        {"6 h", -1},    {"-1h", -1},     {"1y", -1},    {"", -1}};
  for (const Case& c : cases) {
    StatusOr<int64_t> seconds = ParseDurationSeconds(c.text);
    if (c.seconds < 0) {
      EXPECT_FALSE(seconds.ok()) << c.text;
    } else {
      ASSERT_TRUE(seconds.ok()) << c.text;
      EXPECT_EQ(*seconds, c.seconds) << c.text;
    }
  }
}

TEST(CrawlConfigTest, ASourceIsDueOnceItsIntervalLessGraceHasPassed) {
  struct Case {
    const char* what;
    int64_t interval_s;
    std::optional<int64_t> last_started;
    int64_t now;
    bool due;
    int64_t wait_s;
  };
  const Case cases[] = {
      {"never crawled", 3600, std::nullopt, 1000, true, 0},
      {"no interval", 0, 1000, 1001, true, 0},
      {"just crawled", 3600, 10000, 10060, false, 3600 - 180 - 60},
      {"inside the grace", 3600, 10000, 10000 + 3600 - 100, true, 0},
      {"long interval caps grace at 5 min", 86400, 0, 86400 - 301, false, 1},
      {"well past", 3600, 0, 100000, true, 0},
  };
  for (const Case& c : cases) {
    DueCheck check = CheckDue(c.interval_s, c.last_started, c.now);
    EXPECT_EQ(check.due, c.due) << c.what;
    EXPECT_EQ(check.wait_s, c.wait_s) << c.what;
  }
}

TEST(CrawlConfigTest, FormatsDurationsForMessages) {
  EXPECT_EQ(FormatDuration(45), "45s");
  EXPECT_EQ(FormatDuration(720), "12m");
  EXPECT_EQ(FormatDuration(3 * 3600 + 5 * 60 + 9), "3h 5m");
  EXPECT_EQ(FormatDuration(2 * 86400 + 4 * 3600), "2d 4h");
}

}  // namespace
}  // namespace newsclaim::crawler
