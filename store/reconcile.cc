#include "store/reconcile.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include "base/hash.h"

namespace newsclaim::store {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kApproxFraction = 0.05;  // 約 / about: +-5%

bool Near(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1.0});
}

// Reads one code point's digit value from `text` at `i` if it is an ASCII or
// full-width (U+FF10..U+FF19) digit; advances `i` past it.
std::optional<int> DigitAt(std::string_view text, size_t& i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c >= '0' && c <= '9') {
    ++i;
    return c - '0';
  }
  if (c == 0xEF && i + 2 < text.size() &&
      static_cast<unsigned char>(text[i + 1]) == 0xBC) {
    const auto d = static_cast<unsigned char>(text[i + 2]);
    if (d >= 0x90 && d <= 0x99) {
      i += 3;
      return d - 0x90;
    }
  }
  return std::nullopt;
}

// True if `text` at `i` starts with a character that may sit inside one
// written figure between digits: separators and the CJK multipliers of
// "1万8000" or "12兆6,000億". Advances `i` past it.
bool SkipInnerNumberChar(std::string_view text, size_t& i) {
  static constexpr std::string_view kInner[] = {",", ".", "，", "．", "万", "億", "兆", "千"};
  for (std::string_view inner : kInner) {
    if (text.substr(i, inner.size()) == inner) {
      i += inner.size();
      return true;
    }
  }
  return false;
}

// Significant digits of `value` written without exponent, trailing zeros
// dropped (they are read as rounding).
int SignificantDigitsOfValue(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.15g", std::fabs(value));
  std::string digits;
  for (const char* p = buffer; *p != '\0' && *p != 'e'; ++p) {
    if (*p >= '0' && *p <= '9') digits.push_back(*p);
  }
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  digits.erase(0, first);
  const size_t last = digits.find_last_not_of('0');
  if (digits.size() - 1 - last >= 3) digits.erase(last + 1);
  return static_cast<int>(digits.size());
}

// The pairwise verdict for two claims that answer the same question.
enum class PairClass { kNone, kContradiction, kDiscrepancy, kRevision, kAttribution, kStatus };

std::string_view PairClassName(PairClass pair_class) {
  switch (pair_class) {
    case PairClass::kContradiction: return "contradiction";
    case PairClass::kDiscrepancy: return "discrepancy";
    case PairClass::kRevision: return "revision";
    case PairClass::kAttribution: return "attribution";
    case PairClass::kStatus: return "status";
    case PairClass::kNone: break;
  }
  return "";
}

enum class TimeMatch { kSame, kSnapshot, kDeadlineMoved, kScheduleMoved, kDifferent };

// Figures about different times do not conflict. A missing time is read as
// "the same time" (most announcements give none). Two deadlines ("by")
// with different ends are the same plan restated: a revision candidate.
// Two periods ("during") that differ may be one scheduled step moved (the
// caller checks that both are plans): kScheduleMoved. A value "as of" a day
// against an undated one is kSnapshot: the same question, but the figure may
// have moved since (a share-priced deal value).
TimeMatch CompareTimes(const std::optional<ClaimTime>& a, const std::optional<ClaimTime>& b) {
  if (!a && !b) return TimeMatch::kSame;
  if (!a || !b) {
    const ClaimTime& given = a ? *a : *b;
    return given.relation == TimeRelation::kAsOf ? TimeMatch::kSnapshot : TimeMatch::kSame;
  }
  if (a->relation == TimeRelation::kBy && b->relation == TimeRelation::kBy) {
    return a->range.end == b->range.end ? TimeMatch::kSame : TimeMatch::kDeadlineMoved;
  }
  if (a->relation == b->relation && a->range == b->range) return TimeMatch::kSame;
  if (a->relation == TimeRelation::kDuring && b->relation == TimeRelation::kDuring) {
    return TimeMatch::kScheduleMoved;
  }
  return TimeMatch::kDifferent;
}

// 1 for intent (announced, planned), 2 for done (delivered, operational),
// 0 when the text gives no status.
int StatusStage(ClaimStatus status) {
  switch (status) {
    case ClaimStatus::kAnnounced:
    case ClaimStatus::kPlanned: return 1;
    case ClaimStatus::kDelivered:
    case ClaimStatus::kOperational: return 2;
    case ClaimStatus::kNone: break;
  }
  return 0;
}

// Words that mark a figure as one phase of a programme ("as a first step",
// "第1弾"): a phase is part of the programme's total, not a rival to it.
constexpr std::string_view kPhaseMarkers[] = {
    "first step", "first tranche", "first phase", "initial phase", "opening phase",
    "phase 1", "phase one", "tranche", "第1弾", "第一弾", "第1期", "第一期", "第1陣", "第一陣",
    "第1段階", "第一段階", "初弾",
};
// Words next to a figure that make it a rate per year ("年間30億ドル",
// "$3 billion a year"): not comparable with a one-off amount.
constexpr std::string_view kAnnualMarkers[] = {
    "年間", "毎年", "年額", "a year", "per year", "annually", "each year", "per annum", "/year",
};
constexpr size_t kAnnualWindowBytes = 24;
// Words right before a figure that make it the opening part of a larger
// programme: "the first 18,000 GB300s", "the initial 1 GW", "最初の1万基".
constexpr std::string_view kLeadingPhaseWords[] = {
    "first ", "initial ", "opening ", "最初の", "初回の", "初期の",
};
constexpr size_t kLeadingWindowBytes = 12;

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::string ScopeOf(const Claim& claim) {
  // Markers are lower case (or not ASCII), so one lower-cased copy of the
  // quote lets plain find() do the case-insensitive search.
  const std::string quote = AsciiLower(claim.quote);
  for (std::string_view marker : kPhaseMarkers) {
    if (quote.find(marker) != std::string::npos) return "phase";
  }
  // The rate words must sit right before or after the figure itself.
  const size_t at = claim.text.empty() ? std::string::npos : claim.quote.find(claim.text);
  const std::string text = AsciiLower(claim.text);
  std::string_view near = text;
  if (at != std::string::npos) {
    const size_t begin = at > kAnnualWindowBytes ? at - kAnnualWindowBytes : 0;
    const size_t end = std::min(quote.size(), at + claim.text.size() + kAnnualWindowBytes);
    near = std::string_view(quote).substr(begin, end - begin);
  }
  for (std::string_view marker : kAnnualMarkers) {
    if (near.find(marker) != std::string_view::npos) return "annual";
  }
  if (at != std::string::npos) {
    const size_t begin = at > kLeadingWindowBytes ? at - kLeadingWindowBytes : 0;
    const std::string_view before = std::string_view(quote).substr(begin, at - begin);
    for (std::string_view word : kLeadingPhaseWords) {
      if (before.size() >= word.size() && before.substr(before.size() - word.size()) == word) {
        return "phase";
      }
    }
  }
  return "";
}

namespace {

// The unit as one spelling: ASCII case folded, an English plural "s"
// dropped, and the abbreviations and katakana of power units spelled out
// ("GW", "gigawatts", "ギガワット" -> "gigawatt"). Different units stay
// different questions: no conversion between megawatts and gigawatts, since
// a site's "200 MW" and a campus's "1 GW" are rarely the same figure.
std::string NormalizeUnit(std::string_view unit) {
  std::string folded;
  for (char c : unit) folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  static constexpr std::pair<std::string_view, std::string_view> kSpellings[] = {
      {"gw", "gigawatt"},        {"mw", "megawatt"},        {"kw", "kilowatt"},
      {"ギガワット", "gigawatt"}, {"メガワット", "megawatt"}, {"キロワット", "kilowatt"},
  };
  for (const auto& [spelling, canonical] : kSpellings) {
    if (folded == spelling) return std::string(canonical);
  }
  const bool ascii_word =
      folded.size() > 3 && std::all_of(folded.begin(), folded.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == ' ';
      });
  if (ascii_word && folded.back() == 's' && folded[folded.size() - 2] != 's') folded.pop_back();
  return folded;
}

std::string UnitKey(const Claim& claim) {
  // Every gpu_count is in GPUs whatever counter the page used (枚, 基, 台).
  if (claim.kind == ClaimKind::kGpuCount) return "GPU";
  if (claim.kind == ClaimKind::kQuantity) return NormalizeUnit(claim.unit);
  return claim.unit;
}

