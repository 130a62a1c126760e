#include "store/database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/schema.h"
#include "store/test_claims.h"

namespace newsclaim::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A real SQLite file in a fresh temporary directory, removed afterwards.
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "newsclaim-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ / "claims.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Database OpenOrDie() {
    StatusOr<Database> db = Database::Open(path_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
  }

  // Runs `sql` on a separate raw connection and returns the first column of
  // the first row as text ("" when no row).
  std::string RawQuery(const std::string& sql) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    std::string result;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return result;
  }

  void RawExec(const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(raw);
  }

  static Page MakePage(const std::string& url) {
    Page page;
    page.url = url;
    page.requested_url = url;
    page.fetched_at = "2025-11-02T00:00:00Z";
    page.http_status = 200;
    page.content_type = "text/html";
    page.charset = "UTF-8";
    page.html = "<html><body><p>" + url + "</p></body></html>";
    page.content_hash = "hash-" + url;
    page.etag = "\"etag-1\"";
    page.last_modified = "Sat, 01 Nov 2025 00:00:00 GMT";
    return page;
  }

  static Article MakeArticle(const std::string& title, const std::string& published) {
    Article article;
    article.title = title;
    article.published = published;
    article.lang = "ja";
    article.text = "本文";
    return article;
  }

  // Stores a page with `claims` (their url/page fields are the store's to fill).
  int64_t StorePage(Database& db, const std::string& url, const std::string& published,
                    const std::vector<Claim>& claims, const std::string& rules = "rules-1") {
    StatusOr<int64_t> id = db.UpsertPage(MakePage(url), MakeArticle("Title of " + url, published));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    Status replaced = db.ReplaceClaims(*id, claims, rules);
    EXPECT_TRUE(replaced.ok()) << replaced.ToString();
    return *id;
  }

  std::filesystem::path dir_;
  std::filesystem::path path_;
};

ClaimFilter Filter(std::string kind, std::string subject = "", std::string since = "",
                   std::string until = "", std::string url = "") {
  ClaimFilter filter;
  filter.kind = std::move(kind);
  filter.subject = std::move(subject);
  filter.since = std::move(since);
  filter.until = std::move(until);
  filter.url = std::move(url);
  return filter;
}

Claim KoreaExact(const std::string& id) {
  return ClaimBuilder(id).Subject("South Korea").Exact(260000, "26万枚").Span(10, 14).Build();
}
Claim KoreaAtLeast(const std::string& id) {
  return ClaimBuilder(id).Subject("South Korea").AtLeast(250000, "25万基以上").Span(20, 26).Build();
}

TEST_F(DatabaseTest, OpenCreatesAWalDatabaseAtTheCurrentSchemaVersion) {
  { Database db = OpenOrDie(); }
  EXPECT_TRUE(std::filesystem::exists(path_));
  EXPECT_EQ(RawQuery("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(Database::SchemaVersion()));
  EXPECT_EQ(RawQuery("SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('pages','claims','failures','entities','aliases','part_of','conflicts',"
                     "'conflict_claims','reviews','events','v_claims','v_conflicts','v_failures')"),
            "13");
}

TEST_F(DatabaseTest, OpeningTwiceKeepsDataAndDoesNotMigrateAgain) {
  {
    Database db = OpenOrDie();
    StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a1")});
  }
  Database again = OpenOrDie();
  StatusOr<std::vector<Claim>> claims = again.QueryClaims({});
  ASSERT_TRUE(claims.ok());
  EXPECT_THAT(*claims, SizeIs(1));
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(Database::SchemaVersion()));
  EXPECT_EQ(RawQuery("SELECT count(*) FROM pages"), "1");
}

TEST_F(DatabaseTest, ForeignKeysAreEnforced) {
  Database db = OpenOrDie();
  Status status = db.ReplaceClaims(999, {KoreaExact("x")}, "rules-1");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
}

TEST_F(DatabaseTest, AFileThatIsNotSqliteIsCorruption) {
  std::ofstream(path_) << "this is not a database, just some text that is long enough to fail the "
                          "SQLite header check because it does not start with the magic string";
  StatusOr<Database> db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kCorruption) << db.status().ToString();
}

TEST_F(DatabaseTest, AnotherApplicationsSqliteFileIsCorruption) {
  RawExec("CREATE TABLE recipes (name TEXT)");
  StatusOr<Database> db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(db.status().message(), HasSubstr("not a newsclaim database"));
}

