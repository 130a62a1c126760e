#include "crawler/warc_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "base/hash.h"
#include "crawler/charset.h"

namespace newsclaim::crawler {
namespace {

constexpr size_t kReadChunkBytes = 64 * 1024;
// Limits on a record's header, so that garbage without newlines cannot make
// one "line" as large as the file.
constexpr size_t kMaxLineBytes = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 256 * 1024;
// Consumed bytes are dropped from the buffer once there are this many.
constexpr size_t kCompactBytes = 1024 * 1024;

char ToLowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ToLowerAscii(c);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsNoCase(text.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view StripEol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; });
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal length of at most 18 digits (fits int64_t); -1 otherwise.
int64_t ParseLength(std::string_view text) {
  if (!AllDigits(text) || text.size() > 18) return -1;
  int64_t value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// The first `max` bytes of `text` for an error message, non-printables escaped.
std::string Printable(std::string_view text, size_t max = 40) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (text.size() > max) out += "...";
  return out;
}

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) tokens.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

// An ARC v1 header line "URL IP-address Archive-date Content-type
// Archive-length" (v2: ten fields, still ending in the length). URLs with
// spaces exist (warcio's example-space-in-url.arc), so fields are counted
// from the end.
size_t ArcFieldCount(int arc_version, bool filedesc) {
  return (arc_version == 2 && !filedesc) ? 10 : 5;
}

bool LooksLikeArcHeader(std::string_view line, int arc_version) {
  line = StripEol(line);
  const std::vector<std::string_view> tokens = SplitSpaces(line);
  const bool filedesc = line.starts_with("filedesc://");
  const size_t fields = ArcFieldCount(arc_version, filedesc);
  if (tokens.size() < fields) return false;
  const std::string_view date = tokens[tokens.size() - fields + 2];
  return (filedesc || tokens[0].find(':') != std::string_view::npos) && AllDigits(tokens.back()) &&
         AllDigits(date) && date.size() >= 12;
}

// ARC's 14-digit archive date as ISO 8601 UTC; longer values (seen in the
// wild) are cut to 14 digits, shorter or non-numeric ones give "".
std::string ArcDateToIso(std::string_view date) {
  if (date.size() < 14 || !AllDigits(date.substr(0, 14))) return "";
  const std::string d(date.substr(0, 14));
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" + d.substr(8, 2) + ":" +
         d.substr(10, 2) + ":" + d.substr(12, 2) + "Z";
}

