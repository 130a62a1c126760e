// extract/sentences.h
// The first step of claim assembly: splits an article's text into sentences
// (ICU BreakIterator, plus newline paragraph breaks) and NFKC-normalizes each
// one, keeping a map from normalized code points back to the article text so
// that claims can quote the original surface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace newsclaim::extract {

// The longest sentence Split() returns, in code points of the article text.
// Claim assembly looks at every pair of figures and names in a sentence, so
// one endless "sentence" (a hostile page, a table flattened without
// punctuation) would cost time quadratic in its length; no sentence of the
// corpus or of ../shared/data comes near 2,000 code points (the longest
// measured is given in docs/hardening.md, "Limits").
inline constexpr int64_t kMaxSentenceCodePoints = 2000;

// One sentence of an article. Normalized offsets are code points into
// `normalized`; article offsets are code points into the article text.
struct Sentence {
  int64_t cp_start = 0;  // span of `text` in the article text, half-open
  int64_t cp_end = 0;
  int paragraph = 0;       // 0-based index of the paragraph (newline-separated)
  std::string text;        // the original surface, article text[cp_start:cp_end]
  std::string normalized;  // NFKC of `text`
  // For normalized code point i: the article code point span of the original
  // characters it came from (NFKC can expand "㈱" to three code points or
  // fold "ｶﾞ" into one). Both vectors have one entry per normalized code point.
  std::vector<int64_t> source_start;
  std::vector<int64_t> source_end;

  // The article span of normalized code points [start, end). An empty or
  // out-of-range span maps to an empty span at the nearest boundary.
  std::pair<int64_t, int64_t> ToArticleSpan(int64_t start, int64_t end) const;
};

// UTF-8 <-> UTF-32, stepping like base/utf8.h: an invalid byte is one code
// point (decoded as U+FFFD), so offsets agree with CodePointCount().
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);

// NFKC of `text` (Unicode UAX #15). Invalid UTF-8 becomes U+FFFD.
std::string NormalizeNfkc(std::string_view text);

// NFKC followed by ASCII lower-casing (and ’ read as '): the form in which
// aliases and words are compared. Keeps the code point count of
// NormalizeNfkc(text).
std::string FoldForMatch(std::string_view text);

// The same folding for text that is already NFKC-normalized.
std::u32string FoldCodePoints(std::u32string_view normalized);

// Owns one ICU sentence BreakIterator, reused for every text it splits.
// Not thread-safe; build one per thread.
class SentenceSplitter {
 public:
  // Fails with Internal if ICU cannot build its sentence rules or NFKC data.
  static StatusOr<SentenceSplitter> Create();

  SentenceSplitter(SentenceSplitter&&) noexcept;
  SentenceSplitter& operator=(SentenceSplitter&&) noexcept;
  ~SentenceSplitter();

  // The sentences of `text` in order. Paragraphs end at newlines; inside a
  // paragraph ICU's sentence rules apply (UAX #29), which end sentences at
  // 。！？ as well as at . ! ? followed by space. Leading and trailing
  // white space is trimmed and empty sentences are dropped.
  //
  // A sentence longer than kMaxSentenceCodePoints is cut into pieces of at
  // most that many code points: each piece ends after the last clause
  // boundary (、，, ；; ：:) in its final quarter, else after the last white
  // space there, else at the limit itself (moved back to a normalization
  // boundary, so a base character keeps its combining marks). Pieces keep
  // the sentence's paragraph and are trimmed like sentences.
  std::vector<Sentence> Split(std::string_view text);

 private:
  struct Icu;  // the BreakIterator and the NFKC normalizer
  explicit SentenceSplitter(std::unique_ptr<Icu> icu);

  std::unique_ptr<Icu> icu_;
};

}  // namespace newsclaim::extract
