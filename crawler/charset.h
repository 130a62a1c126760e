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
                        // ("meta" also covers an <?xml encoding="..."?> declaration)
};

// Decodes `bytes`. `content_type` is the HTTP header value (may be empty).
// A declaration that valid UTF-8 bytes contradict loses to UTF-8. Fails only
// when no converter can be opened; undecodable bytes become U+FFFD.
StatusOr<DecodedDocument> DecodeDocument(std::string_view bytes,
                                         std::string_view content_type);

// How many leading bytes DecodeDocument gives the <meta> prescan. WHATWG
// suggests 1024 and lets browsers re-parse on a later <meta>; real Japanese
// pages often put <meta charset> after long <script>/<link> blocks (and
// html5lib's "multi-script" test puts it at byte ~8300), so we look at 16 KiB.
inline constexpr size_t kMetaPrescanBytes = 16 * 1024;

// Maps an encoding label ("Shift_JIS", " latin1 ", "x-sjis") to its canonical
// lower-case WHATWG name ("shift_jis", "windows-1252"); empty when the label
// is unknown or names the "replacement" encoding.
std::string CanonicalCharsetName(std::string_view label);

// WHATWG HTML "prescan a byte stream to determine its encoding" over the
// first `max_bytes` of `bytes`: the canonical name declared by a <meta
// charset> or <meta http-equiv=content-type content="...charset=...">, with
// utf-16be/le reported as utf-8 and x-user-defined as windows-1252 as the
// spec requires; empty when there is none.
std::string PrescanMetaCharset(std::string_view bytes,
                               size_t max_bytes = kMetaPrescanBytes);

// The canonical charset named by `charset=` in a Content-Type header value
// ("text/html; charset=\"Shift_JIS\""); empty when absent or unknown.
std::string CharsetFromContentType(std::string_view content_type);

}  // namespace newsclaim::crawler