TEST_F(DatabaseTest, ADatabaseFromANewerNewsclaimIsRefused) {
  { Database db = OpenOrDie(); }
  RawExec("PRAGMA user_version = 999");
  StatusOr<Database> db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(db.status().message(), HasSubstr("newer"));
}

TEST_F(DatabaseTest, AnUnopenablePathIsAnIoError) {
  StatusOr<Database> db = Database::Open(dir_ / "missing-dir" / "claims.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  EXPECT_THAT(db.status().message(), HasSubstr("cannot open DB"));
}

TEST_F(DatabaseTest, UpsertPageKeepsTheIdAndUpdatesMetadata) {
  Database db = OpenOrDie();
  StatusOr<int64_t> first = db.UpsertPage(MakePage("http://example.com/a"), MakeArticle("Old", "2025-11-01"));
  ASSERT_TRUE(first.ok());
  StatusOr<int64_t> second =
      db.UpsertPage(MakePage("http://example.com/a"), MakeArticle("New", "2025-11-01T09:30:00+09:00"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(RawQuery("SELECT title FROM pages"), "New");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM events WHERE type = 'page_stored'"), "2");
  EXPECT_EQ(db.UpsertPage(Page{}, Article{}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseTest, APageAndItsClaimsCommitTogetherOrNotAtAll) {
  Database db = OpenOrDie();
  Status failed = db.InTransaction([&]() -> Status {
    StatusOr<int64_t> id = db.UpsertPage(MakePage("http://example.com/a"), MakeArticle("A", "2025-11-01"));
    if (!id.ok()) return id.status();
    return IoError("disk full while storing the claims");
  });
  EXPECT_EQ(failed.code(), StatusCode::kIoError);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM pages"), "0");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM events"), "0");

  // Nested: an inner failure undoes only the inner work.
  Status outer = db.InTransaction([&]() -> Status {
    RETURN_IF_ERROR(db.UpsertPage(MakePage("http://example.com/b"), MakeArticle("B", "2025-11-01")).status());
    Status inner = db.InTransaction([&]() -> Status {
      RETURN_IF_ERROR(db.UpsertPage(MakePage("http://example.com/c"), MakeArticle("C", "2025-11-01")).status());
      return InvalidArgumentError("inner failure");
    });
    EXPECT_EQ(inner.code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(RawQuery("SELECT group_concat(url) FROM pages"), "http://example.com/b");
}

TEST_F(DatabaseTest, ReplaceClaimsSupersedesChangedAndVanishedClaimsWithoutDeleting) {
  Database db = OpenOrDie();
  const int64_t page = StorePage(db, "http://example.com/a", "2025-11-01",
                                 {KoreaExact("a"), KoreaAtLeast("b")}, "rules-1");
  // Same claims again: nothing changes.
  ASSERT_TRUE(db.ReplaceClaims(page, {KoreaExact("a"), KoreaAtLeast("b")}, "rules-1").ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM claims"), "2");
  // b changes (a new subject from a better gazetteer): old b superseded, new b live.
  Claim changed_b = KoreaAtLeast("b");
  changed_b.subject = "Government of South Korea";
  ASSERT_TRUE(db.ReplaceClaims(page, {KoreaExact("a"), changed_b}, "rules-2").ok());
  // a vanishes.
  ASSERT_TRUE(db.ReplaceClaims(page, {changed_b}, "rules-3").ok());

  EXPECT_EQ(RawQuery("SELECT count(*) FROM claims"), "3");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM claims WHERE live = 1"), "1");
  EXPECT_EQ(RawQuery("SELECT superseded_reason FROM claims WHERE claim_id = 'a'"),
            "not produced by rules rules-3");
  EXPECT_EQ(RawQuery("SELECT superseded_reason FROM claims WHERE claim_id = 'b' AND live = 0"),
            "changed by re-extraction with rules rules-2");
  EXPECT_EQ(RawQuery("SELECT rules_fingerprint FROM pages"), "rules-3");
  StatusOr<std::vector<Claim>> live = db.QueryClaims({});
  ASSERT_TRUE(live.ok());
  ASSERT_THAT(*live, SizeIs(1));
  EXPECT_EQ((*live)[0].subject, "Government of South Korea");
  StatusOr<StoreStats> stats = db.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->claims, 1);
  EXPECT_EQ(stats->superseded_claims, 2);
}

TEST_F(DatabaseTest, StatsCountWarningsApartFromFailures) {
  Database db = OpenOrDie();
  ASSERT_TRUE(db.RecordFailure("http://example.com/a", "fetch", "HTTP 404").ok());
  ASSERT_TRUE(db.RecordFailure("http://example.com/b", "warning", "more than 5000 figures").ok());
  ASSERT_TRUE(db.RecordFailure("http://example.com/c", "warning", "feed cut off").ok());
  StatusOr<StoreStats> stats = db.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->failures, 1);
  EXPECT_EQ(stats->warnings, 2);
}

TEST_F(DatabaseTest, ClaimsWithoutIdGetAStableOne) {
  Database db = OpenOrDie();
  Claim claim = KoreaExact("");
  const int64_t page = StorePage(db, "http://example.com/a", "2025-11-01", {claim});
  const std::string id = RawQuery("SELECT claim_id FROM claims");
  EXPECT_EQ(id.size(), 16u);
  ASSERT_TRUE(db.ReplaceClaims(page, {claim}, "rules-2").ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM claims"), "1");
  EXPECT_EQ(RawQuery("SELECT claim_id FROM claims WHERE live = 1"), id);
}

TEST_F(DatabaseTest, HedgesAndAttributionAreStoredAndReadBack) {
  Database db = OpenOrDie();
  Claim hedged = KoreaExact("h1");
  hedged.hedges = {"according to", "reportedly"};
  hedged.attribution = "Bloomberg";
  Claim plain = KoreaAtLeast("p1");
  StorePage(db, "http://example.com/a", "2025-11-01", {hedged, plain});
  EXPECT_EQ(RawQuery("SELECT hedges FROM v_claims WHERE id = 'h1'"),
            R"(["according to","reportedly"])");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM v_claims WHERE hedges IS NULL AND attribution IS NULL"),
            "1");
  StatusOr<std::vector<Claim>> claims = db.QueryClaims({});
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  ASSERT_THAT(*claims, SizeIs(2));
  for (const Claim& claim : *claims) {
    if (claim.id == "h1") {
      EXPECT_EQ(claim.hedges, hedged.hedges);
      EXPECT_EQ(claim.attribution, "Bloomberg");
    } else {
      EXPECT_TRUE(claim.hedges.empty());
      EXPECT_TRUE(claim.attribution.empty());
    }
  }
  // A new hedge is a change: re-extraction supersedes the old version.
  hedged.hedges = {"according to"};
  ASSERT_TRUE(db.ReplaceClaims(1, {hedged, plain}, "rules-2").ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM claims WHERE claim_id = 'h1'"), "2");
}

TEST_F(DatabaseTest, AVersionOneDatabaseIsMigratedInPlace) {
  RawExec(std::string(Migrations()[0]));
  RawExec("PRAGMA application_id = " + std::to_string(kApplicationId) + "; PRAGMA user_version = 1");
  RawExec("INSERT INTO entities (name, type) VALUES ('NVIDIA', 'company')");
  Database db = OpenOrDie();
  EXPECT_EQ(RawQuery("PRAGMA user_version"), std::to_string(Database::SchemaVersion()));
  EXPECT_EQ(RawQuery("SELECT origin FROM entities WHERE name = 'NVIDIA'"), "gazetteer");
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a1")});
  EXPECT_EQ(RawQuery("SELECT count(*) FROM v_claims WHERE attribution IS NULL"), "1");
}

TEST_F(DatabaseTest, QueryClaimsFillsPageFieldsAndAppliesFilters) {
  Database db = OpenOrDie();
  Claim dated = ClaimBuilder("hirezo").Subject("HIREZO").Exact(30000, "3万基")
                    .Time({{"2027-01-01", "2027-12-31"}, TimeRelation::kBy}).Build();
  Claim money = ClaimBuilder("yen").Subject("HIREZO").Money("JPY").UpTo(7.7e9, "最大77億円").Build();
  StorePage(db, "http://example.com/a", "2025-12-05T08:00:00+09:00", {dated, money});
  StorePage(db, "http://example.com/b", "2025-11-01", {KoreaExact("korea")});

  StatusOr<std::vector<Claim>> all = db.QueryClaims({});
  ASSERT_TRUE(all.ok());
  ASSERT_THAT(*all, SizeIs(3));
  EXPECT_EQ((*all)[0].id, "korea");  // ordered by published
  EXPECT_EQ((*all)[0].url, "http://example.com/b");
  EXPECT_EQ((*all)[0].title, "Title of http://example.com/b");
  EXPECT_EQ((*all)[0].lang, "ja");
  EXPECT_EQ((*all)[1].published, "2025-12-05");  // date part only
  EXPECT_EQ((*all)[1].interval.value, 30000);
  EXPECT_EQ((*all)[1].time->relation, TimeRelation::kBy);

  auto ids = [&db](const ClaimFilter& filter) {
    std::vector<std::string> out;
    StatusOr<std::vector<Claim>> claims = db.QueryClaims(filter);
    EXPECT_TRUE(claims.ok()) << claims.status().ToString();
    if (claims.ok()) {
      for (const Claim& claim : *claims) out.push_back(claim.id);
    }
    return out;
  };
  EXPECT_THAT(ids(Filter("money")), ElementsAre("yen"));
  EXPECT_THAT(ids(Filter("", "South Korea")), ElementsAre("korea"));
  EXPECT_THAT(ids(Filter("", "", "", "", "http://example.com/a")), ElementsAre("hirezo", "yen"));
  // since/until use the claim's time, or the published date without one.
  EXPECT_THAT(ids(Filter("", "", "2027-06-01")), ElementsAre("hirezo"));
  EXPECT_THAT(ids(Filter("", "", "", "2025-11-30")), ElementsAre("korea"));
  EXPECT_THAT(ids(Filter("gpu_count", "HIREZO", "2025-01-01")),
              ElementsAre("hirezo"));
  // Values are bound, never spliced into SQL.
  EXPECT_THAT(ids(Filter("", "x' OR '1'='1")), IsEmpty());
}

TEST_F(DatabaseTest, PagesToExtractSelectsPagesOfOtherRuleSets) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")}, "rules-1");
  StorePage(db, "http://example.com/b", "2025-11-01", {KoreaExact("b")}, "rules-2");
  StatusOr<std::vector<StoredPage>> pending = db.PagesToExtract("rules-2", false);
  ASSERT_TRUE(pending.ok());
  ASSERT_THAT(*pending, SizeIs(1));
  EXPECT_EQ((*pending)[0].page.url, "http://example.com/a");
  EXPECT_THAT((*pending)[0].page.html, HasSubstr("<p>http://example.com/a</p>"));
  EXPECT_EQ((*pending)[0].article.title, "Title of http://example.com/a");
  EXPECT_EQ((*pending)[0].rules_fingerprint, "rules-1");
  StatusOr<std::vector<StoredPage>> all = db.PagesToExtract("rules-2", true);
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(*all, SizeIs(2));
}

TEST_F(DatabaseTest, ValidatorsAreFoundByUrlOrRequestedUrlAndTouchUpdatesLastSeen) {
  Database db = OpenOrDie();
  Page page = MakePage("http://example.com/final");
  page.requested_url = "http://example.com/start";
  ASSERT_TRUE(db.UpsertPage(page, MakeArticle("T", "2025-11-01")).ok());
  for (const char* url : {"http://example.com/final", "http://example.com/start"}) {
    StatusOr<std::optional<Validators>> found = db.FindValidators(url);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value()) << url;
    EXPECT_EQ((*found)->etag, "\"etag-1\"");
    EXPECT_EQ((*found)->content_hash, "hash-http://example.com/final");
  }
  StatusOr<std::optional<Validators>> missing = db.FindValidators("http://example.com/none");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  RawExec("UPDATE pages SET last_seen = '2000-01-01T00:00:00Z'");
  ASSERT_TRUE(db.TouchPage("http://example.com/final").ok());
  EXPECT_NE(RawQuery("SELECT last_seen FROM pages"), "2000-01-01T00:00:00Z");
  EXPECT_TRUE(db.TouchPage("http://example.com/none").ok());
}

TEST_F(DatabaseTest, FailuresAreKeptAndTheViewShowsTheLatestPerUrl) {
  Database db = OpenOrDie();
  ASSERT_TRUE(db.RecordFailure("http://example.com/x", "fetch", "HTTP 503").ok());
  ASSERT_TRUE(db.RecordFailure("http://example.com/x", "decode", "bad charset").ok());
  ASSERT_TRUE(db.RecordFailure("http://example.com/y", "fetch", "timeout").ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM failures"), "3");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM v_failures"), "2");
  EXPECT_EQ(RawQuery("SELECT stage || ':' || attempts FROM v_failures WHERE url = 'http://example.com/x'"),
            "decode:2");
  StatusOr<StoreStats> stats = db.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->failures, 3);
}

TEST_F(DatabaseTest, ReconcileStoresConflictsWithTheirClaims) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->claims_compared, 2);
  EXPECT_EQ(stats->conflicts, 1);
  EXPECT_EQ(stats->new_conflicts, 1);
  EXPECT_EQ(stats->by_class.at("discrepancy"), 1);

  StatusOr<std::vector<Conflict>> conflicts = db.ListConflicts(ConflictStatusFilter::kOpen);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_THAT(*conflicts, SizeIs(1));
  const Conflict& conflict = (*conflicts)[0];
  EXPECT_EQ(conflict.conflict_class, "discrepancy");
  EXPECT_EQ(conflict.status, "open");
  ASSERT_THAT(conflict.claims, SizeIs(2));
  EXPECT_EQ(conflict.claims[0].url, "http://example.com/a");
  EXPECT_EQ(conflict.claims[1].published, "2025-11-03");
  EXPECT_EQ(conflict.preferred_claim_id, "a");
  EXPECT_EQ(RawQuery("SELECT status || ' ' || claim_count FROM v_conflicts"), "open 2");

  // A second run finds the same conflict: nothing new.
  StatusOr<ReconcileStats> again = db.Reconcile();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_conflicts, 0);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM conflicts"), "1");
}