// The decompressed (or plain) bytes of one file as one stream, with a map
// from stream positions back to the gzip members they came from. Gzip
// members are inflated one after another (RFC 1952 section 2.2: a gzip
// file is a series of members), so per-record gzip, whole-file gzip and
// records that straddle members (warcio's example-wrong-chunks.warc.gz)
// read alike.
class ByteStream {
 public:
  ByteStream() = default;
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;
  ~ByteStream() {
    if (zlib_ready_) inflateEnd(&zlib_);
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) return IoError("cannot open " + path + ": " + std::strerror(errno));
    if (!ReadCompressed()) {
      return error_.ok() ? Status::Ok() : error_;  // an empty file has no records
    }
    gzip_ = in_.size() >= 2 && static_cast<unsigned char>(in_[0]) == 0x1f &&
            static_cast<unsigned char>(in_[1]) == 0x8b;
    if (gzip_) {
      if (inflateInit2(&zlib_, 15 + 16) != Z_OK) return InternalError("inflateInit2 failed");
      zlib_ready_ = true;
    } else {
      out_ = std::move(in_);  // plain: what was read is stream data
      in_.clear();
    }
    return Status::Ok();
  }

  int64_t position() const { return out_base_ + static_cast<int64_t>(out_pos_); }
  std::string_view available() const { return std::string_view(out_).substr(out_pos_); }
  void Consume(size_t bytes) { out_pos_ = std::min(out_.size(), out_pos_ + bytes); }

  // Moves back to `position` if it is still buffered (never past the start
  // of the buffer).
  void Rewind(int64_t target) {
    if (target < out_base_) target = out_base_;
    if (target < position()) out_pos_ = static_cast<size_t>(target - out_base_);
  }

  // Drops consumed bytes; positions before position() can no longer be
  // rewound to.
  void Compact() {
    if (out_pos_ == 0 || (out_pos_ < kCompactBytes && out_pos_ < out_.size())) return;
    out_.erase(0, out_pos_);
    out_base_ += static_cast<int64_t>(out_pos_);
    out_pos_ = 0;
    // Keep the member holding out_base_ and all later ones.
    size_t keep = 0;
    while (keep + 1 < members_.size() && members_[keep + 1].first <= out_base_) ++keep;
    members_.erase(members_.begin(), members_.begin() + static_cast<std::ptrdiff_t>(keep));
  }

  // The file offset a stream position maps to: its gzip member's offset,
  // or the position itself in a plain file.
  int64_t FileOffsetAt(int64_t stream_position) const {
    if (!gzip_) return stream_position;
    int64_t offset = members_.empty() ? 0 : members_.front().second;
    for (const auto& [start, member_offset] : members_) {
      if (start > stream_position) break;
      offset = member_offset;
    }
    return offset;
  }

  // Appends more stream bytes. False at the end of the file or at an error
  // (error() says which).
  bool Fill() {
    if (finished_) return false;
    if (!gzip_) {
      const size_t old_size = out_.size();
      out_.resize(old_size + kReadChunkBytes);
      const size_t read = std::fread(out_.data() + old_size, 1, kReadChunkBytes, file_);
      out_.resize(old_size + read);
      if (read > 0) return true;
      if (std::ferror(file_))
        error_ = IoError("cannot read " + path_ + ": " + std::strerror(errno));
      finished_ = true;
      return false;
    }
    return FillGzip();
  }

  // The error that stopped the stream; OK at a clean end or while running.
  const Status& error() const { return error_; }
  // The file offset of the member that failed.
  int64_t error_offset() const { return error_offset_; }

  // After a corrupt or truncated gzip member: drops what is buffered but
  // not consumed and continues at the next gzip header after the failed
  // member's start. False when there is none (or the file is not gzip).
  bool Recover() {
    if (error_.ok()) return false;
    const bool recoverable = gzip_ && error_.code() != StatusCode::kIoError;
    error_ = Status::Ok();  // reported once; the stream then ends or goes on
    if (!recoverable) {
      finished_ = true;
      return false;
    }
    out_.resize(out_pos_);
    int64_t search_from = error_offset_ + 1;
    if (std::fseek(file_, static_cast<long>(search_from), SEEK_SET) != 0) {
      finished_ = true;
      return false;
    }
    in_.clear();
    in_pos_ = 0;
    in_offset_ = search_from;
    member_open_ = false;
    while (true) {
      const size_t found = FindMagic(in_, 0);
      if (found != std::string::npos) {
        in_pos_ = found;
        finished_ = false;
        return true;
      }
      // Keep two bytes: a header may straddle reads.
      const size_t keep = std::min<size_t>(in_.size(), 2);
      in_offset_ += static_cast<int64_t>(in_.size() - keep);
      in_.erase(0, in_.size() - keep);
      const size_t old_size = in_.size();
      in_.resize(old_size + kReadChunkBytes);
      const size_t read = std::fread(in_.data() + old_size, 1, kReadChunkBytes, file_);
      in_.resize(old_size + read);
      if (read == 0) {
        finished_ = true;
        return false;
      }
    }
  }

 private:
  // The gzip member header's first three bytes (ID1 ID2 CM=deflate).
  static size_t FindMagic(const std::string& data, size_t from) {
    return data.find("\x1f\x8b\x08", from, 3);
  }

  // Reads more compressed bytes, dropping consumed ones. False at EOF.
  bool ReadCompressed() {
    if (in_pos_ > 0) {
      in_.erase(0, in_pos_);
      in_offset_ += static_cast<int64_t>(in_pos_);
      in_pos_ = 0;
    }
    const size_t old_size = in_.size();
    in_.resize(old_size + kReadChunkBytes);
    const size_t read = std::fread(in_.data() + old_size, 1, kReadChunkBytes, file_);
    in_.resize(old_size + read);
    if (read == 0 && std::ferror(file_)) {
      error_ = IoError("cannot read " + path_ + ": " + std::strerror(errno));
    }
    return read > 0;
  }

  void Stop(Status error, int64_t offset) {
    error_ = std::move(error);
    error_offset_ = offset;
    finished_ = true;
  }

  bool FillGzip() {
    while (true) {
      if (!member_open_) {
        // A new member must start here; make sure its header's first bytes
        // are buffered.
        while (in_.size() - in_pos_ < 3 && ReadCompressed()) {
        }
        if (!error_.ok()) {
          finished_ = true;
          return false;
        }
        const int64_t here = in_offset_ + static_cast<int64_t>(in_pos_);
        if (in_pos_ == in_.size()) {
          finished_ = true;  // clean end after the last member
          return false;
        }
        if (in_.compare(in_pos_, 3, "\x1f\x8b\x08", 3) != 0) {
          Stop(CorruptionError("bytes after a gzip member are not a gzip member"), here);
          return false;
        }
        inflateReset(&zlib_);
        member_open_ = true;
        member_offset_ = here;
        members_.emplace_back(out_base_ + static_cast<int64_t>(out_.size()), here);
      }
      if (in_pos_ == in_.size() && !ReadCompressed()) {
        if (error_.ok()) {
          Stop(CorruptionError("truncated gzip member (the file ends inside it)"), member_offset_);
        } else {
          finished_ = true;
        }
        return false;
      }
      zlib_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      zlib_.avail_in = static_cast<uInt>(in_.size() - in_pos_);
      const size_t old_size = out_.size();
      out_.resize(old_size + kReadChunkBytes);
      zlib_.next_out = reinterpret_cast<Bytef*>(out_.data() + old_size);
      zlib_.avail_out = static_cast<uInt>(kReadChunkBytes);
      const int code = inflate(&zlib_, Z_NO_FLUSH);
      const size_t consumed_in = (in_.size() - in_pos_) - zlib_.avail_in;
      in_pos_ += consumed_in;
      out_.resize(old_size + (kReadChunkBytes - zlib_.avail_out));
      const bool produced = out_.size() > old_size;
      if (code == Z_STREAM_END) {
        member_open_ = false;
      } else if (code == Z_BUF_ERROR && zlib_.avail_in == 0) {
        // Needs more input: read on.
      } else if (code != Z_OK) {
        Stop(CorruptionError(std::string("corrupt gzip member: ") +
                             (zlib_.msg != nullptr ? zlib_.msg : "inflate error")),
             member_offset_);
        return produced;
      }
      if (produced) return true;
    }
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  bool gzip_ = false;
  z_stream zlib_{};
  bool zlib_ready_ = false;

  std::string in_;         // compressed bytes read ahead
  size_t in_pos_ = 0;      // next unconsumed byte of in_
  int64_t in_offset_ = 0;  // file offset of in_[0]
  bool member_open_ = false;
  int64_t member_offset_ = 0;

  std::string out_;                                   // stream bytes
  size_t out_pos_ = 0;                                // next unconsumed byte of out_
  int64_t out_base_ = 0;                              // stream position of out_[0]
  std::vector<std::pair<int64_t, int64_t>> members_;  // (stream position, file offset)

  bool finished_ = false;
  Status error_;
  int64_t error_offset_ = 0;
};

}  // namespace

