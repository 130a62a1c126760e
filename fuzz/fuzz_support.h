// fuzz/fuzz_support.h
// What every libFuzzer target in fuzz/ shares: where the source tree is (for
// the real rules/), a UTF-8 validity check, and FUZZ_CHECK, which aborts
// with a message so libFuzzer saves the input that broke an invariant.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace newsclaim::fuzz {

// $NEWSCLAIM_SOURCE_DIR, else the tree the fuzzer was built from.
inline std::filesystem::path SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return std::filesystem::path(env != nullptr ? env : NEWSCLAIM_SOURCE_DIR);
}

// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF).
inline bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int length = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (int k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

}  // namespace newsclaim::fuzz

// An invariant of the code under test; on failure, prints where and aborts
// (libFuzzer then writes the crashing input to disk).
#define FUZZ_CHECK(condition)                                                        \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__,     \
                   #condition);                                                      \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)