TEST_F(DatabaseTest, ReconcileSubjectBySubjectStoresWhatFindConflictsFindsOverAllClaims) {
  Database db = OpenOrDie();
  PartOfLinks links;
  links.parent["Samsung Electronics"] = "Samsung Group";
  links.parent["Samsung Group"] = "South Korea";
  ASSERT_TRUE(db.SetPartOfLinks(links).ok());
  // Several subjects, kinds and currencies; parts above and at their
  // wholes' figures; one story repeated by many pages.
  for (int page = 1; page <= 40; ++page) {
    std::vector<Claim> claims;
    const std::string n = std::to_string(page);
    claims.push_back(ClaimBuilder("k" + n).Subject("South Korea")
                         .Exact(page % 3 == 0 ? 200000 : 260000, page % 3 == 0 ? "20万枚" : "26万枚")
                         .Span(1, 5).Build());
    if (page % 4 == 0) {
      claims.push_back(ClaimBuilder("s" + n).Subject("Samsung Electronics")
                           .Exact(page % 8 == 0 ? 300000 : 50000, page % 8 == 0 ? "30万枚" : "5万枚")
                           .Span(6, 9).Build());
    }
    if (page % 5 == 0) {
      claims.push_back(ClaimBuilder("g" + n).Subject("Samsung Group").Exact(260000, "26万枚")
                           .Span(10, 14).Build());
    }
    if (page % 6 == 0) {
      claims.push_back(ClaimBuilder("m" + n).Subject("NVIDIA").Money(page % 12 == 0 ? "JPY" : "USD")
                           .Counterparty("OpenAI")
                           .Exact(page % 12 == 0 ? 4.5e11 : 3e9 + page * 1e8, "30億ドル")
                           .Span(15, 20).Build());
    }
    StorePage(db, "http://example.com/" + n, "2025-11-" + std::string(page < 10 ? "0" : "") + n,
              claims);
  }
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  StatusOr<std::vector<Claim>> live = db.QueryClaims({});
  ASSERT_TRUE(live.ok());
  const std::vector<Conflict> expected = FindConflicts(*live, links);
  StatusOr<std::vector<Conflict>> stored = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(stored.ok());
  ASSERT_THAT(*stored, SizeIs(expected.size()));
  EXPECT_GE(expected.size(), 5u);
  std::set<std::string> classes;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*stored)[i].id, expected[i].id);
    EXPECT_EQ((*stored)[i].key, expected[i].key);
    EXPECT_EQ((*stored)[i].explanation, expected[i].explanation);
    EXPECT_EQ((*stored)[i].preferred_claim_id, expected[i].preferred_claim_id);
    EXPECT_EQ((*stored)[i].claim_ids, expected[i].claim_ids);
    classes.insert(expected[i].conflict_class);
  }
  EXPECT_EQ(stats->conflicts, static_cast<int>(expected.size()));
  EXPECT_EQ(stats->claims_compared, static_cast<int>(live->size()));
  // Scope and attribution come from parts reconciled with their wholes.
  EXPECT_THAT(classes, ::testing::IsSupersetOf({"contradiction", "scope", "attribution"}));
}

