#include "extract/sentences.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "base/utf8.h"

namespace newsclaim::extract {

namespace {

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' ||
         c == U'\u3000' || c == U'\u00A0' || c == U'\u200B' || c == U'\uFEFF';
}

icu::UnicodeString ToIcu(std::u32string_view text) {
  icu::UnicodeString out;
  for (char32_t c : text) out.append(static_cast<UChar32>(c));
  return out;
}

void AppendIcu(const icu::UnicodeString& text, std::u32string* out) {
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    out->push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
}

const icu::Normalizer2* Nfkc() {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(error);
  return U_FAILURE(error) ? nullptr : nfkc;
}

// Normalizes `text` one normalization segment at a time (a segment starts at
// a code point with a boundary before it), so that every output code point
// can name the input code points it came from.
std::u32string NormalizeMapped(const icu::Normalizer2& nfkc,
                               std::u32string_view text,
                               std::vector<int64_t>* source_start,
                               std::vector<int64_t>* source_end) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i + 1;
    while (j < text.size() && !nfkc.hasBoundaryBefore(text[j])) ++j;
    if (j == i + 1 && nfkc.isInert(text[i])) {
      out.push_back(text[i]);
    } else {
      UErrorCode error = U_ZERO_ERROR;
      icu::UnicodeString normalized =
          nfkc.normalize(ToIcu(text.substr(i, j - i)), error);
      if (U_FAILURE(error)) {
        out.append(text.substr(i, j - i));
      } else {
        AppendIcu(normalized, &out);
      }
    }
    if (source_start != nullptr) {
      source_start->resize(out.size(), static_cast<int64_t>(i));
      source_end->resize(out.size(), static_cast<int64_t>(j));
    }
    i = j;
  }
  return out;
}

}  // namespace

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    int length = Utf8SequenceLength(lead);
    if (i + length > text.size()) length = static_cast<int>(text.size() - i);
    char32_t c;
    if (length == 1) {
      c = lead < 0x80 ? lead : U'\uFFFD';
    } else {
      c = lead & (0xFF >> (length + 1));
      bool valid = length == Utf8SequenceLength(lead);
      for (int k = 1; k < length; ++k) {
        unsigned char next = static_cast<unsigned char>(text[i + k]);
        if ((next & 0xC0) != 0x80) valid = false;
        c = (c << 6) | (next & 0x3F);
      }
      if (!valid || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = U'\uFFFD';
    }
    out.push_back(c);
    i += length;
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  return ::newsclaim::EncodeUtf8(text);
}

std::string NormalizeNfkc(std::string_view text) {
  const icu::Normalizer2* nfkc = Nfkc();
  std::u32string decoded = DecodeUtf8(text);
  if (nfkc == nullptr) return EncodeUtf8(decoded);
  return EncodeUtf8(NormalizeMapped(*nfkc, decoded, nullptr, nullptr));
}

std::u32string FoldCodePoints(std::u32string_view normalized) {
  std::u32string out(normalized);
  for (char32_t& c : out) {
    if (c >= U'A' && c <= U'Z') {
      c = c - U'A' + U'a';
    } else if (c == U'\u2019' || c == U'\u2018') {
      c = U'\'';  // "NVIDIA’s" reads like "NVIDIA's"
    }
  }
  return out;
}

std::string FoldForMatch(std::string_view text) {
  return EncodeUtf8(FoldCodePoints(DecodeUtf8(NormalizeNfkc(text))));
}

std::pair<int64_t, int64_t> Sentence::ToArticleSpan(int64_t start,
                                                     int64_t end) const {
  const int64_t n = static_cast<int64_t>(source_start.size());
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  if (start == n) return {cp_end, cp_end};
  if (end == start) return {source_start[start], source_start[start]};
  return {source_start[start], source_end[end - 1]};
}

struct SentenceSplitter::Icu {
  std::unique_ptr<icu::BreakIterator> breaker;
  const icu::Normalizer2* nfkc = nullptr;  // owned by ICU
};

namespace {

// Appends the trimmed sentence paragraph[start, end) to `out`.
void AddSentence(const icu::Normalizer2& nfkc, std::u32string_view paragraph,
                 int64_t paragraph_cp, int64_t start, int64_t end,
                 int paragraph_index, std::vector<Sentence>* out) {
  while (start < end && IsSpace(paragraph[start])) ++start;
  while (end > start && IsSpace(paragraph[end - 1])) --end;
  if (start == end) return;
  Sentence sentence;
  sentence.cp_start = paragraph_cp + start;
  sentence.cp_end = paragraph_cp + end;
  sentence.paragraph = paragraph_index;
  std::u32string normalized =
      NormalizeMapped(nfkc, paragraph.substr(start, end - start),
                      &sentence.source_start, &sentence.source_end);
  for (int64_t& offset : sentence.source_start) offset += sentence.cp_start;
  for (int64_t& offset : sentence.source_end) offset += sentence.cp_start;
  sentence.normalized = EncodeUtf8(normalized);
  out->push_back(std::move(sentence));
}

bool IsDigit(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'\uFF10' && c <= U'\uFF19');
}

// True if a piece of an overlong sentence may end after text[pos - 1]: a
// Japanese clause mark not inside a number (２６，０００), or ASCII
// punctuation followed by white space (not "260,000", "3:30", "https:").
bool IsPieceBoundary(std::u32string_view text, int64_t pos) {
  static constexpr std::u32string_view kWide = U"、。，；：！？";
  static constexpr std::u32string_view kAscii = U",;:!?";
  const char32_t c = text[pos - 1];
  const char32_t next = text[pos];
  if (kWide.find(c) != std::u32string_view::npos) return !IsDigit(next);
  return kAscii.find(c) != std::u32string_view::npos && IsSpace(next);
}

