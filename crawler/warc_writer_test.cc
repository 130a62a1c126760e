#include "crawler/warc_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "warc_writer_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Member {
  int64_t offset = 0;
  std::string text;
};

// Inflates the gzip member that starts at `offset`; sets `consumed` to its
// compressed length. Independent of the writer: plain zlib.
bool InflateMember(const std::string& file, int64_t offset, std::string* text,
                   size_t* consumed) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return false;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data() + offset));
  stream.avail_in = static_cast<uInt>(file.size() - offset);
  char buffer[16384];
  int code = Z_OK;
  while (code == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    code = inflate(&stream, Z_NO_FLUSH);
    text->append(buffer, sizeof buffer - stream.avail_out);
  }
  *consumed = stream.total_in;
  inflateEnd(&stream);
  return code == Z_STREAM_END;
}

std::vector<Member> ReadMembers(const std::string& file) {
  std::vector<Member> members;
  int64_t offset = 0;
  while (offset < static_cast<int64_t>(file.size())) {
    Member member{offset, ""};
    size_t consumed = 0;
    if (!InflateMember(file, offset, &member.text, &consumed)) {
      ADD_FAILURE() << "bad gzip member at offset " << offset;
      break;
    }
    members.push_back(member);
    offset += static_cast<int64_t>(consumed);
  }
  return members;
}

struct Record {
  std::string version;
  std::map<std::string, std::string> fields;
  std::string block;
  bool well_formed = false;
};

// ISO 28500 section 4 record syntax, checked strictly.
Record ParseRecord(const std::string& text) {
  Record record;
  const size_t head_end = text.find("\r\n\r\n");
  if (head_end == std::string::npos) return record;
  std::istringstream head(text.substr(0, head_end + 2));
  std::string line;
  std::getline(head, line);
  record.version = line.substr(0, line.size() - 1);
  while (std::getline(head, line)) {
    if (line.empty() || line.back() != '\r') return record;
    line.pop_back();
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) return record;
    record.fields[line.substr(0, colon)] = line.substr(colon + 2);
  }
  const size_t length = std::stoul(record.fields["Content-Length"]);
  const size_t block_start = head_end + 4;
  if (text.size() != block_start + length + 4) return record;
  record.block = text.substr(block_start, length);
  record.well_formed = text.compare(block_start + length, 4, "\r\n\r\n") == 0;
  return record;
}

FetchResponse SampleResponse() {
  FetchResponse response;
  response.http_status = 200;
  response.final_url = "https://news.example.com/a.html";
  response.content_type = "text/html; charset=utf-8";
  response.body = "<html><body>26万枚のGPU</body></html>";
  response.request_head =
      "GET /a.html HTTP/1.1\r\nHost: news.example.com\r\nAccept-Encoding: gzip\r\n\r\n";
  response.response_head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nETag: \"x1\"\r\n\r\n";
  response.fetched_at = "2025-11-03T09:00:00Z";
  response.remote_ip = "192.0.2.7";
  return response;
}

TEST(WarcWriterTest, OpensANamedFileThatStartsWithAWarcinfoRecord) {
  ScratchDir dir;
  StatusOr<std::unique_ptr<WarcWriter>> writer = WarcWriter::Open(dir.path() / "sub" / "warc");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  const fs::path path = (*writer)->path();
  EXPECT_EQ(path.parent_path(), dir.path() / "sub" / "warc");
  EXPECT_TRUE(std::regex_match(path.filename().string(),
                               std::regex(R"(newsclaim-\d{14}-)" + std::to_string(getpid()) +
                                          R"(\.warc\.gz)")))
      << path;

  std::vector<Member> members = ReadMembers(ReadFile(path));
  ASSERT_EQ(members.size(), 1u);
  Record info = ParseRecord(members[0].text);
  EXPECT_TRUE(info.well_formed);
  EXPECT_EQ(info.version, "WARC/1.1");
  EXPECT_EQ(info.fields["WARC-Type"], "warcinfo");
  EXPECT_EQ(info.fields["WARC-Filename"], path.filename().string());
  EXPECT_EQ(info.fields["Content-Type"], "application/warc-fields");
  EXPECT_NE(info.block.find("format: WARC File Format 1.1"), std::string::npos);
}

