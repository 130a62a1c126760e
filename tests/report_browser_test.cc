// The reviewer-facing commands end to end, with real parts only: a python3
// HTTP server on 127.0.0.1 serving a temp copy of corpus/site with one
// hostile page planted in it (tests/testdata/report/), the real
// build/newsclaim crawling it into a real SQLite file, and then:
// * the HTML report rendered by headless Chromium (Debian's `chromium`):
//   a screenshot that must have the asked-for size and not be blank (the PNG
//   is parsed and inflated with zlib here), and the rendered DOM, which must
//   show the conflicts, highlighted figures and a timeline, and none of the
//   hostile page's script;
// * the Markdown and JSON reports;
// * `query` filters and formats, `review` validation and `conflicts` with
//   the latest verdict.
// The Chromium tests skip, saying so, when no Chromium is installed
// (scripts/install-deps.sh installs it, so CI runs them).
#include <dlfcn.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr char kHostilePage[] = "hostile-korea-gpus.html";
constexpr char kReportTitle[] = "newsclaim: where sources disagree";
constexpr int kShotWidth = 1280;
constexpr int kShotHeight = 2000;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<json> ParseJsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The document's own <title> (the one in <head>), "" when there is none.
std::string HeadTitle(const std::string& dom) {
  const size_t head_end = dom.find("</head>");
  const size_t open = dom.find("<title>");
  if (open == std::string::npos || open > head_end) return "";
  const size_t close = dom.find("</title>", open);
  return dom.substr(open + 7, close - open - 7);
}

// $NEWSCLAIM_CHROMIUM when set (a path that does not exist means none), else
// Debian's /usr/bin/chromium, else one on PATH; "" if none.
std::string FindChromium() {
  if (const char* env = std::getenv("NEWSCLAIM_CHROMIUM"); env != nullptr) {
    return fs::exists(env) ? env : "";
  }
  if (fs::exists("/usr/bin/chromium")) return "/usr/bin/chromium";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      if (!dir.empty() && fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
    }
  }
  return "";
}

// ---- PNG (RFC 2083 / ISO 15948) ----------------------------------------------------

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
};