// One comparable claim with what the comparisons need precomputed.
struct Item {
  const Claim* claim = nullptr;
  FigureInterval interval;
  std::string measure;
  std::string scope;
  int stage = 0;
  // The item's own page gives another, different figure for what looks like
  // the same question (a site and the company total, a deal's value and its
  // lease obligations): the question is under-specified there, so the item
  // is only matched on an equal figure, never raised as a rival.
  bool ambiguous = false;
  // Why the page is a primary source for the claim; "" when secondary.
  std::string primary_reason;
  // The independent source the claim stands for: its page, or the page its
  // page copies (near-duplicates count once).
  std::string source_key;
  const PageInfo* page = nullptr;  // null when the context has none
};

bool SamePage(const Claim& a, const Claim& b) {
  if (a.page_id != 0 && b.page_id != 0) return a.page_id == b.page_id;
  return !a.url.empty() && a.url == b.url;
}

bool Compatible(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

bool Overlaps(const FigureInterval& a, const FigureInterval& b) {
  double low = a.low;
  bool low_inclusive = a.low_inclusive;
  if (b.low > a.low) {
    low = b.low;
    low_inclusive = b.low_inclusive;
  } else if (b.low == a.low) {
    low_inclusive = a.low_inclusive && b.low_inclusive;
  }
  double high = a.high;
  bool high_inclusive = a.high_inclusive;
  if (b.high < a.high) {
    high = b.high;
    high_inclusive = b.high_inclusive;
  } else if (b.high == a.high) {
    high_inclusive = a.high_inclusive && b.high_inclusive;
  }
  if (low < high) return true;
  return low == high && low_inclusive && high_inclusive;
}

// Whether the two scopes may describe one figure. An annual rate never
// matches a one-off amount. A phase may be the same figure as an unmarked one
// (a report that does not say "first tranche"), so it passes here and
// Classify lets such a pair agree but never disagree.
bool ScopesCompatible(const std::string& a, const std::string& b) {
  if (a == b) return true;
  return a != "annual" && b != "annual";
}

// Claims that may answer the same question, ignoring their pages: subject,
// kind and unit already agree (they share a group, or the caller checked the
// subjects); measure, product, scope and counterparty must not contradict.
bool QuestionsMatch(const Item& a, const Item& b) {
  const Claim& ca = *a.claim;
  const Claim& cb = *b.claim;
  if (!ScopesCompatible(a.scope, b.scope) || !Compatible(a.measure, b.measure) ||
      !Compatible(ca.product, cb.product)) {
    return false;
  }
  switch (ca.kind) {
    case ClaimKind::kMoney:
    case ClaimKind::kQuantity:
      // A subject's money figures are about many deals, and so are its other
      // counts: gigawatts, racks, shares, people or sites say what is
      // counted, not which project. The counterparty names the deal and must
      // agree; with none, a measure or product must.
      if (ca.counterparty != cb.counterparty) return false;
      return !ca.counterparty.empty() || (!a.measure.empty() && a.measure == b.measure) ||
             (!ca.product.empty() && ca.product == cb.product);
    case ClaimKind::kPercentage:
      // A bare "20%" does not say what it is a share of.
      return !a.measure.empty() && a.measure == b.measure &&
             Compatible(ca.counterparty, cb.counterparty);
    default:
      return Compatible(ca.counterparty, cb.counterparty);
  }
}

bool SameQuestion(const Item& a, const Item& b) {
  return !SamePage(*a.claim, *b.claim) && QuestionsMatch(a, b);
}

bool PointsEqual(const Item& a, const Item& b) {
  return a.interval.has_point && b.interval.has_point && Near(a.interval.point, b.interval.point);
}

bool IsLowerBound(const Claim& claim) {
  return claim.interval.qualifier == Qualifier::kAtLeast ||
         claim.interval.qualifier == Qualifier::kMoreThan;
}

bool IsUpperBound(const Claim& claim) {
  const Qualifier q = claim.interval.qualifier;
  return q == Qualifier::kUpTo || q == Qualifier::kAtMost || q == Qualifier::kLessThan;
}

bool IsPointFigure(const Claim& claim) {
  return claim.interval.qualifier == Qualifier::kExact ||
         claim.interval.qualifier == Qualifier::kApprox;
}

// A one-sided bound is a rival reading of a point figure only when it sits
// near it: "25万基以上" against "26万枚" is the same total stated loosely, but
// "more than 23,000" against "about 200,000" is a statement about something
// smaller (a site of the whole), and "up to $100B" against "$20B" a ceiling,
// not a reading. Near: within a factor of kBoundFactor.
constexpr double kBoundFactor = 2.0;

bool BoundNearPoint(const Item& bound, const Item& point) {
  const double b = std::fabs(bound.interval.point);
  const double p = std::fabs(point.interval.point);
  if (b == 0 || p == 0) return b == p;
  return std::max(b, p) <= kBoundFactor * std::min(b, p);
}

// Two plan figures with different deadlines from pages of different dates
// are a revision, unless they read as milestones of one growing plan: the
// figure due earlier is the smaller one ("2,500 by Q3 2026" and "30,000 by
// 2027" are steps, not a rewrite).
bool AreMilestones(const Item& a, const Item& b) {
  const Item& earlier = a.claim->time->range.end <= b.claim->time->range.end ? a : b;
  const Item& later = &earlier == &a ? b : a;
  return earlier.interval.high < later.interval.low ||
         (earlier.interval.has_point && later.interval.has_point &&
          earlier.interval.point < later.interval.point);
}

PairClass Classify(const Item& a, const Item& b) {
  if (!SameQuestion(a, b)) return PairClass::kNone;
  const Claim& ca = *a.claim;
  const Claim& cb = *b.claim;
  const TimeMatch time = CompareTimes(ca.time, cb.time);
  if (time == TimeMatch::kDifferent) return PairClass::kNone;

  const bool points_equal = PointsEqual(a, b);
  const bool published_differs =
      !ca.published.empty() && !cb.published.empty() && ca.published != cb.published;
  // Figures that may only agree: a page that gives several figures for the
  // question, or a phase against an unmarked figure (a part of the whole).
  // A deadline makes a figure a target; an undated figure that is not
  // said to be a plan may be today's count, so it may only agree with one.
  const auto undated_non_plan_against_target = [](const Item& x, const Item& y) {
    return !x.claim->time && x.stage != 1 && y.claim->time &&
           y.claim->time->relation == TimeRelation::kBy;
  };
  const bool may_only_agree = a.ambiguous || b.ambiguous || a.scope != b.scope ||
                              undated_non_plan_against_target(a, b) ||
                              undated_non_plan_against_target(b, a);
  if (time == TimeMatch::kDeadlineMoved) {
    // Same figure, new deadline: a revision. New figure and new deadline in
    // pages of different dates: also a revision, unless the figures are
    // milestones of one plan. Otherwise (same date or unknown dates) they
    // are most likely milestones of one plan.
    if (points_equal) return PairClass::kRevision;
    return published_differs && !may_only_agree && !AreMilestones(a, b) ? PairClass::kRevision
                                                                      : PairClass::kNone;
  }
  if (time == TimeMatch::kScheduleMoved) {
    // The same planned step ("the initial 1 GW") given a new period by a
    // later page. Periods of figures that are not plans (revenue in 2024,
    // revenue in 2025) are different questions.
    return points_equal && published_differs && a.stage == 1 && b.stage == 1
               ? PairClass::kRevision
               : PairClass::kNone;
  }
  // Different stages (a plan against what is delivered or running): the same
  // figure is a status change; different figures are about different times
  // (a target and today's count), not rivals.
  if (a.stage != 0 && b.stage != 0 && a.stage != b.stage) {
    return points_equal ? PairClass::kStatus : PairClass::kNone;
  }
  if (points_equal || may_only_agree) return PairClass::kNone;
  // Two lower bounds are both true of any figure above the larger one.
  if (IsLowerBound(ca) && IsLowerBound(cb)) return PairClass::kNone;
  // Same time: intervals that cannot both hold are a contradiction even when
  // one page is later (the corpus gold: 約1万基 vs 2,000基 by FY2027).
  // A snapshot against an undated figure from a page of another date: the
  // figure moved between them (a revision), whichever way it disagrees.
  const PairClass disagreement_moved =
      time == TimeMatch::kSnapshot && published_differs ? PairClass::kRevision : PairClass::kNone;
  if (!Overlaps(a.interval, b.interval)) {
    return disagreement_moved != PairClass::kNone ? disagreement_moved
                                                  : PairClass::kContradiction;
  }
  if (!a.interval.has_point || !b.interval.has_point) return PairClass::kNone;  // a range
  const bool a_bound = IsLowerBound(ca) || IsUpperBound(ca);
  const bool b_bound = IsLowerBound(cb) || IsUpperBound(cb);
  if (a_bound && IsPointFigure(cb) && !BoundNearPoint(a, b)) return PairClass::kNone;
  if (b_bound && IsPointFigure(ca) && !BoundNearPoint(b, a)) return PairClass::kNone;
  return disagreement_moved != PairClass::kNone ? disagreement_moved : PairClass::kDiscrepancy;
}

// Sets Item::ambiguous: the item's page gives another figure that answers
// what looks like the same question (same time, compatible stage) and is not
// the same figure.
void MarkAmbiguous(std::vector<Item>& items, const std::vector<int64_t>* page_keys) {
  const auto check = [&items](size_t i, size_t j) {
    Item& a = items[i];
    Item& b = items[j];
    if (!SamePage(*a.claim, *b.claim) || !QuestionsMatch(a, b) || PointsEqual(a, b) ||
        CompareTimes(a.claim->time, b.claim->time) != TimeMatch::kSame ||
        (a.stage != 0 && b.stage != 0 && a.stage != b.stage)) {
      return;
    }
    a.ambiguous = b.ambiguous = true;
  };
  if (page_keys == nullptr) {
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t j = i + 1; j < items.size(); ++j) check(i, j);
    }
    return;
  }
  // Only items of one page can be ambiguous together: compare within pages.
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [page_keys](size_t a, size_t b) {
    return std::make_pair((*page_keys)[a], a) < std::make_pair((*page_keys)[b], b);
  });
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && (*page_keys)[order[end]] == (*page_keys)[order[start]]) ++end;
    for (size_t i = start; i < end; ++i) {
      for (size_t j = i + 1; j < end; ++j) check(order[i], order[j]);
    }
    start = end;
  }
}

