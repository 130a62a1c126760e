// store/report.h
// The contradiction report for reviewers (`newsclaim report`): conflicts
// grouped by subject, each with its class, severity, explanation, the claims
// side by side with quotes and sources, and the preferred figure. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/reconcile.h"

namespace newsclaim::store {

enum class ReportFormat { kMarkdown, kHtml, kJson };

// Renders the report. kHtml is one self-contained page (inline CSS and SVG,
// no scripts, no external assets) in which every text from pages is escaped
// and only http(s) URLs become links. kMarkdown escapes table cells (| and
// newlines) and Markdown punctuation in page text. kJson is
// {"stats": {...}, "conflicts": [CONFLICT, ...]} with the contract's
// conflict objects.
std::string RenderReport(const std::vector<Conflict>& conflicts, const StoreStats& stats,
                         ReportFormat format);

// HTML-escapes &, <, >, " and ' (for text and attribute values).
std::string HtmlEscape(std::string_view text);

// True for an absolute http:// or https:// URL (case-insensitive scheme)
// with no control characters: the only URLs the HTML report links.
bool IsSafeLinkUrl(std::string_view url);

}  // namespace newsclaim::store
