// WARC interoperability, both ways:
//  (a) the WARC files a real `newsclaim crawl --warc-dir` of corpus/site
//      writes are read by an independent reader, webrecorder's warcio (the
//      npm package, `warcio index` / `warcio cdx-index`), and every record
//      it lists matches what our WarcReader reads, and what the database
//      says about where each page's response is;
//  (b) other tools' files in ../shared/data/warc (warcio's and jwarc's test
//      data, written by Webrecorder, wget, Common Crawl) read through our
//      ReadWarcPages give the pages they hold.
// warcio is installed by this test, once, into <build>/npm with npm; when
// that cannot be done (no npm, no registry) part (a) says why and skips.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "crawler/warc_reader.h"
#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr const char* kWarcioPackage = "warcio@2.4.11";

// The build tree: where the newsclaim binary is.
fs::path BuildDir() { return fs::path(NewsclaimBinary()).parent_path(); }

// Installs warcio into <build>/npm unless it is there. Returns the path of
// its command, or "" with `why` set when it cannot be installed. A lock
// file keeps parallel test processes from running npm at once.
std::string EnsureWarcio(std::string* why) {
  const fs::path prefix = BuildDir() / "npm";
  const fs::path command = prefix / "node_modules" / ".bin" / "warcio";
  std::error_code error;
  fs::create_directories(prefix, error);
  const int lock = open((prefix / ".install-lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) flock(lock, LOCK_EX);
  if (!fs::exists(command)) {
    if (RunProcess({"sh", "-c", "command -v npm && command -v node"}).exit_code != 0) {
      *why = "npm or node is not installed";
    } else {
      const ProcessResult install =
          RunProcess({"npm", "install", "--prefix", prefix.string(), "--no-audit", "--no-fund",
                      "--loglevel=error", kWarcioPackage});
      if (install.exit_code != 0 || !fs::exists(command)) {
        *why = "`npm install --prefix " + prefix.string() + " " + kWarcioPackage +
               "` failed (offline?): " + install.err;
      }
    }
  }
  if (lock >= 0) close(lock);
  return why->empty() ? command.string() : "";
}

std::vector<json> JsonLines(const std::string& text, std::string* not_json) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json value = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) {
      *not_json += line + "\n";  // warcio prints its warnings on stdout
    } else {
      lines.push_back(std::move(value));
    }
  }
  return lines;
}

std::vector<crawler::WarcRecord> ReadOurWay(const fs::path& path) {
  std::vector<crawler::WarcRecord> records;
  StatusOr<crawler::WarcReader> reader = crawler::WarcReader::Open(path);
  if (!reader.ok()) {
    ADD_FAILURE() << reader.status().ToString();
    return records;
  }
  while (true) {
    StatusOr<std::optional<crawler::WarcRecord>> next = reader->Next();
    if (!next.ok()) {
      ADD_FAILURE() << next.status().ToString();
      continue;
    }
    if (!next->has_value()) return records;
    records.push_back(std::move(**next));
  }
}

std::string Field(const crawler::WarcRecord& record, const std::string& name) {
  for (const auto& [key, value] : record.headers) {
    if (key == name) return value;
  }
  return "";
}

// --- (a) our files, read by warcio ------------------------------------------

