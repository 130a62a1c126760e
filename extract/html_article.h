// extract/html_article.h
// Reads the main article text and its metadata out of a decoded HTML page
// with gumbo: navigation, ads, comments, related links and rankings dropped;
// headings, paragraphs, lists and tables kept in reading order. The same
// parse yields the page's links, so the crawler needs no parser of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/page.h"

namespace newsclaim::extract {

// `html` is UTF-8 (see crawler/charset.h); `url` is the page's URL, used to
// resolve relative links and as a date hint. Never fails: a page with no
// recognisable article yields empty text.
//
// Article::text holds the body without the title heading: headings,
// paragraphs, list items, table rows (cells separated by '\t') and
// blockquotes in reading order, blocks separated by "\n\n", list items and
// table rows by "\n", <br> as "\n". Article::links holds every <a href>
// resolved against the page URL (or <base href>) as absolute http(s) URLs
// without fragment, in page order, de-duplicated, followed by the RSS and
// Atom feeds the page announces with <link rel="alternate">.
//
// Article::title, in confidence order: og:title, the JSON-LD headline,
// Markdown front matter, <h1>, <title>; a site name behind a separator is
// removed ("記事名 | サイト名", "記事名 : 日本経済新聞"), and when a heading
// placed as the headline (inside the article or before it) says what the
// metadata title says, the heading's wording is taken (it keeps subtitles
// and drops site names). Article::published, in confidence order: JSON-LD
// datePublished, article:published_time and kin, front matter, <time
// datetime>, a date in the URL path, a dateline next to the title
// (2025年11月3日, 2025/11/03, 2025.11.03, 令和7年11月3日, English forms), a
// labelled date (公開日, 配信開始日, Published), a date just before or at
// the start of the article, and last the modification date. Dates keep the
// offset the page gives; a "Z" value that repeats a zoned value's clock
// time is read as that zoned value. See extract/html_date.h for the forms.
//
// Work is linear in the size of the page. Input beyond 16 MiB and text
// beyond 4 MiB are ignored; links stop at the first kMaxPageLinks distinct
// <a> links, plus at most kMaxPageFeeds feeds.
Article ExtractArticle(std::string_view html, std::string_view url);

// Most distinct <a> links and announced feeds one page yields. A page with
// more links is a link farm or a sitemap rendered as HTML; real article
// pages have a few hundred.
inline constexpr size_t kMaxPageLinks = 10000;
inline constexpr size_t kMaxPageFeeds = 16;

// As above; also fills `text_source_offsets` (when not null) so that
// (*text_source_offsets)[i] is the byte offset in `html` of the character
// that produced code point i of the returned text, or -1 for a separator
// the extractor inserted (paragraph breaks, the space between two blocks,
// the tab between two cells). The vector has one entry per code point.
Article ExtractArticle(std::string_view html, std::string_view url,
                       std::vector<int64_t>* text_source_offsets);

}  // namespace newsclaim::extract