TEST(WarcWriterTest, WritesAResponseAndARequestRecordPerExchange) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  const FetchResponse response = SampleResponse();
  StatusOr<WarcLocation> location = writer->WriteExchange("https://news.example.com/a", response);
  ASSERT_TRUE(location.ok()) << location.status().ToString();
  EXPECT_EQ(location->path, writer->path());

  const std::string file = ReadFile(writer->path());
  std::vector<Member> members = ReadMembers(file);
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[1].offset, location->offset);

  Record record = ParseRecord(members[1].text);
  ASSERT_TRUE(record.well_formed) << members[1].text;
  EXPECT_EQ(record.fields["WARC-Type"], "response");
  EXPECT_EQ(record.fields["WARC-Target-URI"], "https://news.example.com/a.html");
  EXPECT_EQ(record.fields["WARC-Date"], "2025-11-03T09:00:00Z");
  EXPECT_EQ(record.fields["WARC-IP-Address"], "192.0.2.7");
  EXPECT_EQ(record.fields["Content-Type"], "application/http;msgtype=response");
  EXPECT_TRUE(std::regex_match(
      record.fields["WARC-Record-ID"],
      std::regex(R"(<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>)")))
      << record.fields["WARC-Record-ID"];
  EXPECT_EQ(record.fields["WARC-Block-Digest"], WarcSha1Digest(record.block));
  EXPECT_EQ(record.fields["WARC-Payload-Digest"], WarcSha1Digest(response.body));
  // The HTTP message inside carries the decoded body with a matching length.
  const std::string expected_block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
      "X-Archive-Orig-Content-Encoding: gzip\r\nX-Archive-Orig-Transfer-Encoding: chunked\r\n"
      "ETag: \"x1\"\r\nContent-Length: " +
      std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
  EXPECT_EQ(record.block, expected_block);

  Record request = ParseRecord(members[2].text);
  ASSERT_TRUE(request.well_formed) << members[2].text;
  EXPECT_EQ(request.fields["WARC-Type"], "request");
  EXPECT_EQ(request.fields["Content-Type"], "application/http;msgtype=request");
  EXPECT_EQ(request.fields["WARC-Concurrent-To"], record.fields["WARC-Record-ID"]);
  EXPECT_NE(request.fields["WARC-Record-ID"], record.fields["WARC-Record-ID"]);
  EXPECT_EQ(request.block, response.request_head);
}

TEST(WarcWriterTest, WritesTheExchangesOfEarlierAttemptsFirst) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse response = SampleResponse();
  for (const char* date : {"2025-11-03T08:59:58Z", "2025-11-03T08:59:59Z"}) {
    FetchResponse busy = SampleResponse();
    busy.http_status = 503;
    busy.body = "try later";
    busy.response_head = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n";
    busy.fetched_at = date;
    response.earlier_attempts.push_back(busy);
  }
  StatusOr<WarcLocation> location = writer->WriteExchange("https://news.example.com/a", response);
  ASSERT_TRUE(location.ok()) << location.status().ToString();

  std::vector<Member> members = ReadMembers(ReadFile(writer->path()));
  ASSERT_EQ(members.size(), 7u);  // warcinfo, then response + request per attempt
  const std::vector<std::string> dates = {"2025-11-03T08:59:58Z", "2025-11-03T08:59:59Z",
                                          "2025-11-03T09:00:00Z"};
  for (size_t attempt = 0; attempt < 3; ++attempt) {
    Record record = ParseRecord(members[1 + 2 * attempt].text);
    Record request = ParseRecord(members[2 + 2 * attempt].text);
    EXPECT_EQ(record.fields["WARC-Type"], "response") << attempt;
    EXPECT_EQ(record.fields["WARC-Date"], dates[attempt]);
    EXPECT_TRUE(record.block.starts_with(attempt < 2 ? "HTTP/1.1 503" : "HTTP/1.1 200"))
        << record.block;
    EXPECT_EQ(request.fields["WARC-Type"], "request");
    EXPECT_EQ(request.fields["WARC-Concurrent-To"], record.fields["WARC-Record-ID"]);
  }
  // The location is the final response's.
  EXPECT_EQ(location->offset, members[5].offset);

  // Only the earlier attempts got an answer: they are kept, at no location.
  FetchResponse refused;
  refused.earlier_attempts.push_back(response.earlier_attempts[0]);
  StatusOr<WarcLocation> none = writer->WriteExchange("https://news.example.com/b", refused);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->offset, -1);
  EXPECT_EQ(ReadMembers(ReadFile(writer->path())).size(), 9u);
}

