// extract/html_url.h
// Resolves the links found in an HTML page against the page URL, the way a
// browser does for <a href>: RFC 3986 section 5.2 reference resolution plus
// the few WHATWG URL leniencies real pages rely on. Used by html_article.cc
// only; the crawler canonicalises URLs with its own code.
#pragma once

#include <string>
#include <string_view>

namespace newsclaim::extract {

// Resolves `reference` (an href value, as written in the page) against the
// absolute URL `base`. Returns the absolute URL without its fragment, or an
// empty string when the result is not an http or https URL (mailto:,
// javascript:, a bare "#top", an unusable base, ...).
//
// Following RFC 3986: 5.2.2 (transform references), 5.2.3 (merge paths) and
// 5.2.4 (remove dot segments). Following WHATWG URL: leading and trailing
// C0/space characters are trimmed, tabs and newlines removed, "\" read as
// "/" in http(s) URLs, scheme and host lower-cased, a default port dropped,
// an empty path written as "/", and spaces and control bytes
// percent-encoded. Non-ASCII bytes are left as they are (UTF-8).
std::string ResolveUrl(std::string_view base, std::string_view reference);

}  // namespace newsclaim::extract
