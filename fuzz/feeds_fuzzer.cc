// fuzz/feeds_fuzzer.cc
// crawler/feeds.h: sniffing and parsing of RSS 2.0, RSS 1.0/RDF, Atom,
// JSON Feed, sitemaps (urlset, index, text, news) and the gzip inflater.
// The last input byte picks the Content-Type and URL hints; the rest is the
// body. Checked: a link list is never larger than the input allows, a
// non-list has no entries, and gunzip honours its output cap.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crawler/feeds.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 256 * 1024;
constexpr size_t kMaxGunzipBytes = 1 << 20;

struct Hint {
  std::string_view content_type;
  std::string_view url;
};

constexpr Hint kHints[] = {
    {"", ""},
    {"application/rss+xml", "https://example.com/feed.xml"},
    {"application/atom+xml", "https://example.com/atom"},
    {"application/xml", "https://example.com/sitemap.xml"},
    {"text/plain", "https://example.com/sitemap.txt"},
    {"application/feed+json", "https://example.com/feed.json"},
    {"text/html", "https://example.com/"},
    {"application/x-gzip", "https://example.com/sitemap.xml.gz"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size > kMaxInputBytes) return 0;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  Hint hint;
  if (!body.empty()) {
    hint = kHints[static_cast<unsigned char>(body.back()) % std::size(kHints)];
    body.remove_suffix(1);
  }

  const crawler::LinkList list = crawler::ParseLinkList(body, hint.content_type, hint.url);
  if (list.kind == crawler::LinkListKind::kNotALinkList) FUZZ_CHECK(list.entries.empty());
  // Every entry needs at least a byte of its own in the body.
  FUZZ_CHECK(list.entries.size() <= body.size());
  for (const crawler::LinkListEntry& entry : list.entries) FUZZ_CHECK(!entry.url.empty());

  StatusOr<std::string> inflated = crawler::MaybeGunzip(body, kMaxGunzipBytes);
  if (inflated.ok()) {
    FUZZ_CHECK(inflated->size() <= kMaxGunzipBytes || *inflated == body);
    if (*inflated != body) {
      const crawler::LinkList inner =
          crawler::ParseLinkList(*inflated, hint.content_type, hint.url);
      FUZZ_CHECK(inner.entries.size() <= inflated->size());
    }
  }
  return 0;
}
