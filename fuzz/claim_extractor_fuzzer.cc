// fuzz/claim_extractor_fuzzer.cc
// extract/sentences.h and extract/claim_extractor.h with the shipped rules/:
// sentence splitting (ICU, NFKC, the sentence length limit) and claim
// assembly (MeCab, figures, entities, subjects, times, statuses, hedges).
// The first input byte picks the article's publication date; the rest is
// the article text. Checked: sentences are in order, disjoint, inside the
// text, at most kMaxSentenceCodePoints long, their text is the article
// text between their offsets and their offset map stays inside them;
// claims are in text order, inside the text, their surface is the text
// between their offsets and lies in their quote, ids are 16 hex digits and
// distinct, intervals are ordered, and a second Extract of the same
// article gives the same claims (no state leaks from one page to the next).
// libFuzzer's -timeout catches a sentence that is slow to assemble.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "extract/claim_extractor.h"
#include "extract/rule_set.h"
#include "extract/sentences.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 64 * 1024;

template <typename T>
T& OrDie(newsclaim::StatusOr<T>& made, const char* what) {
  if (!made.ok()) {
    std::fprintf(stderr, "claim_extractor_fuzzer: %s: %s\n", what,
                 made.status().ToString().c_str());
    std::abort();
  }
  return *made;
}

newsclaim::extract::ClaimExtractor& Extractor() {
  static newsclaim::extract::ClaimExtractor* extractor = [] {
    using namespace newsclaim;
    StatusOr<extract::RuleSet> rules = extract::LoadRuleSet(fuzz::SourceDir() / "rules");
    static const extract::RuleSet* kept = new extract::RuleSet(std::move(OrDie(rules, "rules")));
    StatusOr<extract::ClaimExtractor> made = extract::ClaimExtractor::Create(*kept);
    return new extract::ClaimExtractor(std::move(OrDie(made, "extractor")));
  }();
  return *extractor;
}

newsclaim::extract::SentenceSplitter& Splitter() {
  static newsclaim::extract::SentenceSplitter* splitter = [] {
    newsclaim::StatusOr<newsclaim::extract::SentenceSplitter> made =
        newsclaim::extract::SentenceSplitter::Create();
    return new newsclaim::extract::SentenceSplitter(std::move(OrDie(made, "splitter")));
  }();
  return *splitter;
}

// The text of code points [start, end) of `text`.
std::string_view Slice(std::string_view text, const std::vector<int64_t>& byte_of,
                       int64_t start, int64_t end) {
  return text.substr(byte_of[start], byte_of[end] - byte_of[start]);
}

bool IsHex16(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size == 0 || size > kMaxInputBytes) return 0;
  const unsigned char selector = data[0];
  Article article;
  article.text.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  article.published = selector % 3 == 0   ? ""
                      : selector % 3 == 1 ? "2025-11-03T09:30:00+09:00"
                                          : "2016-02-29";
  const std::string_view text = article.text;
  const int64_t length = CodePointCount(text);
  const std::vector<int64_t> byte_of = CodePointByteOffsets(text);
  FUZZ_CHECK(static_cast<int64_t>(byte_of.size()) == length + 1);

  // Sentences.
  int64_t previous_end = 0;
  for (const extract::Sentence& s : Splitter().Split(text)) {
    FUZZ_CHECK(previous_end <= s.cp_start && s.cp_start < s.cp_end && s.cp_end <= length);
    FUZZ_CHECK(s.cp_end - s.cp_start <= extract::kMaxSentenceCodePoints);
    FUZZ_CHECK(s.text == Slice(text, byte_of, s.cp_start, s.cp_end));
    FUZZ_CHECK(s.source_start.size() == s.source_end.size());
    FUZZ_CHECK(static_cast<int64_t>(s.source_start.size()) == CodePointCount(s.normalized));
    for (size_t i = 0; i < s.source_start.size(); ++i) {
      FUZZ_CHECK(s.cp_start <= s.source_start[i] && s.source_start[i] < s.source_end[i] &&
                 s.source_end[i] <= s.cp_end);
    }
    if (fuzz::IsValidUtf8(text)) FUZZ_CHECK(fuzz::IsValidUtf8(s.normalized));
    previous_end = s.cp_end;
  }

  // Claims.
  const std::string url = "https://news.example.jp/2025/11/03/article.html";
  std::vector<std::string> warnings;
  const std::vector<Claim> claims = Extractor().Extract(article, url, &warnings);
  std::set<std::string> ids;
  int64_t previous_start = 0;
  for (const Claim& claim : claims) {
    FUZZ_CHECK(previous_start <= claim.start && claim.start <= claim.end &&
               claim.end <= length);
    previous_start = claim.start;
    FUZZ_CHECK(claim.text == Slice(text, byte_of, claim.start, claim.end));
    FUZZ_CHECK(claim.quote.find(claim.text) != std::string::npos);
    FUZZ_CHECK(IsHex16(claim.id));
    FUZZ_CHECK(ids.insert(claim.id).second);
    FUZZ_CHECK(claim.lang == "ja" || claim.lang == "en");
    FUZZ_CHECK(claim.url == url);
    const Interval& interval = claim.interval;
    if (interval.low && interval.high) FUZZ_CHECK(*interval.low <= *interval.high);
    if (claim.time) FUZZ_CHECK(claim.time->range.start <= claim.time->range.end);
    if (fuzz::IsValidUtf8(text)) {
      FUZZ_CHECK(fuzz::IsValidUtf8(claim.quote));
      FUZZ_CHECK(fuzz::IsValidUtf8(claim.subject));
      FUZZ_CHECK(fuzz::IsValidUtf8(claim.attribution));
    }
  }
  for (const std::string& warning : warnings) FUZZ_CHECK(!warning.empty());

  // The same article again: the same claims.
  const std::vector<Claim> again = Extractor().Extract(article, url);
  FUZZ_CHECK(again.size() == claims.size());
  for (size_t i = 0; i < claims.size(); ++i) {
    FUZZ_CHECK(again[i].id == claims[i].id);
    FUZZ_CHECK(again[i].subject == claims[i].subject);
    FUZZ_CHECK(again[i].counterparty == claims[i].counterparty);
    FUZZ_CHECK(again[i].interval == claims[i].interval);
    FUZZ_CHECK(again[i].time == claims[i].time);
    FUZZ_CHECK(again[i].status == claims[i].status);
    FUZZ_CHECK(again[i].hedges == claims[i].hedges);
  }
  return 0;
}
