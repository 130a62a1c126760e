// base/utf8.h
// Small UTF-8 helpers for code point offsets, which is how every span in
// newsclaim's output is measured. Invalid bytes count as one code point each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim {

// Length in bytes of the UTF-8 sequence that starts with `lead`; 1 for a
// stray continuation or invalid byte.
int Utf8SequenceLength(unsigned char lead);

// Length of the well-formed UTF-8 sequence (RFC 3629 section 4) that
// starts at text[i], 1 to 4; 0 when the bytes there are not one: a stray
// continuation or invalid lead byte, a bad continuation byte, an overlong
// form, a surrogate, a code point past U+10FFFF, or a sequence cut short by
// the end of `text`. Requires i < text.size().
int WellFormedUtf8Length(std::string_view text, size_t i);

// Whether all of `text` is well-formed UTF-8.
bool IsWellFormedUtf8(std::string_view text);

// Number of code points in `text`.
int64_t CodePointCount(std::string_view text);

// byte_offsets[i] is the byte offset of code point i; the last entry is
// text.size(), so the vector has CodePointCount(text) + 1 entries.
std::vector<int64_t> CodePointByteOffsets(std::string_view text);

// Byte offset of code point `cp_offset`, clamped to text.size().
int64_t ByteOffsetOfCodePoint(std::string_view text, int64_t cp_offset);

// `text` as UTF-8.
std::string EncodeUtf8(std::u32string_view text);

// Code point offset of byte `byte_offset` (which should fall on a boundary).
int64_t CodePointOffsetOfByte(std::string_view text, int64_t byte_offset);

}  // namespace newsclaim
