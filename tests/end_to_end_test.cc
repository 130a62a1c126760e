// End to end, with real parts only: a python3 HTTP server on 127.0.0.1
// serving corpus/site, the real build/newsclaim crawling it from the home
// page with the real rules and MeCab dictionary, and a real SQLite file
// read back both through the CLI and directly.
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

std::vector<json> ParseJsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(json::parse(line));
  }
  return lines;
}

bool PathEndsWith(const json& claim, const std::string& suffix) {
  return claim["url"].get<std::string>().ends_with(suffix);
}

// One crawl of the corpus shared by every test in the suite: crawling is
// the expensive part, and each test reads a different aspect of its result.
class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new LocalHttpServer(SourceDir() + "/corpus/site");
    db_ = dir_->path() + "/claims.db";
    first_crawl_ = new ProcessResult(Crawl());
  }

  static void TearDownTestSuite() {
    delete first_crawl_;
    delete server_;
    delete dir_;
  }

  static ProcessResult Crawl() {
    return RunProcess({NewsclaimBinary(), "--db", db_, "crawl", "--delay-ms", "0",
                       server_->Url("/")});
  }

  static ProcessResult Newsclaim(std::vector<std::string> args) {
    args.insert(args.begin(), {NewsclaimBinary(), "--db", db_});
    return RunProcess(args);
  }

  static std::vector<json> Claims(const std::vector<std::string>& filters = {}) {
    std::vector<std::string> args = {"query", "--format", "jsonl"};
    args.insert(args.end(), filters.begin(), filters.end());
    ProcessResult result = Newsclaim(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return ParseJsonLines(result.out);
  }

  static json Conflicts() {
    ProcessResult result = Newsclaim({"conflicts", "--status", "all", "--format", "json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  static TempDir* dir_;
  static LocalHttpServer* server_;
  static std::string db_;
  static ProcessResult* first_crawl_;
};

TempDir* EndToEndTest::dir_ = nullptr;
LocalHttpServer* EndToEndTest::server_ = nullptr;
std::string EndToEndTest::db_;
ProcessResult* EndToEndTest::first_crawl_ = nullptr;

TEST_F(EndToEndTest, CrawlOfTheCorpusSucceeds) {
  EXPECT_EQ(first_crawl_->exit_code, 0) << first_crawl_->err;
  EXPECT_THAT(first_crawl_->err, HasSubstr("pages stored"));
}

TEST_F(EndToEndTest, StoresTheNationalTotalAsAnExactGpuCountForSouthKorea) {
  bool found = false;
  for (const json& claim : Claims({"--kind", "gpu_count", "--subject", "South Korea"})) {
    if (claim["text"] == "26万枚") {
      found = true;
      EXPECT_EQ(claim["value"], 260000);
      EXPECT_EQ(claim["low"], 260000);
      EXPECT_EQ(claim["high"], 260000);
      EXPECT_EQ(claim["qualifier"], "exact");
      EXPECT_EQ(claim["unit"], "GPU");
      EXPECT_EQ(claim["lang"], "ja");
      EXPECT_THAT(claim["quote"].get<std::string>(), HasSubstr("26万枚"));
    }
  }
  EXPECT_TRUE(found) << "no 26万枚 gpu_count claim for South Korea";
}

TEST_F(EndToEndTest, StoresTheLowerBoundFigureWithAnOpenTop) {
  bool found = false;
  for (const json& claim : Claims({"--kind", "gpu_count", "--subject", "South Korea"})) {
    if (claim["text"] == "25万基以上") {
      found = true;
      EXPECT_EQ(claim["low"], 250000);
      EXPECT_EQ(claim["low_inclusive"], true);
      EXPECT_TRUE(claim["high"].is_null());
      EXPECT_EQ(claim["qualifier"], "at_least");
    }
  }
  EXPECT_TRUE(found) << "no 25万基以上 gpu_count claim for South Korea";
}

TEST_F(EndToEndTest, RaisesThePlanted260kVs250kDiscrepancy) {
  bool found = false;
  const json conflicts = Conflicts();
  for (const json& conflict : conflicts["conflicts"]) {
    std::set<std::string> texts;
    for (const json& claim : conflict["claims"]) texts.insert(claim["text"].get<std::string>());
    if (texts.count("26万枚") && texts.count("25万基以上")) {
      found = true;
      EXPECT_EQ(conflict["class"], "discrepancy");
      EXPECT_EQ(conflict["subject"], "South Korea");
      EXPECT_EQ(conflict["kind"], "gpu_count");
      EXPECT_FALSE(conflict["explanation"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(found) << conflicts.dump(1);
}

// Issue 6: a reviewer's verdict stays with its conflict through
// re-extraction (`extract --all`) and a re-crawl: conflict ids are stable.
TEST_F(EndToEndTest, VerdictsSurviveExtractAllAndARecrawl) {
  const json before = Conflicts()["conflicts"];
  ASSERT_GE(before.size(), 5u);
  std::map<std::string, std::string> verdicts;  // conflict id -> verdict recorded
  const char* kVerdicts[] = {"confirmed", "dismissed", "resolved"};
  for (size_t i = 0; i < 3; ++i) {
    const std::string id = before[i]["id"];
    ProcessResult review = Newsclaim({"review", id, "--verdict", kVerdicts[i], "--note",
                                      "checked against the primary source"});
    ASSERT_EQ(review.exit_code, 0) << review.err;
    verdicts[id] = kVerdicts[i];
  }

  ProcessResult extract = Newsclaim({"extract", "--all"});
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  ProcessResult recrawl = Crawl();
  ASSERT_EQ(recrawl.exit_code, 0) << recrawl.err;

  const json after = Conflicts()["conflicts"];
  EXPECT_EQ(after.size(), before.size());
  std::set<std::string> ids_before, ids_after;
  for (const json& c : before) ids_before.insert(c["id"].get<std::string>());
  for (const json& c : after) {
    ids_after.insert(c["id"].get<std::string>());
    auto verdict = verdicts.find(c["id"].get<std::string>());
    if (verdict == verdicts.end()) {
      EXPECT_EQ(c["status"], "open") << c.dump(1);
    } else {
      EXPECT_EQ(c["status"], verdict->second) << c.dump(1);
    }
  }
  EXPECT_EQ(ids_after, ids_before);
}

TEST_F(EndToEndTest, NeverReadsTransistorsPeopleOrMultipliersAsGpuCounts) {
  for (const json& claim : Claims({"--kind", "gpu_count"})) {
    const std::string text = claim["text"];
    EXPECT_EQ(text.find("トランジスタ"), std::string::npos) << text;
    EXPECT_EQ(text.find("人"), std::string::npos) << text;
    EXPECT_EQ(text.find("倍"), std::string::npos) << text;
  }
}

TEST_F(EndToEndTest, ObeysRobotsTxt) {
  for (const json& claim : Claims()) {
    EXPECT_EQ(claim["url"].get<std::string>().find("/private/"), std::string::npos)
        << claim["url"];
  }
}

TEST_F(EndToEndTest, ReachesTheArticleListedOnlyInTheFeedAndSitemap) {
  const std::string feed_only = "/news/2025/10/xai-colossus-memphis-expansion.html";
  size_t claims_from_it = 0;
  for (const json& claim : Claims()) {
    if (PathEndsWith(claim, feed_only)) ++claims_from_it;
  }
  EXPECT_GT(claims_from_it, 0u) << "nothing stored from " << feed_only;
}

TEST_F(EndToEndTest, DecodesPagesDeclaredShiftJisAndEucJpInMetaOnly) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT charset, COUNT(*) FROM pages GROUP BY charset", -1,
                               &statement, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  std::map<std::string, int> pages_by_charset;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* charset = sqlite3_column_text(statement, 0);
    pages_by_charset[charset ? reinterpret_cast<const char*>(charset) : ""] =
        sqlite3_column_int(statement, 1);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  EXPECT_GE(pages_by_charset["shift_jis"], 1);
  EXPECT_GE(pages_by_charset["euc-jp"], 1);
}

TEST_F(EndToEndTest, DatabaseFileIsIntactAndHoldsTheDocumentedViews) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  auto single = [db](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      value = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(statement);
    return value;
  };
  EXPECT_EQ(single("PRAGMA integrity_check"), "ok");
  EXPECT_GT(std::stoi(single("SELECT COUNT(*) FROM v_claims")), 20);
  EXPECT_GE(std::stoi(single("SELECT COUNT(*) FROM v_conflicts")), 1);
  sqlite3_close(db);
}

TEST_F(EndToEndTest, MarkdownReportShowsTheDiscrepancy) {
  ProcessResult report = Newsclaim({"report", "--format", "md"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("discrepancy"));
  EXPECT_THAT(report.out, HasSubstr("26万枚"));
  EXPECT_THAT(report.out, HasSubstr("25万基以上"));
}

// The targets of the claims issue, on the crawled corpus: they guard the
// extractor against regressions on all 30 articles.
TEST_F(EndToEndTest, EvalOfTheCrawledCorpusMeetsTheClaimQualityTargets) {
  ProcessResult eval =
      Newsclaim({"eval", "--gold", SourceDir() + "/corpus", "--format", "json", "--max-list", "0"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const json report = json::parse(eval.out);
  std::map<std::string, double> f1;
  for (const json& row : report["by_kind"]) f1[row["kind"]] = row["f1"];
  EXPECT_GE(f1["gpu_count"], 0.95) << eval.out;
  EXPECT_GE(f1["money"], 0.95) << eval.out;
  EXPECT_GE(f1["date"], 0.9) << eval.out;
  EXPECT_GE(report["subject_accuracy"].get<double>(), 0.9) << eval.out;
  EXPECT_EQ(report["stored_claims_ignored"], 0);
  EXPECT_EQ(report["conflicts"]["must_not_raise_violated"], 0) << eval.out;
}

// Issue 6: every planted conflict of corpus/gold/conflicts.json is raised
// with its class, and none of the must-not pairs is.
TEST_F(EndToEndTest, RaisesEveryPlantedConflictWithItsClassAndNoMustNotPair) {
  ProcessResult eval =
      Newsclaim({"eval", "--gold", SourceDir() + "/corpus", "--format", "json", "--max-list", "0"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const json conflicts = json::parse(eval.out)["conflicts"];
  EXPECT_GE(conflicts["expected"].size(), 7u) << conflicts.dump(1);
  EXPECT_EQ(conflicts["expected_found"].get<size_t>(), conflicts["expected"].size())
      << conflicts.dump(1);
  EXPECT_GE(conflicts["must_not_raise"].size(), 57u) << conflicts.dump(1);
  EXPECT_EQ(conflicts["must_not_raise_violated"], 0) << conflicts.dump(1);
}

TEST(EndToEndFailureTest, AFailedFetchIsRecordedAndTheRunGoesOn) {
  TempDir dir;
  LocalHttpServer server(SourceDir() + "/corpus/site");
  const std::string db = dir.path() + "/claims.db";
  ProcessResult crawl = RunProcess({NewsclaimBinary(), "--db", db, "crawl", "--delay-ms", "0",
                                    "--depth", "0", server.Url("/no-such-page.html"),
                                    server.Url("/news/2025/11/nvidia-korea-blackwell-supply.html")});
  EXPECT_EQ(crawl.exit_code, 1) << crawl.err;
  EXPECT_THAT(crawl.err, HasSubstr("no-such-page.html"));
  EXPECT_THAT(crawl.err, HasSubstr("404"));

  // The good page was still stored, and the failure is in the database.
  ProcessResult query = RunProcess({NewsclaimBinary(), "--db", db, "query", "--format", "jsonl"});
  EXPECT_THAT(query.out, HasSubstr("26万枚"));
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT COUNT(*) FROM failures WHERE url LIKE '%no-such-page%'",
                               -1, &statement, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(handle);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 1);
  sqlite3_finalize(statement);
  sqlite3_close(handle);
}

// What a claim says, without where it was read from (file:// vs http://).
std::multiset<std::string> ClaimContents(const std::vector<json>& claims) {
  std::multiset<std::string> contents;
  for (const json& claim : claims) {
    const std::string url = claim["url"];
    const size_t news = url.find("/news/");
    contents.insert((news == std::string::npos ? url : url.substr(news)) + " " +
                    claim["kind"].get<std::string>() + " " + claim["text"].get<std::string>() +
                    " " + claim["subject"].dump() + " " + claim["value"].dump() + " " +
                    claim["time"].dump() + " " + claim["status"].dump());
  }
  return contents;
}

TEST_F(EndToEndTest, IngestOfTheCorpusFolderStoresTheSameClaimsAsTheCrawl) {
  TempDir dir;
  const std::string db = dir.path() + "/claims.db";
  ProcessResult ingest =
      RunProcess({NewsclaimBinary(), "--db", db, "ingest", SourceDir() + "/corpus/site/news"});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  ProcessResult eval =
      RunProcess({NewsclaimBinary(), "--db", db, "eval", "--gold", SourceDir() + "/corpus/gold"});
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  // Every gold article is a file under news/, the legacy-encoded ones included.
  EXPECT_THAT(eval.out, HasSubstr("0 ignored"));

  ProcessResult query = RunProcess({NewsclaimBinary(), "--db", db, "query", "--format", "jsonl"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  std::multiset<std::string> ingested = ClaimContents(ParseJsonLines(query.out));
  std::multiset<std::string> crawled;
  for (const std::string& claim : ClaimContents(Claims())) {
    if (claim.starts_with("/news/")) crawled.insert(claim);
  }
  EXPECT_FALSE(ingested.empty());
  EXPECT_EQ(ingested, crawled);

  ProcessResult again =
      RunProcess({NewsclaimBinary(), "--db", db, "ingest", SourceDir() + "/corpus/site/news"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr(" 0 pages stored"));
}

// Runs last in the suite's file order: it crawls again.
TEST_F(EndToEndTest, SecondCrawlRevalidatesAndAddsNothing) {
  const size_t claims_before = Claims().size();
  ProcessResult second = Crawl();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.err, HasSubstr(" 0 pages stored"));
  EXPECT_EQ(Claims().size(), claims_before);
}

}  // namespace
}  // namespace newsclaim::testing