class WarcReader::Impl {
 public:
  Impl(std::string path, WarcReaderOptions options) : path_(std::move(path)), options_(options) {}

  Status Open() { return stream_.Open(path_); }
  const std::string& path() const { return path_; }

  StatusOr<std::optional<WarcRecord>> Next() {
    if (resync_) {
      resync_ = false;
      Resync();
    }
    stream_.Compact();
    // Blank lines between records are not part of any record.
    while (true) {
      std::optional<std::string_view> line = PeekLine(kMaxLineBytes);
      if (!line) {
        if (!stream_.error().ok()) {
          return Fail(stream_.position(), stream_.error().code(), stream_.error().message(),
                      stream_.error_offset());
        }
        return std::optional<WarcRecord>();
      }
      if (!IsBlank(*line)) {
        if (format_ == Format::kUnknown) {
          format_ = line->starts_with("filedesc://") ||
                            (!line->starts_with("WARC/") && LooksLikeArcHeader(*line, 1))
                        ? Format::kArc
                        : Format::kWarc;
        }
        break;
      }
      stream_.Consume(line->size());
    }
    const int64_t start = stream_.position();
    return format_ == Format::kArc ? NextArc(start) : NextWarc(start);
  }

 private:
  enum class Format { kUnknown, kWarc, kArc };

  // The line at the read position, with its '\n' (without one at the end of
  // the file or when longer than `max`); nullopt when nothing is left.
  std::optional<std::string_view> PeekLine(size_t max) {
    size_t searched = 0;
    while (true) {
      const std::string_view data = stream_.available();
      const size_t newline = data.find('\n', searched);
      if (newline != std::string_view::npos && newline < max) return data.substr(0, newline + 1);
      if (data.size() >= max) return data.substr(0, max);
      searched = data.size();
      if (!stream_.Fill()) {
        const std::string_view rest = stream_.available();
        if (rest.empty()) return std::nullopt;
        return rest;
      }
    }
  }

  bool EnsureBytes(size_t count) {
    while (stream_.available().size() < count) {
      if (!stream_.Fill()) return false;
    }
    return true;
  }

  // Skips `count` stream bytes without keeping them. False at the end.
  bool SkipBytes(int64_t count) {
    while (count > 0) {
      if (stream_.available().empty() && !stream_.Fill()) return false;
      const size_t step = static_cast<size_t>(
          std::min<int64_t>(count, static_cast<int64_t>(stream_.available().size())));
      stream_.Consume(step);
      count -= static_cast<int64_t>(step);
      stream_.Compact();
    }
    return true;
  }

  bool IsRecordStart(std::string_view line) const {
    return format_ == Format::kArc ? LooksLikeArcHeader(line, arc_version_)
                                   : line.starts_with("WARC/");
  }

