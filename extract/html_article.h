// extract/html_article.h
// Reads the main article text and its metadata out of a decoded HTML page
// with gumbo: navigation, ads, comments, related links and rankings dropped;
// headings, paragraphs, lists and tables kept in reading order. The same
// parse yields the page's links, so the crawler needs no parser of its own.
#pragma once

#include <string_view>

#include "base/page.h"

namespace newsclaim::extract {

// `html` is UTF-8 (see crawler/charset.h); `url` is the page's URL, used to
// resolve relative links and as a date hint. Never fails: a page with no
// recognisable article yields empty text.
Article ExtractArticle(std::string_view html, std::string_view url);

}  // namespace newsclaim::extract
