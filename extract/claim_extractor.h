// extract/claim_extractor.h
// Turns an article into claims: NFKC-normalizes and splits the text into
// sentences (ICU), tokenizes Japanese (MeCab), finds figures (MentionParser),
// entities and products (gazetteer), and assembles each figure with its
// subject, kind, time and status. Its output goes to the store unchanged.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "base/page.h"
#include "base/status.h"
#include "extract/rule_set.h"

namespace newsclaim::extract {

// The most figures (MentionParser mentions of any kind, dates and bare
// numbers included) Extract reads on one page. A page with more is
// hostile or broken, not news: figures past the limit, in text order, are
// ignored and a warning says so. The pages of the corpus and of
// ../shared/data hold far fewer (docs/hardening.md, "Limits").
inline constexpr int64_t kMaxPageMentions = 5000;

// Where Extract's time went, summed over every call on one extractor
// (steady clock). What is left of the whole is claim assembly: entities,
// products, rules, subjects, times and statuses.
struct ExtractTimings {
  int64_t sentences_ns = 0;  // sentence splitting and NFKC (SentenceSplitter)
  int64_t figures_ns = 0;    // the figure reader (MentionParser) on each sentence
  int64_t tokenize_ns = 0;   // MeCab, on the Japanese sentences that hold a figure
  int64_t sentences = 0;     // sentences read
  int64_t tokenized = 0;     // of which given to MeCab
};

// Not thread-safe: it owns a MeCab tagger. Build one per thread; the rule
// data behind it is shared read-only.
class ClaimExtractor {
 public:
  // Fails if MeCab or its IPADIC dictionary cannot be opened, or a rule
  // pattern does not compile (naming its file:line).
  static StatusOr<ClaimExtractor> Create(const RuleSet& rules);

  ClaimExtractor(ClaimExtractor&&) noexcept;
  ClaimExtractor& operator=(ClaimExtractor&&) noexcept;
  ~ClaimExtractor();

  // The claims in `article`, in text order. `url` seeds each claim's stable
  // id (HexHash64 of url, span and rule id); spans are code point offsets
  // into article.text. Relative dates resolve against article.published.
  std::vector<Claim> Extract(const Article& article, std::string_view url);

  // The same; when `warnings` is not null, appends a message for each limit
  // the page exceeded ("more than 5000 figures: ..."). The claims are those
  // of the part of the page read.
  std::vector<Claim> Extract(const Article& article, std::string_view url,
                             std::vector<std::string>* warnings);

  // The time spent so far, by step.
  const ExtractTimings& timings() const;

 private:
  struct Impl;
  explicit ClaimExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::extract
