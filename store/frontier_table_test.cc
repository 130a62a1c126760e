#include "store/frontier_table.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/database.h"

namespace newsclaim::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class FrontierTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "newsclaim-frontier-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_path_ = dir_ / "claims.db";
    StatusOr<Database> db = Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_.emplace(std::move(*db));
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  FrontierTable OpenTable() {
    StatusOr<FrontierTable> table = FrontierTable::Open(db_path_);
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    return std::move(*table);
  }

  void StorePage(const std::string& url, const std::string& requested_url = "") {
    Page page;
    page.url = url;
    page.requested_url = requested_url.empty() ? url : requested_url;
    page.html = "<p>x</p>";
    Article article;
    ASSERT_TRUE(db_->UpsertPage(page, article).ok());
  }

  // Timestamps have millisecond resolution: make "before" and "after"
  // distinguishable.
  static void Tick() { std::this_thread::sleep_for(std::chrono::milliseconds(5)); }

  std::filesystem::path dir_, db_path_;
  std::optional<Database> db_;
};

TEST_F(FrontierTableTest, AFreshRunStartsEmptyAndIsRecordedAsRunning) {
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok()) << resume.status().ToString();
  EXPECT_FALSE(resume->resumed);
  EXPECT_THAT(resume->queued, IsEmpty());
  EXPECT_THAT(resume->done, IsEmpty());

  StatusOr<std::optional<SourceRun>> running = table.UnfinishedRun();
  ASSERT_TRUE(running.ok());
  ASSERT_TRUE(running->has_value());
  EXPECT_EQ((*running)->source, "news");
  EXPECT_EQ((*running)->last_status, "running");
  EXPECT_EQ((*running)->last_started, resume->started);
  EXPECT_TRUE((*running)->last_started_unix.has_value());
}

TEST_F(FrontierTableTest, AnInterruptedRunResumesWithItsQueuedAndDoneUrls) {
  {
    FrontierTable table = OpenTable();
    ASSERT_TRUE(table.Begin("news").ok());
    ASSERT_TRUE(table.Enqueue({{"http://a/", 0, "s"}, {"http://a/1", 1, "s"},
                               {"http://a/2", 1, "s"}})
                    .ok());
    EXPECT_EQ(table.pending(), 3);
    ASSERT_TRUE(table.Enqueue({{"http://a/1", 1, "s"}}).ok());  // already there
    EXPECT_EQ(table.pending(), 3);
    ASSERT_TRUE(table.MarkDone("http://a/", "page").ok());
    EXPECT_EQ(table.pending(), 2);
    // The process dies here: no Complete().
  }
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok()) << resume.status().ToString();
  EXPECT_TRUE(resume->resumed);
  EXPECT_THAT(resume->done, ElementsAre("http://a/"));
  ASSERT_EQ(resume->queued.size(), 2u);
  EXPECT_EQ(resume->queued[0].url, "http://a/1");
  EXPECT_EQ(resume->queued[0].depth, 1);
  EXPECT_EQ(resume->queued[0].source, "s");
  EXPECT_EQ(resume->queued[1].url, "http://a/2");
  EXPECT_EQ(table.pending(), 2);
}

TEST_F(FrontierTableTest, AResumeKeepsTheRunsStartTime) {
  std::string started;
  {
    FrontierTable table = OpenTable();
    StatusOr<FrontierResume> first = table.Begin("news");
    ASSERT_TRUE(first.ok());
    started = first->started;
  }
  Tick();
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok());
  EXPECT_EQ(resume->started, started);
}

TEST_F(FrontierTableTest, AUrlWhosePageWasStoredBeforeMarkDoneIsDoneOnResume) {
  {
    FrontierTable table = OpenTable();
    ASSERT_TRUE(table.Begin("news").ok());
    ASSERT_TRUE(table.Enqueue({{"http://a/1", 1, ""}, {"http://a/2", 1, ""},
                               {"http://a/3", 1, ""}, {"http://a/4", 1, ""}})
                    .ok());
  }
  Tick();
  StorePage("http://a/1");                   // stored, then killed before MarkDone
  StorePage("http://a/final", "http://a/2"); // a redirect: stored under its target
  ASSERT_TRUE(db_->RecordFailure("http://a/3", "fetch", "HTTP 404").ok());
  ASSERT_TRUE(db_->RecordFailure("http://a/4", "warning", "salvaged").ok());

  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok()) << resume.status().ToString();
  EXPECT_THAT(resume->recovered, UnorderedElementsAre("http://a/1", "http://a/2", "http://a/3"));
  EXPECT_THAT(resume->done, UnorderedElementsAre("http://a/1", "http://a/2", "http://a/3"));
  ASSERT_EQ(resume->queued.size(), 1u);
  EXPECT_EQ(resume->queued[0].url, "http://a/4");
}

