// fuzz/charset_fuzzer.cc
// crawler/charset.h: BOM / header / <meta> prescan / ICU detection, then
// decoding. The last input byte picks the Content-Type header the document
// arrives with; the rest is the document. Checked: decoding never fails,
// the output is well-formed UTF-8, the charset is a canonical name, and the
// label helpers agree with one another.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crawler/charset.h"
#include "fuzz/fuzz_support.h"

namespace {

constexpr size_t kMaxInputBytes = 256 * 1024;

constexpr std::string_view kContentTypes[] = {
    "",
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=Shift_JIS",
    "text/html; charset=\"euc-jp\"",
    "text/html;charset=iso-2022-jp",
    "text/html; charset=x-sjis",
    "text/plain; charset=utf-16le",
    "text/html; charset=unknown-label",
    "application/xml; charset=windows-1252",
    "text/html; charset=",
    "text/html; charset=gb18030",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size > kMaxInputBytes) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view content_type;
  if (!input.empty()) {
    const unsigned char selector = static_cast<unsigned char>(input.back());
    content_type = kContentTypes[selector % std::size(kContentTypes)];
    input.remove_suffix(1);
  }

  StatusOr<crawler::DecodedDocument> decoded = crawler::DecodeDocument(input, content_type);
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(fuzz::IsValidUtf8(decoded->utf8));
  FUZZ_CHECK(!decoded->charset.empty());
  FUZZ_CHECK(crawler::CanonicalCharsetName(decoded->charset) == decoded->charset);
  FUZZ_CHECK(decoded->source == "bom" || decoded->source == "header" ||
             decoded->source == "meta" || decoded->source == "detected" ||
             decoded->source == "default");

  // The prescan and the label table on their own: whatever they name is
  // canonical (a fixed point of CanonicalCharsetName).
  const std::string meta = crawler::PrescanMetaCharset(input);
  if (!meta.empty()) FUZZ_CHECK(crawler::CanonicalCharsetName(meta) == meta);
  const std::string_view label = input.substr(0, 64);
  const std::string canonical = crawler::CanonicalCharsetName(label);
  if (!canonical.empty()) FUZZ_CHECK(crawler::CanonicalCharsetName(canonical) == canonical);
  const std::string from_header = crawler::CharsetFromContentType(input.substr(0, 512));
  if (!from_header.empty()) {
    FUZZ_CHECK(crawler::CanonicalCharsetName(from_header) == from_header);
  }
  return 0;
}