uint32_t BigEndian32(const std::string& bytes, size_t at) {
  return (uint32_t{static_cast<uint8_t>(bytes[at])} << 24) |
         (uint32_t{static_cast<uint8_t>(bytes[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(bytes[at + 2])} << 8) |
         uint32_t{static_cast<uint8_t>(bytes[at + 3])};
}

// zlib is not linked into this binary (its CMake target names only the test
// support, SQLite and JSON); the system's libz.so.1 is loaded at run time.
using UncompressFn = decltype(&::uncompress);

// Decodes an 8-bit, non-interlaced gray, RGB or RGBA PNG into RGB. Fails
// the current test (and returns nullopt) for anything else.
std::optional<Image> DecodePng(const std::string& png) {
  static const std::string kSignature = "\x89PNG\r\n\x1a\n";
  if (png.compare(0, kSignature.size(), kSignature) != 0) {
    ADD_FAILURE() << "not a PNG signature";
    return std::nullopt;
  }
  Image image;
  int bit_depth = 0, color_type = 0, interlace = 0;
  std::string idat;
  for (size_t at = kSignature.size(); at + 12 <= png.size();) {
    const uint32_t length = BigEndian32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (at + 12 + length > png.size()) break;
    if (type == "IHDR") {
      image.width = static_cast<int>(BigEndian32(png, at + 8));
      image.height = static_cast<int>(BigEndian32(png, at + 12));
      bit_depth = static_cast<uint8_t>(png[at + 16]);
      color_type = static_cast<uint8_t>(png[at + 17]);
      interlace = static_cast<uint8_t>(png[at + 20]);
    } else if (type == "IDAT") {
      idat += png.substr(at + 8, length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  const std::map<int, int> channels_of = {{0, 1}, {2, 3}, {4, 2}, {6, 4}};
  if (image.width <= 0 || image.height <= 0 || bit_depth != 8 || interlace != 0 ||
      !channels_of.count(color_type) || idat.empty()) {
    ADD_FAILURE() << "unsupported PNG: " << image.width << "x" << image.height << " depth "
                  << bit_depth << " color " << color_type << " interlace " << interlace;
    return std::nullopt;
  }
  void* zlib = dlopen("libz.so.1", RTLD_NOW);
  if (zlib == nullptr) {
    ADD_FAILURE() << "cannot load libz.so.1: " << dlerror();
    return std::nullopt;
  }
  auto uncompress_fn = reinterpret_cast<UncompressFn>(dlsym(zlib, "uncompress"));
  const int channels = channels_of.at(color_type);
  const size_t stride = static_cast<size_t>(image.width) * channels;
  std::vector<uint8_t> raw((stride + 1) * image.height);
  uLongf raw_size = raw.size();
  const int rc = uncompress_fn(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()),
                               idat.size());
  dlclose(zlib);
  if (rc != Z_OK || raw_size != raw.size()) {
    ADD_FAILURE() << "zlib uncompress failed: rc " << rc << ", " << raw_size << " of "
                  << raw.size() << " bytes";
    return std::nullopt;
  }
  // Undo the per-row filters (None, Sub, Up, Average, Paeth).
  std::vector<uint8_t> pixels(stride * image.height);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    uint8_t* out = &pixels[y * stride];
    const uint8_t* up = y > 0 ? &pixels[(y - 1) * stride] : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= static_cast<size_t>(channels) ? out[x - channels] : 0;
      const int b = up != nullptr ? up[x] : 0;
      const int c = up != nullptr && x >= static_cast<size_t>(channels) ? up[x - channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) / 2; break;
        case 4: {
          const int p = a + b - c;
          const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          ADD_FAILURE() << "bad PNG filter " << int{filter} << " on row " << y;
          return std::nullopt;
      }
      out[x] = static_cast<uint8_t>(in[x] + predictor);
    }
  }
  image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
  for (size_t i = 0; i < static_cast<size_t>(image.width) * image.height; ++i) {
    for (int k = 0; k < 3; ++k) {
      image.rgb[i * 3 + k] = pixels[i * channels + (channels >= 3 ? k : 0)];
    }
  }
  return image;
}

// ---- the fixture -----------------------------------------------------------------------

// One crawl of the corpus plus the hostile page, and one report of each
// format, shared by every test: each reads a different aspect of them.
class ReportBrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const fs::path site = fs::path(dir_->path()) / "site";
    fs::copy(SourceDir() + "/corpus/site", site, fs::copy_options::recursive);
    fs::copy_file(SourceDir() + "/tests/testdata/report/" + kHostilePage,
                  site / "news/2025/11" / kHostilePage);
    server_ = new LocalHttpServer(site.string());
    db_ = dir_->path() + "/claims.db";
    crawl_ = new ProcessResult(Newsclaim(
        {"crawl", "--delay-ms", "0", server_->Url("/"),
         server_->Url(std::string("/news/2025/11/") + kHostilePage)}));
    html_path_ = dir_->path() + "/report.html";
    html_report_ = new ProcessResult(Newsclaim({"report", "--format", "html", "-o", html_path_}));
  }

  static void TearDownTestSuite() {
    delete html_report_;
    delete crawl_;
    delete server_;
    delete dir_;
  }

  static ProcessResult Newsclaim(std::vector<std::string> args, const std::string& db = db_) {
    args.insert(args.begin(), {NewsclaimBinary(), "--db", db});
    return RunProcess(args);
  }

  static json ConflictsJson(const std::string& db = db_) {
    ProcessResult result = Newsclaim({"conflicts", "--status", "all", "--format", "json"}, db);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  static std::vector<json> Claims(const std::vector<std::string>& filters) {
    std::vector<std::string> args = {"query", "--format", "jsonl"};
    args.insert(args.end(), filters.begin(), filters.end());
    ProcessResult result = Newsclaim(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return ParseJsonLines(result.out);
  }

  // Headless Chromium on `html_file` with `mode` ("--dump-dom" or
  // "--screenshot=FILE"); a timeout guards against a hung browser.
  static ProcessResult Chromium(const std::string& chromium, const std::string& mode,
                                const std::string& html_file) {
    return RunProcess({"timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu",
                       "--user-data-dir=" + dir_->path() + "/chromium-profile",
                       "--window-size=" + std::to_string(kShotWidth) + "," +
                           std::to_string(kShotHeight),
                       mode, "file://" + html_file});
  }

  // The rendered DOM of the report (cached), or "" with the test skipped
  // when Chromium is absent.
  static std::string RenderedDom() {
    static std::string* dom = nullptr;
    if (dom == nullptr) {
      ProcessResult result = Chromium(FindChromium(), "--dump-dom", html_path_);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      dom = new std::string(result.out);
    }
    return *dom;
  }

  // A copy of the crawled database for tests that write to it.
  static std::string CopyOfDatabase(const std::string& name) {
    const std::string copy = dir_->path() + "/" + name;
    for (const char* suffix : {"", "-wal"}) {
      if (fs::exists(db_ + suffix)) {
        fs::copy_file(db_ + suffix, copy + suffix, fs::copy_options::overwrite_existing);
      }
    }
    return copy;
  }

  static TempDir* dir_;
  static LocalHttpServer* server_;
  static std::string db_;
  static std::string html_path_;
  static ProcessResult* crawl_;
  static ProcessResult* html_report_;
};

TempDir* ReportBrowserTest::dir_ = nullptr;
LocalHttpServer* ReportBrowserTest::server_ = nullptr;
std::string ReportBrowserTest::db_;
std::string ReportBrowserTest::html_path_;
ProcessResult* ReportBrowserTest::crawl_ = nullptr;
ProcessResult* ReportBrowserTest::html_report_ = nullptr;

#define SKIP_WITHOUT_CHROMIUM()                                                         \
  do {                                                                                  \
    if (FindChromium().empty()) {                                                       \
      GTEST_SKIP() << "Chromium is not installed (Debian: apt-get install chromium, or " \
                      "scripts/install-deps.sh); skipping the browser check";           \
    }                                                                                   \
  } while (0)

// ---- the database and the report files ----------------------------------------------------

TEST_F(ReportBrowserTest, CrawlStoresTheHostilePageAmongTheConflicts) {
  ASSERT_EQ(crawl_->exit_code, 0) << crawl_->err;
  const json conflicts = ConflictsJson();
  ASSERT_GE(conflicts["conflicts"].size(), 3u) << conflicts.dump(1);
  bool hostile_in_conflict = false;
  for (const json& conflict : conflicts["conflicts"]) {
    for (const json& claim : conflict["claims"]) {
      if (claim["quote"].get<std::string>().find("PWNED-QUOTE") != std::string::npos) {
        hostile_in_conflict = true;
      }
    }
  }
  EXPECT_TRUE(hostile_in_conflict) << "the planted page's claim joined no conflict";
}

TEST_F(ReportBrowserTest, HtmlReportIsOneFileWithEverythingFromPagesEscaped) {
  ASSERT_EQ(html_report_->exit_code, 0) << html_report_->err;
  const std::string html = ReadFile(html_path_);
  ASSERT_FALSE(html.empty());
  auto contains = [&html](const std::string& needle) {
    return html.find(needle) != std::string::npos;
  };
  EXPECT_TRUE(contains("<style>"));
  for (const char* external : {"<link", " src=\"", "@import", "url(", "<script", "<img",
                               "<iframe", "href=\"javascript:"}) {
    EXPECT_FALSE(contains(external)) << external;
  }
  EXPECT_TRUE(contains("&lt;script&gt;document.title=&#39;PWNED-QUOTE&#39;"));
  EXPECT_TRUE(contains("&lt;img src=x onerror=&quot;document.title=&#39;PWNED-TITLE"));
  // Quotes link to their place in the page (a text fragment).
  EXPECT_TRUE(contains(server_->Url("/news/2025/11/") + kHostilePage + "#:~:text="));
}

TEST_F(ReportBrowserTest, MarkdownAndJsonReportsCoverEveryConflict) {
  const json conflicts = ConflictsJson();
  const size_t count = conflicts["conflicts"].size();
  ProcessResult md = Newsclaim({"report", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(CountOf(md.out, "\n### "), count);
  EXPECT_EQ(CountOf(md.out, "Preferred:") + CountOf(md.out, "No preference"), count);
  EXPECT_THAT(md.out, Not(HasSubstr("<script")));

  ProcessResult json_report = Newsclaim({"report", "--format", "json"});
  ASSERT_EQ(json_report.exit_code, 0) << json_report.err;
  const json root = json::parse(json_report.out);
  ASSERT_EQ(root["conflicts"].size(), count);
  std::set<std::string> subjects;
  for (const json& conflict : conflicts["conflicts"]) subjects.insert(conflict["subject"]);
  EXPECT_EQ(root["subjects"].size(), subjects.size());
  for (size_t i = 0; i < count; ++i) {
    const json& ours = root["conflicts"][i];
    const json& listed = conflicts["conflicts"][i];
    // Every contract field as `conflicts --format json` has it.
    for (const char* field : {"id", "class", "severity", "status", "subject", "kind", "key",
                              "explanation", "preferred"}) {
      EXPECT_EQ(ours[field], listed[field]) << field;
    }
    EXPECT_EQ(ours["claims"].size(), listed["claims"].size());
    EXPECT_FALSE(ours["preferred_reason"].get<std::string>().empty());
  }
  EXPECT_GE(root["stats"]["pages"].get<int>(), 31);
}

// ---- Chromium ----------------------------------------------------------------------------

TEST_F(ReportBrowserTest, ScreenshotHasTheRequestedSizeAndIsNotBlank) {
  SKIP_WITHOUT_CHROMIUM();
  const std::string png_path = dir_->path() + "/report.png";
  ProcessResult shot = Chromium(FindChromium(), "--screenshot=" + png_path, html_path_);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png_path)) << shot.err;
  std::optional<Image> image = DecodePng(ReadFile(png_path));
  ASSERT_TRUE(image.has_value());
  EXPECT_EQ(image->width, kShotWidth);
  EXPECT_EQ(image->height, kShotHeight);

  // Not blank: many colours, and much of the page differs from its background.
  std::unordered_set<uint32_t> colours;
  std::map<uint32_t, size_t> counts;
  bool highlight = false;  // <mark>'s #fff3a3
  bool preferred = false;  // the preferred card's #067647 border
  const size_t pixels = image->rgb.size() / 3;
  for (size_t i = 0; i < pixels; ++i) {
    const int r = image->rgb[i * 3], g = image->rgb[i * 3 + 1], b = image->rgb[i * 3 + 2];
    const uint32_t colour = (r << 16) | (g << 8) | b;
    colours.insert(colour);
    ++counts[colour];
    if (std::abs(r - 0xff) <= 3 && std::abs(g - 0xf3) <= 3 && std::abs(b - 0xa3) <= 3) {
      highlight = true;
    }
    if (std::abs(r - 0x06) <= 3 && std::abs(g - 0x76) <= 3 && std::abs(b - 0x47) <= 3) {
      preferred = true;
    }
  }
  size_t background = 0;
  for (const auto& [colour, count] : counts) background = std::max(background, count);
  EXPECT_GE(colours.size(), 64u);
  EXPECT_LT(background, pixels * 95 / 100) << "the page is almost one colour";
  EXPECT_TRUE(highlight) << "no highlighted figure is visible";
  EXPECT_TRUE(preferred) << "no preferred claim is visible";
}

TEST_F(ReportBrowserTest, RenderedDomHasASectionPerSubjectConflictsHighlightsAndATimeline) {
  SKIP_WITHOUT_CHROMIUM();
  const std::string dom = RenderedDom();
  ASSERT_FALSE(dom.empty());
  const json conflicts = ConflictsJson();
  std::set<std::string> subjects;
  bool has_revision = false;
  for (const json& conflict : conflicts["conflicts"]) {
    subjects.insert(conflict["subject"]);
    if (conflict["class"] == "revision") has_revision = true;
    // Each conflict is an article with its class and severity.
    EXPECT_THAT(dom, HasSubstr("id=\"c-" + conflict["id"].get<std::string>() + "\""));
  }
  EXPECT_EQ(CountOf(dom, "<section class=\"subject\""), subjects.size());
  EXPECT_EQ(CountOf(dom, "<article class=\"conflict"), conflicts["conflicts"].size());
  EXPECT_EQ(CountOf(dom, "<p class=\"preference\">"), conflicts["conflicts"].size());
  EXPECT_GE(CountOf(dom, "<mark>"), conflicts["conflicts"].size());
  EXPECT_THAT(dom, HasSubstr("<mark>26万枚</mark>"));
  EXPECT_THAT(dom, HasSubstr("<span class=\"badge class\">contradiction</span>"));
  EXPECT_THAT(dom, HasSubstr("<span class=\"badge high\">high</span>"));
  ASSERT_TRUE(has_revision) << "the corpus's HIREZO revision was not raised";
  EXPECT_THAT(dom, HasSubstr("<svg class=\"timeline\""));
  EXPECT_THAT(dom, HasSubstr("<circle class=\"statement\""));
}

TEST_F(ReportBrowserTest, HostilePageTextIsShownAsTextAndNeverRuns) {
  SKIP_WITHOUT_CHROMIUM();
  const std::string dom = RenderedDom();
  ASSERT_FALSE(dom.empty());
  EXPECT_EQ(HeadTitle(dom), kReportTitle);
  EXPECT_THAT(dom, Not(HasSubstr("<script")));
  EXPECT_THAT(dom, Not(HasSubstr("<img")));
  EXPECT_THAT(dom, Not(HasSubstr("<a href=\"javascript:")));
  EXPECT_THAT(dom, HasSubstr("&lt;script&gt;document.title='PWNED-QUOTE'&lt;/script&gt;"));
  EXPECT_THAT(dom, HasSubstr("&lt;img src=x onerror=\"document.title='PWNED-IMG'\"&gt;"));
}

TEST_F(ReportBrowserTest, EscapingAloneKeepsScriptsOutWithoutTheCsp) {
  SKIP_WITHOUT_CHROMIUM();
  // The same report without its Content-Security-Policy: only escaping
  // stands between the page text and the browser now.
  std::string html = ReadFile(html_path_);
  const size_t csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
  ASSERT_NE(csp, std::string::npos);
  html.erase(csp, html.find('>', csp) + 1 - csp);
  const std::string no_csp = dir_->path() + "/report-no-csp.html";
  WriteFile(no_csp, html);
  ProcessResult rendered = Chromium(FindChromium(), "--dump-dom", no_csp);
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(HeadTitle(rendered.out), kReportTitle);
  EXPECT_THAT(rendered.out, Not(HasSubstr("PWNED-IMG\">")));

  // The control: a real script in that page does run, so the check above
  // would have caught an unescaped one.
  const std::string control = dir_->path() + "/report-control.html";
  std::string with_script = html;
  with_script.insert(with_script.rfind("</body>"),
                     "<script>document.title = 'CONTROL-RAN';</script>");
  WriteFile(control, with_script);
  ProcessResult ran = Chromium(FindChromium(), "--dump-dom", control);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(HeadTitle(ran.out), "CONTROL-RAN");
}

// ---- query -------------------------------------------------------------------------------

TEST_F(ReportBrowserTest, QueryResolvesSubjectAliases) {
  const std::vector<json> korea = Claims({"--subject", "韓国", "--kind", "gpu_count"});
  ASSERT_FALSE(korea.empty());
  for (const json& claim : korea) EXPECT_EQ(claim["subject"], "South Korea");
  EXPECT_EQ(Claims({"--subject", "South Korea", "--kind", "gpu_count"}).size(), korea.size());
}

TEST_F(ReportBrowserTest, QueryFiltersByTheExtraFields) {
  const std::vector<json> all = Claims({});
  ASSERT_GT(all.size(), 100u);
  EXPECT_EQ(Claims({"--site", "127.0.0.1"}).size(), all.size());
  EXPECT_TRUE(Claims({"--site", "example.com"}).empty());

  const std::vector<json> english = Claims({"--lang", "en"});
  ASSERT_FALSE(english.empty());
  EXPECT_LT(english.size(), all.size());
  for (const json& claim : english) EXPECT_EQ(claim["lang"], "en");

  const std::vector<json> blackwell = Claims({"--product", "blackwell"});
  ASSERT_FALSE(blackwell.empty());
  for (const json& claim : blackwell) EXPECT_EQ(claim["product"], "Blackwell");

  const std::vector<json> hostile = Claims({"--contains", "pwned-quote"});
  ASSERT_FALSE(hostile.empty());
  for (const json& claim : hostile) {
    EXPECT_THAT(claim["url"].get<std::string>(), HasSubstr(kHostilePage));
  }

  const std::vector<json> november =
      Claims({"--published-since", "2025-11", "--published-until", "2025-11"});
  ASSERT_FALSE(november.empty());
  for (const json& claim : november) {
    EXPECT_TRUE(claim["published"].get<std::string>().starts_with("2025-11")) << claim.dump();
  }

  EXPECT_EQ(Claims({"--limit", "3"}).size(), 3u);
}

TEST_F(ReportBrowserTest, QueryTimeWindowKeepsFiguresThatHoldInIt) {
  const std::vector<json> in_2027 =
      Claims({"--kind", "gpu_count", "--since", "2027", "--until", "2027"});
  ASSERT_FALSE(in_2027.empty());
  bool hirezo = false;
  for (const json& claim : in_2027) {
    const std::string start =
        (claim["time"].is_null() ? claim["published"] : claim["time"]["start"]).get<std::string>();
    const std::string end =
        (claim["time"].is_null() ? claim["published"] : claim["time"]["end"]).get<std::string>();
    EXPECT_LE(start, "2027-12-31") << claim.dump();
    EXPECT_GE(end, "2027-01-01") << claim.dump();
    if (claim["subject"] == "HIREZO") hirezo = true;
  }
  EXPECT_TRUE(hirezo) << "HIREZO's 3万基 by 2027 is missing";
}

TEST_F(ReportBrowserTest, QueryRejectsABadDateAsAUsageError) {
  ProcessResult bad = Newsclaim({"query", "--since", "2025-13-01"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--since: expected YYYY-MM-DD"));
  EXPECT_EQ(Newsclaim({"query", "--lang", "fr"}).exit_code, 2);
}

TEST_F(ReportBrowserTest, QueryFormatsAgreeOnTheClaims) {
  const std::vector<std::string> filters = {"--kind", "gpu_count"};
  const size_t count = Claims(filters).size();
  ASSERT_GT(count, 5u);

  ProcessResult csv = Newsclaim({"query", "--kind", "gpu_count", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("id,kind,subject,")) << csv.out.substr(0, 80);
  EXPECT_EQ(CountOf(csv.out, "\r\n"), count + 1);

  ProcessResult table =
      Newsclaim({"query", "--kind", "gpu_count", "--format", "table", "--width", "140"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines;
  std::istringstream in(table.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), count + 2);
  EXPECT_TRUE(lines.front().starts_with("ID  ")) << lines.front();
  EXPECT_THAT(lines.front(), HasSubstr("QUOTE"));
  EXPECT_EQ(lines.back(), std::to_string(count) + " claims");
  // Long quotes are cut to the line, around their figure.
  EXPECT_GT(CountOf(table.out, "…"), 0u);
}

// ---- review and conflicts -------------------------------------------------------------------

TEST_F(ReportBrowserTest, ReviewRejectsUnknownConflictsAndNonMemberClaims) {
  const std::string db = CopyOfDatabase("review-errors.db");
  const json conflict = ConflictsJson(db)["conflicts"][0];
  const std::string id = conflict["id"];

  ProcessResult unknown = Newsclaim({"review", "0000000000000000", "--verdict", "confirmed"}, db);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no conflict with id '0000000000000000'"));

  ProcessResult bad_verdict = Newsclaim({"review", id, "--verdict", "maybe"}, db);
  EXPECT_EQ(bad_verdict.exit_code, 2);

  ProcessResult stranger =
      Newsclaim({"review", id, "--verdict", "resolved", "--prefer", "ffffffffffffffff"}, db);
  EXPECT_EQ(stranger.exit_code, 2);
  EXPECT_THAT(stranger.err, HasSubstr("is not a member of conflict " + id));
  // The error lists the claims that are members.
  EXPECT_THAT(stranger.err, HasSubstr(conflict["claims"][0]["id"].get<std::string>()));

  // Nothing was recorded.
  // The whole document is held: a range-for over a temporary's member
  // would read freed memory (the temporary dies before the loop).
  const json after = ConflictsJson(db);
  for (const json& listed : after["conflicts"]) {
    EXPECT_EQ(listed["status"], "open");
    EXPECT_TRUE(listed["review"].is_null());
  }
}

TEST_F(ReportBrowserTest, ReviewRecordsTheVerdictAndConflictsShowIt) {
  const std::string db = CopyOfDatabase("review.db");
  const json conflict = ConflictsJson(db)["conflicts"][0];
  const std::string id = conflict["id"];
  const std::string member = conflict["claims"].back()["id"];

  // A unique prefix of the id is enough.
  ProcessResult recorded = Newsclaim({"review", id.substr(0, 8), "--verdict", "confirmed",
                                      "--prefer", member, "--note", "checked the release"},
                                     db);
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("recorded review of conflict " + id));
  EXPECT_THAT(recorded.out, HasSubstr("verdict:   confirmed (status was open)"));
  EXPECT_THAT(recorded.out, HasSubstr("preferred: "));
  EXPECT_THAT(recorded.out, HasSubstr("claim " + member));
  EXPECT_THAT(recorded.out, HasSubstr("note:      checked the release"));

  ProcessResult confirmed =
      Newsclaim({"conflicts", "--status", "confirmed", "--format", "json"}, db);
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  const json listed = json::parse(confirmed.out)["conflicts"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(listed[0]["status"], "confirmed");
  EXPECT_EQ(listed[0]["preferred"], member);
  EXPECT_EQ(listed[0]["preferred_by"], "reviewer");
  EXPECT_EQ(listed[0]["review"]["verdict"], "confirmed");
  EXPECT_EQ(listed[0]["review"]["note"], "checked the release");

  ProcessResult open = Newsclaim({"conflicts", "--format", "json"}, db);
  ASSERT_EQ(open.exit_code, 0);
  const json still_open = json::parse(open.out);
  for (const json& c : still_open["conflicts"]) EXPECT_NE(c["id"], id);

  ProcessResult table = Newsclaim({"conflicts", "--status", "all"}, db);
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, HasSubstr(id + "  " + conflict["class"].get<std::string>()));
  EXPECT_THAT(table.out, HasSubstr("status: confirmed"));
  EXPECT_THAT(table.out, HasSubstr("latest verdict: confirmed on "));
  EXPECT_THAT(table.out, HasSubstr("checked the release"));
  EXPECT_THAT(table.out, HasSubstr("latest verdict: none (not reviewed)"));

  ProcessResult html = Newsclaim({"report", "--format", "html"}, db);
  ASSERT_EQ(html.exit_code, 0);
  EXPECT_THAT(html.out, HasSubstr("Reviewed: confirmed on "));
  EXPECT_THAT(html.out, HasSubstr("chosen by the reviewer (confirmed on "));
}

}  // namespace
}  // namespace newsclaim::testing
