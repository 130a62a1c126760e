// extract/html_date.h
// Reads publication and modification dates as pages write them (metadata
// values, URL paths, datelines) and normalises them to ISO 8601. Used by
// html_article.cc for Article::published and Article::modified.
#pragma once

#include <string>
#include <string_view>

namespace newsclaim::extract {

// Normalises one date value from metadata (JSON-LD, <meta content>,
// <time datetime>). Accepts ISO 8601 / RFC 3339 ("2025-11-01",
// "2025-11-01T09:30:00+09:00", "2025-11-01 09:30:00 +0900",
// "2025/11/01"), RFC 822 ("Sat, 01 Nov 2025 09:30:00 GMT"), Japanese
// ("2025年11月1日") and English ("November 1, 2025", "1 Nov 2025") dates.
// Returns "YYYY-MM-DD" when the value has no time of day, else
// "YYYY-MM-DDTHH:MM:SS" followed by the offset exactly as given ("Z" for
// Z/GMT/UTC, "+09:00" for +0900), or no offset when none was given.
// Returns "" when no valid date (years 1990-2099) is found.
std::string NormalizeDate(std::string_view value);

// A date in a URL path: /2025/11/01/, /2025-11-01, /20251101 at the start
// of a path segment. Returns "YYYY-MM-DD" or "".
std::string FindDateInUrl(std::string_view url);

// The first date written in running text ("2025年11月1日", "2025/11/01",
// "2025-11-01", "2025.11.1", "November 1, 2025", "1 November 2025",
// Japanese era dates "令和7年11月3日" and "平成31年4月1日", and all of these
// in full-width digits). Returns "YYYY-MM-DD" or "".
std::string FindDateInText(std::string_view text);

enum class DateLabel { kPublished, kModified };

// The first date that follows a label saying what it is, with at most a
// few spaces, colons or brackets between them: "公開日：2025/11/03",
// "配信開始日 2019/3/5", "Published: Nov 3, 2025" for kPublished;
// "最終更新日：2019/02/22", "更新日 2025年11月4日", "Updated Nov 4, 2025"
// for kModified. Date forms as for FindDateInText. Returns "YYYY-MM-DD"
// or "".
std::string FindLabelledDate(std::string_view text, DateLabel label);

}  // namespace newsclaim::extract
