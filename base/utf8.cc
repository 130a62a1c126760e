#include "base/utf8.h"

namespace newsclaim {

int Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

int WellFormedUtf8Length(std::string_view text, size_t i) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char lead = bytes[i];
  if (lead < 0x80) return 1;
  int length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;  // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;  // overlong
    if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - i < static_cast<size_t>(length)) return 0;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (int k = 2; k < length; ++k) {
    if ((bytes[i + k] & 0xC0) != 0x80) return 0;
  }
  return length;
}

bool IsWellFormedUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const int length = WellFormedUtf8Length(text, i);
    if (length == 0) return false;
    i += static_cast<size_t>(length);
  }
  return true;
}

namespace {

// Advances over one code point starting at `i`, never past the end.
size_t NextCodePoint(std::string_view text, size_t i) {
  size_t next = i + Utf8SequenceLength(static_cast<unsigned char>(text[i]));
  return next > text.size() ? text.size() : next;
}

}  // namespace

int64_t CodePointCount(std::string_view text) {
  int64_t count = 0;
  for (size_t i = 0; i < text.size(); i = NextCodePoint(text, i)) ++count;
  return count;
}

std::vector<int64_t> CodePointByteOffsets(std::string_view text) {
  std::vector<int64_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); i = NextCodePoint(text, i)) {
    offsets.push_back(static_cast<int64_t>(i));
  }
  offsets.push_back(static_cast<int64_t>(text.size()));
  return offsets;
}

int64_t ByteOffsetOfCodePoint(std::string_view text, int64_t cp_offset) {
  size_t i = 0;
  for (int64_t cp = 0; cp < cp_offset && i < text.size(); ++cp) {
    i = NextCodePoint(text, i);
  }
  return static_cast<int64_t>(i);
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

int64_t CodePointOffsetOfByte(std::string_view text, int64_t byte_offset) {
  int64_t cp = 0;
  for (size_t i = 0; i < text.size() && static_cast<int64_t>(i) < byte_offset;
       i = NextCodePoint(text, i)) {
    ++cp;
  }
  return cp;
}

}  // namespace newsclaim
