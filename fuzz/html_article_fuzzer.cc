// fuzz/html_article_fuzzer.cc
// extract/html_article.h: gumbo parse, boilerplate removal, title and date
// metadata, links. Checked: the offset map has one entry per code point of
// the text and points inside the input; links are absolute http(s) URLs;
// a well-formed UTF-8 page gives well-formed UTF-8 text and title.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "extract/html_article.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 512 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size > kMaxInputBytes) return 0;
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  // The URL feeds link resolution and the date-in-path hint.
  const std::string_view url = "https://news.example.jp/2025/11/03/article.html?id=1";

  std::vector<int64_t> offsets;
  const Article article = extract::ExtractArticle(html, url, &offsets);
  FUZZ_CHECK(static_cast<int64_t>(offsets.size()) == CodePointCount(article.text));
  for (int64_t offset : offsets) {
    FUZZ_CHECK(offset == -1 || (offset >= 0 && offset < static_cast<int64_t>(html.size())));
  }
  for (const std::string& link : article.links) {
    FUZZ_CHECK(link.starts_with("http://") || link.starts_with("https://"));
    FUZZ_CHECK(link.find('#') == std::string::npos);
  }
  if (fuzz::IsValidUtf8(html)) {
    FUZZ_CHECK(fuzz::IsValidUtf8(article.text));
    FUZZ_CHECK(fuzz::IsValidUtf8(article.title));
  }

  // The overload without offsets reads the same page the same way.
  const Article again = extract::ExtractArticle(html, url);
  FUZZ_CHECK(again.text == article.text);
  FUZZ_CHECK(again.title == article.title);
  FUZZ_CHECK(again.published == article.published);
  return 0;
}
