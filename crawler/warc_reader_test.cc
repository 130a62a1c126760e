#include "crawler/warc_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>
#include <set>

#include "base/hash.h"
#include "crawler/warc_writer.h"
#include "tests/support/test_files.h"

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A fresh directory under the system temp dir, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "warc_reader_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { fs::remove_all(path_); }
  fs::path File(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
    return path_ / name;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// One WARC record's bytes (ISO 28500 section 4), Content-Length computed.
std::string Record(const std::vector<std::pair<std::string, std::string>>& fields,
                   const std::string& block, const std::string& version = "WARC/1.1") {
  std::string text = version + "\r\n";
  for (const auto& [name, value] : fields) text += name + ": " + value + "\r\n";
  return text + "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string Response(const std::string& uri, const std::string& http) {
  return Record({{"WARC-Type", "response"},
                 {"WARC-Target-URI", uri},
                 {"WARC-Date", "2025-11-03T09:00:00Z"},
                 {"Content-Type", "application/http;msgtype=response"}},
                http);
}

std::string Request(const std::string& uri) {
  return Record({{"WARC-Type", "request"},
                 {"WARC-Target-URI", uri},
                 {"Content-Type", "application/http;msgtype=request"}},
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
}

std::string Info() {
  return Record({{"WARC-Type", "warcinfo"}, {"Content-Type", "application/warc-fields"}},
                "software: test\r\n");
}

// `data` compressed with zlib: window_bits 15+16 gzip, 15 zlib, -15 raw.
std::string Deflate(const std::string& data, int window_bits = 15 + 16) {
  z_stream stream{};
  EXPECT_EQ(
      deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Gzip(const std::string& data) { return Deflate(data, 15 + 16); }

// What a reader produced, one entry per Next() call until the end: a record
// or "error: <message>".
struct Item {
  std::optional<WarcRecord> record;
  Status error;
};

std::vector<Item> ReadAll(const fs::path& path, WarcReaderOptions options = {}) {
  std::vector<Item> items;
  StatusOr<WarcReader> reader = WarcReader::Open(path, options);
  if (!reader.ok()) {
    ADD_FAILURE() << reader.status().ToString();
    return items;
  }
  for (int i = 0; i < 1000; ++i) {
    StatusOr<std::optional<WarcRecord>> next = reader->Next();
    if (next.ok() && !next->has_value()) return items;
    if (next.ok()) {
      items.push_back({std::move(**next), Status::Ok()});
    } else {
      items.push_back({std::nullopt, next.status()});
    }
  }
  ADD_FAILURE() << "no end after 1000 calls of Next() on " << path;
  return items;
}

// "type uri @offset" per record, "error @offset" per error: easy to compare.
std::vector<std::string> Summary(const std::vector<Item>& items, const fs::path& path) {
  std::vector<std::string> lines;
  for (const Item& item : items) {
    if (item.record) {
      std::string line = item.record->type;
      if (!item.record->target_uri.empty()) line += " " + item.record->target_uri;
      lines.push_back(line + " @" + std::to_string(item.record->offset));
    } else {
      // The message must start "PATH@OFFSET: ".
      const std::string prefix = path.string() + "@";
      const std::string& message = item.error.message();
      EXPECT_THAT(message, StartsWith(prefix));
      lines.push_back("error @" + message.substr(prefix.size(),
                                                 message.find(':', prefix.size()) - prefix.size()));
    }
  }
  return lines;
}

struct PagesRead {
  std::vector<Page> pages;
  std::vector<std::pair<std::string, std::string>> failures;
  Status status;
};

PagesRead ReadPages(const fs::path& path) {
  PagesRead result;
  result.status = ReadWarcPages(
      path,
      [&](Page page) {
        result.pages.push_back(std::move(page));
        return Status::Ok();
      },
      [&](const std::string& where, const std::string& reason) {
        result.failures.emplace_back(where, reason);
      });
  return result;
}

// --- WarcReader ------------------------------------------------------------

TEST(WarcReaderTest, ReadsEveryRecordOfAPlainFileWithItsFieldsAndOffset) {
  const fs::path path = testing::SourceDir() / "tests/testdata/warc/mixed.warc";
  const std::vector<Item> items = ReadAll(path);
  EXPECT_THAT(
      Summary(items, path),
      ::testing::ElementsAre("warcinfo @0", "response https://news.example.jp/ja/korea.html @283",
                             "request https://news.example.jp/ja/korea.html @781",
                             "revisit https://news.example.jp/ja/korea.html @1183"));
  ASSERT_EQ(items.size(), 4u);
  const WarcRecord& info = *items[0].record;
  EXPECT_EQ(info.version, "WARC/1.1");
  EXPECT_EQ(info.record_id, "<urn:uuid:00000000-0000-4000-8000-000000000001>");
  EXPECT_EQ(info.date, "2025-11-03T09:00:00Z");
  EXPECT_EQ(info.content_type, "application/warc-fields");
  EXPECT_EQ(info.block, "software: hand-written fixture\r\nformat: WARC File Format 1.1\r\n");
  ASSERT_EQ(info.headers.size(), 6u);
  EXPECT_EQ(info.headers[3],
            std::make_pair(std::string("WARC-Filename"), std::string("mixed.warc")));
  EXPECT_EQ(info.headers[5], std::make_pair(std::string("Content-Length"), std::string("62")));
  EXPECT_THAT(items[1].record->block, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(items[1].record->block.size(), 237u);
  EXPECT_EQ(items[2].record->block,
            "GET /ja/korea.html HTTP/1.1\r\nHost: news.example.jp\r\nUser-Agent: fixture\r\n\r\n");
}

TEST(WarcReaderTest, GivesEachPerRecordGzipRecordItsMemberOffset) {
  ScratchDir dir;
  const std::string members[] = {Gzip(Info()),
                                 Gzip(Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\nx")),
                                 Gzip(Request("http://a.example/"))};
  const fs::path path = dir.File("r.warc.gz", members[0] + members[1] + members[2]);
  const std::vector<Item> items = ReadAll(path);
  const std::string second = std::to_string(members[0].size());
  const std::string third = std::to_string(members[0].size() + members[1].size());
  EXPECT_THAT(Summary(items, path),
              ::testing::ElementsAre("warcinfo @0", "response http://a.example/ @" + second,
                                     "request http://a.example/ @" + third));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].record->block, "HTTP/1.1 200 OK\r\n\r\nx");
}

TEST(WarcReaderTest, ReadsAWholeFileGzipWhoseRecordsAllStartInMemberZero) {
  ScratchDir dir;
  const fs::path path =
      dir.File("w.warc.gz", Gzip(Info() + Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\n") +
                                 Request("http://a.example/")));
  EXPECT_THAT(Summary(ReadAll(path), path),
              ::testing::ElementsAre("warcinfo @0", "response http://a.example/ @0",
                                     "request http://a.example/ @0"));
}

TEST(WarcReaderTest, ReadsRecordsThatStraddleGzipMembers) {
  // As in warcio's example-wrong-chunks.warc.gz: members cut mid-record.
  ScratchDir dir;
  const std::string text =
      Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\n" + std::string(3000, 'y')) +
      Request("http://a.example/");
  const size_t second_record = text.find("WARC/1.1", 10);
  const std::string first = Gzip(text.substr(0, 100));
  const std::string second = Gzip(text.substr(100, second_record - 2 - 100));
  const std::string third = Gzip(text.substr(second_record - 2));
  const fs::path path = dir.File("s.warc.gz", first + second + third);
  EXPECT_THAT(Summary(ReadAll(path), path),
              ::testing::ElementsAre(
                  "response http://a.example/ @0",
                  "request http://a.example/ @" + std::to_string(first.size() + second.size())));
}

TEST(WarcReaderTest, AcceptsWarc10FoldedFieldsBracketedUrisAndBlankLinesBetweenRecords) {
  ScratchDir dir;
  const std::string folded =
      "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: <http://old.example/a>\r\n"
      "X-Note: first\r\n  second\r\nContent-Length: 2\r\n\r\nhi\r\n\r\n";
  const fs::path path = dir.File("f.warc", "\r\n" + folded + "\r\n\n" + Info());
  const std::vector<Item> items = ReadAll(path);
  EXPECT_THAT(Summary(items, path),
              ::testing::ElementsAre("resource http://old.example/a @2",
                                     "warcinfo @" + std::to_string(2 + folded.size() + 3)));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].record->version, "WARC/1.0");
  EXPECT_EQ(items[0].record->headers[2],
            std::make_pair(std::string("X-Note"), std::string("first second")));
  EXPECT_EQ(items[0].record->block, "hi");
}

TEST(WarcReaderTest, ReadsAZeroLengthBlockAndAnEmptyFile) {
  ScratchDir dir;
  const fs::path path = dir.File(
      "z.warc", Record({{"WARC-Type", "metadata"}, {"WARC-Target-URI", "http://z/"}}, "") + Info());
  const std::vector<Item> items = ReadAll(path);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].record.has_value()) << items[0].error.ToString();
  EXPECT_EQ(items[0].record->block, "");
  EXPECT_EQ(items[1].record->type, "warcinfo");
  EXPECT_TRUE(ReadAll(dir.File("empty.warc", "")).empty());
  EXPECT_TRUE(ReadAll(dir.File("empty.warc.gz", Gzip(""))).empty());
}