  // An error for the record that starts at stream position `start`; the
  // next call resynchronises from just after that record's first line.
  // `file_offset` overrides the offset named (a failed gzip member).
  Status Fail(int64_t start, StatusCode code, const std::string& reason, int64_t file_offset = -1) {
    resync_ = true;
    resync_from_ = start;
    const int64_t offset = file_offset >= 0 ? file_offset : stream_.FileOffsetAt(start);
    return Status(code, path_ + "@" + std::to_string(offset) + ": " + reason);
  }

  Status Truncated(int64_t start, const std::string& what) {
    std::string reason = "truncated record: " + what;
    if (!stream_.error().ok()) reason += " (" + stream_.error().message() + ")";
    return Fail(start, StatusCode::kCorruption, reason);
  }

  // Moves to the start of the next line that can start a record, after the
  // line at resync_from_ (see WarcReader::Next), or to the end.
  void Resync() {
    stream_.Rewind(resync_from_);
    bool at_line_start = false;  // the failed record's own first line is skipped
    while (true) {
      std::optional<std::string_view> line = PeekLine(kMaxLineBytes);
      if (!line) {
        if (stream_.Recover()) {
          at_line_start = true;  // a gzip member starts a line
          continue;
        }
        return;
      }
      if (at_line_start && IsRecordStart(*line)) return;
      at_line_start = line->back() == '\n';
      stream_.Consume(line->size());
      stream_.Compact();
    }
  }

  // Reads the block of `length` bytes that starts at the read position into
  // `record`, or skips it when it is over the limit.
  Status ReadBlock(int64_t start, int64_t length, const std::string& what, WarcRecord& record) {
    if (length > options_.max_block_bytes) {
      if (!SkipBytes(length)) {
        return Truncated(start,
                         "the file ends inside a block of " + std::to_string(length) + " bytes");
      }
      resync_ = false;
      SkipTrailer();
      return ResourceExhaustedError(path_ + "@" + std::to_string(record.offset) + ": " + what +
                                    " has a block of " + std::to_string(length) +
                                    " bytes, over the limit of " +
                                    std::to_string(options_.max_block_bytes) + "; skipped");
    }
    const size_t size = static_cast<size_t>(length);
    if (!EnsureBytes(size)) {
      return Truncated(start, "the block has " + std::to_string(stream_.available().size()) +
                                  " of its " + std::to_string(length) + " bytes");
    }
    record.block.assign(stream_.available().substr(0, size));
    stream_.Consume(size);
    return Status::Ok();
  }

  // ISO 28500 section 4: a block is followed by two CRLFs. "\n\n" (LF-only
  // writers) and the end of the file are accepted too. True when one of
  // them is there (and consumed).
  bool SkipTrailer() {
    EnsureBytes(4);
    const std::string_view rest = stream_.available();
    if (rest.empty()) return true;
    if (rest.starts_with("\r\n\r\n")) {
      stream_.Consume(4);
      return true;
    }
    if (rest.starts_with("\n\n")) {
      stream_.Consume(2);
      return true;
    }
    if (rest.size() < 4 && std::string_view("\r\n\r\n").starts_with(rest)) {
      stream_.Consume(rest.size());
      return true;
    }
    return false;
  }

  StatusOr<std::optional<WarcRecord>> NextWarc(int64_t start) {
    WarcRecord record;
    record.offset = stream_.FileOffsetAt(start);
    std::string_view line = *PeekLine(kMaxLineBytes);
    if (!line.starts_with("WARC/")) {
      return Fail(start, StatusCode::kCorruption,
                  "expected a \"WARC/\" version line, found \"" + Printable(line) + "\"");
    }
    record.version = std::string(Trim(line));
    stream_.Consume(line.size());

    // Named fields up to the blank line; a line starting with a space or tab
    // continues the previous field (ISO 28500 section 4, RFC 822 folding).
    size_t header_bytes = 0;
    while (true) {
      std::optional<std::string_view> field = PeekLine(kMaxLineBytes);
      if (!field || field->back() != '\n') {
        if (field && field->size() >= kMaxLineBytes) {
          return Fail(start, StatusCode::kCorruption, "a header line is longer than 64 KiB");
        }
        return Truncated(start, "the file ends inside the header");
      }
      header_bytes += field->size();
      if (header_bytes > kMaxHeaderBytes) {
        return Fail(start, StatusCode::kCorruption, "the header is longer than 256 KiB");
      }
      const std::string_view text = StripEol(*field);
      if (text.empty()) {
        stream_.Consume(field->size());
        break;
      }
      if (text.front() == ' ' || text.front() == '\t') {
        if (record.headers.empty()) {
          return Fail(start, StatusCode::kCorruption,
                      "a continuation line before any header field");
        }
        record.headers.back().second += " " + std::string(Trim(text));
        stream_.Consume(field->size());
        continue;
      }
      const size_t colon = text.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return Fail(start, StatusCode::kCorruption,
                    "malformed header line \"" + Printable(text) + "\"");
      }
      record.headers.emplace_back(std::string(Trim(text.substr(0, colon))),
                                  std::string(Trim(text.substr(colon + 1))));
      stream_.Consume(field->size());
    }

