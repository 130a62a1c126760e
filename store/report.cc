#include "store/report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "base/utf8.h"
#include "store/json_internal.h"
#include "store/sqlite.h"

namespace newsclaim::store {
namespace {

// ---- text helpers ---------------------------------------------------------------

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiLowered(a) == AsciiLowered(b);
}

// One decoded code point: its value and how many bytes it took. Invalid
// bytes decode as U+FFFD, one byte each, as base/utf8.h counts them.
struct CodePoint {
  char32_t value;
  int length;
};

CodePoint DecodeAt(std::string_view text, size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const int length = Utf8SequenceLength(lead);
  if (length == 1 || at + length > text.size()) {
    return {lead < 0x80 ? lead : static_cast<char32_t>(0xFFFD), 1};
  }
  char32_t value = lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0) != 0x80) return {0xFFFD, 1};
    value = (value << 6) | (next & 0x3F);
  }
  return {value, length};
}

// Terminal columns of one code point, after wcwidth (Markus Kuhn) and UAX #11
// East Asian Width W/F: close enough for CJK, kana, Hangul and full-width forms.
int CodePointWidth(char32_t c) {
  if (c == 0) return 0;
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
      (c >= 0xFE00 && c <= 0xFE0F) || c == 0x3099 || c == 0x309A) {
    return 0;
  }
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// The code points of `text` as (bytes, width) cells, control characters
// turned into spaces so a table row stays one line.
struct Cell {
  std::string bytes;
  int width;
};

std::vector<Cell> Cells(std::string_view text) {
  std::vector<Cell> cells;
  for (size_t i = 0; i < text.size();) {
    const CodePoint cp = DecodeAt(text, i);
    if (cp.value < 0x20 || cp.value == 0x7F) {
      cells.push_back({" ", 1});
    } else {
      cells.push_back({std::string(text.substr(i, cp.length)), CodePointWidth(cp.value)});
    }
    i += cp.length;
  }
  return cells;
}

std::string Join(const std::vector<Cell>& cells, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += cells[i].bytes;
  return out;
}

std::string PadToWidth(std::string_view text, int columns) {
  std::string out = FitToWidth(text, columns);
  const int width = DisplayWidth(out);
  if (width < columns) out.append(columns - width, ' ');
  return out;
}

// ---- figures, times, sources ------------------------------------------------------

// 260000 -> "260,000"; non-integral figures keep up to 6 significant digits.
std::string GroupedNumber(double value) {
  if (std::isinf(value)) return value > 0 ? "∞" : "-∞";
  char buffer[64];
  if (std::fabs(value) >= 1e15 || value != std::floor(value)) {
    std::snprintf(buffer, sizeof(buffer), "%.6g", value);
    return buffer;
  }
  std::snprintf(buffer, sizeof(buffer), "%.0f", std::fabs(value));
  std::string digits = buffer;
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (value < 0 ? "-" : "") + grouped;
}

// The figure as the claim states it: "= 260,000", "≥ 250,000", "[1, 2)".
std::string StatedInterval(const Claim& claim) {
  if (claim.kind == ClaimKind::kDate) return "";
  const Interval& in = claim.interval;
  auto number = [](const std::optional<double>& v) { return v ? GroupedNumber(*v) : "?"; };
  switch (in.qualifier) {
    case Qualifier::kExact: return "= " + number(in.value ? in.value : in.low);
    case Qualifier::kApprox: return "≈ " + number(in.value);
    case Qualifier::kAtLeast: return "≥ " + number(in.low ? in.low : in.value);
    case Qualifier::kMoreThan: return "> " + number(in.low ? in.low : in.value);
    case Qualifier::kAtMost: return "≤ " + number(in.high ? in.high : in.value);
    case Qualifier::kLessThan: return "< " + number(in.high ? in.high : in.value);
    case Qualifier::kUpTo: return "up to " + number(in.high ? in.high : in.value);
    case Qualifier::kRange:
      return std::string(in.low_inclusive ? "[" : "(") + number(in.low) + ", " + number(in.high) +
             (in.high_inclusive ? "]" : ")");
  }
  return "";
}

// How reconciliation reads the figure, e.g. "[255,000, 265,000]".
std::string ComparedInterval(const Claim& claim) {
  std::optional<FigureInterval> interval = ClaimInterval(claim);
  if (!interval) return "";
  return std::string(interval->low_inclusive ? "[" : "(") + GroupedNumber(interval->low) + ", " +
         GroupedNumber(interval->high) + (interval->high_inclusive ? "]" : ")");
}

std::string TimeText(const Claim& claim) {
  if (!claim.time) return "";
  const ClaimTime& time = *claim.time;
  if (time.relation == TimeRelation::kBy) return "by " + time.range.end;
  std::string range = time.range.start == time.range.end
                          ? time.range.start
                          : time.range.start + " – " + time.range.end;
  return std::string(TimeRelationName(time.relation)) + " " + range;
}

std::string FigureText(const Claim& claim) {
  if (!claim.text.empty()) return claim.text;
  return claim.interval.value ? GroupedNumber(*claim.interval.value) : "?";
}

// "according to Bloomberg; hedged: と報じた" or "".
std::string AttributionText(const Claim& claim) {
  std::string text;
  if (!claim.attribution.empty()) text = "according to " + claim.attribution;
  if (!claim.hedges.empty()) {
    std::string hedges;
    for (const std::string& hedge : claim.hedges) hedges += (hedges.empty() ? "" : ", ") + hedge;
    text += (text.empty() ? "" : "; ") + std::string("hedged: ") + hedges;
  }
  return text;
}

const Claim* FindMember(const Conflict& conflict, std::string_view claim_id) {
  if (claim_id.empty()) return nullptr;
  for (const Claim& claim : conflict.claims) {
    if (claim.id == claim_id) return &claim;
  }
  return nullptr;
}