TEST(WarcWriterTest, WritesEachRedirectHopVerbatimBeforeTheResponse) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse response = SampleResponse();
  RedirectHop hop;
  hop.url = "http://news.example.com/a";
  hop.request_head = "GET /a HTTP/1.1\r\nHost: news.example.com\r\n\r\n";
  hop.response_head =
      "HTTP/1.1 301 Moved Permanently\r\nLocation: https://news.example.com/a.html\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  hop.raw_body = "5\r\nmoved\r\n0\r\n\r\n";
  hop.fetched_at = "2025-11-03T08:59:59Z";
  hop.remote_ip = "192.0.2.7";
  response.redirects.push_back(hop);
  hop.body_truncated = true;
  hop.url = "http://news.example.com/b";
  response.redirects.push_back(hop);
  StatusOr<WarcLocation> location = writer->WriteExchange("http://news.example.com/a", response);
  ASSERT_TRUE(location.ok()) << location.status().ToString();

  std::vector<Member> members = ReadMembers(ReadFile(writer->path()));
  ASSERT_EQ(members.size(), 7u);  // warcinfo, 2 hops and the response, each with its request
  for (int i : {0, 1}) {
    Record record = ParseRecord(members[1 + 2 * i].text);
    ASSERT_TRUE(record.well_formed);
    EXPECT_EQ(record.fields["WARC-Type"], "response");
    EXPECT_EQ(record.fields["WARC-Target-URI"], i == 0 ? "http://news.example.com/a"
                                                       : "http://news.example.com/b");
    EXPECT_EQ(record.fields["WARC-Date"], "2025-11-03T08:59:59Z");
    // As it went over the wire: no header rewritten, framing kept.
    EXPECT_EQ(record.block, hop.response_head + hop.raw_body);
    EXPECT_EQ(record.fields["WARC-Block-Digest"], WarcSha1Digest(record.block));
    EXPECT_EQ(record.fields.count("WARC-Truncated"), i == 0 ? 0u : 1u);
    // The payload is the de-chunked body; a cut one has no digest.
    if (i == 0) {
      EXPECT_EQ(record.fields["WARC-Payload-Digest"], WarcSha1Digest("moved"));
    } else {
      EXPECT_EQ(record.fields.count("WARC-Payload-Digest"), 0u);
    }
    Record request = ParseRecord(members[2 + 2 * i].text);
    EXPECT_EQ(request.fields["WARC-Type"], "request");
    EXPECT_EQ(request.fields["WARC-Concurrent-To"], record.fields["WARC-Record-ID"]);
    EXPECT_EQ(request.block, hop.request_head);
  }
  EXPECT_EQ(location->offset, members[5].offset);
  EXPECT_EQ(ParseRecord(members[5].text).fields["WARC-Target-URI"],
            "https://news.example.com/a.html");
}

TEST(WarcWriterTest, EachRecordInflatesOnItsOwnFromItsOffset) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse first = SampleResponse();
  FetchResponse second = SampleResponse();
  second.final_url = "https://news.example.com/b.html";
  second.body = std::string(200000, 'x');  // larger than one zlib buffer
  const WarcLocation one = writer->WriteExchange("u1", first).value();
  const WarcLocation two = writer->WriteExchange("u2", second).value();
  EXPECT_LT(one.offset, two.offset);

  const std::string file = ReadFile(writer->path());
  std::string text;
  size_t consumed = 0;
  ASSERT_TRUE(InflateMember(file, two.offset, &text, &consumed));
  Record record = ParseRecord(text);
  EXPECT_TRUE(record.well_formed);
  EXPECT_EQ(record.fields["WARC-Target-URI"], "https://news.example.com/b.html");
  EXPECT_TRUE(record.block.ends_with("\r\n\r\n" + second.body));
  EXPECT_EQ(ReadMembers(file).size(), 5u);
}

