// crawler/url.h
// URL parsing, resolution and canonicalisation for the frontier. Canonical
// form: lower-case scheme and host, default port dropped, fragment dropped,
// percent-encoding normalised, tracking parameters (utm_*, fbclid, gclid...)
// removed, empty path -> "/".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsclaim::crawler {

struct Url {
  std::string scheme;  // "http", "https"
  std::string host;    // lower case
  int port = 0;        // 0 when the scheme's default
  std::string path;    // begins with "/"
  std::string query;   // without "?"; empty when none

  std::string ToString() const;
  // "host" or "host:port": what robots.txt, delays and "same site" key on.
  std::string Authority() const;
};

// Parses an absolute http(s) URL; nullopt for anything else.
std::optional<Url> ParseUrl(std::string_view text);

// Resolves `href` against `base` (RFC 3986 section 5); nullopt when the
// result is not http(s) (mailto:, javascript:, data:...).
std::optional<Url> ResolveUrl(const Url& base, std::string_view href);

// The canonical form described above.
Url Canonicalize(Url url);

// Parse + Canonicalize + ToString; nullopt when not an http(s) URL.
std::optional<std::string> CanonicalUrl(std::string_view text);

// True when both URLs have the same scheme-independent authority.
bool SameSite(const Url& a, const Url& b);

}  // namespace newsclaim::crawler