const ReviewSummary* FindReview(const ReviewSummaries& reviews, const std::string& id) {
  auto it = reviews.find(id);
  return it == reviews.end() ? nullptr : &it->second;
}

// "confirmed on 2025-11-02 (2 reviews): note" / "" when never reviewed.
std::string VerdictText(const ReviewSummary* review) {
  if (review == nullptr || review->verdict.empty()) return "";
  std::string text = review->verdict;
  if (!review->at.empty()) text += " on " + review->at.substr(0, 10);
  if (review->reviews > 1) text += " (" + std::to_string(review->reviews) + " reviews)";
  if (!review->preferred_claim_id.empty()) text += ", prefers claim " + review->preferred_claim_id;
  if (!review->note.empty()) text += ": " + review->note;
  return text;
}

// "Reopened: new evidence joined conflict X (confirmed before)." or "".
std::string ReopenedText(const ReviewSummary* review) {
  if (review == nullptr || review->reopened_from.empty()) return "";
  return "Reopened: new evidence joined conflict " + review->reopened_from +
         (review->reopened_verdict.empty() ? std::string()
                                           : " (" + review->reopened_verdict + " before)") +
         ".";
}

// Conflicts grouped by subject, subjects in name order.
std::map<std::string, std::vector<const Conflict*>> BySubject(
    const std::vector<Conflict>& conflicts) {
  std::map<std::string, std::vector<const Conflict*>> groups;
  for (const Conflict& conflict : conflicts) {
    groups[conflict.subject.empty() ? "(no subject)" : conflict.subject].push_back(&conflict);
  }
  return groups;
}

std::string StatsLine(const StoreStats& stats) {
  std::string line = std::to_string(stats.pages) + " pages, " + std::to_string(stats.claims) +
                     " live claims (" + std::to_string(stats.superseded_claims) +
                     " superseded), " + std::to_string(stats.failures) + " failures" +
                     (stats.warnings > 0 ? ", " + std::to_string(stats.warnings) + " warnings"
                                         : std::string()) +
                     "; " +
                     std::to_string(stats.conflicts) + " conflicts (" +
                     std::to_string(stats.open_conflicts) + " open)";
  if (!stats.conflicts_by_class.empty()) {
    line += ":";
    bool first = true;
    for (const auto& [name, count] : stats.conflicts_by_class) {
      line += (first ? " " : ", ") + std::to_string(count) + " " + name;
      first = false;
    }
  }
  return line;
}

// Where the first of `markers` occurs in `text` at or after `from`: used to
// find the store's own preference sentence (" Preferred: ", " No
// preference") and the reviewer sentences ListConflicts appends
// (" The reviewer prefers claim ", " Reviewer's note: ").
size_t FirstOf(std::string_view text, std::initializer_list<std::string_view> markers,
               size_t from = 0) {
  size_t best = std::string_view::npos;
  for (std::string_view marker : markers) {
    const size_t at = text.find(marker, from);
    if (at < best) best = at;
  }
  return best;
}

}  // namespace

// ---- public helpers ----------------------------------------------------------------

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool IsSafeLinkUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  auto starts_with_ci = [url](std::string_view prefix) {
    return url.size() >= prefix.size() && EqualsIgnoringCase(url.substr(0, prefix.size()), prefix);
  };
  return (starts_with_ci("http://") && url.size() > 7) ||
         (starts_with_ci("https://") && url.size() > 8);
}

std::string TextFragmentUrl(std::string_view url, std::string_view quote) {
  if (!IsSafeLinkUrl(url)) return "";
  if (quote.empty()) return std::string(url);
  auto encode = [](std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
          (byte >= '0' && byte <= '9') || byte == '.' || byte == '_' || byte == '~') {
        out += c;
      } else {
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
      }
    }
    return out;
  };
  // A text directive matches whole words only, and a sentence is a run of
  // whole words, so the whole quote is the safest target. Long quotes are
  // cut to a start and an end term: at spaces where the text has them
  // (English), else at a fixed length (Japanese has no spaces; a mid-word
  // cut may then fail to match, and the browser simply opens the page).
  constexpr int64_t kWholeQuoteCodePoints = 120;
  constexpr int kTermWords = 6;
  constexpr int64_t kTermCodePoints = 16;
  std::string directive;
  const std::vector<int64_t> offsets = CodePointByteOffsets(quote);
  const int64_t length = static_cast<int64_t>(offsets.size()) - 1;
  if (length <= kWholeQuoteCodePoints) {
    directive = encode(quote);
  } else if (std::count(quote.begin(), quote.end(), ' ') >= 2 * kTermWords) {
    size_t start_end = 0;
    for (int words = 0; words < kTermWords; ++words) start_end = quote.find(' ', start_end + 1);
    size_t end_start = quote.size();
    for (int words = 0; words < kTermWords; ++words) end_start = quote.rfind(' ', end_start - 1);
    directive = encode(quote.substr(0, start_end)) + "," + encode(quote.substr(end_start + 1));
  } else {
    directive = encode(quote.substr(0, offsets[kTermCodePoints])) + "," +
                encode(quote.substr(offsets[length - kTermCodePoints]));
  }
  const bool has_fragment = url.find('#') != std::string_view::npos;
  return std::string(url) + (has_fragment ? ":~:text=" : "#:~:text=") + directive;
}

std::string SiteOf(std::string_view url) {
  if (url.size() >= 5 && EqualsIgnoringCase(url.substr(0, 5), "file:")) return "local file";
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() != '[') rest = rest.substr(0, rest.find(':'));
  std::string host = AsciiLowered(rest);
  if (host.starts_with("www.")) host = host.substr(4);
  return host;
}

std::string ExplanationWithoutPreference(std::string_view explanation) {
  const size_t cut = FirstOf(explanation, {" Preferred: ", " No preference",
                                           " The reviewer prefers claim ", " Reviewer's note: "});
  return std::string(explanation.substr(0, cut));
}