// Where the piece of text[start, ...) that may run to `limit` (< the end of
// the sentence) ends: after the last clause boundary in the final quarter
// before `limit`, else after the last white space there, else at `limit`
// moved back to a normalization boundary.
int64_t PieceEnd(const icu::Normalizer2& nfkc, std::u32string_view text,
                 int64_t start, int64_t limit) {
  const int64_t window_start = std::max(start + 1, limit - kMaxSentenceCodePoints / 4);
  for (int64_t pos = limit; pos > window_start; --pos) {
    if (IsPieceBoundary(text, pos)) return pos;
  }
  for (int64_t pos = limit; pos > window_start; --pos) {
    if (IsSpace(text[pos - 1])) return pos;
  }
  for (int64_t pos = limit; pos > window_start; --pos) {
    if (nfkc.hasBoundaryBefore(text[pos])) return pos;
  }
  return limit;
}

// Appends the trimmed sentence paragraph[start, end) to `out`, cut into
// pieces of at most kMaxSentenceCodePoints (see Split()).
void AddSentences(const icu::Normalizer2& nfkc, std::u32string_view paragraph,
                  int64_t paragraph_cp, int64_t start, int64_t end,
                  int paragraph_index, std::vector<Sentence>* out) {
  while (start < end && IsSpace(paragraph[start])) ++start;
  while (end > start && IsSpace(paragraph[end - 1])) --end;
  while (end - start > kMaxSentenceCodePoints) {
    const int64_t cut =
        PieceEnd(nfkc, paragraph, start, start + kMaxSentenceCodePoints);
    AddSentence(nfkc, paragraph, paragraph_cp, start, cut, paragraph_index, out);
    start = cut;
    while (start < end && IsSpace(paragraph[start])) ++start;
  }
  AddSentence(nfkc, paragraph, paragraph_cp, start, end, paragraph_index, out);
}

}  // namespace

StatusOr<SentenceSplitter> SentenceSplitter::Create() {
  const icu::Normalizer2* nfkc = Nfkc();
  if (nfkc == nullptr) return InternalError("ICU: cannot load NFKC data");
  UErrorCode error = U_ZERO_ERROR;
  // "ss=standard" suppresses breaks after common English abbreviations
  // ("Mr.", "U.S.", "Inc."); the rules for 。！？ are locale-independent.
  std::unique_ptr<icu::BreakIterator> breaker(
      icu::BreakIterator::createSentenceInstance(
          icu::Locale::createFromName("en@ss=standard"), error));
  if (U_FAILURE(error) || breaker == nullptr) {
    return InternalError(std::string("ICU: cannot create sentence iterator: ") +
                         u_errorName(error));
  }
  auto state = std::make_unique<Icu>();
  state->breaker = std::move(breaker);
  state->nfkc = nfkc;
  return SentenceSplitter(std::move(state));
}

SentenceSplitter::SentenceSplitter(std::unique_ptr<Icu> icu) : icu_(std::move(icu)) {}
SentenceSplitter::SentenceSplitter(SentenceSplitter&&) noexcept = default;
SentenceSplitter& SentenceSplitter::operator=(SentenceSplitter&&) noexcept =
    default;
SentenceSplitter::~SentenceSplitter() = default;

std::vector<Sentence> SentenceSplitter::Split(std::string_view text) {
  std::vector<Sentence> out;
  const std::u32string cps = DecodeUtf8(text);
  const std::vector<int64_t> byte_of = CodePointByteOffsets(text);
  int paragraph_index = 0;
  size_t p = 0;
  while (p < cps.size()) {
    // One paragraph: up to the next newline (U+2029 too).
    size_t q = p;
    while (q < cps.size() && cps[q] != U'\n' && cps[q] != U'\u2029') ++q;
    std::u32string_view paragraph(cps.data() + p, q - p);
    bool has_text = std::any_of(paragraph.begin(), paragraph.end(),
                                [](char32_t c) { return !IsSpace(c); });
    if (has_text) {
      // ICU works in UTF-16; remember where each UTF-16 unit's code point is.
      icu::UnicodeString utf16;
      std::vector<int64_t> cp_of_unit;
      for (size_t k = 0; k < paragraph.size(); ++k) {
        int32_t before = utf16.length();
        utf16.append(static_cast<UChar32>(paragraph[k]));
        for (int32_t u = before; u < utf16.length(); ++u) {
          cp_of_unit.push_back(static_cast<int64_t>(k));
        }
      }
      cp_of_unit.push_back(static_cast<int64_t>(paragraph.size()));
      icu::BreakIterator& breaker = *icu_->breaker;
      breaker.setText(utf16);
      int32_t start = breaker.first();
      for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
           start = end, end = breaker.next()) {
        AddSentences(*icu_->nfkc, paragraph, static_cast<int64_t>(p),
                     cp_of_unit[start], cp_of_unit[end], paragraph_index, &out);
      }
      ++paragraph_index;
    }
    p = q + 1;
  }
  // Fill in the original surfaces from byte offsets (invalid bytes kept).
  for (Sentence& sentence : out) {
    int64_t b0 = byte_of[sentence.cp_start];
    int64_t b1 = byte_of[sentence.cp_end];
    sentence.text = std::string(text.substr(b0, b1 - b0));
  }
  return out;
}

}  // namespace newsclaim::extract
