// extract/mention_parser.h
// Finds numbers, counts, money, percentages and dates in a piece of text and
// reads each as an interval with its qualifier (the `newsclaim parse`
// contract). Claim assembly (claim_extractor.h) builds on its output.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "base/status.h"
#include "extract/number_rules.h"

namespace newsclaim::extract {

enum class Lang { kAuto, kJa, kEn };

struct ParseOptions {
  Lang lang = Lang::kAuto;
  // The moment relative dates resolve against ("10月2日", "next year"), as
  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS". Empty: such dates stay unresolved
  // and are not reported.
  std::string ref;
  // Drop page furniture figures ("3分で読めます", "5 min read", "12件のコメント")
  // listed under `furniture` in rules/numbers/negatives.toml.
  bool skip_furniture = false;
};

// A mention plus what base/claim.h's Mention has no field for yet.
struct MentionInfo {
  Mention mention;
  // A deadline ("2030年までに", "by 2030"): the claim's time relation is "by".
  // Printed as "deadline": true by mention_json.h.
  bool deadline = false;
  // Resolved against ParseOptions::ref ("今年", "next year", "10月2日").
  bool relative = false;
  // For fiscal-year dates, the id of the calendar used ("japan", "nvidia").
  std::string fiscal_calendar;
  // A vague magnitude: 数万基, 数百億ドル規模, "tens of thousands of GPUs",
  // "several hundred thousand". The interval is the range the words allow
  // (qualifier range, value null, high exclusive) and never an exact figure;
  // analysts do not record such amounts as claims. Printed as "vague": true
  // by mention_json.h.
  bool vague = false;
};

// Immutable once built; one instance may be shared by all threads.
class MentionParser {
 public:
  // Compiles the patterns built from `rules`. Fails with InvalidArgument if a
  // pattern built from rule data does not compile, naming the file:line.
  static StatusOr<MentionParser> Create(const NumberRules& rules);

  // The mentions in `text`, in text order, non-overlapping. Offsets are code
  // points into `text` as given (not into a normalized copy). Full-width
  // digits and other NFKC variants are read as their plain forms.
  std::vector<Mention> Parse(std::string_view text,
                             const ParseOptions& options = {}) const;

  // As Parse, with the extras of MentionInfo for each mention.
  std::vector<MentionInfo> ParseDetailed(std::string_view text,
                                         const ParseOptions& options = {}) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace newsclaim::extract