TEST_F(DatabaseTest, ReviewsSurviveReextractionAndReconcile) {
  Database db = OpenOrDie();
  const int64_t a = StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  const int64_t b = StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  ASSERT_TRUE(db.Reconcile().ok());
  StatusOr<std::vector<Conflict>> open = db.ListConflicts(ConflictStatusFilter::kOpen);
  ASSERT_TRUE(open.ok());
  ASSERT_THAT(*open, SizeIs(1));
  const std::string id = (*open)[0].id;
  ASSERT_TRUE(db.RecordReview(id, "confirmed", "b", "the release says at least").ok());

  // `extract --all` with new rules and a re-crawl of the same pages.
  ASSERT_TRUE(db.ReplaceClaims(a, {KoreaExact("a")}, "rules-2").ok());
  ASSERT_TRUE(db.ReplaceClaims(b, {KoreaAtLeast("b")}, "rules-2").ok());
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")}, "rules-2");
  ASSERT_TRUE(db.Reconcile().ok());

  StatusOr<std::vector<Conflict>> confirmed = db.ListConflicts(ConflictStatusFilter::kConfirmed);
  ASSERT_TRUE(confirmed.ok());
  ASSERT_THAT(*confirmed, SizeIs(1));
  EXPECT_EQ((*confirmed)[0].id, id);
  EXPECT_EQ((*confirmed)[0].status, "confirmed");
  EXPECT_EQ((*confirmed)[0].preferred_claim_id, "b");  // the reviewer's choice
  EXPECT_THAT((*confirmed)[0].explanation, HasSubstr("the release says at least"));
  StatusOr<std::vector<Conflict>> still_open = db.ListConflicts(ConflictStatusFilter::kOpen);
  ASSERT_TRUE(still_open.ok());
  EXPECT_THAT(*still_open, IsEmpty());
  StatusOr<StoreStats> stats = db.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->open_conflicts, 0);
  EXPECT_EQ(stats->reviews, 1);
}