    std::string length_text;
    bool has_length = false;
    for (const auto& [name, value] : record.headers) {
      if (EqualsNoCase(name, "WARC-Type")) {
        record.type = value;
      } else if (EqualsNoCase(name, "WARC-Target-URI")) {
        record.target_uri = value;
        // wget 1.x writes "<http://...>" (the WARC/0.18 draft's form).
        if (record.target_uri.size() >= 2 && record.target_uri.front() == '<' &&
            record.target_uri.back() == '>') {
          record.target_uri = record.target_uri.substr(1, record.target_uri.size() - 2);
        }
      } else if (EqualsNoCase(name, "WARC-Date")) {
        record.date = value;
      } else if (EqualsNoCase(name, "WARC-Record-ID")) {
        record.record_id = value;
      } else if (EqualsNoCase(name, "Content-Type")) {
        record.content_type = value;
      } else if (EqualsNoCase(name, "Content-Length") && !has_length) {
        length_text = value;
        has_length = true;
      }
    }
    if (!has_length) return Fail(start, StatusCode::kCorruption, "no Content-Length");
    const int64_t length = ParseLength(length_text);
    if (length < 0) {
      return Fail(start, StatusCode::kCorruption,
                  "bad Content-Length \"" + Printable(length_text) + "\"");
    }
    const std::string what = "the " + (record.type.empty() ? std::string("untyped") : record.type) +
                             " record" +
                             (record.target_uri.empty() ? "" : " for " + record.target_uri);
    RETURN_IF_ERROR(ReadBlock(start, length, what, record));
    if (!SkipTrailer()) {
      return Fail(start, StatusCode::kCorruption,
                  what + ": the block of Content-Length " + std::to_string(length) +
                      " is not followed by CRLF CRLF but by \"" +
                      Printable(stream_.available(), 8) + "\" (wrong Content-Length?)");
    }
    return std::optional<WarcRecord>(std::move(record));
  }

  // ARC (Internet Archive's format before WARC): a header line, the block,
  // one "\n". The first record, filedesc://, says the version in its block.
  StatusOr<std::optional<WarcRecord>> NextArc(int64_t start) {
    WarcRecord record;
    record.offset = stream_.FileOffsetAt(start);
    std::string_view line = *PeekLine(kMaxLineBytes);
    const std::string_view text = StripEol(line);
    const bool filedesc = text.starts_with("filedesc://");
    const size_t fields = ArcFieldCount(arc_version_, filedesc);
    const std::vector<std::string_view> tokens = SplitSpaces(text);
    if (line.back() != '\n' || tokens.size() < fields) {
      return Fail(start, StatusCode::kCorruption,
                  "malformed ARC header line \"" + Printable(text) + "\"");
    }
    const size_t url_tokens = tokens.size() - fields + 1;
    std::string url(tokens[0]);
    for (size_t i = 1; i < url_tokens; ++i) url += " " + std::string(tokens[i]);
    static constexpr const char* kV1Names[] = {"URL", "IP-address", "Archive-date", "Content-type",
                                               "Archive-length"};
    static constexpr const char* kV2Names[] = {
        "URL",      "IP-address", "Archive-date", "Content-type", "Result-code",
        "Checksum", "Location",   "Offset",       "Filename",     "Archive-length"};
    record.headers.emplace_back("URL", url);
    for (size_t i = 1; i < fields; ++i) {
      record.headers.emplace_back(fields == 10 ? kV2Names[i] : kV1Names[i],
                                  std::string(tokens[url_tokens + i - 1]));
    }
    const int64_t length = ParseLength(tokens.back());
    if (length < 0) {
      return Fail(start, StatusCode::kCorruption,
                  "bad ARC Archive-length \"" + Printable(tokens.back()) + "\"");
    }
    record.version = "ARC/" + std::to_string(arc_version_);
    record.type = filedesc ? "warcinfo" : "response";
    record.target_uri = url;
    record.date = ArcDateToIso(tokens[url_tokens + 1]);
    record.content_type = std::string(tokens[url_tokens + 2]);
    stream_.Consume(line.size());

    RETURN_IF_ERROR(ReadBlock(start, length, "the ARC record for " + url, record));
    EnsureBytes(1);
    const std::string_view rest = stream_.available();
    if (!rest.empty()) {
      if (rest.front() != '\n') {
        return Fail(start, StatusCode::kCorruption,
                    "the ARC record for " + url + " is not followed by a newline");
      }
      stream_.Consume(1);
    }
    if (filedesc) {
      // "1 0 LiveWeb Capture": major version, minor version, origin.
      const std::vector<std::string_view> version =
          SplitSpaces(StripEol(std::string_view(record.block).substr(0, record.block.find('\n'))));
      if (!version.empty() && version[0] == "2") arc_version_ = 2;
      record.version = "ARC/" + std::to_string(arc_version_);
    }
    return std::optional<WarcRecord>(std::move(record));
  }

  std::string path_;
  WarcReaderOptions options_;
  ByteStream stream_;
  Format format_ = Format::kUnknown;
  int arc_version_ = 1;
  bool resync_ = false;
  int64_t resync_from_ = 0;
};

