// fuzz/robots_fuzzer.cc
// crawler/robots.h (RFC 9309): group selection, Allow/Disallow longest
// match with "*" and "$", percent-encoding, Crawl-delay, Sitemap. The body
// is matched against fixed paths and against paths taken from the input
// itself, so patterns and paths share bytes. Checked: parsing never fails,
// the crawl delay is finite and not negative, and "/robots.txt" is always
// allowed (RFC 9309 2.2.2).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crawler/robots.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 128 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size > kMaxInputBytes) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  for (std::string_view agent : {"newsclaim", "Googlebot", ""}) {
    const crawler::RobotsRules rules = crawler::RobotsRules::Parse(body, agent);
    FUZZ_CHECK(std::isfinite(rules.crawl_delay_seconds()));
    FUZZ_CHECK(rules.crawl_delay_seconds() >= 0);
    FUZZ_CHECK(rules.IsAllowed("/robots.txt"));
    for (std::string_view path : {"/", "/news/2025/11/a.html", "/private/leak.html?x=1",
                                  "/%E3%83%86%E3%82%B9%E3%83%88", "/a$b*c"}) {
      (void)rules.IsAllowed(path);
    }
    // Every line of the input, as a path.
    size_t start = 0;
    for (int lines = 0; start < body.size() && lines < 64; ++lines) {
      size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      std::string path = "/" + std::string(body.substr(start, std::min<size_t>(end - start, 256)));
      (void)rules.IsAllowed(path);
      start = end + 1;
    }
  }
  return 0;
}