TEST_F(DatabaseTest, RecordReviewValidatesItsArguments) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  ASSERT_TRUE(db.Reconcile().ok());
  StatusOr<std::vector<Conflict>> conflicts = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_THAT(*conflicts, SizeIs(1));
  const std::string id = (*conflicts)[0].id;

  EXPECT_EQ(db.RecordReview("0000000000000000", "confirmed", "", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(db.RecordReview(id, "maybe", "", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db.RecordReview(id, "resolved", "not-a-member", "").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM reviews"), "0");
  ASSERT_TRUE(db.RecordReview(id, "dismissed", "", "").ok());
  EXPECT_EQ(RawQuery("SELECT count(*) FROM events WHERE type = 'review_recorded'"), "1");
  // The latest review wins.
  ASSERT_TRUE(db.RecordReview(id, "resolved", "a", "").ok());
  StatusOr<std::vector<Conflict>> resolved = db.ListConflicts(ConflictStatusFilter::kResolved);
  ASSERT_TRUE(resolved.ok());
  EXPECT_THAT(*resolved, SizeIs(1));
}

TEST_F(DatabaseTest, ConflictsThatNoLongerAriseAreKeptAsStale) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  const int64_t b = StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  ASSERT_TRUE(db.Reconcile().ok());
  const std::string id = RawQuery("SELECT id FROM conflicts");
  ASSERT_TRUE(db.RecordReview(id, "confirmed", "", "").ok());

  // Page b's claim disappears after re-extraction.
  ASSERT_TRUE(db.ReplaceClaims(b, {}, "rules-2").ok());
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->conflicts, 0);
  EXPECT_EQ(stats->stale, 1);
  StatusOr<std::vector<Conflict>> listed = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(*listed, IsEmpty());
  EXPECT_EQ(RawQuery("SELECT stale FROM conflicts WHERE id = '" + id + "'"), "1");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM reviews"), "1");

  // The claim comes back: the same conflict, with its review.
  ASSERT_TRUE(db.ReplaceClaims(b, {KoreaAtLeast("b")}, "rules-3").ok());
  ASSERT_TRUE(db.Reconcile().ok());
  StatusOr<std::vector<Conflict>> back = db.ListConflicts(ConflictStatusFilter::kConfirmed);
  ASSERT_TRUE(back.ok());
  ASSERT_THAT(*back, SizeIs(1));
  EXPECT_EQ((*back)[0].id, id);
}

TEST_F(DatabaseTest, NewEvidenceReopensAReviewedConflict) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  ASSERT_TRUE(db.Reconcile().ok());
  const std::string old_id = RawQuery("SELECT id FROM conflicts");
  ASSERT_TRUE(db.RecordReview(old_id, "dismissed", "", "rounding").ok());

  // A third page repeats the exact figure: the discrepancy grows.
  StorePage(db, "http://example.com/c", "2025-11-05", {KoreaExact("c")});
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->reopened, 1);
  StatusOr<std::vector<Conflict>> open = db.ListConflicts(ConflictStatusFilter::kOpen);
  ASSERT_TRUE(open.ok());
  ASSERT_THAT(*open, SizeIs(1));
  EXPECT_NE((*open)[0].id, old_id);
  EXPECT_THAT((*open)[0].claims, SizeIs(3));
  EXPECT_THAT((*open)[0].explanation, HasSubstr("Reopened: conflict " + old_id + " was dismissed"));
  EXPECT_EQ(RawQuery("SELECT reopened_from FROM conflicts WHERE stale = 0"), old_id);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM events WHERE type = 'conflict_reopened'"), "1");
}

