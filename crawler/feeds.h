// crawler/feeds.h
// Reads the URLs out of feeds (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) and
// sitemaps (urlset, sitemapindex, plain text, gzip-compressed, news sitemaps).
// Tolerant: a malformed document yields what can be salvaged plus warnings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace newsclaim::crawler {

enum class LinkListKind { kNotALinkList, kRss, kAtom, kRdf, kJsonFeed, kSitemap, kSitemapIndex, kSitemapText };

struct LinkListEntry {
  std::string url;        // as written (may be relative); the caller resolves it
  std::string published;  // ISO 8601 when the document gives one, else empty
  std::string title;
};

struct LinkList {
  LinkListKind kind = LinkListKind::kNotALinkList;
  std::vector<LinkListEntry> entries;  // for a sitemap index: the child sitemaps
  std::vector<std::string> warnings;   // e.g. "feed.xml: unclosed <item> at byte 812"
};

// The most entries ParseLinkList returns for one document, in document
// order; past it, one warning says the rest was ignored. sitemaps.org allows
// 50,000 URLs per sitemap; four times that covers the oversized ones real
// sites serve.
inline constexpr size_t kMaxLinkListEntries = 200'000;

// Sniffs `body` (already decompressed if it was gzip; see MaybeGunzip) and
// parses it when it is a feed or sitemap. `content_type` and `url` are hints
// only. kNotALinkList means: treat it as a page.
LinkList ParseLinkList(std::string_view body, std::string_view content_type,
                       std::string_view url);

// Returns the gunzipped bytes when `body` starts with the gzip magic, else
// `body` unchanged. Stops with an error past `max_bytes` of output or on a
// truncated/corrupt stream.
StatusOr<std::string> MaybeGunzip(std::string_view body, size_t max_bytes);

}  // namespace newsclaim::crawler