// One crawl of the corpus with WARC output, shared by the suite.
class OurWarcFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new LocalHttpServer(SourceDir() + "/corpus/site");
    db_ = dir_->path() + "/claims.db";
    warc_dir_ = dir_->path() + "/warc";
    // "/news/2025" answers 301 to "/news/2025/": a redirect hop to keep.
    crawl_ = new ProcessResult(RunProcess({NewsclaimBinary(), "--db", db_, "crawl", "--delay-ms",
                                           "0", "--warc-dir", warc_dir_, server_->Url("/"),
                                           server_->Url("/news/2025")}));
    warcio_ = new std::string(EnsureWarcio(&why_no_warcio_));
  }

  static void TearDownTestSuite() {
    delete warcio_;
    delete crawl_;
    delete server_;
    delete dir_;
  }

  void SetUp() override { ASSERT_EQ(crawl_->exit_code, 0) << crawl_->err; }

  static std::vector<fs::path> WarcFiles() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(warc_dir_)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
  }

  // `warcio index FILE` as JSON lines; fails the test on anything else.
  static std::vector<json> WarcioIndex(const fs::path& file) {
    const ProcessResult result = RunProcess({*warcio_, "index", file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::string not_json;
    std::vector<json> lines = JsonLines(result.out, &not_json);
    EXPECT_EQ(not_json, "") << "warcio index complained about " << file;
    return lines;
  }

  // `warcio cdx-index FILE`: CDXJ lines "SURT TIMESTAMP {json}"; the JSON
  // gets the timestamp added as "timestamp".
  static std::vector<json> WarcioCdx(const fs::path& file) {
    const ProcessResult result = RunProcess({*warcio_, "cdx-index", file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<json> lines;
    std::istringstream in(result.out);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const size_t space = line.find(' ');
      const size_t brace = line.find(" {");
      json value =
          brace == std::string::npos ? json() : json::parse(line.substr(brace + 1), nullptr, false);
      if (space == std::string::npos || brace == std::string::npos || value.is_discarded()) {
        ADD_FAILURE() << "warcio cdx-index: not a CDXJ line: " << line;
        continue;
      }
      value["timestamp"] = line.substr(space + 1, brace - space - 1);
      lines.push_back(std::move(value));
    }
    return lines;
  }

  static TempDir* dir_;
  static LocalHttpServer* server_;
  static std::string db_, warc_dir_;
  static ProcessResult* crawl_;
  static std::string* warcio_;
  static std::string why_no_warcio_;
};

TempDir* OurWarcFilesTest::dir_ = nullptr;
LocalHttpServer* OurWarcFilesTest::server_ = nullptr;
std::string OurWarcFilesTest::db_;
std::string OurWarcFilesTest::warc_dir_;
ProcessResult* OurWarcFilesTest::crawl_ = nullptr;
std::string* OurWarcFilesTest::warcio_ = nullptr;
std::string OurWarcFilesTest::why_no_warcio_;

#define SKIP_WITHOUT_WARCIO()                                         \
  if (warcio_->empty()) {                                             \
    GTEST_SKIP() << "warcio cannot be installed: " << why_no_warcio_; \
  }

TEST_F(OurWarcFilesTest, CrawlWritesOneWarcFileOfResponsesAndRequests) {
  const std::vector<fs::path> files = WarcFiles();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].filename().string().ends_with(".warc.gz")) << files[0];
  const std::vector<crawler::WarcRecord> records = ReadOurWay(files[0]);
  ASSERT_GE(records.size(), 21u);  // warcinfo + at least 10 exchanges
  EXPECT_EQ(records[0].type, "warcinfo");
  size_t responses = 0;
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].version, "WARC/1.1");
    if (i % 2 == 1) {
      ++responses;
      EXPECT_EQ(records[i].type, "response") << i;
    } else {
      EXPECT_EQ(records[i].type, "request") << i;
      EXPECT_EQ(Field(records[i], "WARC-Concurrent-To"), records[i - 1].record_id);
      EXPECT_EQ(records[i].target_uri, records[i - 1].target_uri);
    }
  }
  EXPECT_EQ(records.size(), 1 + 2 * responses);
}

TEST_F(OurWarcFilesTest, WarcioListsTheSameRecordsAtTheSameOffsets) {
  SKIP_WITHOUT_WARCIO();
  for (const fs::path& file : WarcFiles()) {
    const std::vector<crawler::WarcRecord> ours = ReadOurWay(file);
    const std::vector<json> theirs = WarcioIndex(file);
    ASSERT_EQ(theirs.size(), ours.size()) << file;
    for (size_t i = 0; i < ours.size(); ++i) {
      SCOPED_TRACE("record " + std::to_string(i) + " of " + file.string());
      EXPECT_EQ(theirs[i].value("offset", int64_t{-1}), ours[i].offset);
      EXPECT_EQ(theirs[i].value("warc-type", ""), ours[i].type);
      EXPECT_EQ(theirs[i].value("warc-target-uri", ""), ours[i].target_uri);
    }
  }
}