// Broken files: each yields the records around the damage, an error naming
// the damaged record's offset, and then ends.
TEST(WarcReaderTest, ReportsDamageByOffsetAndResyncsToTheNextRecord) {
  const std::string info = Info();
  const std::string page = Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\nbody");
  const std::string request = Request("http://a.example/");
  std::string too_short = page;  // Content-Length 2 less than the block
  too_short.replace(
      too_short.find("Content-Length: ") + 16, 2,
      std::to_string(std::stoi(too_short.substr(too_short.find("Content-Length: ") + 16, 2)) - 2));
  std::string too_long = page;
  too_long.replace(
      too_long.find("Content-Length: ") + 16, 2,
      std::to_string(std::stoi(too_long.substr(too_long.find("Content-Length: ") + 16, 2)) + 40));
  const std::string no_length = "WARC/1.1\r\nWARC-Type: request\r\n\r\n";
  const std::string bad_length = "WARC/1.1\r\nContent-Length: 1x\r\n\r\n";
  const std::string no_colon = "WARC/1.1\r\nno colon here\r\n\r\n";
  const std::string garbage = "hello world\r\nmore junk\r\n";
  const std::string at_1 = "@" + std::to_string(info.size());
  const std::string after_page = "@" + std::to_string(info.size() + page.size());
  const struct {
    const char* name;
    std::string bytes;
    std::vector<std::string> expected;
  } kCases[] = {
      {"garbage between records",
       info + garbage + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + garbage.size())}},
      {"Content-Length too small",
       info + too_short + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + too_short.size())}},
      {"Content-Length too large swallows the next record",
       info + too_long + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + too_long.size())}},
      {"truncated last record",
       info + page.substr(0, page.size() - 8),
       {"warcinfo @0", "error " + at_1}},
      {"truncated header", info + page.substr(0, 30), {"warcinfo @0", "error " + at_1}},
      {"no Content-Length",
       info + no_length + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + no_length.size())}},
      {"bad Content-Length",
       info + bad_length + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + bad_length.size())}},
      {"header line without a colon",
       info + no_colon + request,
       {"warcinfo @0", "error " + at_1,
        "request http://a.example/ @" + std::to_string(info.size() + no_colon.size())}},
      {"binary garbage without newlines at the end",
       info + page + std::string(200000, '\x01'),
       {"warcinfo @0", "response http://a.example/ " + at_1, "error " + after_page}},
  };
  ScratchDir dir;
  for (const auto& test : kCases) {
    const fs::path path = dir.File("broken.warc", test.bytes);
    EXPECT_EQ(Summary(ReadAll(path), path), test.expected) << test.name;
  }
}