// Page identities for the grouped comparison: one key per page, such that
// two items have the same key exactly when SamePage says so. False when no
// such keys exist (a mix of claims with and without page ids, where
// SamePage compares ids for some pairs and URLs for others).
bool PageKeys(const std::vector<Item>& items, std::vector<int64_t>& keys) {
  keys.assign(items.size(), 0);
  const bool all_ids = std::all_of(items.begin(), items.end(),
                                   [](const Item& item) { return item.claim->page_id != 0; });
  if (all_ids) {
    for (size_t i = 0; i < items.size(); ++i) keys[i] = items[i].claim->page_id;
    return true;
  }
  const bool no_ids = std::all_of(items.begin(), items.end(),
                                  [](const Item& item) { return item.claim->page_id == 0; });
  if (!no_ids) return false;
  std::unordered_map<std::string_view, int64_t> by_url;
  int64_t next = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string& url = items[i].claim->url;
    if (url.empty()) {
      keys[i] = next++;  // no URL: never the same page as another claim
      continue;
    }
    auto [it, inserted] = by_url.emplace(url, next);
    if (inserted) ++next;
    keys[i] = it->second;
  }
  return true;
}

// Everything Classify reads of an item besides its page, as bytes: items
// with equal signatures on different pages compare alike with every item.
std::string Signature(const Item& item) {
  std::string key;
  const auto add_double = [&key](double value) {
    char bytes[sizeof(double)];
    std::memcpy(bytes, &value, sizeof(double));
    key.append(bytes, sizeof(double));
  };
  const auto add_text = [&key](const std::string& text) {
    const auto size = static_cast<uint32_t>(text.size());
    char bytes[sizeof(size)];
    std::memcpy(bytes, &size, sizeof(size));
    key.append(bytes, sizeof(size));
    key += text;
  };
  const Claim& claim = *item.claim;
  add_double(item.interval.low);
  add_double(item.interval.high);
  add_double(item.interval.point);
  key.push_back(static_cast<char>(item.interval.low_inclusive));
  key.push_back(static_cast<char>(item.interval.high_inclusive));
  key.push_back(static_cast<char>(item.interval.has_point));
  key.push_back(static_cast<char>(item.stage));
  key.push_back(static_cast<char>(item.ambiguous));
  key.push_back(static_cast<char>(claim.kind));
  key.push_back(static_cast<char>(claim.interval.qualifier));
  add_text(item.measure);
  add_text(item.scope);
  add_text(claim.product);
  add_text(claim.counterparty);
  add_text(claim.published);
  key.push_back(static_cast<char>(claim.time.has_value()));
  if (claim.time) {
    key.push_back(static_cast<char>(claim.time->relation));
    add_text(claim.time->range.start);
    add_text(claim.time->range.end);
  }
  return key;
}

// Union-find over item indexes, one per (group, class).
class Components {
 public:
  explicit Components(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

std::string FormatNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  if (std::fabs(value) < 1e15 && value == std::floor(value)) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  }
  return buffer;
}

// "26万枚 (exact)" or the number when the text is missing.
std::string Figure(const Claim& claim) {
  std::string figure = claim.text;
  if (figure.empty()) {
    figure = claim.interval.value ? FormatNumber(*claim.interval.value)
             : claim.interval.low ? FormatNumber(*claim.interval.low)
             : claim.interval.high ? FormatNumber(*claim.interval.high)
                                   : "?";
  }
  return figure;
}

std::string TimeText(const std::optional<ClaimTime>& time) {
  if (!time) return "";
  std::string text(TimeRelationName(time->relation));
  text += " ";
  text += time->range.start == time->range.end ? time->range.start
                                               : time->range.start + ".." + time->range.end;
  if (time->relation == TimeRelation::kBy) text = "by " + time->range.end;
  return text;
}

std::string Source(const Claim& claim) {
  std::string source = claim.title.empty() ? claim.url : claim.title;
  if (!claim.published.empty()) source += ", " + claim.published;
  return source;
}

// How narrow the interval is: 0 exact, 1 approx, 2 a range, 3 a one-sided
// bound, 4 nothing. Lower is more specific.
int Specificity(const Claim& claim) {
  switch (claim.interval.qualifier) {
    case Qualifier::kExact: return 0;
    case Qualifier::kApprox: return 1;
    case Qualifier::kRange: return 2;
    default: return 3;
  }
}

std::string JoinKey(const std::vector<std::string>& parts) {
  std::string key;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!key.empty()) key += " / ";
    key += part;
  }
  return key;
}

// The field all members share, or "" when they differ or none has one.
template <typename Getter>
std::string Shared(const std::vector<const Item*>& members, Getter get) {
  std::string shared;
  for (const Item* item : members) {
    std::string value = get(*item);
    if (value.empty()) continue;
    if (shared.empty()) {
      shared = value;
    } else if (shared != value) {
      return "";
    }
  }
  return shared;
}

std::string KeyOf(const std::string& subject, const std::vector<const Item*>& members,
                  bool with_time) {
  const Claim& first = *members.front()->claim;
  std::vector<std::string> parts = {subject, std::string(ClaimKindName(first.kind))};
  parts.push_back(Shared(members, [](const Item& i) { return i.measure; }));
  parts.push_back(Shared(members, [](const Item& i) { return i.claim->product; }));
  if (first.kind != ClaimKind::kGpuCount && first.kind != ClaimKind::kPercentage) {
    parts.push_back(UnitKey(first));
  }
  if (with_time) {
    parts.push_back(Shared(members, [](const Item& i) { return TimeText(i.claim->time); }));
  }
  return JoinKey(parts);
}

