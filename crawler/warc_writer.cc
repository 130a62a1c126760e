#include "crawler/warc_writer.h"

#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <random>
#include <system_error>
#include <vector>

#include "crawler/warc_reader.h"

namespace newsclaim::crawler {
namespace {

// SHA-1 (FIPS 180-4). WARC digests conventionally use it; we need no other
// cryptography, so a small local implementation beats a new dependency.
class Sha1 {
 public:
  void Update(std::string_view data) {
    for (unsigned char byte : data) {
      block_[block_size_++] = byte;
      if (block_size_ == 64) {
        ProcessBlock();
        block_size_ = 0;
      }
    }
    length_bits_ += static_cast<uint64_t>(data.size()) * 8;
  }

  std::array<unsigned char, 20> Finish() {
    const uint64_t length_bits = length_bits_;
    block_[block_size_++] = 0x80;
    if (block_size_ > 56) {
      while (block_size_ < 64) block_[block_size_++] = 0;
      ProcessBlock();
      block_size_ = 0;
    }
    while (block_size_ < 56) block_[block_size_++] = 0;
    for (int i = 7; i >= 0; --i) {
      block_[block_size_++] = static_cast<unsigned char>(length_bits >> (i * 8));
    }
    ProcessBlock();
    std::array<unsigned char, 20> digest{};
    for (int i = 0; i < 5; ++i) {
      for (int j = 0; j < 4; ++j) {
        digest[i * 4 + j] = static_cast<unsigned char>(h_[i] >> (24 - j * 8));
      }
    }
    return digest;
  }

 private:
  static uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

  void ProcessBlock() {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = (uint32_t{block_[i * 4]} << 24) | (uint32_t{block_[i * 4 + 1]} << 16) |
             (uint32_t{block_[i * 4 + 2]} << 8) | uint32_t{block_[i * 4 + 3]};
    }
    for (int i = 16; i < 80; ++i) w[i] = Rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const uint32_t temp = Rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = Rotl(b, 30);
      b = a;
      a = temp;
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
  }