TEST_F(OurWarcFilesTest, WarcioCdxIndexReadsEachResponsesHttpStatusAndMemberLength) {
  SKIP_WITHOUT_WARCIO();
  for (const fs::path& file : WarcFiles()) {
    const std::vector<crawler::WarcRecord> ours = ReadOurWay(file);
    std::map<int64_t, const crawler::WarcRecord*> by_offset;
    for (const crawler::WarcRecord& record : ours) by_offset[record.offset] = &record;
    const std::vector<json> cdx = WarcioCdx(file);
    size_t responses = 0;
    for (const json& line : cdx) {
      const int64_t offset = std::stoll(line.value("offset", "-1"));
      const int64_t length = std::stoll(line.value("length", "-1"));
      SCOPED_TRACE(line.dump());
      ASSERT_TRUE(by_offset.count(offset));
      const crawler::WarcRecord& record = *by_offset[offset];
      // Per-record gzip: a member ends where the next record starts.
      auto next = by_offset.upper_bound(offset);
      const int64_t member_end =
          next == by_offset.end() ? static_cast<int64_t>(fs::file_size(file)) : next->first;
      EXPECT_EQ(offset + length, member_end);
      EXPECT_EQ(line.value("url", ""), record.target_uri);
      std::string date_digits;  // 2025-11-03T09:00:00Z -> 20251103090000
      for (char c : record.date) {
        if (c >= '0' && c <= '9') date_digits += c;
      }
      EXPECT_EQ(line.value("timestamp", ""), date_digits);
      if (record.type != "response") continue;
      ++responses;
      // warcio parsed our HTTP message: its status is the one we wrote.
      EXPECT_EQ(line.value("status", ""), record.block.substr(9, 3));
      EXPECT_EQ("sha1:" + line.value("digest", ""), Field(record, "WARC-Payload-Digest"));
    }
    EXPECT_GE(responses, 10u);
  }
}

TEST_F(OurWarcFilesTest, EveryStoredPagePointsAtItsResponseInWarcio) {
  SKIP_WITHOUT_WARCIO();
  std::map<std::string, std::map<int64_t, json>> indexed;  // file -> offset -> entry
  for (const fs::path& file : WarcFiles()) {
    for (json& entry : WarcioIndex(file)) {
      const int64_t offset = entry.value("offset", int64_t{-1});
      indexed[file.string()][offset] = std::move(entry);
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT url, warc_path, warc_offset FROM pages", -1, &statement,
                               nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  size_t pages = 0;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    ++pages;
    const std::string url = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    const unsigned char* path = sqlite3_column_text(statement, 1);
    ASSERT_NE(path, nullptr) << url << " has no WARC path";
    const std::string warc_path = reinterpret_cast<const char*>(path);
    const int64_t offset = sqlite3_column_int64(statement, 2);
    ASSERT_TRUE(indexed[warc_path].count(offset)) << url << " at " << warc_path << "@" << offset;
    const json& entry = indexed[warc_path][offset];
    EXPECT_EQ(entry.value("warc-type", ""), "response") << url;
    EXPECT_EQ(entry.value("warc-target-uri", ""), url);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  EXPECT_GE(pages, 10u);
}

TEST_F(OurWarcFilesTest, ReadWarcPagesGivesBackTheStoredPages) {
  std::map<std::string, std::string> hashes;  // url -> content_hash, from the database
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT url, content_hash FROM pages", -1, &statement, nullptr),
            SQLITE_OK);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    hashes[reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);

  std::map<std::string, std::string> read;
  for (const fs::path& file : WarcFiles()) {
    const Status status = crawler::ReadWarcPages(
        file,
        [&](Page page) {
          read[page.url] = page.content_hash;
          return Status::Ok();
        },
        [](const std::string& where, const std::string& reason) {
          ADD_FAILURE() << where << ": " << reason;
        });
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  // Every stored page is in the WARC with the same content; the WARC may
  // hold more (a page whose content the crawler dropped as a duplicate),
  // but its robots.txt exchange is not a page, as it is not for the crawl.
  ASSERT_FALSE(hashes.empty());
  for (const auto& [url, hash] : read) EXPECT_FALSE(url.ends_with("/robots.txt")) << url;
  for (const auto& [url, hash] : hashes) {
    ASSERT_TRUE(read.count(url)) << url;
    EXPECT_EQ(read[url], hash) << url;
  }
}

// --- (b) other tools' files, read by us ---------------------------------------

class OtherToolsWarcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(SourceDir()) / ".." / "shared" / "data" / "warc";
    if (!fs::exists(dir_)) GTEST_SKIP() << dir_ << " is absent: shared WARC data not installed";
  }

  struct Result {
    std::vector<Page> pages;
    std::vector<std::string> failures;  // "where: reason"
    Status status;
  };

  Result Read(const std::string& name) const {
    Result result;
    result.status = crawler::ReadWarcPages(
        dir_ / name,
        [&](Page page) {
          result.pages.push_back(std::move(page));
          return Status::Ok();
        },
        [&](const std::string& where, const std::string& reason) {
          result.failures.push_back(where + ": " + reason);
        });
    return result;
  }

  fs::path dir_;
};

