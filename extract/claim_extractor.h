// extract/claim_extractor.h
// Turns an article into claims: NFKC-normalizes and splits the text into
// sentences (ICU), tokenizes Japanese (MeCab), finds figures (MentionParser),
// entities and products (gazetteer), and assembles each figure with its
// subject, kind, time and status. Its output goes to the store unchanged.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "base/page.h"
#include "base/status.h"
#include "extract/rule_set.h"

namespace newsclaim::extract {

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

 private:
  struct Impl;
  explicit ClaimExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::extract