Preference PreferenceOf(const Conflict& conflict, const ReviewSummary* review) {
  Preference preference;
  preference.claim_id = conflict.preferred_claim_id;
  if (const Claim* claim = FindMember(conflict, preference.claim_id)) {
    preference.figure = FigureText(*claim);
  }
  if (review != nullptr && !review->preferred_claim_id.empty() &&
      review->preferred_claim_id == conflict.preferred_claim_id) {
    preference.by_reviewer = true;
    preference.reason = "chosen by the reviewer (" + review->verdict +
                        (review->at.empty() ? "" : " on " + review->at.substr(0, 10)) + ")" +
                        (review->note.empty() ? "" : ": " + review->note);
    return preference;
  }
  const std::string_view explanation = conflict.explanation;
  const size_t start = FirstOf(explanation, {" Preferred: ", " No preference"});
  if (start != std::string_view::npos) {
    const size_t end =
        FirstOf(explanation, {" The reviewer prefers claim ", " Reviewer's note: "}, start + 1);
    std::string_view sentence = explanation.substr(start + 1, end == std::string_view::npos
                                                                  ? std::string_view::npos
                                                                  : end - start - 1);
    if (sentence.starts_with("Preferred: ")) sentence.remove_prefix(11);
    if (sentence.ends_with('.')) sentence.remove_suffix(1);
    // "26万枚 from X, the most specific figure" is shown after the figure.
    if (!preference.figure.empty() && sentence.starts_with(preference.figure + " ")) {
      sentence.remove_prefix(preference.figure.size() + 1);
    }
    preference.reason = std::string(sentence);
  }
  if (preference.reason.empty()) {
    preference.reason = preference.claim_id.empty()
                            ? "No preference: the store could not rank these figures"
                            : "the store's choice";
  }
  return preference;
}

bool MatchesRefinement(const Claim& claim, const ClaimRefinement& refinement) {
  if (!refinement.product.empty() && !EqualsIgnoringCase(claim.product, refinement.product)) {
    return false;
  }
  if (!refinement.lang.empty() && !EqualsIgnoringCase(claim.lang, refinement.lang)) return false;
  if (!refinement.site.empty()) {
    const std::string site = SiteOf(claim.url);
    std::string wanted = AsciiLowered(refinement.site);
    if (wanted.starts_with("www.")) wanted = wanted.substr(4);
    if (site != wanted && !site.ends_with("." + wanted)) return false;
  }
  if (!refinement.status.empty()) {
    const std::string_view status = ClaimStatusName(claim.status);
    if (refinement.status == "none" ? !status.empty() : status != refinement.status) return false;
  }
  if (!refinement.counterparty.empty() &&
      !EqualsIgnoringCase(claim.counterparty, refinement.counterparty)) {
    return false;
  }
  if (!refinement.contains.empty()) {
    const std::string needle = AsciiLowered(refinement.contains);
    if (AsciiLowered(claim.quote).find(needle) == std::string::npos &&
        AsciiLowered(claim.text).find(needle) == std::string::npos &&
        AsciiLowered(claim.title).find(needle) == std::string::npos) {
      return false;
    }
  }
  if (!refinement.rule.empty() && !claim.rule.starts_with(refinement.rule)) return false;
  // Dates are ISO strings, so they compare as text; undated pages fail a
  // publication filter, since nothing says they pass it.
  if (!refinement.published_since.empty() &&
      (claim.published.empty() || claim.published < refinement.published_since)) {
    return false;
  }
  if (!refinement.published_until.empty() &&
      (claim.published.empty() || claim.published.substr(0, 10) > refinement.published_until)) {
    return false;
  }
  return true;
}

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (const Cell& cell : Cells(text)) width += cell.width;
  return width;
}

std::string FitToWidth(std::string_view text, int columns) {
  const std::vector<Cell> cells = Cells(text);
  int total = 0;
  for (const Cell& cell : cells) total += cell.width;
  if (total <= columns) return Join(cells, 0, cells.size());
  if (columns <= 0) return "";
  std::string out;
  int width = 0;
  for (const Cell& cell : cells) {
    if (width + cell.width > columns - 1) break;
    out += cell.bytes;
    width += cell.width;
  }
  return out + "…";
}

std::string QuoteAround(std::string_view quote, std::string_view figure, int columns) {
  const size_t at = figure.empty() ? std::string_view::npos : quote.find(figure);
  if (at == std::string_view::npos || DisplayWidth(quote) <= columns) {
    return FitToWidth(quote, columns);
  }
  const std::vector<Cell> cells = Cells(quote);
  // Cell indexes of the figure: cells before `at` bytes, then its own.
  size_t lo = 0, bytes = 0;
  while (lo < cells.size() && bytes < at) bytes += cells[lo++].bytes.size();
  size_t hi = lo;
  int used = 0;
  while (hi < cells.size() && bytes < at + figure.size()) {
    bytes += cells[hi].bytes.size();
    used += cells[hi++].width;
  }
  const size_t n = cells.size();
  if (used + (lo > 0 ? 1 : 0) + (hi < n ? 1 : 0) > columns) return FitToWidth(figure, columns);
  // What a window [l, h) costs with its "…" marks.
  auto cost = [&](size_t l, size_t h, int width) {
    return width + (l > 0 ? 1 : 0) + (h < n ? 1 : 0);
  };
  // A third of the spare room goes before the figure, the rest after it;
  // room left over at either end goes to the other side.
  const int left_room = (columns - used) / 3;
  int left_used = 0;
  while (lo > 0 && left_used + cells[lo - 1].width <= left_room &&
         cost(lo - 1, hi, used + cells[lo - 1].width) <= columns) {
    left_used += cells[lo - 1].width;
    used += cells[--lo].width;
  }
  while (hi < n && cost(lo, hi + 1, used + cells[hi].width) <= columns) used += cells[hi++].width;
  while (lo > 0 && cost(lo - 1, hi, used + cells[lo - 1].width) <= columns) {
    used += cells[--lo].width;
  }
  return (lo > 0 ? "…" : "") + Join(cells, lo, hi) + (hi < n ? "…" : "");
}