TEST(WarcReaderTest, NamesTheReasonInTheError) {
  ScratchDir dir;
  const fs::path path = dir.File("g.warc", Info() + "hello world\r\n");
  const std::vector<Item> items = ReadAll(path);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].error.code(), StatusCode::kCorruption);
  EXPECT_THAT(items[1].error.message(), HasSubstr("expected a \"WARC/\" version line"));
  EXPECT_THAT(items[1].error.message(), HasSubstr("hello world"));
}

TEST(WarcReaderTest, ReportsACorruptGzipMemberAndGoesOnWithTheNextMember) {
  ScratchDir dir;
  const std::string one = Gzip(Info());
  std::string two =
      Gzip(Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\n" + std::string(500, 'z')));
  // After the 10-byte gzip header: 0xff starts a deflate block of the
  // reserved type 3 (RFC 1951 section 3.2.3), which inflate rejects.
  for (size_t i = 10; i < 30; ++i) two[i] = '\xff';
  const std::string three = Gzip(Request("http://a.example/"));
  const fs::path path = dir.File("c.warc.gz", one + two + three);
  const std::vector<Item> items = ReadAll(path);
  EXPECT_THAT(Summary(items, path),
              ::testing::ElementsAre(
                  "warcinfo @0", "error @" + std::to_string(one.size()),
                  "request http://a.example/ @" + std::to_string(one.size() + two.size())));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_THAT(items[1].error.message(), HasSubstr("gzip"));
}

TEST(WarcReaderTest, ReportsATruncatedLastGzipMemberThenEnds) {
  // What a crawl killed mid-write leaves.
  ScratchDir dir;
  const std::string one = Gzip(Info());
  const std::string two =
      Gzip(Response("http://a.example/", "HTTP/1.1 200 OK\r\n\r\n" + std::string(5000, 'q')));
  const fs::path path = dir.File("t.warc.gz", one + two.substr(0, two.size() / 2));
  const std::vector<Item> items = ReadAll(path);
  EXPECT_THAT(Summary(items, path),
              ::testing::ElementsAre("warcinfo @0", "error @" + std::to_string(one.size())));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[1].error.message(), HasSubstr("truncated"));
}