TEST_F(OtherToolsWarcTest, ReadsTheExampleComPageOfEveryWriterAndEncodingAsOneDocument) {
  // The same example.com page, kept by Webrecorder (gzip-encoded body, plain
  // and gzip WARC, whole-file gzip), by wget, and in ARC (identity body):
  // once decoded, every copy has the same content hash.
  const struct {
    const char* file;
    std::string url;
    int64_t offset;
    std::string fetched_at;
    std::string etag;
  } kCases[] = {
      {"warcio/example.warc", "http://example.com/", 1197, "2017-03-06T04:02:06Z",
       "\"359670651+gzip\""},
      {"warcio/example.warc.gz", "http://example.com/", 784, "2017-03-06T04:02:06Z",
       "\"359670651+gzip\""},
      {"warcio/example-bad-non-chunked.warc.gz", "http://example.com/", 0, "2017-03-06T04:02:06Z",
       "\"359670651+gzip\""},
      {"warcio/example-bad.warc.gz.bad", "http://example.com?example=1", 0, "2014-01-03T03:03:21Z",
       "\"359670651\""},
      {"warcio/example-wget-bad-target-uri.warc.gz", "http://example.com/", 824,
       "2018-02-09T15:12:11Z", "\"1541025663+gzip\""},
      {"warcio/example.arc", "http://example.com/", 151, "2014-02-16T05:02:21Z", "\"359670651\""},
      {"warcio/example.arc.gz", "http://example.com/", 171, "2014-02-16T05:02:21Z",
       "\"359670651\""},
  };
  std::set<std::string> hashes;
  for (const auto& test : kCases) {
    SCOPED_TRACE(test.file);
    const Result result = Read(test.file);
    EXPECT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_THAT(result.failures, ::testing::IsEmpty());
    ASSERT_EQ(result.pages.size(), 1u);
    const Page& page = result.pages[0];
    EXPECT_EQ(page.url, test.url);
    EXPECT_EQ(page.http_status, 200);
    EXPECT_EQ(page.content_type, "text/html");
    EXPECT_EQ(page.charset, "utf-8");
    EXPECT_EQ(page.fetched_at, test.fetched_at);
    EXPECT_EQ(page.etag, test.etag);
    EXPECT_EQ(page.last_modified, "Fri, 09 Aug 2013 23:54:35 GMT");
    EXPECT_EQ(page.warc_path, (dir_ / test.file).string());
    EXPECT_EQ(page.warc_offset, test.offset);
    EXPECT_THAT(page.html, HasSubstr("<title>Example Domain</title>"));
    EXPECT_THAT(page.html, HasSubstr("</html>"));
    hashes.insert(page.content_hash);
  }
  EXPECT_EQ(hashes.size(), 1u);
}