TEST(WarcWriterTest, FileIsValidMultiMemberGzipForTheGzipTool) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  ASSERT_TRUE(writer->WriteExchange("u", SampleResponse()).ok());
  if (std::system("command -v gzip > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the gzip tool is not installed";
  }
  const std::string command = "gzip -t '" + writer->path() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(WarcWriterTest, OmitsTheRequestRecordWhenTheRawRequestIsUnknown) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse response = SampleResponse();
  response.request_head.clear();
  response.response_head.clear();
  ASSERT_TRUE(writer->WriteExchange("https://news.example.com/a.html", response).ok());
  std::vector<Member> members = ReadMembers(ReadFile(writer->path()));
  ASSERT_EQ(members.size(), 2u);
  Record record = ParseRecord(members[1].text);
  EXPECT_EQ(record.block.rfind("HTTP/1.1 200\r\nContent-Type: text/html; charset=utf-8\r\n"
                               "Content-Length: ",
                               0),
            0u)
      << record.block;
}

TEST(WarcWriterTest, RefusesAFailedTransfer) {
  ScratchDir dir;
  auto writer = std::move(WarcWriter::Open(dir.path())).value();
  FetchResponse failed;
  failed.error = "timeout after 30000 ms";
  EXPECT_EQ(writer->WriteExchange("https://x.example/", failed).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(WarcWriterTest, TwoWritersInOneSecondGetDifferentFiles) {
  ScratchDir dir;
  auto first = std::move(WarcWriter::Open(dir.path())).value();
  auto second = std::move(WarcWriter::Open(dir.path())).value();
  EXPECT_NE(first->path(), second->path());
}

TEST(WarcWriterTest, FailsWithIoErrorWhenTheDirectoryCannotBeCreated) {
  ScratchDir dir;
  std::ofstream(dir.path() / "a-file") << "x";
  StatusOr<std::unique_ptr<WarcWriter>> writer = WarcWriter::Open(dir.path() / "a-file" / "warc");
  EXPECT_EQ(writer.status().code(), StatusCode::kIoError);
  EXPECT_NE(writer.status().message().find("a-file"), std::string::npos);
}

TEST(WarcSha1DigestTest, MatchesKnownSha1Base32Values) {
  // Expected values from Python: base64.b32encode(hashlib.sha1(data).digest()).
  const struct {
    std::string data;
    std::string digest;
  } kCases[] = {
      {"", "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"},
      {"abc", "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "sha1:QSMD4RA4HPJG5OVOJKQ7SUJJ4XSUM4HR"},
      {std::string(1000000, 'a'), "sha1:GSVJOPGUYTNKJ5Q65MV5XLJHGFSTIALP"},
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(WarcSha1Digest(test.data), test.digest) << "length " << test.data.size();
  }
}

TEST(RewriteResponseHeadTest, ReplacesEncodingAndLengthHeadersForTheDecodedBody) {
  const struct {
    std::string head;
    size_t body_size;
    std::string expected;
  } kCases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 42,
       "HTTP/1.1 200 OK\r\nX-Archive-Orig-Content-Length: 10\r\nContent-Length: 42\r\n\r\n"},
      {"HTTP/2 200\r\ncontent-encoding: br\r\ncontent-type: text/html\r\n\r\n", 5,
       "HTTP/2 200\r\nX-Archive-Orig-content-encoding: br\r\ncontent-type: text/html\r\n"
       "Content-Length: 5\r\n\r\n"},
      {"HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n", 0,
       "HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\nContent-Length: 0\r\n\r\n"},
      {"HTTP/1.1 200 OK\nX-Folded: a\n b\n\n", 1,
       "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\n"},
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(RewriteResponseHeadForDecodedBody(test.head, test.body_size), test.expected)
        << test.head;
  }
}

}  // namespace
}  // namespace newsclaim::crawler