TEST(WarcReaderTest, SkipsABlockOverTheLimitWithResourceExhausted) {
  ScratchDir dir;
  const std::string big = Record({{"WARC-Type", "resource"}, {"WARC-Target-URI", "http://big/"}},
                                 std::string(5000, 'b'));
  const fs::path path =
      dir.File("big.warc.gz", Gzip(Info()) + Gzip(big) + Gzip(Request("http://a/")));
  const std::vector<Item> items = ReadAll(path, WarcReaderOptions{.max_block_bytes = 1000});
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].error.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(items[1].error.message(), HasSubstr("http://big/"));
  EXPECT_THAT(items[1].error.message(), HasSubstr("5000 bytes, over the limit of 1000"));
  ASSERT_TRUE(items[2].record.has_value()) << items[2].error.ToString();
  EXPECT_EQ(items[2].record->type, "request");
}

TEST(WarcReaderTest, DefaultBlockLimitIs16MiB) {
  EXPECT_EQ(WarcReaderOptions().max_block_bytes, 16 * 1024 * 1024);
}

TEST(WarcReaderTest, ReadsArcRecordsAsWarcShapedRecords) {
  ScratchDir dir;
  const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>arc</html>";
  const std::string filedesc_block =
      "1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
  const std::string arc = "filedesc://t.arc 127.0.0.1 20140216050221 text/plain " +
                          std::to_string(filedesc_block.size()) + "\n" + filedesc_block + "\n" +
                          "http://a.example/x y 93.184.216.119 20140216050221 text/html " +
                          std::to_string(http.size()) + "\n" + http + "\n";
  const fs::path path = dir.File("t.arc", arc);
  const std::vector<Item> items = ReadAll(path);
  EXPECT_THAT(Summary(items, path),
              ::testing::ElementsAre("warcinfo filedesc://t.arc @0",
                                     "response http://a.example/x y @" +
                                         std::to_string(arc.find("http://a.example"))));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].record->version, "ARC/1");
  EXPECT_EQ(items[1].record->date, "2014-02-16T05:02:21Z");
  EXPECT_EQ(items[1].record->content_type, "text/html");
  EXPECT_EQ(items[1].record->block, http);
  EXPECT_EQ(items[1].record->headers[1],
            std::make_pair(std::string("IP-address"), std::string("93.184.216.119")));
}

TEST(WarcReaderTest, FailsToOpenAMissingFileWithIoError) {
  StatusOr<WarcReader> reader = WarcReader::Open("/nonexistent/dir/x.warc.gz");
  EXPECT_EQ(reader.status().code(), StatusCode::kIoError);
  EXPECT_THAT(reader.status().message(), HasSubstr("/nonexistent/dir/x.warc.gz"));
}

