// base/claim.h
// The figures newsclaim reads: a Mention is one figure found in a piece of
// text (extract/ produces them, `newsclaim parse` prints them); a Claim is a
// figure attached to a subject, a time and a page (extract/ produces them,
// store/ keeps and reconciles them). Plain data; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim {

// How the text bounds its figure. Names and meanings follow the contract.
enum class Qualifier {
  kExact,      // 26万枚
  kApprox,     // 約30億ドル, about 30,000
  kAtLeast,    // 以上, at least            low inclusive
  kMoreThan,   // 超, more than              low exclusive
  kAtMost,     // 以下                        high inclusive
  kLessThan,   // 未満, less than, fewer than high exclusive
  kUpTo,       // 最大, まで, up to, as many as
  kRange,      // AからB, A-B, between A and B
};

std::string_view QualifierName(Qualifier qualifier);
std::optional<Qualifier> ParseQualifier(std::string_view name);

// An inclusive interval of calendar days, as ISO "YYYY-MM-DD" strings.
struct DateRange {
  std::string start;
  std::string end;
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

// The interval a text allows for a figure. Unset bounds are open.
struct Interval {
  std::optional<double> value;  // the point figure, when the text gives one
  std::optional<double> low;
  std::optional<double> high;
  bool low_inclusive = true;
  bool high_inclusive = true;
  Qualifier qualifier = Qualifier::kExact;
  friend bool operator==(const Interval&, const Interval&) = default;
};

enum class MentionKind { kNumber, kCount, kMoney, kPercent, kDate, kOrdinal };

std::string_view MentionKindName(MentionKind kind);

// One figure found in a text. Offsets are Unicode code points into the text
// that was parsed, half-open.
struct Mention {
  MentionKind kind = MentionKind::kNumber;
  std::string text;  // the surface, e.g. "26万台以上"
  int64_t start = 0;
  int64_t end = 0;
  Interval interval;
  std::string unit;      // counter or noun for counts ("台", "GPUs"); empty if none
  std::string currency;  // ISO 4217 for money; empty otherwise
  std::optional<DateRange> date;  // for kind kDate
  std::optional<int> equivalent_of;  // index of the mention this one converts
  bool distributive = false;         // それぞれ / 各 / each
};

enum class ClaimKind { kGpuCount, kMoney, kDate, kPercentage, kQuantity };

std::string_view ClaimKindName(ClaimKind kind);
std::optional<ClaimKind> ParseClaimKind(std::string_view name);

// When a figure holds: "by 2027" (a deadline), "as of 2025", "during FY2025",
// "on 2025-10-31".
enum class TimeRelation { kBy, kAsOf, kDuring, kOn };

std::string_view TimeRelationName(TimeRelation relation);
std::optional<TimeRelation> ParseTimeRelation(std::string_view name);

struct ClaimTime {
  DateRange range;
  TimeRelation relation = TimeRelation::kOn;
  friend bool operator==(const ClaimTime&, const ClaimTime&) = default;
};

enum class ClaimStatus { kNone, kAnnounced, kPlanned, kDelivered, kOperational };

std::string_view ClaimStatusName(ClaimStatus status);  // "" for kNone
std::optional<ClaimStatus> ParseClaimStatus(std::string_view name);

// A figure with its subject, time and provenance: one line of `query`.
struct Claim {
  std::string id;  // stable: same page + same span + same rule -> same id
  ClaimKind kind = ClaimKind::kQuantity;
  std::string subject;       // canonical entity name; empty when unknown
  std::string counterparty;  // e.g. the supplier in a supply deal; may be empty
  std::string product;       // "Blackwell", "H200"...; empty when none
  Interval interval;         // unset for kDate claims
  std::string unit;  // "GPU", an ISO 4217 code, "%", or the counted noun
  std::optional<ClaimTime> time;
  ClaimStatus status = ClaimStatus::kNone;
  // Words of the sentence that make the figure second-hand or uncertain, as
  // written: "according to", "と報じた", "という". Empty when the text
  // states the figure in its own voice.
  std::vector<std::string> hedges;
  // Who the text credits with the figure: a canonical entity name when the
  // source is in the gazetteer ("Bloomberg"), else the source as written
  // ("関係者", "people familiar with the matter"). Empty when none is named.
  std::string attribution;
  std::string text;   // the exact surface of the figure
  std::string quote;  // the sentence that states the claim
  std::string rule;   // id of the rule that produced it
  int64_t start = 0;  // code point span of `text` in the page's article text
  int64_t end = 0;

  // Filled in by the store from the page the claim came from.
  int64_t page_id = 0;
  std::string url;
  std::string title;
  std::string lang;
  std::string published;  // YYYY-MM-DD or empty
};

}  // namespace newsclaim