TEST_F(DatabaseTest, StoredPartOfLinksAreUsedByReconcile) {
  Database db = OpenOrDie();
  PartOfLinks links;
  links.parent["Samsung Electronics"] = "South Korea";
  ASSERT_TRUE(db.SetPartOfLinks(links).ok());
  StatusOr<PartOfLinks> loaded = db.LoadPartOfLinks();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->parent, links.parent);

  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  StorePage(db, "http://example.com/b", "2025-11-02",
            {ClaimBuilder("s").Subject("Samsung Electronics").Exact(300000, "30万枚").Build()});
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->by_class["scope"], 1);
}

TEST_F(DatabaseTest, StatsCountPagesClaimsAndConflictsByClass) {
  Database db = OpenOrDie();
  StorePage(db, "http://example.com/a", "2025-11-01", {KoreaExact("a")});
  StorePage(db, "http://example.com/b", "2025-11-03", {KoreaAtLeast("b")});
  ASSERT_TRUE(db.Reconcile().ok());
  StatusOr<StoreStats> stats = db.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pages, 2);
  EXPECT_EQ(stats->claims, 2);
  EXPECT_EQ(stats->conflicts, 1);
  EXPECT_EQ(stats->open_conflicts, 1);
  EXPECT_EQ(stats->conflicts_by_class.at("discrepancy"), 1);
  EXPECT_EQ(stats->claims_by_kind.at("gpu_count"), 2);
}

}  // namespace
}  // namespace newsclaim::store