TEST(WarcReaderTest, ReadsBackWhatWarcWriterWrote) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse response;
  response.http_status = 200;
  response.final_url = "https://news.example.com/a.html";
  response.content_type = "text/html; charset=utf-8";
  response.body = "<html><body>26万枚のGPU</body></html>";
  response.request_head = "GET /a.html HTTP/1.1\r\nHost: news.example.com\r\n\r\n";
  response.response_head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
      "Transfer-Encoding: chunked\r\nETag: \"e1\"\r\n\r\n";
  response.fetched_at = "2025-11-03T09:00:00Z";
  const WarcLocation first = writer->WriteExchange(response.final_url, response).value();
  response.final_url = "https://news.example.com/b.html";
  response.body = "<html><body>25万基以上</body></html>";
  const WarcLocation second = writer->WriteExchange(response.final_url, response).value();

  const fs::path path = writer->path();
  const std::vector<Item> items = ReadAll(path);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[1].record->offset, first.offset);
  EXPECT_EQ(items[3].record->offset, second.offset);
  EXPECT_EQ(items[3].record->target_uri, "https://news.example.com/b.html");
  EXPECT_EQ(items[4].record->type, "request");

  const PagesRead read = ReadPages(path);
  EXPECT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_TRUE(read.failures.empty()) << read.failures[0].second;
  ASSERT_EQ(read.pages.size(), 2u);
  EXPECT_EQ(read.pages[0].html, "<html><body>26万枚のGPU</body></html>");
  EXPECT_EQ(read.pages[0].etag, "\"e1\"");
  EXPECT_EQ(read.pages[0].content_hash, HexHash64("<html><body>26万枚のGPU</body></html>"));
  EXPECT_EQ(read.pages[1].warc_path, path.string());
  EXPECT_EQ(read.pages[1].warc_offset, second.offset);
}

// --- ReadWarcPages ---------------------------------------------------------