StatusOr<WarcReader> WarcReader::Open(const std::filesystem::path& path,
                                      WarcReaderOptions options) {
  auto impl = std::make_unique<Impl>(path.string(), options);
  RETURN_IF_ERROR(impl->Open());
  return WarcReader(std::move(impl));
}

WarcReader::WarcReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcReader::WarcReader(WarcReader&&) noexcept = default;
WarcReader& WarcReader::operator=(WarcReader&&) noexcept = default;
WarcReader::~WarcReader() = default;

StatusOr<std::optional<WarcRecord>> WarcReader::Next() { return impl_->Next(); }
const std::string& WarcReader::path() const { return impl_->path(); }

namespace {

// The parts of an HTTP/1.x response message (RFC 9112 section 2) that make
// a Page.
struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;

  std::string Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (EqualsNoCase(key, name)) return value;
    }
    return "";
  }
};

// Fails with a reason when `block` is not an HTTP response message.
StatusOr<HttpResponse> ParseHttpResponse(std::string_view block) {
  HttpResponse response;
  size_t head_end = block.find("\r\n\r\n");
  size_t body_start = head_end == std::string_view::npos ? head_end : head_end + 4;
  const size_t lf_end = block.find("\n\n");
  if (lf_end != std::string_view::npos && lf_end < head_end) {
    head_end = lf_end;
    body_start = lf_end + 2;
  }
  if (head_end == std::string_view::npos) {
    return CorruptionError("the HTTP head has no end (no blank line)");
  }
  const std::string_view head = block.substr(0, head_end);
  response.body = block.substr(body_start);

  size_t start = 0;
  bool first = true;
  while (start <= head.size()) {
    size_t end = head.find('\n', start);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = StripEol(head.substr(start, end - start));
    start = end + 1;
    if (first) {
      // "HTTP/1.1 200 OK"; the reason phrase may be absent.
      first = false;
      const std::vector<std::string_view> parts = SplitSpaces(line);
      if (parts.size() < 2 || !parts[0].starts_with("HTTP/") || parts[1].size() != 3 ||
          !AllDigits(parts[1])) {
        return CorruptionError("bad HTTP status line \"" + Printable(line) + "\"");
      }
      response.status = static_cast<int>(ParseLength(parts[1]));
      continue;
    }
    if (line.empty()) continue;
    if ((line.front() == ' ' || line.front() == '\t') && !response.headers.empty()) {
      response.headers.back().second += " " + std::string(Trim(line));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // tolerated, as browsers do
    response.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                  std::string(Trim(line.substr(colon + 1))));
  }
  return response;
}

// RFC 9112 section 7.1. A body whose first line is no chunk size was
// de-chunked by its writer, header notwithstanding: taken as it is. A body
// that ends after a complete chunk without the last-chunk is accepted (the
// data is all there); one that breaks inside a chunk is not.
StatusOr<std::string> Dechunk(std::string_view body) {
  std::string out;
  size_t pos = 0;
  bool first = true;
  while (true) {
    if (pos >= body.size() && !first) return out;
    const size_t eol = body.find('\n', pos);
    std::string_view size_line =
        eol == std::string_view::npos ? body.substr(pos) : body.substr(pos, eol - pos);
    size_line = Trim(StripEol(size_line).substr(0, size_line.find(';')));
    const bool hex = !size_line.empty() && size_line.size() <= 15 &&
                     std::all_of(size_line.begin(), size_line.end(), [](char c) {
                       return std::isxdigit(static_cast<unsigned char>(c));
                     });
    if (!hex || eol == std::string_view::npos) {
      if (first) return std::string(body);
      return CorruptionError("malformed chunked body: bad chunk size line \"" +
                             Printable(size_line) + "\"");
    }
    first = false;
    const size_t size = std::stoull(std::string(size_line), nullptr, 16);
    pos = eol + 1;
    if (size == 0) return out;  // trailer fields, if any, are not needed
    if (size > body.size() - pos) {
      return CorruptionError("malformed chunked body: a chunk of " + std::to_string(size) +
                             " bytes is cut short");
    }
    if (out.size() + size > kMaxWarcPageBodyBytes) {
      return ResourceExhaustedError("body exceeds " + std::to_string(kMaxWarcPageBodyBytes) +
                                    " bytes");
    }
    out.append(body.substr(pos, size));
    pos += size;
    if (body.compare(pos, 2, "\r\n") == 0) {
      pos += 2;
    } else if (body.compare(pos, 1, "\n") == 0) {
      pos += 1;
    } else if (pos < body.size()) {
      return CorruptionError("malformed chunked body: a chunk is not followed by CRLF");
    }
  }
}