TEST_F(OtherToolsWarcTest, DechunksIanaOrgAndReadsCommonCrawlAndAResourceRecord) {
  const Result iana = Read("warcio/example-iana.org-chunked.warc");
  EXPECT_THAT(iana.failures, ::testing::IsEmpty());
  ASSERT_EQ(iana.pages.size(), 1u);
  EXPECT_EQ(iana.pages[0].url, "http://www.iana.org/");
  EXPECT_EQ(iana.pages[0].warc_offset, 405);
  EXPECT_EQ(iana.pages[0].charset, "utf-8");
  EXPECT_THAT(iana.pages[0].html, HasSubstr("<title>Internet Assigned Numbers Authority</title>"));
  // De-chunked: no chunk-size line survives at the start or the end.
  EXPECT_TRUE(iana.pages[0].html.starts_with("<!doctype html>"))
      << iana.pages[0].html.substr(0, 40);
  EXPECT_TRUE(iana.pages[0].html.ends_with("</html>\n"))
      << iana.pages[0].html.substr(iana.pages[0].html.size() - 40);

  const Result cc = Read("jwarc/cc.warc.gz");
  EXPECT_THAT(cc.failures, ::testing::IsEmpty());
  ASSERT_EQ(cc.pages.size(), 1u);
  EXPECT_EQ(cc.pages[0].url, "http://commoncrawl.org/");
  EXPECT_EQ(cc.pages[0].fetched_at, "2019-12-10T10:00:01Z");
  EXPECT_THAT(cc.pages[0].html, HasSubstr("<title>Common Crawl</title>"));

  const Result resource = Read("warcio/example-resource.warc.gz");
  EXPECT_THAT(resource.failures, ::testing::IsEmpty());
  ASSERT_EQ(resource.pages.size(), 1u);
  EXPECT_EQ(resource.pages[0].url, "http://example.com/");
  EXPECT_EQ(resource.pages[0].http_status, 0);
  EXPECT_EQ(resource.pages[0].warc_offset, 802);
  EXPECT_EQ(resource.pages[0].content_type, "text/html; charset=utf-8");
  EXPECT_THAT(resource.pages[0].html, HasSubstr("<title>Example Domain</title>"));
}

TEST_F(OtherToolsWarcTest, FilesWithoutPagesGiveNoPagesAndNoFailures) {
  // Requests only; JSON answers to POSTs; a PNG resource; a warcinfo in a
  // gzip member with an extra field.
  for (const char* file :
       {"warcio/example-digest.warc", "warcio/post-test.warc.gz",
        "warcio/example-space-in-target-uri.warc.gz", "jwarc/gzip_extra_sl.warc.gz"}) {
    const Result result = Read(file);
    EXPECT_TRUE(result.status.ok()) << file;
    EXPECT_THAT(result.pages, ::testing::IsEmpty()) << file;
    EXPECT_THAT(result.failures, ::testing::IsEmpty()) << file;
  }
}

TEST_F(OtherToolsWarcTest, BrokenFilesReportTheirDamageByOffsetAndYieldTheRest) {
  const struct {
    const char* file;
    std::vector<std::string> failure_offsets;
    std::string reason;
  } kCases[] = {
      {"warcio/example-trunc.warc", {"1197"}, "not followed by CRLF CRLF"},
      {"warcio/example-wrong-chunks.warc.gz", {"0"}, "not followed by CRLF CRLF"},
      {"warcio/example-space-in-url.arc", {"151"}, "truncated record"},
      {"warcio/bad.arc", {"0", "262"}, "bad ARC Archive-length"},
  };
  for (const auto& test : kCases) {
    SCOPED_TRACE(test.file);
    const Result result = Read(test.file);
    EXPECT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_THAT(result.pages, ::testing::IsEmpty());
    ASSERT_EQ(result.failures.size(), test.failure_offsets.size());
    for (size_t i = 0; i < result.failures.size(); ++i) {
      EXPECT_TRUE(result.failures[i].starts_with((dir_ / test.file).string() + "@" +
                                                 test.failure_offsets[i] + ": "))
          << result.failures[i];
      EXPECT_THAT(result.failures[i], HasSubstr(test.reason));
    }
  }
}

}  // namespace
}  // namespace newsclaim::testing