namespace newsclaim::store {
namespace {

constexpr std::string_view kWireText =
    "NVIDIAは10月31日、韓国政府および韓国企業に最新のBlackwell世代GPUを合計26万枚供給すると"
    "発表した。サムスン電子、SKグループ、現代自動車グループがそれぞれ5万枚を導入し、"
    "NAVER Cloudは6万枚を導入する。政府は国家AIコンピューティングセンター向けに約5万枚を確保する。";

TEST_F(DatabaseTest, ClaimsOfANearDuplicatePageAreMarkedDerivedNotDeleted) {
  Database db = OpenOrDie();
  const auto store = [&](const std::string& url, const std::string& published,
                         const std::string& text, const std::vector<Claim>& claims) {
    Article article = MakeArticle("Title of " + url, published);
    article.text = text;
    StatusOr<int64_t> id = db.UpsertPage(MakePage(url), article);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(db.ReplaceClaims(*id, claims, "rules-1").ok());
    return *id;
  };
  const int64_t original = store("http://wire.example/a", "2025-10-31", std::string(kWireText),
                                 {KoreaExact("a")});
  const int64_t copy = store("http://paper.example/b", "2025-11-01",
                             "（共同）" + std::string(kWireText), {KoreaExact("b")});
  store("http://other.example/c", "2025-11-02", "さくらインターネットは石狩で約1万基のGPUを"
        "整備する計画を明らかにした。政府の補助金を活用し、生成AIの開発企業向けに提供する。",
        {KoreaAtLeast("c")});

  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->near_duplicate_pages, 1);
  EXPECT_EQ(stats->derived_claims, 1);
  EXPECT_EQ(RawQuery("SELECT copy_of FROM pages WHERE id = " + std::to_string(copy)),
            std::to_string(original));
  EXPECT_EQ(RawQuery("SELECT original_url FROM v_page_copies"), "http://wire.example/a");
  // The copy's claim is live, derived, with a reason naming the original.
  EXPECT_EQ(RawQuery("SELECT derived FROM v_claims WHERE id = 'b'"), "1");
  EXPECT_THAT(RawQuery("SELECT derived_reason FROM v_claims WHERE id = 'b'"),
              HasSubstr("near-duplicate (shingle similarity"));
  EXPECT_THAT(RawQuery("SELECT derived_reason FROM v_claims WHERE id = 'b'"),
              HasSubstr("http://wire.example/a"));
  EXPECT_EQ(RawQuery("SELECT derived FROM v_claims WHERE id = 'a'"), "0");
  // It stays a member of the conflict, and the explanation says it copies.
  StatusOr<std::vector<Conflict>> conflicts = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_THAT(*conflicts, SizeIs(1));
  EXPECT_THAT((*conflicts)[0].claim_ids, SizeIs(3));
  EXPECT_THAT((*conflicts)[0].explanation, HasSubstr("derived: copies http://wire.example/a"));