// For each member, the number of independent pages giving the same point
// figure with the same qualifier: a near-duplicate page counts with the page
// it copies. Members are bucketed by their exact figure, so a conflict of
// thousands of members (one story copied by thousands of pages) costs
// O(m log m); figures that are Near but not equal still share their support.
std::vector<int> SupportOfEach(const std::vector<const Item*>& members) {
  struct Bucket {
    Qualifier qualifier;
    double point;
    std::set<std::string_view> sources;
  };
  std::vector<Bucket> buckets;
  std::map<std::pair<Qualifier, uint64_t>, size_t> index;
  std::vector<size_t> bucket_of(members.size(), SIZE_MAX);
  for (size_t m = 0; m < members.size(); ++m) {
    const Item& item = *members[m];
    if (!item.interval.has_point) continue;
    uint64_t bits = 0;
    std::memcpy(&bits, &item.interval.point, sizeof(bits));
    const auto key = std::make_pair(item.claim->interval.qualifier, bits);
    auto [it, inserted] = index.emplace(key, buckets.size());
    if (inserted) buckets.push_back({key.first, item.interval.point, {}});
    buckets[it->second].sources.insert(item.source_key);
    bucket_of[m] = it->second;
  }
  // Buckets that are Near one another: sorted by (qualifier, point), a
  // bucket's Near peers sit in a window around it, since |a - b| grows
  // faster than the tolerance 1e-9 * (|a| + |b| + 1) that bounds Near.
  // A NaN figure is Near nothing, not even itself: its support stays 0.
  std::vector<size_t> order;
  for (size_t b = 0; b < buckets.size(); ++b) {
    if (!std::isnan(buckets[b].point)) order.push_back(b);
  }
  std::sort(order.begin(), order.end(), [&buckets](size_t a, size_t b) {
    return std::make_pair(buckets[a].qualifier, buckets[a].point) <
           std::make_pair(buckets[b].qualifier, buckets[b].point);
  });
  const auto in_window = [&buckets](size_t a, size_t b) {
    const Bucket& x = buckets[a];
    const Bucket& y = buckets[b];
    return x.qualifier == y.qualifier &&
           std::fabs(x.point - y.point) <= 1e-9 * (std::fabs(x.point) + std::fabs(y.point) + 1);
  };
  std::vector<int> support_of_bucket(buckets.size(), 0);
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t b = order[k];
    std::vector<size_t> near;
    if (Near(buckets[b].point, buckets[b].point)) near.push_back(b);
    for (size_t j = k + 1; j < order.size() && in_window(b, order[j]); ++j) {
      if (Near(buckets[order[j]].point, buckets[b].point)) near.push_back(order[j]);
    }
    for (size_t j = k; j-- > 0 && in_window(b, order[j]);) {
      if (Near(buckets[order[j]].point, buckets[b].point)) near.push_back(order[j]);
    }
    if (near.size() == 1 && near[0] == b) {
      support_of_bucket[b] = static_cast<int>(buckets[b].sources.size());
      continue;
    }
    std::set<std::string_view> sources;
    for (size_t n : near) sources.insert(buckets[n].sources.begin(), buckets[n].sources.end());
    support_of_bucket[b] = static_cast<int>(sources.size());
  }
  std::vector<int> support(members.size(), 0);
  for (size_t m = 0; m < members.size(); ++m) {
    if (bucket_of[m] != SIZE_MAX) support[m] = support_of_bucket[bucket_of[m]];
  }
  return support;
}

// Lists the figures of a conflict: "26万枚 (South Korea gets..., 2025-10-31);
// 25万基以上 (...)", one entry per member.
std::string ListFigures(const std::vector<const Item*>& members, bool with_time) {
  std::string list;
  for (const Item* item : members) {
    if (!list.empty()) list += "; ";
    list += Figure(*item->claim);
    if (with_time && item->claim->time) list += " " + TimeText(item->claim->time);
    list += " (" + Source(*item->claim);
    if (item->page != nullptr && item->page->copy_of != 0) {
      list += "; derived: copies " + item->page->copy_of_url;
    }
    list += ")";
  }
  return list;
}

bool ByPublishedThenId(const Item* a, const Item* b) {
  return std::tie(a->claim->published, a->claim->id) < std::tie(b->claim->published, b->claim->id);
}

// How loose a range is relative to its size (0 for a point figure, whose
// rounding says nothing about the source; infinite for a one-sided bound).
// Lower is tighter.
double RelativeWidth(const Item& item) {
  if (IsPointFigure(*item.claim)) return 0;
  const double width = item.interval.high - item.interval.low;
  if (!std::isfinite(width)) return kInfinity;
  const double size = std::fabs(item.interval.high + item.interval.low) / 2;
  return size > 0 ? width / size : kInfinity;
}

// Picks the preferred member of a contradiction or discrepancy and says why.
// The criteria, in order: a primary source, the tighter figure (qualifier,
// then for ranges the relative width), more independent pages, the most
// recent page. The reason given is the first criterion on which the winner
// beats the best member stating another figure.
void PreferForDisagreement(const std::vector<const Item*>& members, Conflict& conflict) {
  struct Ranked {
    const Item* item;
    int primary;
    int specificity;  // negated: higher is tighter
    double width;     // negated: higher is tighter
    int support;
    std::string published;
  };
  std::vector<Ranked> ranked;
  const std::vector<int> support = SupportOfEach(members);
  for (size_t m = 0; m < members.size(); ++m) {
    const Item* item = members[m];
    ranked.push_back({item, item->primary_reason.empty() ? 0 : 1, -Specificity(*item->claim),
                      -RelativeWidth(*item), support[m], item->claim->published});
  }
  const auto key = [](const Ranked& r) {
    return std::make_tuple(r.primary, r.specificity, r.width, r.support, r.published);
  };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&key](const Ranked& a, const Ranked& b) { return key(a) > key(b); });
  // The runner-up is the best member that states another figure.
  const Ranked& best = ranked[0];
  const Ranked* other = &ranked[1];
  for (const Ranked& r : ranked) {
    if (!PointsEqual(*r.item, *best.item) ||
        r.item->claim->interval.qualifier != best.item->claim->interval.qualifier) {
      other = &r;
      break;
    }
  }
  const Ranked& runner_up = *other;
  std::string reason;
  if (best.primary != runner_up.primary) {
    reason = "a primary source (" + best.item->primary_reason +
             ") is preferred over secondary reports";
  } else if (best.specificity != runner_up.specificity) {
    reason = "the most specific figure (an exact or approximate figure is preferred over a "
             "bound or range)";
  } else if (best.width != runner_up.width) {
    reason = "the tighter range";
  } else if (best.support != runner_up.support) {
    reason = "stated by the most independent pages (" + std::to_string(best.support) +
             "; copies of one story count once)";
  } else if (best.published != runner_up.published) {
    reason = "the most recent statement";
  } else {
    reason = "no rule separates the figures, so this is the first by page date and id; "
             "check the sources";
  }
  conflict.preferred_claim_id = best.item->claim->id;
  conflict.explanation += " Preferred: " + Figure(*best.item->claim) + " from " +
                          Source(*best.item->claim) + ", " + reason + ".";
}

// A conflict being built, with its members (copied into Conflict::claims
// only at the end, and only when the caller wants them).
struct Found {
  Conflict conflict;
  std::vector<const Item*> members;  // in the order of conflict.claim_ids
};

// Members in the order a conflict lists them. Sorted once, from the order
// in which they were found, so that ties sort the same on every run.
void SortMembers(std::vector<const Item*>& members) {
  std::sort(members.begin(), members.end(), ByPublishedThenId);
}

