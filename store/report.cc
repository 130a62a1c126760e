#include "store/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "store/json_internal.h"

namespace newsclaim::store {
namespace {

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
                     " superseded), " + std::to_string(stats.failures) + " failures; " +
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

// ---- HTML --------------------------------------------------------------

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
.claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:.8rem}
.claim{border:1px solid var(--line);border-radius:6px;padding:.7rem;background:#fcfcfd}
.claim.preferred{border:2px solid var(--pref)}
.figure{font-size:1.35rem;font-weight:700}
.claim dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .6rem;margin:.4rem 0;font-size:.88rem}
.claim dt{color:var(--muted)}
.claim dd{margin:0}
blockquote{margin:.5rem 0;padding:.3rem .6rem;border-left:3px solid var(--line);font-size:.92rem}
mark{background:#fff3a3;padding:0 .1em}
.source{font-size:.88rem;overflow-wrap:anywhere}
.id,.review{font:12px ui-monospace,monospace;color:var(--muted);overflow-wrap:anywhere}
.preferred-note{color:var(--pref);font-weight:600}
svg.timeline{width:100%;height:auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
svg.timeline text{font:11px system-ui,sans-serif;fill:var(--fg)}
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
// publication date, joined by a line, each labelled with figure and deadline.
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
  constexpr int kWidth = 900, kLeft = 90, kRight = 90, kRowHeight = 64, kTop = 20;
  const int height = kTop + kRowHeight * static_cast<int>(revisions.size()) + 20;
  const double span = std::max(1, max_day - min_day);
  auto x_of = [&](int day) {
    return kLeft + (kWidth - kLeft - kRight) * (max_day == min_day ? 0.5 : (day - min_day) / span);
  };
  std::ostringstream svg;
  svg << "<svg class=\"timeline\" viewBox=\"0 0 " << kWidth << " " << height
      << "\" role=\"img\" aria-label=\"Revision timeline\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (size_t row = 0; row < revisions.size(); ++row) {
    const int y = kTop + kRowHeight * static_cast<int>(row) + 24;
    std::vector<std::pair<double, const Claim*>> points;
    for (const Claim& claim : revisions[row]->claims) {
      std::optional<int> day = DayNumber(claim.published);
      if (day) points.emplace_back(x_of(*day), &claim);
    }
    std::sort(points.begin(), points.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    svg << "<line x1=\"" << points.front().first << "\" y1=\"" << y << "\" x2=\""
        << points.back().first << "\" y2=\"" << y << "\" stroke=\"#98a2b3\" stroke-width=\"2\"/>";
    for (const auto& [x, claim] : points) {
      const bool preferred = claim->id == revisions[row]->preferred_claim_id;
      svg << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"6\" fill=\""
          << (preferred ? "#067647" : "#5b6670") << "\"><title>"
          << HtmlEscape(FigureText(*claim) + " " + TimeText(*claim) + " — " + claim->title)
          << "</title></circle>";
      svg << "<text x=\"" << x << "\" y=\"" << (y - 11) << "\" text-anchor=\"middle\">"
          << HtmlEscape(FigureText(*claim) + (claim->time ? " " + TimeText(*claim) : ""))
          << "</text>";
      svg << "<text x=\"" << x << "\" y=\"" << (y + 22) << "\" text-anchor=\"middle\">"
          << HtmlEscape(claim->published) << "</text>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

void ClaimCardHtml(const Claim& claim, bool preferred, std::ostringstream& out) {
  out << "<div class=\"claim" << (preferred ? " preferred" : "") << "\">";
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
  out << "</dl>";
  if (!claim.quote.empty()) {
    out << "<blockquote>" << HighlightedQuoteHtml(claim.quote, claim.text) << "</blockquote>";
  }
  out << "<p class=\"source\">"
      << LinkHtml(claim.url, claim.title.empty() ? claim.url : claim.title);
  if (!claim.published.empty()) out << " · " << HtmlEscape(claim.published);
  if (!claim.lang.empty()) out << " · " << HtmlEscape(claim.lang);
  out << "</p><p class=\"id\">claim " << HtmlEscape(claim.id) << "</p></div>";
}

std::string RenderHtml(const std::vector<Conflict>& conflicts, const StoreStats& stats) {
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
    out << "<section id=\"" << Anchor("s-", subject) << "\"><h2>" << HtmlEscape(subject)
        << "</h2>\n";
    out << RevisionTimelineSvg(members);
    for (const Conflict* conflict : members) {
      out << "<article class=\"conflict sev-" << HtmlEscape(conflict->severity) << "\" id=\"c-"
          << HtmlEscape(conflict->id) << "\"><h3><span class=\"badge\">"
          << HtmlEscape(conflict->conflict_class) << "</span><span class=\"badge "
          << HtmlEscape(conflict->severity) << "\">" << HtmlEscape(conflict->severity)
          << "</span><span class=\"badge\">" << HtmlEscape(conflict->status) << "</span> "
          << HtmlEscape(conflict->key) << "</h3>";
      out << "<p>" << HtmlEscape(conflict->explanation) << "</p><div class=\"claims\">";
      for (const Claim& claim : conflict->claims) {
        ClaimCardHtml(claim, claim.id == conflict->preferred_claim_id, out);
      }
      out << "</div><p class=\"review\">newsclaim review " << HtmlEscape(conflict->id)
          << " --verdict confirmed|dismissed|resolved [--prefer CLAIM_ID] [--note TEXT]</p>"
             "</article>\n";
    }
    out << "</section>\n";
  }
  out << "</main></body></html>\n";
  return out.str();
}

// ---- Markdown ------------------------------------------------------------

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

std::string MarkdownLink(const std::string& url, const std::string& label) {
  if (!IsSafeLinkUrl(url)) return MarkdownEscape(label);
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
  return "[" + MarkdownEscape(label) + "](" + target + ")";
}

std::string HighlightedQuoteMarkdown(const std::string& quote, const std::string& figure) {
  const size_t at = figure.empty() ? std::string::npos : quote.find(figure);
  if (at == std::string::npos) return MarkdownEscape(quote);
  return MarkdownEscape(quote.substr(0, at)) + "**" + MarkdownEscape(figure) + "**" +
         MarkdownEscape(quote.substr(at + figure.size()));
}

std::string RenderMarkdown(const std::vector<Conflict>& conflicts, const StoreStats& stats) {
  std::ostringstream out;
  out << "# Where sources disagree\n\n" << MarkdownEscape(StatsLine(stats)) << "\n";
  const auto groups = BySubject(conflicts);
  if (groups.empty()) out << "\nNo conflicts: every compared figure agrees.\n";
  for (const auto& [subject, members] : groups) {
    out << "\n## " << MarkdownEscape(subject) << "\n";
    for (const Conflict* conflict : members) {
      out << "\n### " << MarkdownEscape(conflict->conflict_class) << " ("
          << MarkdownEscape(conflict->severity) << ", " << MarkdownEscape(conflict->status)
          << "): " << MarkdownEscape(conflict->key) << "\n\n"
          << MarkdownEscape(conflict->explanation) << "\n\n"
          << "| | figure | stated | read as | time | status | quote | source | published |\n"
          << "|---|---|---|---|---|---|---|---|---|\n";
      for (const Claim& claim : conflict->claims) {
        out << "| " << (claim.id == conflict->preferred_claim_id ? "★ preferred" : "") << " | "
            << MarkdownEscape(FigureText(claim)) << " | " << MarkdownEscape(StatedInterval(claim))
            << " | " << MarkdownEscape(ComparedInterval(claim)) << " | "
            << MarkdownEscape(TimeText(claim)) << " | "
            << MarkdownEscape(std::string(ClaimStatusName(claim.status))) << " | "
            << HighlightedQuoteMarkdown(claim.quote, claim.text) << " | "
            << MarkdownLink(claim.url, claim.title.empty() ? claim.url : claim.title) << " | "
            << MarkdownEscape(claim.published) << " |\n";
      }
      out << "\nReview: `newsclaim review " << conflict->id
          << " --verdict confirmed|dismissed|resolved`\n";
    }
  }
  return out.str();
}

std::string RenderJson(const std::vector<Conflict>& conflicts, const StoreStats& stats) {
  nlohmann::json stats_json = {
      {"pages", stats.pages},
      {"claims", stats.claims},
      {"superseded_claims", stats.superseded_claims},
      {"failures", stats.failures},
      {"conflicts", stats.conflicts},
      {"open_conflicts", stats.open_conflicts},
      {"reviews", stats.reviews},
      {"conflicts_by_class", stats.conflicts_by_class},
      {"claims_by_kind", stats.claims_by_kind},
  };
  nlohmann::json array = nlohmann::json::array();
  for (const Conflict& conflict : conflicts) array.push_back(internal::ConflictJson(conflict));
  return internal::Dump({{"stats", stats_json}, {"conflicts", array}}, 2) + "\n";
}

}  // namespace

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
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  return (starts_with_ci("http://") && url.size() > 7) ||
         (starts_with_ci("https://") && url.size() > 8);
}

std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml: return RenderHtml(conflicts, stats);
    case ReportFormat::kJson: return RenderJson(conflicts, stats);
    case ReportFormat::kMarkdown: break;
  }
  return RenderMarkdown(conflicts, stats);
}

}  // namespace newsclaim::store
