// fuzz/url_fuzzer.cc
// crawler/url.h: lenient http(s) parsing, RFC 3986 reference resolution and
// the frontier's canonical form. The input is split at its first newline
// into a base URL and a reference (without one, the whole input is both).
// Checked: canonicalisation is idempotent (the frontier's de-duplication
// depends on it), a canonical URL parses back to itself, resolution yields
// http(s) URLs without raw spaces, and SameSite is symmetric.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crawler/url.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 8 * 1024;

void CheckCanonical(std::string_view text) {
  using namespace newsclaim::crawler;
  const std::optional<std::string> canonical = CanonicalUrl(text);
  if (!canonical) return;
  FUZZ_CHECK(canonical->starts_with("http://") || canonical->starts_with("https://"));
  FUZZ_CHECK(canonical->find(' ') == std::string::npos);
  FUZZ_CHECK(canonical->find('#') == std::string::npos);
  const std::optional<std::string> again = CanonicalUrl(*canonical);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *canonical);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim::crawler;
  if (size > kMaxInputBytes) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view base_text = input.substr(0, newline);
  const std::string_view href =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  CheckCanonical(base_text);
  CheckCanonical(href);

  std::optional<Url> base = ParseUrl(base_text);
  if (!base) base = ParseUrl("https://news.example.jp/a/b/c.html?q=1");
  FUZZ_CHECK(base.has_value());
  (void)base->ToString();
  (void)base->Authority();
  const std::optional<Url> resolved = ResolveUrl(*base, href);
  if (resolved) {
    FUZZ_CHECK(resolved->scheme == "http" || resolved->scheme == "https");
    const std::string text = resolved->ToString();
    CheckCanonical(text);
    FUZZ_CHECK(SameSite(*base, *resolved) == SameSite(*resolved, *base));
  }
  return 0;
}