// Fills the severity, explanation and preferred claim of `conflict`, of
// `pair_class`, over its sorted `members`.
void Explain(PairClass pair_class, const std::vector<const Item*>& members, Conflict& conflict) {
  switch (pair_class) {
    case PairClass::kContradiction:
      conflict.severity = "high";
      conflict.explanation = "These figures cannot both be true for " + conflict.key + ": " +
                             ListFigures(members, false) + ".";
      PreferForDisagreement(members, conflict);
      break;
    case PairClass::kDiscrepancy:
      conflict.severity = "medium";
      conflict.explanation = "The bounds overlap but the figures differ for " + conflict.key +
                             ": " + ListFigures(members, false) + ".";
      PreferForDisagreement(members, conflict);
      break;
    case PairClass::kRevision: {
      bool value_changed = false;
      for (const Item* item : members) {
        if (!item->interval.has_point || !members.front()->interval.has_point ||
            !Near(item->interval.point, members.front()->interval.point)) {
          value_changed = true;
        }
      }
      conflict.severity = value_changed ? "medium" : "low";
      std::string timeline;
      for (const Item* item : members) {
        if (!timeline.empty()) timeline += " → ";
        timeline += Figure(*item->claim);
        if (item->claim->time) timeline += " " + TimeText(item->claim->time);
        timeline += " (" + (item->claim->published.empty() ? std::string("undated")
                                                            : item->claim->published) + ")";
      }
      conflict.explanation = std::string("Restated over time, ") +
                             (value_changed ? "with a new figure" : "with a new deadline") +
                             ": " + timeline + ".";
      const Item* latest = members.back();
      const bool latest_unique =
          !latest->claim->published.empty() &&
          latest->claim->published != members[members.size() - 2]->claim->published;
      if (latest_unique) {
        conflict.preferred_claim_id = latest->claim->id;
        conflict.explanation += " Preferred: the newer statement, " + Figure(*latest->claim) +
                                " from " + Source(*latest->claim) + ".";
      } else {
        conflict.explanation += " No preference: the pages' dates do not order the statements.";
      }
      break;
    }
    case PairClass::kAttribution: {
      conflict.severity = "low";
      std::string list;
      for (const Item* item : members) {
        if (!list.empty()) list += "; ";
        list += item->claim->subject + " (" + Figure(*item->claim) + ", " +
                Source(*item->claim) + ")";
      }
      conflict.explanation = "The same figure is attributed to different actors: " + list +
                             ". No preference: check the primary source for who committed it.";
      break;
    }
    case PairClass::kStatus: {
      conflict.severity = "low";
      std::string list;
      for (const Item* item : members) {
        if (!list.empty()) list += "; ";
        list += std::string(ClaimStatusName(item->claim->status)) + " (" + Source(*item->claim) + ")";
      }
      const Item* latest = members.back();
      conflict.preferred_claim_id = latest->claim->id;
      conflict.explanation = "The same figure " + Figure(*members.front()->claim) +
                             " is reported at different stages: " + list +
                             ". Preferred: the most recent report, " + Source(*latest->claim) + ".";
      break;
    }
    case PairClass::kNone:
      break;
  }
}

// The conflict of `pair_class` over `members` (sorted by SortMembers): its
// class, subject, kind, key, member ids and id; with `explain`, also its
// severity, explanation and preferred claim (the costly part, done only for
// the conflict about to be stored).
Found MakeConflict(PairClass pair_class, const std::string& subject,
                   std::vector<const Item*> members, bool explain) {
  Found found;
  Conflict& conflict = found.conflict;
  conflict.conflict_class = std::string(PairClassName(pair_class));
  conflict.subject = subject;
  conflict.kind = members.front()->claim->kind;
  const bool revision = pair_class == PairClass::kRevision;
  conflict.key = KeyOf(subject, members, /*with_time=*/!revision);
  conflict.claim_ids.reserve(members.size());
  for (const Item* item : members) conflict.claim_ids.push_back(item->claim->id);
  found.members = std::move(members);
  conflict.id = ConflictId(conflict.conflict_class, conflict.key, conflict.claim_ids);
  if (!explain) return found;
  Explain(pair_class, found.members, conflict);
  return found;
}

std::string GroupKey(const Claim& claim) {
  return claim.subject + '\x1f' + std::string(ClaimKindName(claim.kind)) + '\x1f' + UnitKey(claim);
}

// The ancestors of `subject` through part-of links, nearest first; stops at
// a cycle.
std::vector<std::string> Ancestors(const std::string& subject, const PartOfLinks& part_of) {
  std::vector<std::string> chain;
  std::set<std::string> seen = {subject};
  std::string current = subject;
  while (true) {
    auto it = part_of.parent.find(current);
    if (it == part_of.parent.end() || !seen.insert(it->second).second) break;
    chain.push_back(it->second);
    current = it->second;
  }
  return chain;
}

// A part's figure that must exceed its whole's: the part's lowest possible
// value is above the whole's highest possible value.
bool PartExceedsWhole(const Item& part, const Item& whole) {
  if (part.interval.low > whole.interval.high) return true;
  return part.interval.low == whole.interval.high &&
         !(part.interval.low_inclusive && whole.interval.high_inclusive);
}

}  // namespace

double RoundingTolerance(std::string_view text, double value) {
  if (value == 0 || !std::isfinite(value)) return 0;
  // The first written figure: digits with their separators and multipliers.
  std::string digits;
  size_t i = 0;
  bool started = false;
  while (i < text.size()) {
    std::optional<int> digit = DigitAt(text, i);
    if (digit) {
      digits.push_back(static_cast<char>('0' + *digit));
      started = true;
      continue;
    }
    if (started) {
      size_t j = i;
      if (SkipInnerNumberChar(text, j) && j < text.size()) {
        size_t k = j;
        if (DigitAt(text, k)) {
          i = j;
          continue;
        }
      }
      break;
    }
    ++i;
  }
  int significant = 0;
  if (digits.empty()) {
    significant = SignificantDigitsOfValue(value);
  } else {
    const size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return 0;
    digits.erase(0, first);
    // A run of three or more trailing zeros ("260,000", "2,000") is read as
    // rounding; shorter runs ("20%", "30万") are significant.
    const size_t last = digits.find_last_not_of('0');
    if (digits.size() - 1 - last >= 3) digits.erase(last + 1);
    significant = static_cast<int>(digits.size());
  }
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  return std::pow(10.0, magnitude - significant + 1) / 2;
}

std::optional<FigureInterval> ClaimInterval(const Claim& claim) {
  const Interval& in = claim.interval;
  FigureInterval out;
  out.low = -kInfinity;
  out.high = kInfinity;
  switch (in.qualifier) {
    case Qualifier::kExact:
    case Qualifier::kApprox: {
      if (!in.value) break;
      const double value = *in.value;
      double tolerance = RoundingTolerance(claim.text, value);
      // 約 / about: +-5% whatever the digits (約1万 is not +-5000).
      if (in.qualifier == Qualifier::kApprox) tolerance = kApproxFraction * std::fabs(value);
      out.low = value - tolerance;
      out.high = value + tolerance;
      out.has_point = true;
      out.point = value;
      return out;
    }
    case Qualifier::kAtLeast:
    case Qualifier::kMoreThan: {
      const std::optional<double> bound = in.low ? in.low : in.value;
      if (!bound) break;
      out.low = *bound;
      out.low_inclusive = in.qualifier == Qualifier::kAtLeast;
      out.has_point = true;
      out.point = *bound;
      return out;
    }
    case Qualifier::kAtMost:
    case Qualifier::kLessThan:
    case Qualifier::kUpTo: {
      const std::optional<double> bound = in.high ? in.high : in.value;
      if (!bound) break;
      out.high = *bound;
      out.high_inclusive = in.qualifier != Qualifier::kLessThan;
      out.has_point = true;
      out.point = *bound;
      return out;
    }
    case Qualifier::kRange:
      break;
  }
  // A range, or a qualifier whose usual field is missing: the bounds as given.
  if (!in.low && !in.high && !in.value) return std::nullopt;
  if (in.low || in.high) {
    if (in.low) out.low = *in.low;
    if (in.high) out.high = *in.high;
    out.low_inclusive = in.low_inclusive;
    out.high_inclusive = in.high_inclusive;
  } else {
    out.low = out.high = *in.value;
  }
  if (in.value) {
    out.has_point = true;
    out.point = *in.value;
  }
  return out;
}

std::string MeasureOf(const Claim& claim) {
  static constexpr std::pair<std::string_view, std::string_view> kMeasures[] = {
      {"supply", "supply"},           {"deploy", "deployment"},
      {"target", "target"},           {"installed", "installed_base"},
      {"production", "production"},   {"produce", "production"},
      {"investment", "investment"},   {"invest", "investment"},
      {"revenue", "revenue"},         {"sales", "revenue"},
  };
  // Tokens of the rule id, split on '.', '_' and '-'.
  std::vector<std::string_view> tokens;
  std::string_view rule = claim.rule;
  size_t start = 0;
  for (size_t i = 0; i <= rule.size(); ++i) {
    if (i == rule.size() || rule[i] == '.' || rule[i] == '_' || rule[i] == '-') {
      if (i > start) tokens.push_back(rule.substr(start, i - start));
      start = i + 1;
    }
  }
  for (std::string_view token : tokens) {
    for (const auto& [word, measure] : kMeasures) {
      if (token == word) return std::string(measure);
    }
  }
  // "installed_base" splits into "installed" and "base"; "deployment" too.
  for (std::string_view token : tokens) {
    if (token == "deployment" || token == "deployed") return "deployment";
  }
  return "";
}