TEST(ReadWarcPagesTest, ReadsAResponseRecordIntoEveryPageField) {
  const fs::path path = testing::SourceDir() / "tests/testdata/warc/mixed.warc";
  const PagesRead read = ReadPages(path);
  EXPECT_TRUE(read.status.ok());
  EXPECT_TRUE(read.failures.empty());
  ASSERT_EQ(read.pages.size(), 1u);  // the revisit is no page of its own
  const Page& page = read.pages[0];
  EXPECT_EQ(page.url, "https://news.example.jp/ja/korea.html");
  EXPECT_EQ(page.requested_url, page.url);
  EXPECT_EQ(page.fetched_at, "2025-11-03T09:00:01Z");
  EXPECT_EQ(page.http_status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=Shift_JIS");
  EXPECT_EQ(page.charset, "shift_jis");
  EXPECT_THAT(page.html, HasSubstr("韓国に26万枚のGPUを供給する。"));
  EXPECT_EQ(page.etag, "\"sj-1\"");
  EXPECT_EQ(page.last_modified, "Mon, 03 Nov 2025 08:00:00 GMT");
  const std::string file = testing::ReadTestFile(path);
  const size_t body = file.find("<html>");
  EXPECT_EQ(page.content_hash, HexHash64(file.substr(body, 94)));
  EXPECT_EQ(page.warc_path, path.string());
  EXPECT_EQ(page.warc_offset, 283);
  EXPECT_TRUE(page.error.empty());
}

std::string Chunked(const std::string& body, size_t chunk_size) {
  std::string out;
  for (size_t i = 0; i < body.size(); i += chunk_size) {
    const std::string chunk = body.substr(i, chunk_size);
    char size[20];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    out += std::string(size) + ";ext=1\r\n" + chunk + "\r\n";
  }
  return out + "0\r\nX-Trailer: t\r\n\r\n";
}

TEST(ReadWarcPagesTest, DecodesChunkedAndCompressedBodies) {
  const std::string html = "<!doctype html><p>Nvidia will supply 260,000 GPUs.</p>" +
                           std::string(3000, ' ') + "<p>end</p>";
  const std::string sjis_html = "<html><meta charset=shift_jis><p>\x82\xa0</p></html>";  // あ
  const struct {
    const char* name;
    std::string headers;
    std::string body;
    std::string expected_html;
  } kCases[] = {
      {"identity", "Content-Type: text/html\r\n", html, html},
      {"chunked", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", Chunked(html, 1000),
       html},
      {"gzip", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", Gzip(html), html},
      {"x-gzip", "Content-Type: text/html\r\nContent-Encoding: x-gzip\r\n", Gzip(html), html},
      {"gzip, then chunked",
       "Content-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
       Chunked(Gzip(html), 100), html},
      {"zlib deflate", "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
       Deflate(html, 15), html},
      {"raw deflate", "Content-Type: text/html\r\nContent-Encoding: deflate\r\n",
       Deflate(html, -15), html},
      {"chunked header on a de-chunked body",
       "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", html, html},
      {"chunked without the last-chunk",
       "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", "5\r\n<html\r\n1\r\n>\r\n",
       "<html>"},
      {"charset from the meta prescan", "Content-Type: text/html\r\n", sjis_html,
       "<html><meta charset=shift_jis><p>あ</p></html>"},
      {"xhtml", "Content-Type: application/xhtml+xml\r\n", html, html},
      {"text/plain", "Content-Type: text/plain; charset=utf-8\r\n", "26万枚", "26万枚"},
      {"no Content-Type but HTML", "", html, html},
  };
  ScratchDir dir;
  for (const auto& test : kCases) {
    const fs::path path = dir.File(
        "p.warc",
        Response("http://a.example/p", "HTTP/1.1 200 OK\r\n" + test.headers + "\r\n" + test.body));
    const PagesRead read = ReadPages(path);
    ASSERT_TRUE(read.failures.empty()) << test.name << ": " << read.failures[0].second;
    ASSERT_EQ(read.pages.size(), 1u) << test.name;
    EXPECT_EQ(read.pages[0].html, test.expected_html) << test.name;
    EXPECT_FALSE(read.pages[0].content_type.empty()) << test.name;
  }
}

TEST(ReadWarcPagesTest, HashesTheDecodedBody) {
  ScratchDir dir;
  const std::string html = "<html><p>100兆ウォン</p></html>";
  const fs::path path = dir.File(
      "h.warc.gz", Gzip(Response("http://a.example/",
                                 "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                 "Content-Encoding: gzip\r\n\r\n" +
                                     Gzip(html))));
  const PagesRead read = ReadPages(path);
  ASSERT_EQ(read.pages.size(), 1u);
  EXPECT_EQ(read.pages[0].content_hash, HexHash64(html));
  EXPECT_EQ(read.pages[0].warc_offset, 0);
}

TEST(ReadWarcPagesTest, ReportsUndecodableBodiesAndGoesOn) {
  const std::string html = "<html><p>x</p></html>";
  std::string bomb_input(11 * 1024 * 1024, '0');
  const std::string gzip_html = Gzip(html);
  const struct {
    const char* name;
    std::string http;
    std::string reason;
  } kCases[] = {
      {"truncated gzip",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" +
           gzip_html.substr(0, gzip_html.size() - 12),
       "truncated gzip body"},
      {"not gzip at all",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + html,
       "corrupt gzip body"},
      {"gzip bomb",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" +
           Gzip(bomb_input),
       "decoded body exceeds 10485760 bytes"},
      {"identity body over 10 MiB",
       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + bomb_input,
       "body exceeds 10485760 bytes"},
      {"brotli", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\nxx",
       "unsupported Content-Encoding \"br\""},
      {"broken chunk",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
       "5\r\n<html\r\nzz\r\n",
       "malformed chunked body"},
      {"chunk cut short",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
       "50\r\n<html>",
       "malformed chunked body"},
      {"bad status line", "HTTP/1.1 OK\r\nContent-Type: text/html\r\n\r\n<html>",
       "bad HTTP status line"},
      {"head without end", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", "no blank line"},
  };
  ScratchDir dir;
  for (const auto& test : kCases) {
    const fs::path path = dir.File(
        "u.warc", Response("http://bad.example/", test.http) +
                      Response("http://good.example/",
                               "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html));
    const PagesRead read = ReadPages(path);
    EXPECT_TRUE(read.status.ok()) << test.name;
    ASSERT_EQ(read.failures.size(), 1u) << test.name;
    EXPECT_EQ(read.failures[0].first, "http://bad.example/") << test.name;
    EXPECT_THAT(read.failures[0].second, HasSubstr(test.reason)) << test.name;
    ASSERT_EQ(read.pages.size(), 1u) << test.name;
    EXPECT_EQ(read.pages[0].url, "http://good.example/") << test.name;
  }
}

TEST(ReadWarcPagesTest, SkipsRecordsThatAreNotPagesSilently) {
  const std::string page_http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html></html>";
  const std::string text =
      Info() + Request("http://a.example/") +
      Response("http://a.example/404",
               "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>") +
      Response("http://a.example/301", "HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n") +
      Response("http://a.example/i.png",
               "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG") +
      Response("http://a.example/s.css", "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\n\r\nb{}") +
      Response("http://a.example/u", "HTTP/1.1 200 OK\r\n\r\n{\"json\": 1}") +
      Record({{"WARC-Type", "response"},
              {"WARC-Target-URI", "dns:a.example"},
              {"Content-Type", "text/dns"}},
             "20251103 a.example. 300 IN A 192.0.2.1") +
      Record({{"WARC-Type", "revisit"},
              {"WARC-Target-URI", "http://a.example/"},
              {"Content-Type", "application/http;msgtype=response"}},
             page_http) +
      Record({{"WARC-Type", "metadata"},
              {"WARC-Target-URI", "http://a.example/"},
              {"Content-Type", "text/html"}},
             "<html>outlinks</html>") +
      Record({{"WARC-Type", "resource"},
              {"WARC-Target-URI", "metadata://x/wget.log"},
              {"Content-Type", "text/plain"}},
             "log");
  ScratchDir dir;
  const PagesRead read = ReadPages(dir.File("n.warc", text));
  EXPECT_TRUE(read.status.ok());
  EXPECT_TRUE(read.failures.empty()) << read.failures[0].first << ": " << read.failures[0].second;
  EXPECT_TRUE(read.pages.empty()) << read.pages[0].url;
}

TEST(ReadWarcPagesTest, ReadsTextResourceRecordsAsPagesWithoutHttpStatus) {
  ScratchDir dir;
  const fs::path path =
      dir.File("r.warc", Record({{"WARC-Type", "resource"},
                                 {"WARC-Target-URI", "file:///archive/release.txt"},
                                 {"WARC-Date", "2025-01-02T03:04:05Z"},
                                 {"Content-Type", "text/plain; charset=utf-8"}},
                                "5万基のGPU"));
  const PagesRead read = ReadPages(path);
  ASSERT_EQ(read.pages.size(), 1u);
  EXPECT_EQ(read.pages[0].url, "file:///archive/release.txt");
  EXPECT_EQ(read.pages[0].http_status, 0);
  EXPECT_EQ(read.pages[0].fetched_at, "2025-01-02T03:04:05Z");
  EXPECT_EQ(read.pages[0].html, "5万基のGPU");
  EXPECT_EQ(read.pages[0].content_type, "text/plain; charset=utf-8");
}

TEST(ReadWarcPagesTest, ReportsUnreadableRecordsByPathAndOffsetAndGoesOn) {
  ScratchDir dir;
  const std::string info = Info();
  const fs::path path =
      dir.File("b.warc", info + "junk\r\n" +
                             Response("http://a.example/",
                                      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>"));
  const PagesRead read = ReadPages(path);
  ASSERT_EQ(read.failures.size(), 1u);
  EXPECT_EQ(read.failures[0].first, path.string() + "@" + std::to_string(info.size()));
  EXPECT_THAT(read.failures[0].second, HasSubstr("expected a \"WARC/\" version line"));
  EXPECT_THAT(read.failures[0].second, ::testing::Not(StartsWith(path.string())));
  ASSERT_EQ(read.pages.size(), 1u);
}

TEST(ReadWarcPagesTest, StopsAndReturnsTheErrorOfOnPage) {
  ScratchDir dir;
  const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>";
  const fs::path path =
      dir.File("s.warc", Response("http://a/", http) + Response("http://b/", http));
  int calls = 0;
  const Status status = ReadWarcPages(
      path,
      [&](Page) {
        ++calls;
        return IoError("disk full");
      },
      [](const std::string&, const std::string&) {});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
  EXPECT_EQ(status.message(), "disk full");
}

TEST(ReadWarcPagesTest, FailsOnlyWhenTheFileCannotBeOpened) {
  const PagesRead read = ReadPages("/nonexistent/x.warc");
  EXPECT_EQ(read.status.code(), StatusCode::kIoError);
  ScratchDir dir;
  const PagesRead garbage = ReadPages(dir.File("g.warc", "not a warc at all\n"));
  EXPECT_TRUE(garbage.status.ok());
  EXPECT_EQ(garbage.failures.size(), 1u);
}

// --- Other tools' files (../shared/data/warc) -------------------------------

// Record lists as warcio 2.4.11 (`npx warcio index`) reports them, except
// where noted: warcio gives the records after the first of a whole-file gzip
// the offset of the file's end; we give them their member's offset, 0.
TEST(SharedWarcDataTest, ReadsEveryFileRecordByRecord) {
  const fs::path dir = testing::SharedDataDir() / "warc";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent: shared WARC data not installed";
  const std::string ex = "http://example.com/";
  const struct {
    const char* file;
    std::vector<std::string> expected;
  } kCases[] = {
      {"warcio/example.warc",
       {"warcinfo @0", "warcinfo @488", "response " + ex + " @1197", "request " + ex + " @2566",
        "revisit " + ex + " @3370", "request " + ex + " @4316"}},
      {"warcio/example.warc.gz",
       {"warcinfo @0", "warcinfo @353", "response " + ex + " @784", "request " + ex + " @2012",
        "revisit " + ex + " @2621", "request " + ex + " @3207"}},
      {"warcio/example-iana.org-chunked.warc",
       {"warcinfo @0", "response http://www.iana.org/ @405", "request http://www.iana.org/ @8379"}},
      {"warcio/example-digest.warc",
       {"request " + ex + " @0", "request " + ex + " @922", "request " + ex + " @1840",
        "request " + ex + " @2758"}},
      {"warcio/example-resource.warc.gz",
       {"warcinfo @0", "warcinfo @361", "resource " + ex + " @802"}},
      {"warcio/example-space-in-target-uri.warc.gz",
       {"warcinfo @0", "resource file:///example with spaces.png @241"}},
      // wget writes WARC-Target-URI as <http://example.com/>.
      {"warcio/example-wget-bad-target-uri.warc.gz",
       {"warcinfo @0", "request " + ex + " @410", "response " + ex + " @824",
        "metadata metadata://gnu.org/software/wget/warc/MANIFEST.txt @1978",
        "resource metadata://gnu.org/software/wget/warc/wget_arguments.txt @2295",
        "resource metadata://gnu.org/software/wget/warc/wget.log @2681"}},
      {"warcio/post-test.warc.gz",
       {"response http://httpbin.org/post @0", "request http://httpbin.org/post @720",
        "response http://httpbin.org/post @1196", "request http://httpbin.org/post @1919",
        "response http://httpbin.org/post?foo=bar @2395",
        "request http://httpbin.org/post?foo=bar @3118"}},
      // Broken on purpose: the response's Content-Length is 2 short (warcio:
      // "Content-Length Too Small ... Offset: 2560"); the file is example.warc
      // cut after the first request.
      {"warcio/example-trunc.warc",
       {"warcinfo @0", "warcinfo @488", "error @1197", "request " + ex + " @2566"}},
      // Whole-file gzip (one member).
      {"warcio/example-bad-non-chunked.warc.gz",
       {"warcinfo @0", "warcinfo @0", "response " + ex + " @0", "request " + ex + " @0",
        "revisit " + ex + " @0", "request " + ex + " @0"}},
      // Gzip members cut across records, and the response's Content-Length
      // 1613 is one short (its block is followed by "\n\r\n\r\n"); warcio
      // lists the response and loses the request.
      {"warcio/example-wrong-chunks.warc.gz", {"error @0", "request " + ex + " @1130"}},
      {"jwarc/cc.warc.gz", {"response http://commoncrawl.org/ @0"}},
      // A gzip member with an "sl" extra field in its header (FEXTRA).
      {"jwarc/gzip_extra_sl.warc.gz", {"warcinfo @0"}},
      {"warcio/example.arc.gz",
       {"warcinfo filedesc://live-web-example.arc.gz @0", "response " + ex + " @171"}},
      {"warcio/example.arc",
       {"warcinfo filedesc://live-web-example.arc.gz @0", "response " + ex + " @151"}},
      // The record's Archive-length, 1591, is 12 bytes more than the file
      // holds (warcio lists nothing at all).
      {"warcio/example-space-in-url.arc",
       {"warcinfo filedesc://live-web-example.arc.gz @0", "error @151"}},
      // Lengths "-1" and "abc", an 18-digit date: between two bad records one
      // good one, of one byte (warcio lists one record, at 0).
      {"warcio/bad.arc", {"error @0", "response " + ex + " @202", "error @262"}},
      // Whole-file gzip again.
      {"warcio/example-bad.warc.gz.bad",
       {"warcinfo @0", "response http://example.com?example=1 @0",
        "request http://example.com?example=1 @0", "revisit http://example.com?example=1 @0",
        "request http://example.com?example=1 @0",
        "response http://www.iana.org/domains/example @0"}},
  };
  std::set<std::string> checked;
  for (const auto& test : kCases) {
    const fs::path path = dir / test.file;
    EXPECT_EQ(Summary(ReadAll(path), path), test.expected) << test.file;
    checked.insert(test.file);
  }
  // Every WARC/ARC file there is in the table above.
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).string();
    if (name.find(".warc") != std::string::npos || name.find(".arc") != std::string::npos) {
      EXPECT_TRUE(checked.count(name)) << name << " is not checked";
    }
  }
}

}  // namespace
}  // namespace newsclaim::crawler