// The payload of a parsed response: its body without the transfer coding.
StatusOr<std::string> PayloadOf(const HttpResponse& response) {
  if (ToLower(response.Header("Transfer-Encoding")).find("chunked") != std::string::npos) {
    return Dechunk(response.body);
  }
  return std::string(response.body);
}

// Inflates `data` with zlib `window_bits` (15+16 gzip, 15 zlib, -15 raw
// deflate), stopping as soon as the output passes the limit.
StatusOr<std::string> Inflate(std::string_view data, int window_bits, const char* name) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) return InternalError("inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int code = Z_OK;
  while (code == Z_OK) {
    const size_t old_size = out.size();
    out.resize(old_size + kReadChunkBytes);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
    stream.avail_out = static_cast<uInt>(kReadChunkBytes);
    code = inflate(&stream, Z_NO_FLUSH);
    out.resize(old_size + (kReadChunkBytes - stream.avail_out));
    if (out.size() > kMaxWarcPageBodyBytes) {
      inflateEnd(&stream);
      return ResourceExhaustedError("decoded body exceeds " +
                                    std::to_string(kMaxWarcPageBodyBytes) + " bytes");
    }
    if (code == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      code = Z_BUF_ERROR;  // all input used, stream not ended
    }
  }
  const std::string message = stream.msg != nullptr ? stream.msg : "";
  inflateEnd(&stream);
  if (code == Z_STREAM_END) return out;
  if (code == Z_BUF_ERROR) return CorruptionError(std::string("truncated ") + name + " body");
  return CorruptionError(std::string("corrupt ") + name + " body: " + message);
}

// Undoes the Content-Encoding codings, last applied first (RFC 9110
// section 8.4).
StatusOr<std::string> ContentDecode(std::string body, std::string_view content_encoding) {
  if (body.empty()) return body;  // nothing to decode (a HEAD-like answer)
  std::vector<std::string> codings;
  size_t start = 0;
  while (start <= content_encoding.size()) {
    size_t end = content_encoding.find(',', start);
    if (end == std::string_view::npos) end = content_encoding.size();
    const std::string coding = ToLower(Trim(content_encoding.substr(start, end - start)));
    if (!coding.empty() && coding != "identity") codings.push_back(coding);
    start = end + 1;
  }
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    if (*it == "gzip" || *it == "x-gzip") {
      ASSIGN_OR_RETURN(body, Inflate(body, 15 + 16, "gzip"));
    } else if (*it == "deflate") {
      // RFC 9110 says zlib-wrapped; some servers send raw deflate.
      StatusOr<std::string> zlib = Inflate(body, 15, "deflate");
      if (zlib.ok()) {
        body = std::move(*zlib);
      } else if (zlib.status().code() == StatusCode::kResourceExhausted) {
        return zlib.status();
      } else {
        ASSIGN_OR_RETURN(body, Inflate(body, -15, "deflate"));
      }
    } else {
      return UnimplementedError("unsupported Content-Encoding \"" + Printable(*it) + "\"");
    }
  }
  return body;
}

std::string MediaType(std::string_view content_type) {
  return ToLower(Trim(content_type.substr(0, content_type.find(';'))));
}

bool IsPageMediaType(std::string_view content_type) {
  const std::string type = MediaType(content_type);
  return type == "text/html" || type == "application/xhtml+xml" || type == "text/plain";
}

// WHATWG MIME Sniffing's first HTML patterns, enough for an untyped page.
bool LooksLikeHtml(std::string_view body) {
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t' || body.front() == '\r' ||
                           body.front() == '\n')) {
    body.remove_prefix(1);
  }
  return StartsWithNoCase(body, "<!doctype html") || StartsWithNoCase(body, "<html");
}

// What one record gives: a page, a failure, or (neither) nothing.
struct Conversion {
  std::optional<Page> page;
  std::string failure;
};

Conversion Failed(std::string reason) { return {std::nullopt, std::move(reason)}; }