namespace {

// ---- HTML --------------------------------------------------------------------------

constexpr std::string_view kCss = R"css(
:root{--fg:#1d2329;--muted:#5b6670;--line:#d5dbe1;--bg:#f6f8fa;--card:#fff;--high:#b42318;--medium:#b54708;--low:#3b6e8f;--pref:#067647}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans CJK JP",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:1.5rem}
main{max-width:1200px;margin:0 auto}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:.3rem;margin-top:2rem}
h3{font-size:1.05rem;margin:.2rem 0 .5rem}
.stats,.muted{color:var(--muted)}
nav ul{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;list-style:none}
.conflict{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--low);border-radius:6px;padding:1rem;margin:1rem 0}
.conflict.sev-high{border-left-color:var(--high)}
.conflict.sev-medium{border-left-color:var(--medium)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.03em;padding:.1rem .45rem;border-radius:4px;background:#eef1f4;margin-right:.3rem}
.badge.high{background:#fee4e2;color:var(--high)}
.badge.medium{background:#fef0c7;color:var(--medium)}
.badge.low{background:#e0f2fe;color:var(--low)}
.badge.status-open{background:#fff;border:1px solid var(--line)}
.claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:.8rem}
.claim{border:1px solid var(--line);border-radius:6px;padding:.7rem;background:#fcfcfd}
.claim.preferred{border:2px solid var(--pref)}
.figure{font-size:1.35rem;font-weight:700}
.claim dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .6rem;margin:.4rem 0;font-size:.88rem}
.claim dt{color:var(--muted)}
.claim dd{margin:0;overflow-wrap:anywhere}
blockquote{margin:.5rem 0 .2rem;padding:.3rem .6rem;border-left:3px solid var(--line);font-size:.92rem}
mark{background:#fff3a3;padding:0 .1em}
.quote-link{font-size:.8rem;margin:0 0 .4rem .6rem}
.source{font-size:.88rem;overflow-wrap:anywhere}
.id,.command{font:12px ui-monospace,monospace;color:var(--muted);overflow-wrap:anywhere}
.preference{border-left:3px solid var(--pref);padding:.2rem .6rem;margin:.5rem 0}
.preference strong{color:var(--pref)}
.review-state{font-size:.9rem;margin:.3rem 0}
.preferred-note{color:var(--pref);font-weight:600}
svg.timeline{width:100%;height:auto;background:var(--card);border:1px solid var(--line);border-radius:6px;margin:.5rem 0}
svg.timeline text{font:11px system-ui,sans-serif;fill:var(--fg)}
svg.timeline text.axis,svg.timeline text.row{fill:#5b6670}
)css";

// An id usable in an HTML id attribute for any subject.
std::string Anchor(std::string_view prefix, std::string_view text) {
  return std::string(prefix) + HexHash64(text);
}

// Writes `quote` escaped, with the first occurrence of `figure` in <mark>.
std::string HighlightedQuoteHtml(const std::string& quote, const std::string& figure) {
  const size_t at = figure.empty() ? std::string::npos : quote.find(figure);
  if (at == std::string::npos) return HtmlEscape(quote);
  return HtmlEscape(quote.substr(0, at)) + "<mark>" + HtmlEscape(figure) + "</mark>" +
         HtmlEscape(quote.substr(at + figure.size()));
}

std::string LinkHtml(const std::string& url, const std::string& label) {
  if (!IsSafeLinkUrl(url)) return HtmlEscape(label);
  return "<a href=\"" + HtmlEscape(url) + "\" rel=\"noopener noreferrer nofollow\">" +
         HtmlEscape(label) + "</a>";
}

int DaysFromCivil(int y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil: days since 1970-01-01.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

std::optional<int> DayNumber(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() < 10 || std::sscanf(date.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

// One row per revision conflict of a subject: its statements placed by
// publication date on a shared axis (month or year ticks), joined by a line,
// each labelled with figure and deadline; the preferred statement is green.
std::string RevisionTimelineSvg(const std::vector<const Conflict*>& conflicts) {
  std::vector<const Conflict*> revisions;
  int min_day = 0, max_day = 0;
  bool any = false;
  for (const Conflict* conflict : conflicts) {
    if (conflict->conflict_class != "revision") continue;
    bool dated = false;
    for (const Claim& claim : conflict->claims) {
      std::optional<int> day = DayNumber(claim.published);
      if (!day) continue;
      dated = true;
      if (!any || *day < min_day) min_day = *day;
      if (!any || *day > max_day) max_day = *day;
      any = true;
    }
    if (dated) revisions.push_back(conflict);
  }
  if (revisions.empty()) return "";
  constexpr int kWidth = 900, kLeft = 110, kRight = 110, kRowHeight = 76, kTop = 8, kAxis = 30;
  const int height = kTop + kRowHeight * static_cast<int>(revisions.size()) + kAxis;
  const double span = std::max(1, max_day - min_day);
  auto x_of = [&](int day) {
    return kLeft + (kWidth - kLeft - kRight) * (max_day == min_day ? 0.5 : (day - min_day) / span);
  };
  std::ostringstream svg;
  svg << "<svg class=\"timeline\" viewBox=\"0 0 " << kWidth << " " << height
      << "\" role=\"img\" aria-label=\"Revision timeline\" xmlns=\"http://www.w3.org/2000/svg\">"
      << "<title>Revisions over time</title>";
  // The axis: the first day of each month (or year, over long spans) in range.
  const int axis_y = height - kAxis + 8;
  svg << "<line x1=\"" << kLeft << "\" y1=\"" << axis_y << "\" x2=\"" << (kWidth - kRight)
      << "\" y2=\"" << axis_y << "\" stroke=\"#d5dbe1\"/>";
  {
    const bool yearly = max_day - min_day > 730;
    char label[16];
    for (int year = 1970 + min_day / 366 - 1; year <= 1970 + max_day / 365 + 1; ++year) {
      for (unsigned month = 1; month <= 12; month += yearly ? 12 : 1) {
        const int day = DaysFromCivil(year, month, 1);
        if (day < min_day || day > max_day) continue;
        std::snprintf(label, sizeof(label), yearly ? "%d" : "%d-%02u", year, month);
        svg << "<line x1=\"" << x_of(day) << "\" y1=\"" << (axis_y - 4) << "\" x2=\""
            << x_of(day) << "\" y2=\"" << (axis_y + 4) << "\" stroke=\"#98a2b3\"/>"
            << "<text class=\"axis\" x=\"" << x_of(day) << "\" y=\"" << (axis_y + 16)
            << "\" text-anchor=\"middle\">" << label << "</text>";
      }
    }
  }
  for (size_t row = 0; row < revisions.size(); ++row) {
    const int top = kTop + kRowHeight * static_cast<int>(row);
    const int y = top + 40;
    svg << "<text class=\"row\" x=\"6\" y=\"" << (top + 12) << "\">"
        << HtmlEscape(FitToWidth(revisions[row]->key, 120)) << "</text>";
    std::vector<std::pair<double, const Claim*>> points;
    for (const Claim& claim : revisions[row]->claims) {
      std::optional<int> day = DayNumber(claim.published);
      if (day) points.emplace_back(x_of(*day), &claim);
    }
    std::sort(points.begin(), points.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    svg << "<line x1=\"" << points.front().first << "\" y1=\"" << y << "\" x2=\""
        << points.back().first << "\" y2=\"" << y << "\" stroke=\"#98a2b3\" stroke-width=\"2\"/>";
    for (size_t i = 0; i < points.size(); ++i) {
      const auto& [x, claim] = points[i];
      const bool preferred = claim->id == revisions[row]->preferred_claim_id;
      // Neighbours closer than a label's width put their labels on
      // alternate sides of the line.
      const bool crowded = i > 0 && x - points[i - 1].first < 150;
      const bool below = crowded && i % 2 == 1;
      svg << "<circle class=\"statement\" cx=\"" << x << "\" cy=\"" << y << "\" r=\"6\" fill=\""
          << (preferred ? "#067647" : "#5b6670") << "\"><title>"
          << HtmlEscape(FigureText(*claim) + " " + TimeText(*claim) + " — " + claim->title)
          << "</title></circle>";
      svg << "<text x=\"" << x << "\" y=\"" << (below ? y + 20 : y - 11)
          << "\" text-anchor=\"middle\">"
          << HtmlEscape(FigureText(*claim) + (claim->time ? " " + TimeText(*claim) : ""))
          << "</text>";
      svg << "<text class=\"axis\" x=\"" << x << "\" y=\"" << (below ? y + 32 : y + 20)
          << "\" text-anchor=\"middle\">" << HtmlEscape(claim->published) << "</text>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

void ClaimCardHtml(const Claim& claim, bool preferred, std::ostringstream& out) {
  out << "<div class=\"claim" << (preferred ? " preferred" : "") << "\" id=\"claim-"
      << HtmlEscape(claim.id) << "\">";
  if (preferred) out << "<div class=\"preferred-note\">Preferred</div>";
  out << "<div class=\"figure\">" << HtmlEscape(FigureText(claim)) << "</div><dl>";
  auto row = [&out](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out << "<dt>" << name << "</dt><dd>" << HtmlEscape(value) << "</dd>";
  };
  row("stated", StatedInterval(claim));
  row("read as", ComparedInterval(claim));
  row("unit", claim.unit);
  row("time", TimeText(claim));
  row("status", std::string(ClaimStatusName(claim.status)));
  row("product", claim.product);
  row("with", claim.counterparty);
  row("source", AttributionText(claim));
  out << "</dl>";
  if (!claim.quote.empty()) {
    out << "<blockquote lang=\"" << HtmlEscape(claim.lang) << "\">"
        << HighlightedQuoteHtml(claim.quote, claim.text) << "</blockquote>";
    const std::string quote_url = TextFragmentUrl(claim.url, claim.quote);
    if (!quote_url.empty()) {
      out << "<p class=\"quote-link\"><a class=\"quote-link\" href=\"" << HtmlEscape(quote_url)
          << "\" rel=\"noopener noreferrer nofollow\">quote in its page ↗</a></p>";
    }
  }
  out << "<p class=\"source\">";
  const std::string site = SiteOf(claim.url);
  if (!site.empty()) out << "<strong>" << HtmlEscape(site) << "</strong> · ";
  out << LinkHtml(claim.url, claim.title.empty() ? claim.url : claim.title);
  out << " · published " << (claim.published.empty() ? "undated" : HtmlEscape(claim.published));
  if (!claim.lang.empty()) out << " · " << HtmlEscape(claim.lang);
  out << "</p><p class=\"id\">claim " << HtmlEscape(claim.id) << "</p></div>";
}

void ConflictHtml(const Conflict& conflict, const ReviewSummary* review,
                  std::ostringstream& out) {
  out << "<article class=\"conflict sev-" << HtmlEscape(conflict.severity) << "\" id=\"c-"
      << HtmlEscape(conflict.id) << "\" data-class=\"" << HtmlEscape(conflict.conflict_class)
      << "\"><h3><span class=\"badge class\">" << HtmlEscape(conflict.conflict_class)
      << "</span><span class=\"badge " << HtmlEscape(conflict.severity) << "\">"
      << HtmlEscape(conflict.severity) << "</span><span class=\"badge status-"
      << HtmlEscape(conflict.status) << "\">" << HtmlEscape(conflict.status) << "</span> "
      << HtmlEscape(conflict.key) << "</h3>";
  out << "<p class=\"explanation\">"
      << HtmlEscape(ExplanationWithoutPreference(conflict.explanation)) << "</p>";
  const Preference preference = PreferenceOf(conflict, review);
  out << "<p class=\"preference\">";
  if (preference.claim_id.empty()) {
    out << HtmlEscape(preference.reason);
  } else {
    out << "Preferred: <strong>" << HtmlEscape(preference.figure) << "</strong> — "
        << HtmlEscape(preference.reason);
  }
  out << "</p>";
  const std::string verdict = VerdictText(review);
  const std::string reopened = ReopenedText(review);
  out << "<p class=\"review-state\">"
      << (verdict.empty() ? "Not reviewed yet." : "Reviewed: " + HtmlEscape(verdict))
      << (reopened.empty() ? "" : " " + HtmlEscape(reopened)) << "</p>";
  out << "<div class=\"claims\">";
  for (const Claim& claim : conflict.claims) {
    ClaimCardHtml(claim, claim.id == conflict.preferred_claim_id, out);
  }
  out << "</div><p class=\"command\">newsclaim review " << HtmlEscape(conflict.id)
      << " --verdict confirmed|dismissed|resolved [--prefer CLAIM_ID] [--note TEXT]</p>"
         "</article>\n";
}

std::string RenderHtml(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                       const ReviewSummaries& reviews) {
  std::ostringstream out;
  // The CSP forbids scripts and any fetch, as a second line behind escaping.
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">"
         "<meta name=\"referrer\" content=\"no-referrer\">"
         "<title>newsclaim: where sources disagree</title><style>"
      << kCss << "</style></head><body><main>\n";
  out << "<header><h1>Where sources disagree</h1><p class=\"stats\">" << HtmlEscape(StatsLine(stats))
      << "</p></header>\n";
  const auto groups = BySubject(conflicts);
  if (groups.empty()) {
    out << "<p>No conflicts: every compared figure agrees.</p>";
  } else {
    out << "<nav><ul>";
    for (const auto& [subject, members] : groups) {
      out << "<li><a href=\"#" << Anchor("s-", subject) << "\">" << HtmlEscape(subject) << "</a> ("
          << members.size() << ")</li>";
    }
    out << "</ul></nav>\n";
  }
  for (const auto& [subject, members] : groups) {
    out << "<section class=\"subject\" id=\"" << Anchor("s-", subject) << "\"><h2>"
        << HtmlEscape(subject) << "</h2>\n";
    out << RevisionTimelineSvg(members);
    for (const Conflict* conflict : members) {
      ConflictHtml(*conflict, FindReview(reviews, conflict->id), out);
    }
    out << "</section>\n";
  }
  out << "</main></body></html>\n";
  return out.str();
}

// ---- Markdown ------------------------------------------------------------------------

// Page text inside Markdown: HTML-significant characters become entities
// (renderers pass raw HTML through) and Markdown punctuation is escaped;
// newlines become spaces so a table row stays one row. Parentheses and "!"
// are left alone: they only form links and images after a "[", which is
// always escaped.
std::string MarkdownEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n':
      case '\r': out += ' '; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
      case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

// A link target that cannot end the link early or break the table.
std::string MarkdownTarget(const std::string& url) {
  std::string target;
  for (char c : url) {
    switch (c) {
      case ' ': target += "%20"; break;
      case '(': target += "%28"; break;
      case ')': target += "%29"; break;
      case '<': target += "%3C"; break;
      case '>': target += "%3E"; break;
      case '|': target += "%7C"; break;
      default: target += c;
    }
  }
  return target;
}

std::string MarkdownLink(const std::string& url, const std::string& label) {
  if (!IsSafeLinkUrl(url)) return MarkdownEscape(label);
  return "[" + MarkdownEscape(label) + "](" + MarkdownTarget(url) + ")";
}

std::string HighlightedQuoteMarkdown(const std::string& quote, const std::string& figure) {
  const size_t at = figure.empty() ? std::string::npos : quote.find(figure);
  if (at == std::string::npos) return MarkdownEscape(quote);
  return MarkdownEscape(quote.substr(0, at)) + "**" + MarkdownEscape(figure) + "**" +
         MarkdownEscape(quote.substr(at + figure.size()));
}

std::string RenderMarkdown(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                           const ReviewSummaries& reviews) {
  std::ostringstream out;
  out << "# Where sources disagree\n\n" << MarkdownEscape(StatsLine(stats)) << "\n";
  const auto groups = BySubject(conflicts);
  if (groups.empty()) out << "\nNo conflicts: every compared figure agrees.\n";
  for (const auto& [subject, members] : groups) {
    out << "\n## " << MarkdownEscape(subject) << "\n";
    for (const Conflict* conflict : members) {
      const ReviewSummary* review = FindReview(reviews, conflict->id);
      const Preference preference = PreferenceOf(*conflict, review);
      out << "\n### " << MarkdownEscape(conflict->conflict_class) << " ("
          << MarkdownEscape(conflict->severity) << ", " << MarkdownEscape(conflict->status)
          << "): " << MarkdownEscape(conflict->key) << "\n\n"
          << MarkdownEscape(ExplanationWithoutPreference(conflict->explanation)) << "\n\n";
      if (preference.claim_id.empty()) {
        out << MarkdownEscape(preference.reason) << ".\n\n";
      } else {
        out << "**Preferred:** " << MarkdownEscape(preference.figure) << " — "
            << MarkdownEscape(preference.reason) << "\n\n";
      }
      const std::string verdict = VerdictText(review);
      const std::string reopened = ReopenedText(review);
      out << (verdict.empty() ? "Not reviewed yet." : "Reviewed: " + MarkdownEscape(verdict))
          << (reopened.empty() ? "" : " " + MarkdownEscape(reopened)) << "\n\n"
          << "| | figure | stated | read as | time | status | quote | source | published |\n"
          << "|---|---|---|---|---|---|---|---|---|\n";
      for (const Claim& claim : conflict->claims) {
        const std::string quote_url = TextFragmentUrl(claim.url, claim.quote);
        std::string source = MarkdownEscape(SiteOf(claim.url));
        source += (source.empty() ? "" : ": ") +
                  MarkdownLink(claim.url, claim.title.empty() ? claim.url : claim.title);
        if (const std::string attribution = AttributionText(claim); !attribution.empty()) {
          source += " (" + MarkdownEscape(attribution) + ")";
        }
        out << "| " << (claim.id == conflict->preferred_claim_id ? "★ preferred" : "") << " | "
            << MarkdownEscape(FigureText(claim)) << " | " << MarkdownEscape(StatedInterval(claim))
            << " | " << MarkdownEscape(ComparedInterval(claim)) << " | "
            << MarkdownEscape(TimeText(claim)) << " | "
            << MarkdownEscape(std::string(ClaimStatusName(claim.status))) << " | "
            << HighlightedQuoteMarkdown(claim.quote, claim.text)
            << (quote_url.empty() || claim.quote.empty()
                    ? ""
                    : " [↗](" + MarkdownTarget(quote_url) + ")")
            << " | " << source << " | " << MarkdownEscape(claim.published) << " |\n";
      }
      out << "\nReview: `newsclaim review " << conflict->id
          << " --verdict confirmed|dismissed|resolved`\n";
    }
  }
  return out.str();
}

// ---- JSON ---------------------------------------------------------------------------

nlohmann::json NullIfEmpty(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

// The contract's conflict object plus the report's additions (report.h).
nlohmann::json ConflictObject(const Conflict& conflict, const ReviewSummary* review) {
  nlohmann::json object = internal::ConflictJson(conflict);
  const Preference preference = PreferenceOf(conflict, review);
  object["preferred_reason"] = preference.reason;
  object["preferred_by"] = preference.claim_id.empty()   ? nlohmann::json(nullptr)
                           : preference.by_reviewer     ? nlohmann::json("reviewer")
                                                        : nlohmann::json("store");
  if (review != nullptr && !review->verdict.empty()) {
    object["review"] = {{"verdict", review->verdict},
                        {"prefer", NullIfEmpty(review->preferred_claim_id)},
                        {"note", NullIfEmpty(review->note)},
                        {"at", NullIfEmpty(review->at)},
                        {"reviews", review->reviews}};
  } else {
    object["review"] = nullptr;
  }
  object["reopened_from"] = review != nullptr ? NullIfEmpty(review->reopened_from) : nullptr;
  nlohmann::json& claims = object["claims"];
  for (size_t i = 0; i < claims.size() && i < conflict.claims.size(); ++i) {
    const Claim& claim = conflict.claims[i];
    claims[i]["site"] = NullIfEmpty(SiteOf(claim.url));
    claims[i]["quote_url"] = NullIfEmpty(TextFragmentUrl(claim.url, claim.quote));
  }
  return object;
}

std::string RenderJson(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                       const ReviewSummaries& reviews) {
  nlohmann::json stats_json = {
      {"pages", stats.pages},
      {"claims", stats.claims},
      {"superseded_claims", stats.superseded_claims},
      {"failures", stats.failures},
      {"warnings", stats.warnings},
      {"conflicts", stats.conflicts},
      {"open_conflicts", stats.open_conflicts},
      {"reviews", stats.reviews},
      {"conflicts_by_class", stats.conflicts_by_class},
      {"claims_by_kind", stats.claims_by_kind},
  };
  nlohmann::json subjects = nlohmann::json::array();
  for (const auto& [subject, members] : BySubject(conflicts)) {
    nlohmann::json ids = nlohmann::json::array();
    for (const Conflict* conflict : members) ids.push_back(conflict->id);
    subjects.push_back({{"subject", subject}, {"conflicts", ids}});
  }
  nlohmann::json array = nlohmann::json::array();
  for (const Conflict& conflict : conflicts) {
    array.push_back(ConflictObject(conflict, FindReview(reviews, conflict.id)));
  }
  return internal::Dump({{"stats", stats_json}, {"subjects", subjects}, {"conflicts", array}},
                        2) +
         "\n";
}

// ---- terminal tables ------------------------------------------------------------------

// A short time cell: "by 2027-12-31", "as_of 2025-10-31", "during 2025-04-01..2026-03-31".
std::string TimeCell(const Claim& claim) {
  if (!claim.time) return "-";
  const ClaimTime& time = *claim.time;
  if (time.relation == TimeRelation::kBy) return "by " + time.range.end;
  return std::string(TimeRelationName(time.relation)) + " " + time.range.start +
         (time.range.start == time.range.end ? "" : ".." + time.range.end);
}

std::string OrDash(std::string_view text) { return text.empty() ? "-" : std::string(text); }

}  // namespace

std::string ClaimsTable(const std::vector<Claim>& claims, int width) {
  struct Column {
    std::string_view header;
    int max_width;
  };
  constexpr Column kColumns[] = {{"ID", 16},     {"KIND", 10},   {"SUBJECT", 22},
                                 {"FIGURE", 18}, {"TIME", 26},   {"STATUS", 11},
                                 {"PUBLISHED", 10}, {"SITE", 22}};
  constexpr int kColumnCount = sizeof(kColumns) / sizeof(kColumns[0]);
  constexpr int kMinQuoteWidth = 24;
  std::vector<std::array<std::string, kColumnCount>> rows;
  for (const Claim& claim : claims) {
    rows.push_back({claim.id, std::string(ClaimKindName(claim.kind)), OrDash(claim.subject),
                    FigureText(claim), TimeCell(claim),
                    OrDash(ClaimStatusName(claim.status)), OrDash(claim.published),
                    OrDash(SiteOf(claim.url))});
  }
  // Each column is as wide as its widest cell, up to its cap.
  int widths[kColumnCount];
  int used = 0;
  for (int c = 0; c < kColumnCount; ++c) {
    widths[c] = DisplayWidth(kColumns[c].header);
    for (const auto& row : rows) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    widths[c] = std::min(widths[c], kColumns[c].max_width);
    used += widths[c] + 2;
  }
  const int quote_width = std::max(kMinQuoteWidth, width - used);
  std::ostringstream out;
  for (int c = 0; c < kColumnCount; ++c) out << PadToWidth(kColumns[c].header, widths[c]) << "  ";
  out << "QUOTE\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    for (int c = 0; c < kColumnCount; ++c) out << PadToWidth(rows[r][c], widths[c]) << "  ";
    out << QuoteAround(claims[r].quote, claims[r].text, quote_width) << "\n";
  }
  out << claims.size() << (claims.size() == 1 ? " claim\n" : " claims\n");
  return out.str();
}

std::string ConflictsTable(const std::vector<Conflict>& conflicts,
                           const ReviewSummaries& reviews, int width) {
  std::ostringstream out;
  std::map<std::string, int> by_status;
  const int line_width = std::max(40, width - 4);
  for (const Conflict& conflict : conflicts) {
    ++by_status[conflict.status];
    const ReviewSummary* review = FindReview(reviews, conflict.id);
    const std::string verdict = VerdictText(review);
    const std::string reopened = ReopenedText(review);
    out << conflict.id << "  " << conflict.conflict_class << " (" << conflict.severity
        << ")  status: " << conflict.status << "\n";
    out << "  " << FitToWidth(conflict.key, line_width) << "\n";
    out << "  latest verdict: "
        << FitToWidth(verdict.empty() ? "none (not reviewed)" : verdict, line_width - 16) << "\n";
    if (!reopened.empty()) out << "  " << FitToWidth(reopened, line_width) << "\n";
    for (const Claim& claim : conflict.claims) {
      out << "  " << (claim.id == conflict.preferred_claim_id ? "* " : "  ")
          << PadToWidth(FigureText(claim), 18) << "  " << PadToWidth(TimeCell(claim), 24) << "  "
          << PadToWidth(OrDash(claim.published), 10) << "  "
          << PadToWidth(OrDash(SiteOf(claim.url)), 22) << "  " << claim.id << "\n";
    }
    const Preference preference = PreferenceOf(conflict, review);
    out << "  " << ExplanationWithoutPreference(conflict.explanation) << "\n";
    out << "  "
        << (preference.claim_id.empty()
                ? preference.reason
                : "Preferred: " + preference.figure + " — " + preference.reason)
        << "\n\n";
  }
  out << conflicts.size() << (conflicts.size() == 1 ? " conflict" : " conflicts");
  bool first = true;
  for (const auto& [status, count] : by_status) {
    out << (first ? ": " : ", ") << count << " " << status;
    first = false;
  }
  out << "\n";
  return out.str();
}

std::string ConflictsJson(const std::vector<Conflict>& conflicts,
                          const ReviewSummaries& reviews) {
  nlohmann::json array = nlohmann::json::array();
  for (const Conflict& conflict : conflicts) {
    array.push_back(ConflictObject(conflict, FindReview(reviews, conflict.id)));
  }
  return internal::Dump({{"conflicts", array}}, -1);
}

std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         const ReviewSummaries& reviews, ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml: return RenderHtml(conflicts, stats, reviews);
    case ReportFormat::kJson: return RenderJson(conflicts, stats, reviews);
    case ReportFormat::kMarkdown: break;
  }
  return RenderMarkdown(conflicts, stats, reviews);
}

std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         ReportFormat format) {
  return RenderReport(conflicts, stats, ReviewSummaries{}, format);
}

// ---- reading review history ------------------------------------------------------------

StatusOr<ReviewSummaries> LoadReviewSummaries(const std::filesystem::path& db_path) {
  static constexpr std::string_view kSql = R"sql(
SELECT k.id, k.reopened_from, r.verdict, r.preferred_claim_id, r.note, r.at,
       (SELECT count(*) FROM reviews WHERE conflict_id = k.id),
       (SELECT o.verdict FROM reviews o WHERE o.conflict_id = k.reopened_from
        ORDER BY o.id DESC LIMIT 1)
FROM conflicts k
LEFT JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE conflict_id = k.id)
WHERE r.id IS NOT NULL OR k.reopened_from IS NOT NULL)sql";
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> connection,
                   internal::Connection::Open(db_path));
  ASSIGN_OR_RETURN(internal::Statement query, connection->Prepare(kSql));
  ReviewSummaries summaries;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ReviewSummary& summary = summaries[query.Text(0)];
    summary.reopened_from = query.Text(1);
    summary.verdict = query.Text(2);
    summary.preferred_claim_id = query.Text(3);
    summary.note = query.Text(4);
    summary.at = query.Text(5);
    summary.reviews = static_cast<int>(query.Int(6));
    summary.reopened_verdict = query.Text(7);
  }
  return summaries;
}

StatusOr<std::optional<std::string>> ResolveSubjectAlias(const std::filesystem::path& db_path,
                                                         std::string_view name) {
  // Exact spellings win over case-insensitive ones; SQLite's lower() folds
  // ASCII only, which is what the contract's Latin aliases need.
  static constexpr std::string_view kSql = R"sql(
SELECT name, 0 FROM entities WHERE name = ?1
UNION ALL SELECT e.name, 1 FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE a.alias = ?1
UNION ALL SELECT name, 2 FROM entities WHERE lower(name) = lower(?1)
UNION ALL SELECT e.name, 3 FROM aliases a JOIN entities e ON e.id = a.entity_id
          WHERE lower(a.alias) = lower(?1)
ORDER BY 2 LIMIT 1)sql";
  ASSIGN_OR_RETURN(std::unique_ptr<internal::Connection> connection,
                   internal::Connection::Open(db_path));
  ASSIGN_OR_RETURN(internal::Statement query, connection->Prepare(kSql));
  query.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

}  // namespace newsclaim::store