std::string ConflictId(std::string_view conflict_class, std::string_view key,
                       std::vector<std::string> claim_ids) {
  std::sort(claim_ids.begin(), claim_ids.end());
  std::string material(conflict_class);
  material += '\x1f';
  material += key;
  for (const std::string& id : claim_ids) {
    material += '\x1f';
    material += id;
  }
  return HexHash64(material);
}

namespace {

// What the page itself says about being a primary source: its host labels,
// and whether it is a press release (site name, title, path or host).
struct PageSignals {
  std::string host;
  std::vector<std::string> labels;
  std::string release_reason;  // "" when nothing marks a release
};

PageSignals SignalsOf(const Claim& claim, const PageInfo& page) {
  PageSignals signals;
  std::string_view url = claim.url;
  const size_t scheme = url.find("://");
  const std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const size_t slash = rest.find('/');
  signals.host = AsciiLower(rest.substr(0, slash));
  const std::string path = slash == std::string_view::npos ? "" : AsciiLower(rest.substr(slash));
  for (size_t start = 0; start <= signals.host.size();) {
    size_t dot = signals.host.find_first_of(".:", start);
    if (dot == std::string::npos) dot = signals.host.size();
    signals.labels.push_back(signals.host.substr(start, dot - start));
    start = dot + 1;
  }
  static constexpr std::string_view kReleaseSites[] = {
      "pr wire",        "prwire",       "newswire", "business wire", "businesswire",
      "globenewswire",  "pr newswire",  "pr times", "prtimes",       "press release",
      "プレスリリース", "ニュースリリース", "報道発表", "newsroom",
  };
  const std::string site = AsciiLower(page.site_name);
  const std::string title = AsciiLower(claim.title);
  for (std::string_view word : kReleaseSites) {
    if (site.find(word) != std::string::npos || title.find(word) != std::string::npos) {
      signals.release_reason =
          "a press release published through " +
          (page.site_name.empty() ? std::string("a release wire") : page.site_name);
      return signals;
    }
  }
  static constexpr std::string_view kReleasePaths[] = {
      "/press-release", "/pressrelease", "/press_release", "/newsroom/", "/news-release",
      "/newsrelease",   "/release/",     "/releases/",
  };
  for (std::string_view word : kReleasePaths) {
    if (path.find(word) != std::string::npos) {
      signals.release_reason = "a press release (" + std::string(word) + ")";
      return signals;
    }
  }
  static constexpr std::string_view kReleaseHosts[] = {
      "prtimes.jp", "businesswire.com", "prnewswire.com", "globenewswire.com", "newswire.com",
  };
  for (std::string_view word : kReleaseHosts) {
    const std::string& host = signals.host;
    if (host.size() >= word.size() &&
        host.compare(host.size() - word.size(), word.size(), word) == 0) {
      signals.release_reason = "a press release published through " + host;
      return signals;
    }
  }
  return signals;
}

std::string PrimaryReasonFromSignals(const Claim& claim, const PageSignals& signals) {
  for (const std::string* name : {&claim.subject, &claim.counterparty}) {
    // The name's first word of ASCII letters and digits: "NVIDIA",
    // "Samsung" of "Samsung Electronics", "softbank" of "SoftBank Group".
    std::string word;
    for (char c : *name) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      } else if (!word.empty()) {
        break;
      }
    }
    if (word.size() < 3) continue;
    for (const std::string& label : signals.labels) {
      if (label == word || label == word + "news" || label == "news" + word) {
        return "the page is on " + *name + "'s own site, " + signals.host;
      }
    }
  }
  return signals.release_reason;
}

}  // namespace

std::string PrimarySourceReason(const Claim& claim, const PageInfo& page) {
  return PrimaryReasonFromSignals(claim, SignalsOf(claim, page));
}

namespace {

std::string FormatAmount(double amount, std::string_view currency) {
  static constexpr std::pair<double, std::string_view> kScales[] = {
      {1e12, " trillion"}, {1e9, " billion"}, {1e6, " million"}};
  char buffer[64];
  for (const auto& [scale, word] : kScales) {
    if (std::fabs(amount) >= scale) {
      std::snprintf(buffer, sizeof(buffer), "%.3g", amount / scale);
      return std::string(currency) + " " + buffer + std::string(word);
    }
  }
  std::snprintf(buffer, sizeof(buffer), "%.4g", amount);
  return std::string(currency) + " " + buffer;
}

// The same question's figures in other currencies, for a money conflict's
// explanation: never compared, converted with the FX table only so that a
// reviewer can read them side by side. Figures from the members' own pages
// are skipped: a page's "30億ドル（約4,500億円）" is one amount.
using Groups = std::map<std::string, std::vector<Item>>;

std::string OtherCurrencyNote(const Found& found, const Groups& groups, const FxTable* fx) {
  constexpr size_t kMaxNotes = 3;
  const Conflict& conflict = found.conflict;
  const std::string& currency = found.members.front()->claim->unit;
  const std::string prefix = conflict.subject + '\x1f' + "money" + '\x1f';
  std::vector<std::string> notes;
  for (auto it = groups.lower_bound(prefix);
       it != groups.end() && it->first.compare(0, prefix.size(), prefix) == 0 &&
       notes.size() < kMaxNotes;
       ++it) {
    for (const Item& other : it->second) {
      if (notes.size() >= kMaxNotes) break;
      const Claim& claim = *other.claim;
      if (claim.unit == currency || !other.interval.has_point) continue;
      bool matches = false;
      bool own_page = false;
      for (const Item* member : found.members) {
        own_page = own_page || SamePage(*member->claim, claim);
        if (own_page) break;
        matches = matches ||
                  (QuestionsMatch(*member, other) &&
                   CompareTimes(member->claim->time, claim.time) != TimeMatch::kDifferent);
      }
      if (!matches || own_page) continue;
      std::string note = Figure(claim) + " (" + Source(claim) + ")";
      const std::optional<FxConversion> converted =
          fx == nullptr ? std::nullopt
                        : fx->Convert(other.interval.point, claim.unit, currency, claim.published);
      if (converted) {
        note += " ≈ " + FormatAmount(converted->amount, currency) + " at the rate of " +
                converted->rate_date;
      } else {
        note += ", no " + claim.unit + "/" + currency + " rate in the FX table";
      }
      notes.push_back(std::move(note));
    }
  }
  if (notes.empty()) return "";
  std::string text = " In other currencies (not compared; converted only to help reading): ";
  for (size_t i = 0; i < notes.size(); ++i) text += (i == 0 ? "" : "; ") + notes[i];
  return text + ".";
}

// Makes the items of claims, reading each page's primary-source signals
// once.
class ItemMaker {
 public:
  explicit ItemMaker(const ReconcileContext& context) : context_(context) {}

  // Reads the page signals of each page from its first comparable claim in
  // `claims`, as the claims come. (A page's claims carry its URL and title,
  // so any of them gives the same signals when they are consistent.)
  void ReadSignals(const std::vector<Claim>& claims) {
    for (const Claim& claim : claims) {
      if (claim.kind == ClaimKind::kDate || claim.subject.empty() || !ClaimInterval(claim)) {
        continue;
      }
      SignalsFor(claim);
    }
  }