// http(s)://authority/robots.txt, without a query.
bool IsRobotsTxtUri(std::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return false;
  const size_t slash = uri.find('/', scheme + 3);
  return slash != std::string_view::npos && uri.substr(slash) == "/robots.txt";
}

Conversion PageFromRecord(const WarcRecord& record, const std::string& path) {
  const bool response = record.type == "response";
  if (!response && record.type != "resource") return {};  // request, revisit, metadata, ...
  // wget keeps its log and arguments as text/plain resource records under
  // metadata:// URIs; only web and local documents are pages.
  if (!record.target_uri.empty() && !StartsWithNoCase(record.target_uri, "http://") &&
      !StartsWithNoCase(record.target_uri, "https://") &&
      !StartsWithNoCase(record.target_uri, "file:")) {
    return {};
  }
  // A crawler's robots.txt exchanges are kept too; they are not pages (the
  // crawler never stores one as a page, so neither does a re-run from WARC).
  if (IsRobotsTxtUri(record.target_uri)) return {};

  Page page;
  std::string body;
  if (response) {
    // Only HTTP responses can be pages; Heritrix's dns: records and the
    // like are something else.
    const bool http = StartsWithNoCase(record.content_type, "application/http") ||
                      record.block.starts_with("HTTP/");
    if (!http) return {};
    StatusOr<HttpResponse> parsed = ParseHttpResponse(record.block);
    if (!parsed.ok()) return Failed(parsed.status().message());
    if (parsed->status < 200 || parsed->status > 299) return {};
    page.http_status = parsed->status;
    page.content_type = parsed->Header("Content-Type");
    if (!page.content_type.empty() && !IsPageMediaType(page.content_type)) return {};
    page.etag = parsed->Header("ETag");
    page.last_modified = parsed->Header("Last-Modified");

    StatusOr<std::string> payload = PayloadOf(*parsed);
    if (!payload.ok()) return Failed(payload.status().message());
    body = std::move(*payload);
    StatusOr<std::string> decoded =
        ContentDecode(std::move(body), parsed->Header("Content-Encoding"));
    if (!decoded.ok()) return Failed(decoded.status().message());
    body = std::move(*decoded);
  } else {
    page.content_type = record.content_type;
    if (!page.content_type.empty() && !IsPageMediaType(page.content_type)) return {};
    body = record.block;
  }
  if (body.size() > kMaxWarcPageBodyBytes) {
    return Failed("body exceeds " + std::to_string(kMaxWarcPageBodyBytes) + " bytes");
  }
  if (page.content_type.empty()) {
    if (!LooksLikeHtml(body)) return {};
    page.content_type = "text/html";
  }
  if (record.target_uri.empty()) return Failed("the record has no WARC-Target-URI");

  StatusOr<DecodedDocument> document = DecodeDocument(body, page.content_type);
  if (!document.ok()) return Failed(document.status().message());
  page.url = record.target_uri;
  page.requested_url = record.target_uri;
  page.fetched_at = record.date;
  page.charset = std::move(document->charset);
  page.html = std::move(document->utf8);
  page.content_hash = HexHash64(body);
  page.warc_path = path;
  page.warc_offset = record.offset;
  return {std::move(page), ""};
}

}  // namespace

StatusOr<std::string> HttpPayload(std::string_view http_response) {
  ASSIGN_OR_RETURN(HttpResponse parsed, ParseHttpResponse(http_response));
  return PayloadOf(parsed);
}

Status ReadWarcPages(
    const std::filesystem::path& path, const std::function<Status(Page)>& on_page,
    const std::function<void(const std::string& where, const std::string& reason)>& on_failure) {
  ASSIGN_OR_RETURN(WarcReader reader, WarcReader::Open(path));
  const std::string prefix = reader.path() + "@";
  while (true) {
    StatusOr<std::optional<WarcRecord>> next = reader.Next();
    if (!next.ok()) {
      // The message is "PATH@OFFSET: reason" (WarcReader::Next).
      const std::string& message = next.status().message();
      const size_t colon = message.find(": ", prefix.size());
      if (message.starts_with(prefix) && colon != std::string::npos) {
        on_failure(message.substr(0, colon), message.substr(colon + 2));
      } else {
        on_failure(reader.path(), message);
      }
      continue;
    }
    if (!next->has_value()) return Status::Ok();
    const WarcRecord& record = **next;
    Conversion conversion = PageFromRecord(record, reader.path());
    if (!conversion.failure.empty()) {
      on_failure(record.target_uri.empty() ? reader.path() + "@" + std::to_string(record.offset)
                                           : record.target_uri,
                 conversion.failure);
    } else if (conversion.page) {
      RETURN_IF_ERROR(on_page(std::move(*conversion.page)));
    }
  }
}

}  // namespace newsclaim::crawler