  // The copy rewritten into its own story is independent again.
  store("http://paper.example/b", "2025-11-01",
        "現代自動車グループは韓国内に新たな研究拠点を設け、自動運転とロボットの開発に5万枚のGPUを"
        "使うと明らかにした。投資額は数年間で30億ドル規模になる見通しだ。",
        {KoreaExact("b")});
  StatusOr<ReconcileStats> again = db.Reconcile();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->near_duplicate_pages, 0);
  EXPECT_EQ(RawQuery("SELECT count(*) FROM v_claims WHERE derived"), "0");
  EXPECT_EQ(RawQuery("SELECT copy_of IS NULL FROM pages WHERE id = " + std::to_string(copy)), "1");
}

TEST_F(DatabaseTest, StoredFxRatesAnnotateMoneyConflicts) {
  Database db = OpenOrDie();
  StatusOr<FxTable> fx = FxTable::Parse(
      "rate = [{ date = \"2025-10-31\", base = \"USD\", quote = \"JPY\", rate = 150.0 }]",
      "fx.toml");
  ASSERT_TRUE(fx.ok());
  ASSERT_TRUE(db.SetFxRates(*fx).ok());
  StatusOr<FxTable> loaded = db.LoadFxRates();
  ASSERT_TRUE(loaded.ok());
  ASSERT_THAT(loaded->rates(), SizeIs(1));
  EXPECT_EQ(loaded->rates()[0].quote, "JPY");

  const auto money = [](const std::string& id, const std::string& currency, double value,
                        const std::string& text) {
    return ClaimBuilder(id).Subject("SoftBank").Counterparty("OpenAI").Money(currency)
        .Exact(value, text).Span(1, 5).Build();
  };
  StorePage(db, "http://example.com/a", "2025-11-05", {money("a", "USD", 3e9, "$3 billion")});
  StorePage(db, "http://example.com/b", "2025-11-06", {money("b", "USD", 2e9, "$2 billion")});
  StorePage(db, "http://example.com/c", "2025-11-07", {money("c", "JPY", 9e11, "9,000億円")});
  StatusOr<ReconcileStats> stats = db.Reconcile();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->conflicts, 1);
  StatusOr<std::vector<Conflict>> conflicts = db.ListConflicts(ConflictStatusFilter::kAll);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_THAT(*conflicts, SizeIs(1));
  EXPECT_THAT((*conflicts)[0].claim_ids, SizeIs(2));
  EXPECT_THAT((*conflicts)[0].explanation,
              HasSubstr("9,000億円 (Title of http://example.com/c, 2025-11-07) ≈ USD 6 billion "
                        "at the rate of 2025-10-31"));
}

}  // namespace
}  // namespace newsclaim::store