TEST_F(FrontierTableTest, PagesStoredBeforeTheRunStartedDoNotCountAsDone) {
  StorePage("http://a/1");  // from an earlier, completed crawl
  Tick();
  {
    FrontierTable table = OpenTable();
    ASSERT_TRUE(table.Begin("news").ok());
    ASSERT_TRUE(table.Enqueue({{"http://a/1", 1, ""}}).ok());
  }
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok());
  EXPECT_THAT(resume->recovered, IsEmpty());
  ASSERT_EQ(resume->queued.size(), 1u);
  EXPECT_EQ(resume->queued[0].url, "http://a/1");
}

TEST_F(FrontierTableTest, CompleteClearsTheFrontierAndRecordsTheFinish) {
  FrontierTable table = OpenTable();
  ASSERT_TRUE(table.Begin("news").ok());
  ASSERT_TRUE(table.Enqueue({{"http://a/1", 1, ""}}).ok());
  ASSERT_TRUE(table.Complete().ok());
  EXPECT_EQ(table.pending(), 0);

  StatusOr<std::optional<SourceRun>> unfinished = table.UnfinishedRun();
  ASSERT_TRUE(unfinished.ok());
  EXPECT_FALSE(unfinished->has_value());
  StatusOr<std::optional<SourceRun>> last = table.LastRun("news");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->last_status, "complete");
  EXPECT_FALSE((*last)->last_finished.empty());
  EXPECT_GE((*last)->last_finished, (*last)->last_started);

  FrontierTable again = OpenTable();
  StatusOr<FrontierResume> next = again.Begin("news");
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->resumed);
  EXPECT_THAT(next->queued, IsEmpty());
}

TEST_F(FrontierTableTest, AnotherScopesUnfinishedRunIsAbandoned) {
  {
    FrontierTable table = OpenTable();
    ASSERT_TRUE(table.Begin("news").ok());
    ASSERT_TRUE(table.Enqueue({{"http://a/1", 1, ""}}).ok());
  }
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("press");
  ASSERT_TRUE(resume.ok());
  EXPECT_EQ(resume->abandoned, "news");
  EXPECT_THAT(resume->queued, IsEmpty());
  StatusOr<std::optional<SourceRun>> news = table.LastRun("news");
  ASSERT_TRUE(news.ok() && news->has_value());
  EXPECT_EQ((*news)->last_status, "abandoned");
}

TEST_F(FrontierTableTest, MarkDoneOfAnUnqueuedUrlIsRememberedForAResume) {
  {
    FrontierTable table = OpenTable();
    ASSERT_TRUE(table.Begin("news").ok());
    ASSERT_TRUE(table.MarkDone("http://a/seed", "page").ok());
  }
  FrontierTable table = OpenTable();
  StatusOr<FrontierResume> resume = table.Begin("news");
  ASSERT_TRUE(resume.ok());
  EXPECT_THAT(resume->done, ElementsAre("http://a/seed"));
}

TEST_F(FrontierTableTest, KeepsTheLastRobotsTxtAnswerPerUrl) {
  FrontierTable table = OpenTable();
  StatusOr<std::optional<RobotsRow>> none = table.FindRobots("https://a.example/robots.txt");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());

  // Bytes as served, NUL and invalid UTF-8 included.
  const std::string body("User-agent: *\nDisallow: /x\n\0\xff", 29);
  ASSERT_TRUE(table.StoreRobots("https://a.example/robots.txt", {200, body, 1'700'000'000}).ok());
  ASSERT_TRUE(table.StoreRobots("https://b.example/robots.txt", {404, "", 1'700'000'100}).ok());
  StatusOr<std::optional<RobotsRow>> a = table.FindRobots("https://a.example/robots.txt");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->http_status, 200);
  EXPECT_EQ((*a)->body, body);
  EXPECT_EQ((*a)->fetched_unix, 1'700'000'000);

  // A later answer replaces the first; the time reads as ISO 8601 in SQL.
  ASSERT_TRUE(table.StoreRobots("https://a.example/robots.txt", {404, "", 1'800'000'000}).ok());
  a = table.FindRobots("https://a.example/robots.txt");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->http_status, 404);
  EXPECT_EQ((*a)->body, "");
  EXPECT_EQ((*a)->fetched_unix, 1'800'000'000);
  StatusOr<std::optional<RobotsRow>> b = table.FindRobots("https://b.example/robots.txt");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->fetched_unix, 1'700'000'100);

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw,
                               "SELECT fetched_at FROM robots_cache "
                               "WHERE url = 'https://a.example/robots.txt'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "2027-01-15T08:00:00Z");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST_F(FrontierTableTest, OpeningAFileWithoutTheTablesIsNotFound) {
  StatusOr<FrontierTable> table = FrontierTable::Open(dir_ / "empty.db");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace newsclaim::store