  // Adds `claim` to `groups` unless it cannot be compared (a date, no
  // subject, no figure). `measure` and `scope` are MeasureOf and ScopeOf.
  void Add(const Claim& claim, std::string measure, std::string scope, Groups& groups) {
    if (claim.kind == ClaimKind::kDate || claim.subject.empty()) return;
    std::optional<FigureInterval> interval = ClaimInterval(claim);
    if (!interval) return;
    Item item;
    item.claim = &claim;
    item.interval = *interval;
    item.measure = std::move(measure);
    item.scope = std::move(scope);
    item.stage = StatusStage(claim.status);
    item.page = PageOf(claim);
    item.primary_reason = PrimaryReasonFromSignals(claim, SignalsFor(claim));
    if (item.page != nullptr && item.page->copy_of != 0) {
      item.source_key = "page:" + std::to_string(item.page->copy_of);
    } else if (claim.page_id != 0) {
      item.source_key = "page:" + std::to_string(claim.page_id);
    } else {
      item.source_key = "url:" + claim.url;
    }
    groups[GroupKey(claim)].push_back(std::move(item));
  }

 private:
  const PageInfo* PageOf(const Claim& claim) const {
    auto page = context_.pages.find(claim.page_id);
    return page == context_.pages.end() ? nullptr : &page->second;
  }

  const PageSignals& SignalsFor(const Claim& claim) {
    static const PageInfo kNoPageInfo;
    const std::string page_key =
        claim.page_id != 0 ? std::to_string(claim.page_id) : "url:" + claim.url;
    auto signals = page_signals_.find(page_key);
    if (signals == page_signals_.end()) {
      const PageInfo* page = PageOf(claim);
      signals = page_signals_.emplace(page_key, SignalsOf(claim, page ? *page : kNoPageInfo)).first;
    }
    return signals->second;
  }

  const ReconcileContext& context_;
  std::unordered_map<std::string, PageSignals> page_signals_;
};

// Sorts each group so that the result does not depend on input order.
void SortGroups(Groups& groups) {
  for (auto& [key, items] : groups) {
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.claim->id, a.claim->page_id, a.claim->url) <
             std::tie(b.claim->id, b.claim->page_id, b.claim->url);
    });
  }
}

// Union-find per pair class over one group's items, and which items have a
// pair of that class: the connected components are the conflicts.
class PairGraph {
 public:
  explicit PairGraph(size_t items) : items_(items) {}

  void Link(PairClass pair_class, size_t a, size_t b) {
    std::optional<Graph>& graph = graphs_[static_cast<size_t>(pair_class)];
    if (!graph) graph.emplace(items_);
    graph->components.Join(a, b);
    graph->touched[a] = graph->touched[b] = true;
  }

  // Calls `on_component` with each component's members (at least two, in
  // item order), class by class in PairClass order.
  template <typename OnComponent>
  void ForEachComponent(const std::vector<Item>& items, OnComponent on_component) {
    for (size_t c = 0; c < graphs_.size(); ++c) {
      std::optional<Graph>& graph = graphs_[c];
      if (!graph) continue;
      std::map<size_t, std::vector<const Item*>> components;
      for (size_t i = 0; i < items.size(); ++i) {
        if (graph->touched[i]) components[graph->components.Find(i)].push_back(&items[i]);
      }
      for (auto& [root, members] : components) {
        if (members.size() >= 2) on_component(static_cast<PairClass>(c), std::move(members));
      }
    }
  }

 private:
  struct Graph {
    explicit Graph(size_t n) : components(n), touched(n, false) {}
    Components components;
    std::vector<bool> touched;
  };
  size_t items_;
  std::array<std::optional<Graph>, 6> graphs_;  // by PairClass
};

// Every pair of items, classified one by one: the reference, quadratic in
// the group's size.
void LinkEveryPair(const std::vector<Item>& items, PairGraph& graph) {
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = i + 1; j < items.size(); ++j) {
      const PairClass pair_class = Classify(items[i], items[j]);
      if (pair_class != PairClass::kNone) graph.Link(pair_class, i, j);
    }
  }
}

// The same components (and the same items in them) as LinkEveryPair, in
// O(n * k + k^2) for n items of k distinct signatures instead of O(n^2): a
// story copied by thousands of pages makes thousands of items but a handful
// of signatures. Items of one signature on different pages compare alike,
// so Classify runs once per pair of signatures (S, T), and its verdict
// holds for every item of S against every item of T on another page: a
// complete bipartite graph minus same-page pairs. Up to three "anchors" of
// each signature, on distinct pages, stand for it: each item of S is linked
// to T's anchors on other pages and each item of T to S's. Every link is a
// real pair, every item with a real pair gets a link, and the components
// come out the same: with three or more pages on one side all linked items
// are one component (as in the full graph), with one page on a side the
// other side's anchors are all linked to it, and with two pages on each
// side the anchors cover every page, so the two-component case (S on pages
// p and q, T on q and p) is kept apart exactly as in the full graph.
void LinkGroupedPairs(const std::vector<Item>& items, const std::vector<int64_t>& page,
                      PairGraph& graph) {
  std::unordered_map<std::string, size_t> class_of;
  std::vector<std::vector<size_t>> classes;
  for (size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = class_of.emplace(Signature(items[i]), classes.size());
    if (inserted) classes.emplace_back();
    classes[it->second].push_back(i);
  }
  std::vector<std::vector<size_t>> anchors(classes.size());
  for (size_t c = 0; c < classes.size(); ++c) {
    for (size_t i : classes[c]) {
      if (anchors[c].size() == 3) break;
      const bool new_page = std::none_of(anchors[c].begin(), anchors[c].end(),
                                         [&](size_t a) { return page[a] == page[i]; });
      if (new_page) anchors[c].push_back(i);
    }
  }
  for (size_t s = 0; s < classes.size(); ++s) {
    for (size_t t = s; t < classes.size(); ++t) {
      // Two representatives on different pages, if the classes have any.
      size_t x = SIZE_MAX;
      size_t y = SIZE_MAX;
      for (size_t a : anchors[s]) {
        for (size_t b : anchors[t]) {
          if (a != b && page[a] != page[b] && x == SIZE_MAX) {
            x = std::min(a, b);
            y = std::max(a, b);
          }
        }
      }
      if (x == SIZE_MAX) continue;
      const PairClass pair_class = Classify(items[x], items[y]);
      if (pair_class == PairClass::kNone) continue;
      for (size_t i : classes[s]) {
        for (size_t b : anchors[t]) {
          if (page[b] != page[i]) graph.Link(pair_class, i, b);
        }
      }
      if (s == t) continue;
      for (size_t j : classes[t]) {
        for (size_t a : anchors[s]) {
          if (page[a] != page[j]) graph.Link(pair_class, j, a);
        }
      }
    }
  }
}

// Where one conflict of a subject comes from, so that it can be made again,
// with its explanation, when its turn to be emitted comes: a subject's
// conflicts are first listed by class and id only, which keeps memory to
// one explanation at a time even when thousands of conflicts have
// thousands of members each.
struct Recipe {
  std::string conflict_class;
  std::string id;
  PairClass pair_class = PairClass::kNone;
  std::vector<const Item*> members;  // a component's sorted members
  // A part-of conflict: the part's group and the whole's item.
  const std::vector<Item>* parts = nullptr;
  const Item* whole = nullptr;
};

// The scope and attribution conflicts of one of `ancestor`'s items against
// a group of one of its parts (same kind and unit), in that order.
void PartOfConflicts(const std::string& ancestor, const std::vector<Item>& parts,
                     const Item& whole, bool explain, std::vector<Found>& out) {
  const Claim& sample = *parts.front().claim;
  std::vector<const Item*> exceeding;
  std::vector<const Item*> same_figure;
  for (const Item& part : parts) {
    if (!SameQuestion(part, whole) ||
        CompareTimes(part.claim->time, whole.claim->time) != TimeMatch::kSame) {
      continue;
    }
    if (PartExceedsWhole(part, whole)) {
      exceeding.push_back(&part);
    } else if (PointsEqual(part, whole) && Overlaps(part.interval, whole.interval)) {
      same_figure.push_back(&part);
    }
  }
  if (!same_figure.empty()) {
    same_figure.push_back(&whole);
    SortMembers(same_figure);
    Found found = MakeConflict(PairClass::kAttribution, ancestor, std::move(same_figure), explain);
    Conflict& conflict = found.conflict;
    conflict.key = JoinKey({ancestor, std::string(ClaimKindName(sample.kind)), UnitKey(sample),
                            "attributed to " + sample.subject});
    conflict.id = ConflictId(conflict.conflict_class, conflict.key, conflict.claim_ids);
    out.push_back(std::move(found));
  }
  if (exceeding.empty()) return;
  const Item* largest_part = *std::max_element(
      exceeding.begin(), exceeding.end(),
      [](const Item* a, const Item* b) { return a->interval.low < b->interval.low; });
  exceeding.push_back(&whole);
  std::sort(exceeding.begin(), exceeding.end(), ByPublishedThenId);
  Found found;
  Conflict& conflict = found.conflict;
  conflict.conflict_class = "scope";
  conflict.severity = "medium";
  conflict.subject = ancestor;
  conflict.kind = sample.kind;
  conflict.key = JoinKey({ancestor, std::string(ClaimKindName(sample.kind)), whole.measure,
                          "parts: " + sample.subject});
  for (const Item* member : exceeding) {
    found.members.push_back(member);
    conflict.claim_ids.push_back(member->claim->id);
  }
  if (explain) {
    conflict.explanation = sample.subject + " is part of " + ancestor + ", yet its figure " +
                           Figure(*largest_part->claim) + " exceeds the whole's " +
                           Figure(*whole.claim) + " (" + Source(*whole.claim) +
                           "). One of them is about a different scope or is wrong. "
                           "No preference.";
  }
  conflict.id = ConflictId(conflict.conflict_class, conflict.key, conflict.claim_ids);
  out.push_back(std::move(found));
}

