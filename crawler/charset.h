// crawler/charset.h
// Turns the bytes of a fetched or local document into UTF-8, choosing the
// charset the way a browser does (WHATWG Encoding, "determine the character
// encoding"): BOM, then the HTTP Content-Type, then a <meta> prescan, then
// detection with ICU. Shift_JIS is decoded as windows-31j (CP932).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace newsclaim::crawler {

struct DecodedDocument {
  std::string utf8;     // the document as UTF-8
  std::string charset;  // canonical lower-case WHATWG name used, e.g. "shift_jis"
  std::string source;   // what decided: "bom", "header", "meta", "detected", "default"
};

// Decodes `bytes`. `content_type` is the HTTP header value (may be empty).
// A declaration that valid UTF-8 bytes contradict loses to UTF-8. Fails only
// when no converter can be opened; undecodable bytes become U+FFFD.
StatusOr<DecodedDocument> DecodeDocument(std::string_view bytes,
                                         std::string_view content_type);

}  // namespace newsclaim::crawler