  uint32_t h_[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  unsigned char block_[64] = {};
  size_t block_size_ = 0;
  uint64_t length_bits_ = 0;
};

// RFC 4648 section 6 base32, with padding (20 bytes need none).
std::string Base32(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  while (out.size() % 8 != 0) out += '=';
  return out;
}

std::string NewRecordId() {
  thread_local std::mt19937_64 random([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  std::array<unsigned char, 16> bytes{};
  for (size_t i = 0; i < bytes.size(); i += 8) {
    const uint64_t value = random();
    for (int j = 0; j < 8; ++j) bytes[i + j] = static_cast<unsigned char>(value >> (j * 8));
  }
  bytes[6] = (bytes[6] & 0x0F) | 0x40;  // version 4 (RFC 9562)
  bytes[8] = (bytes[8] & 0x3F) | 0x80;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "<urn:uuid:";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += kHex[bytes[i] >> 4];
    id += kHex[bytes[i] & 15];
  }
  return id + ">";
}

std::string UtcNow(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Header field values must not break the record: no CR or LF.
std::string OneLine(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// A WARC record (ISO 28500 section 4): version line, named fields, a blank
// line, the block, and two CRLFs.
std::string BuildRecord(const std::vector<std::pair<std::string, std::string>>& fields,
                        std::string_view content_type, std::string_view block) {
  std::string record = "WARC/1.1\r\n";
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    record += name + ": " + OneLine(value) + "\r\n";
  }
  record += "Content-Type: " + std::string(content_type) + "\r\n";
  record += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  record.append(block);
  record += "\r\n\r\n";
  return record;
}

}  // namespace

std::string WarcSha1Digest(std::string_view data) {
  Sha1 sha1;
  sha1.Update(data);
  const std::array<unsigned char, 20> digest = sha1.Finish();
  return "sha1:" + Base32(digest.data(), digest.size());
}

std::string RewriteResponseHeadForDecodedBody(std::string_view head, size_t body_size) {
  std::string out;
  bool first_line = true;
  bool dropping_continuation = false;
  size_t start = 0;
  while (start < head.size()) {
    size_t end = head.find('\n', start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;  // the blank line ending the head; re-added below
    if (first_line) {
      out.append(line);
      out += "\r\n";
      first_line = false;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding
      if (!dropping_continuation) {
        out.append(line);
        out += "\r\n";
      }
      continue;
    }
    const size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    dropping_continuation = colon != std::string_view::npos &&
                            (EqualsNoCase(name, "content-encoding") ||
                             EqualsNoCase(name, "transfer-encoding") ||
                             EqualsNoCase(name, "content-length"));
    if (dropping_continuation) {
      out += "X-Archive-Orig-";
    }
    out.append(line);
    out += "\r\n";
  }
  out += "Content-Length: " + std::to_string(body_size) + "\r\n\r\n";
  return out;
}

StatusOr<std::unique_ptr<WarcWriter>> WarcWriter::Open(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return IoError("cannot create WARC directory " + dir.string() + ": " + error.message());
  }
  const std::string stem =
      "newsclaim-" + UtcNow("%Y%m%d%H%M%S") + "-" + std::to_string(getpid());
  std::FILE* file = nullptr;
  std::string path;
  // "x": fail rather than append to a file another run (or writer) owns.
  for (int attempt = 0; attempt < 1000 && file == nullptr; ++attempt) {
    path = (dir / (stem + (attempt == 0 ? "" : "-" + std::to_string(attempt)) + ".warc.gz"))
               .string();
    file = std::fopen(path.c_str(), "wbx");
    if (file == nullptr && errno != EEXIST) {
      return IoError("cannot create WARC file " + path + ": " + std::strerror(errno));
    }
  }
  if (file == nullptr) return IoError("cannot find a free WARC file name in " + dir.string());

  std::unique_ptr<WarcWriter> writer(new WarcWriter(file, path));
  const std::string filename = std::filesystem::path(path).filename().string();
  const std::string info =
      "software: newsclaim/0.1\r\n"
      "format: WARC File Format 1.1\r\n"
      "conformsTo: https://iipc.github.io/warc-specifications/specifications/"
      "warc-format/warc-1.1/\r\n";
  const std::string record = BuildRecord({{"WARC-Type", "warcinfo"},
                                          {"WARC-Record-ID", NewRecordId()},
                                          {"WARC-Date", UtcNow("%Y-%m-%dT%H:%M:%SZ")},
                                          {"WARC-Filename", filename}},
                                         "application/warc-fields", info);
  StatusOr<int64_t> written = writer->AppendRecord(record);
  if (!written.ok()) return written.status();
  return writer;
}

WarcWriter::WarcWriter(std::FILE* file, std::string path)
    : file_(file), path_(std::move(path)) {}

WarcWriter::~WarcWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

StatusOr<int64_t> WarcWriter::AppendRecord(std::string_view record) {
  // windowBits 15 + 16: a gzip wrapper, one member per record (WARC annex D).
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return InternalError("deflateInit2 failed for " + path_);
  }
  std::string compressed(deflateBound(&stream, record.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(record.data()));
  stream.avail_in = static_cast<uInt>(record.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int code = deflate(&stream, Z_FINISH);
  const size_t compressed_size = stream.total_out;
  deflateEnd(&stream);
  if (code != Z_STREAM_END) {
    return InternalError("deflate failed for " + path_ + ": code " + std::to_string(code));
  }
  const int64_t offset = size_;
  if (std::fwrite(compressed.data(), 1, compressed_size, file_) != compressed_size ||
      std::fflush(file_) != 0) {
    return IoError("cannot write WARC file " + path_ + ": " + std::strerror(errno));
  }
  size_ += static_cast<int64_t>(compressed_size);
  return offset;
}

StatusOr<WarcLocation> WarcWriter::WriteExchange(const std::string& url,
                                                 const FetchResponse& response) {
  if (response.http_status == 0 && response.earlier_attempts.empty()) {
    return InvalidArgumentError("WARC: no response to record for " + url);
  }
  // A retried request's earlier exchanges first, in the order they happened.
  for (const FetchResponse& attempt : response.earlier_attempts) {
    if (attempt.http_status == 0) continue;
    RETURN_IF_ERROR(WriteOneExchange(url, attempt).status());
  }
  if (response.http_status == 0) return WarcLocation{path_, -1};
  return WriteOneExchange(url, response);
}

StatusOr<WarcLocation> WarcWriter::WriteOneExchange(const std::string& url,
                                                    const FetchResponse& response) {
  // The redirects libcurl followed, as they went over the wire.
  for (const RedirectHop& hop : response.redirects) {
    const std::string http_response = hop.response_head + hop.raw_body;
    const std::string hop_id = NewRecordId();
    std::vector<std::pair<std::string, std::string>> fields = {
        {"WARC-Type", "response"},
        {"WARC-Record-ID", hop_id},
        {"WARC-Date", hop.fetched_at.empty() ? UtcNow("%Y-%m-%dT%H:%M:%SZ") : hop.fetched_at},
        {"WARC-Target-URI", hop.url},
        {"WARC-IP-Address", hop.remote_ip},
        {"WARC-Block-Digest", WarcSha1Digest(http_response)}};
    // The payload is the body without its transfer coding (WARC 1.1
    // section 5.9); a body cut short or broken gets no payload digest.
    if (hop.body_truncated) {
      fields.emplace_back("WARC-Truncated", "length");
    } else if (StatusOr<std::string> payload = HttpPayload(http_response); payload.ok()) {
      fields.emplace_back("WARC-Payload-Digest", WarcSha1Digest(*payload));
    }
    RETURN_IF_ERROR(
        AppendRecord(BuildRecord(fields, "application/http;msgtype=response", http_response))
            .status());
    if (!hop.request_head.empty()) {
      RETURN_IF_ERROR(AppendRecord(BuildRecord({{"WARC-Type", "request"},
                                                {"WARC-Record-ID", NewRecordId()},
                                                {"WARC-Date", hop.fetched_at},
                                                {"WARC-Target-URI", hop.url},
                                                {"WARC-Concurrent-To", hop_id},
                                                {"WARC-Block-Digest",
                                                 WarcSha1Digest(hop.request_head)}},
                                               "application/http;msgtype=request",
                                               hop.request_head))
                          .status());
    }
  }

  const std::string target = response.final_url.empty() ? url : response.final_url;
  const std::string date =
      response.fetched_at.empty() ? UtcNow("%Y-%m-%dT%H:%M:%SZ") : response.fetched_at;

  // A Fetcher that reports no raw head (a test fake) still gets a valid
  // HTTP message: status line and Content-Type only.
  std::string head = response.response_head;
  if (head.empty()) {
    head = "HTTP/1.1 " + std::to_string(response.http_status) + "\r\n";
    if (!response.content_type.empty()) head += "Content-Type: " + response.content_type + "\r\n";
  }
  const std::string http_response =
      RewriteResponseHeadForDecodedBody(head, response.body.size()) + response.body;
  const std::string response_id = NewRecordId();
  const std::string response_record =
      BuildRecord({{"WARC-Type", "response"},
                   {"WARC-Record-ID", response_id},
                   {"WARC-Date", date},
                   {"WARC-Target-URI", target},
                   {"WARC-IP-Address", response.remote_ip},
                   {"WARC-Block-Digest", WarcSha1Digest(http_response)},
                   {"WARC-Payload-Digest", WarcSha1Digest(response.body)}},
                  "application/http;msgtype=response", http_response);
  ASSIGN_OR_RETURN(int64_t offset, AppendRecord(response_record));

  // Without the raw request as sent, a request record would be invented
  // evidence; leave it out.
  if (!response.request_head.empty()) {
    const std::string request_record =
        BuildRecord({{"WARC-Type", "request"},
                     {"WARC-Record-ID", NewRecordId()},
                     {"WARC-Date", date},
                     {"WARC-Target-URI", target},
                     {"WARC-Concurrent-To", response_id},
                     {"WARC-Block-Digest", WarcSha1Digest(response.request_head)}},
                    "application/http;msgtype=request", response.request_head);
    RETURN_IF_ERROR(AppendRecord(request_record).status());
  }
  return WarcLocation{path_, offset};
}

}  // namespace newsclaim::crawler