// The conflicts whose subject is `subject`, sorted by class then id, given
// to `emit` one at a time: those within `own`'s groups (the subject's items,
// sorted, with Item::ambiguous not yet set) and, with part-of links, those
// of `parts`' groups (items of subjects below `subject`, sorted) against
// `own`'s.
Status ConflictsOfSubject(const std::string& subject, Groups& own, const Groups& parts,
                          const ReconcileContext& context,
                          const std::function<Status(Found&)>& emit) {
  std::vector<Recipe> recipes;
  std::vector<int64_t> page_keys;
  for (auto& [key, items] : own) {
    const bool grouped = !context.exhaustive_pairs && PageKeys(items, page_keys);
    MarkAmbiguous(items, grouped ? &page_keys : nullptr);
    PairGraph graph(items.size());
    if (grouped) {
      LinkGroupedPairs(items, page_keys, graph);
    } else {
      LinkEveryPair(items, graph);
    }
    graph.ForEachComponent(items, [&](PairClass pair_class, std::vector<const Item*> members) {
      SortMembers(members);
      const Found found = MakeConflict(pair_class, subject, members, /*explain=*/false);
      Recipe recipe;
      recipe.conflict_class = found.conflict.conflict_class;
      recipe.id = found.conflict.id;
      recipe.pair_class = pair_class;
      recipe.members = std::move(members);
      recipes.push_back(std::move(recipe));
    });
  }

  // Part-of links (a company inside a country, a joint venture inside its
  // parent): a part's figure below the whole's is expected. A part's figure
  // that exceeds the whole's is a scope conflict; the same figure given to
  // the part in one page and to the whole in another is an attribution.
  std::vector<Found> part_of;
  for (const auto& [key, items] : parts) {
    const Claim& sample = *items.front().claim;
    const std::vector<std::string> ancestors = Ancestors(sample.subject, context.part_of);
    if (std::find(ancestors.begin(), ancestors.end(), subject) == ancestors.end()) continue;
    Claim probe = sample;
    probe.subject = subject;
    auto whole_it = own.find(GroupKey(probe));
    if (whole_it == own.end()) continue;
    for (const Item& whole : whole_it->second) {
      part_of.clear();
      PartOfConflicts(subject, items, whole, /*explain=*/false, part_of);
      for (Found& found : part_of) {
        Recipe recipe;
        recipe.conflict_class = found.conflict.conflict_class;
        recipe.id = found.conflict.id;
        recipe.parts = &items;
        recipe.whole = &whole;
        recipes.push_back(std::move(recipe));
      }
    }
  }

  std::stable_sort(recipes.begin(), recipes.end(), [](const Recipe& a, const Recipe& b) {
    return std::tie(a.conflict_class, a.id) < std::tie(b.conflict_class, b.id);
  });
  for (Recipe& recipe : recipes) {
    Found found;
    if (recipe.whole == nullptr) {
      found = MakeConflict(recipe.pair_class, subject, std::move(recipe.members), /*explain=*/true);
    } else {
      part_of.clear();
      PartOfConflicts(subject, *recipe.parts, *recipe.whole, /*explain=*/true, part_of);
      for (Found& made : part_of) {
        if (made.conflict.conflict_class == recipe.conflict_class) found = std::move(made);
      }
    }
    if (found.conflict.kind == ClaimKind::kMoney) {
      found.conflict.explanation += OtherCurrencyNote(found, own, context.fx);
    }
    RETURN_IF_ERROR(emit(found));
  }
  return Status::Ok();
}

}  // namespace

std::map<std::string, std::vector<std::string>> SubjectsBelow(const PartOfLinks& part_of) {
  std::map<std::string, std::vector<std::string>> below;
  for (const auto& [child, parent] : part_of.parent) {
    for (const std::string& ancestor : Ancestors(child, part_of)) below[ancestor].push_back(child);
  }
  return below;
}

Status FindSubjectConflicts(const std::string& subject, const std::vector<ReconcileClaim>& own,
                            const std::vector<ReconcileClaim>& parts,
                            const ReconcileContext& context,
                            const std::function<Status(Conflict)>& sink) {
  ItemMaker maker(context);
  Groups own_groups;
  for (const ReconcileClaim& claim : own) {
    if (claim.claim.subject == subject) {
      maker.Add(claim.claim, claim.measure, claim.scope, own_groups);
    }
  }
  Groups part_groups;
  if (!own_groups.empty()) {
    for (const ReconcileClaim& claim : parts) {
      if (claim.claim.subject != subject) {
        maker.Add(claim.claim, claim.measure, claim.scope, part_groups);
      }
    }
  }
  SortGroups(own_groups);
  SortGroups(part_groups);
  return ConflictsOfSubject(subject, own_groups, part_groups, context, [&](Found& found) {
    if (context.copy_claims) {
      for (const Item* member : found.members) found.conflict.claims.push_back(*member->claim);
    }
    return sink(std::move(found.conflict));
  });
}

std::vector<Conflict> FindConflicts(const std::vector<Claim>& claims,
                                    const PartOfLinks& part_of) {
  ReconcileContext context;
  context.part_of = part_of;
  return FindConflicts(claims, context);
}

std::vector<Conflict> FindConflicts(const std::vector<Claim>& claims,
                                    const ReconcileContext& context) {
  // Subject by subject, in order: each subject's conflicts come sorted by
  // class and id, so the whole result is sorted by subject, class and id.
  std::map<std::string, std::vector<const Claim*>> by_subject;
  for (const Claim& claim : claims) {
    if (claim.kind == ClaimKind::kDate || claim.subject.empty()) continue;
    by_subject[claim.subject].push_back(&claim);
  }
  const std::map<std::string, std::vector<std::string>> below = SubjectsBelow(context.part_of);
  // One maker for all subjects: a page's signals come from its first claim
  // in input order.
  ItemMaker maker(context);
  maker.ReadSignals(claims);
  std::vector<Conflict> result;
  for (const auto& [subject, own] : by_subject) {
    Groups own_groups;
    for (const Claim* claim : own) {
      maker.Add(*claim, MeasureOf(*claim), ScopeOf(*claim), own_groups);
    }
    Groups part_groups;
    auto parts = below.find(subject);
    if (parts != below.end() && !own_groups.empty()) {
      for (const std::string& part : parts->second) {
        auto part_claims = by_subject.find(part);
        if (part_claims == by_subject.end()) continue;
        for (const Claim* claim : part_claims->second) {
          maker.Add(*claim, MeasureOf(*claim), ScopeOf(*claim), part_groups);
        }
      }
    }
    SortGroups(own_groups);
    SortGroups(part_groups);
    // The emitter never fails here.
    (void)ConflictsOfSubject(subject, own_groups, part_groups, context, [&](Found& found) {
      if (context.copy_claims) {
        for (const Item* member : found.members) found.conflict.claims.push_back(*member->claim);
      }
      result.push_back(std::move(found.conflict));
      return Status::Ok();
    });
  }
  return result;
}

}  // namespace newsclaim::store
