// store/report.h
// What reviewers and analysts read out of the store: the contradiction report
// (`newsclaim report`: conflicts grouped by subject, each with its class,
// severity, explanation, the claims side by side with quotes and sources, and
// the preferred figure and why), the terminal tables and filters of `query`
// and `conflicts`, and the review history those commands show. Rendering is
// pure; only LoadReviewSummaries and ResolveSubjectAlias read the database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/database.h"
#include "store/reconcile.h"

namespace newsclaim::store {

enum class ReportFormat { kMarkdown, kHtml, kJson };

// What reviewers did with one conflict.
struct ReviewSummary {
  std::string verdict;             // latest verdict; empty when never reviewed
  std::string preferred_claim_id;  // the latest review's --prefer; empty when none
  std::string note;                // the latest review's note
  std::string at;                  // when the latest review was recorded (ISO 8601 UTC)
  int reviews = 0;                 // verdicts recorded on the conflict so far
  // The reviewed conflict this one reopens (new evidence joined it), or empty.
  std::string reopened_from;
  std::string reopened_verdict;  // that conflict's latest verdict
};

// Keyed by conflict id. A conflict without an entry was never reviewed.
using ReviewSummaries = std::map<std::string, ReviewSummary>;

// Reads every conflict's latest review, review count and reopened_from from
// the newsclaim database at `db_path`, which Database::Open must already have
// opened (and migrated). Reads only. IoError when the file cannot be opened
// or queried; Corruption when it is not SQLite.
//
// Database::ListConflicts folds the latest review into status and
// explanation only; this is the structured form the tables and the report
// show.
StatusOr<ReviewSummaries> LoadReviewSummaries(const std::filesystem::path& db_path);

// The canonical entity name for `name` from the database's entities and
// aliases tables: `name` itself when it is a canonical name, the entity of
// an alias that matches it exactly or case-insensitively (ASCII) otherwise,
// std::nullopt when nothing matches. IoError as LoadReviewSummaries.
StatusOr<std::optional<std::string>> ResolveSubjectAlias(const std::filesystem::path& db_path,
                                                         std::string_view name);

// ---- the report --------------------------------------------------------------

// Renders the report. kHtml is one self-contained page (inline CSS and SVG,
// no scripts, a Content-Security-Policy that forbids them and any fetch, no
// external assets) in which every text from pages is escaped and only http(s)
// URLs become links; each subject with revisions gets an SVG timeline.
// kMarkdown escapes table cells (| and newlines), raw HTML and Markdown
// punctuation in page text. kJson is
// {"stats": {...}, "subjects": [{"subject", "conflicts": [ID, ...]}, ...],
//  "conflicts": [CONFLICT, ...]} where each CONFLICT has exactly the
// contract's fields plus "preferred_reason", "preferred_by"
// ("store"|"reviewer"|null), "review" (null or {"verdict", "prefer", "note",
// "at", "reviews"}) and "reopened_from" (null or an id), and each claim the
// contract's fields plus "site" and "quote_url".
std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         const ReviewSummaries& reviews, ReportFormat format);

// The same without review history.
std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         ReportFormat format);

// Which member claim a conflict prefers, and why, for people.
struct Preference {
  std::string claim_id;  // empty when neither the store nor a reviewer prefers one
  std::string figure;    // that claim's figure as written, e.g. "26万枚"
  std::string reason;    // e.g. "the most specific figure (...)"; never empty
  bool by_reviewer = false;
};

// The preference of `conflict` (as ListConflicts returns it: preferred id
// already overridden by a reviewer's --prefer). The reason is the store's
// "Preferred: ..." / "No preference: ..." sentence of the explanation, or
// the reviewer's note when the latest review chose the claim.
Preference PreferenceOf(const Conflict& conflict, const ReviewSummary* review);

// The explanation without the preference and reviewer sentences that
// PreferenceOf and the review line show separately.
std::string ExplanationWithoutPreference(std::string_view explanation);

// HTML-escapes &, <, >, " and ' (for text and attribute values).
std::string HtmlEscape(std::string_view text);

// True for an absolute http:// or https:// URL (case-insensitive scheme)
// with no control characters: the only URLs the HTML report links.
bool IsSafeLinkUrl(std::string_view url);

// `url` with a text fragment (WICG "Scroll To Text Fragment",
// #:~:text=start[,end]) that makes a browser scroll to and highlight
// `quote`: the whole quote when short, else its first and last 16 code
// points. Fragment text is percent-encoded (everything but ASCII letters,
// digits and "._~"; "-", "," and "&" are syntax there). A URL that already
// has a fragment gets ":~:text=" appended to it. Returns `url` unchanged when
// the quote is empty and "" when the URL is not IsSafeLinkUrl.
std::string TextFragmentUrl(std::string_view url, std::string_view quote);

// The site a page came from, for people: the URL's host without "www." and
// port ("nikkei.com"), "local file" for file: URLs, "" when there is none.
std::string SiteOf(std::string_view url);

// ---- query and conflicts tables -----------------------------------------------

// Filters of `query` beyond the contract's (which Database::QueryClaims
// applies). Empty fields match anything; text comparisons ignore ASCII case.
struct ClaimRefinement {
  std::string product;       // equal to the claim's product
  std::string lang;          // "ja" or "en"
  std::string site;          // SiteOf(url) equal to it or a subdomain of it
  std::string status;        // announced|planned|delivered|operational|none
  std::string counterparty;  // equal to the claim's counterparty
  std::string contains;      // a substring of the quote, figure text or title
  std::string rule;          // a prefix of the rule id
  std::string published_since;  // the page's publication date, inclusive
  std::string published_until;
};

// Whether `claim` passes every set field of `refinement`.
bool MatchesRefinement(const Claim& claim, const ClaimRefinement& refinement);

// Terminal columns `text` takes: East Asian wide and full-width characters
// count 2, combining marks and zero-width characters 0, others 1.
int DisplayWidth(std::string_view text);

// `text` cut to at most `columns` display columns, ending in "…" when cut.
// Newlines and tabs become spaces.
std::string FitToWidth(std::string_view text, int columns);

// Up to `columns` display columns of `quote` around the first occurrence of
// `figure`, with "…" at each cut end, so the figure stays visible.
std::string QuoteAround(std::string_view quote, std::string_view figure, int columns);

// Aligned columns for a terminal `width` columns wide: ID, KIND, SUBJECT,
// FIGURE, TIME, STATUS, PUBLISHED, SITE, and QUOTE (truncated around the
// figure to fill the rest of the line, at least 24 columns), then a count
// line.
std::string ClaimsTable(const std::vector<Claim>& claims, int width);

// One block per conflict: id, class, severity, status and latest verdict
// (with note, date and review count; "reopened" with the old id), key,
// the member figures with the preferred one starred, and the explanation;
// then a count line by status.
std::string ConflictsTable(const std::vector<Conflict>& conflicts,
                           const ReviewSummaries& reviews, int width);

// {"conflicts": [CONFLICT, ...]} on one line: the contract's conflict objects
// with the report's additions (see RenderReport's kJson).
std::string ConflictsJson(const std::vector<Conflict>& conflicts,
                          const ReviewSummaries& reviews);

}  // namespace newsclaim::store
