// crawler/charset.cc
// Charset choice per WHATWG Encoding ("decode", BOM sniffing), WHATWG HTML
// ("determine the character encoding" and "prescan a byte stream"), then ICU
// converters for the actual decoding.
//
// Order of evidence, first one that names a usable encoding wins:
//   1. BOM (UTF-8, UTF-16LE, UTF-16BE); the BOM is stripped from the output.
//   2. charset= in the HTTP Content-Type.
//   3. <?xml ... encoding="..."?> at the very start (feeds, XHTML), then the
//      <meta> prescan over the first kMetaPrescanBytes (16 KiB, not 1024: see
//      charset.h).
//   4. Bytes that are valid UTF-8: "utf-8" (pure ASCII is reported as utf-8
//      with source "default", since every ASCII-compatible charset agrees).
//   5. 7-bit bytes with ISO-2022-JP escape sequences: "iso-2022-jp". Else ICU
//      detection (ucsdet) over the first kDetectBytes, tags filtered out;
//      when ucsdet is unsure (confidence < 50, typical for short pages), the
//      reading as Shift_JIS or EUC-JP that looks most Japanese wins, since
//      this crawler reads Japanese and English news.
//   6. windows-1252, the WHATWG fallback for an unknown locale.
// A declaration from step 2 or 3 loses when the bytes are valid UTF-8 and
// contain non-ASCII: legacy multibyte text is essentially never valid UTF-8,
// while CMS templates that keep an old "Shift_JIS"/"gb2312" label on UTF-8
// output are common (mercury-ja, readability-cjk). Such a result is reported
// as source "detected".
//
// Known limits: "replacement" labels (iso-2022-kr, hz-gb-2312...) are treated
// as unknown rather than decoding to a single U+FFFD; iso-8859-16 has no ICU
// converter in Debian's ICU data and falls through to detection.

#include "crawler/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/utf8.h"

namespace newsclaim::crawler {
namespace {

constexpr size_t kDetectBytes = 64 * 1024;
// ucsdet reports 0-100; below this its guess is noise (it says ISO-8859-1 with
// ~15 for most Latin text, which is also our fallback).
constexpr int32_t kMinDetectConfidence = 10;
// Below this, a CJK guess is checked against how Japanese each reading looks.
constexpr int32_t kConfidentDetection = 50;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Position of `needle` (lower case) in `s` ignoring ASCII case, or npos.
size_t FindIgnoreCase(std::string_view s, std::string_view needle, size_t from) {
  if (needle.size() > s.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (StartsWithIgnoreCase(s.substr(i), needle)) return i;
  }
  return std::string_view::npos;
}

// WHATWG Encoding, "Encodings" table: label -> name. All WHATWG encodings are
// covered; "cp932" is our addition (common in Japanese pages, not a WHATWG
// label).
const std::unordered_map<std::string_view, std::string_view>& LabelTable() {
  static const auto* table = [] {
    struct Group {
      std::string_view name;
      std::initializer_list<std::string_view> labels;
    };
    const Group groups[] = {
        {"utf-8", {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
                   "x-unicode20utf8"}},
        {"ibm866", {"866", "cp866", "csibm866", "ibm866"}},
        {"iso-8859-2", {"csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                        "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"}},
        {"iso-8859-3", {"csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                        "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"}},
        {"iso-8859-4", {"csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                        "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"}},
        {"iso-8859-5", {"csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144",
                        "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988"}},
        {"iso-8859-6", {"arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                        "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                        "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"}},
        {"iso-8859-7", {"csisolatingreek", "ecma-118", "elot_928", "greek", "greek8",
                        "iso-8859-7", "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7",
                        "iso_8859-7:1987", "sun_eu_greek"}},
        {"iso-8859-8", {"csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8",
                        "iso-8859-8-e", "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8",
                        "iso_8859-8:1988", "visual"}},
        {"iso-8859-8-i", {"csiso88598i", "iso-8859-8-i", "logical"}},
        {"iso-8859-10", {"csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10",
                         "iso885910", "l6", "latin6"}},
        {"iso-8859-13", {"iso-8859-13", "iso8859-13", "iso885913"}},
        {"iso-8859-14", {"iso-8859-14", "iso8859-14", "iso885914"}},
        {"iso-8859-15", {"csisolatin9", "iso-8859-15", "iso8859-15", "iso885915",
                         "iso_8859-15", "l9"}},
        {"iso-8859-16", {"iso-8859-16"}},
        {"koi8-r", {"cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"}},
        {"koi8-u", {"koi8-ru", "koi8-u"}},
        {"macintosh", {"csmacintosh", "mac", "macintosh", "x-mac-roman"}},
        {"windows-874", {"dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620",
                         "windows-874"}},
        {"windows-1250", {"cp1250", "windows-1250", "x-cp1250"}},
        {"windows-1251", {"cp1251", "windows-1251", "x-cp1251"}},
        {"windows-1252", {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1",
                          "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591",
                          "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
                          "windows-1252", "x-cp1252"}},
        {"windows-1253", {"cp1253", "windows-1253", "x-cp1253"}},
        {"windows-1254", {"cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9",
                          "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5",
                          "windows-1254", "x-cp1254"}},
        {"windows-1255", {"cp1255", "windows-1255", "x-cp1255"}},
        {"windows-1256", {"cp1256", "windows-1256", "x-cp1256"}},
        {"windows-1257", {"cp1257", "windows-1257", "x-cp1257"}},
        {"windows-1258", {"cp1258", "windows-1258", "x-cp1258"}},
        {"x-mac-cyrillic", {"x-mac-cyrillic", "x-mac-ukrainian"}},
        {"gbk", {"chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80",
                 "gbk", "iso-ir-58", "x-gbk"}},
        {"gb18030", {"gb18030"}},
        {"big5", {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"}},
        {"euc-jp", {"cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"}},
        {"iso-2022-jp", {"csiso2022jp", "iso-2022-jp"}},
        {"shift_jis", {"csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
                       "windows-31j", "x-sjis", "cp932"}},
        {"euc-kr", {"cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean",
                    "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601",
                    "windows-949"}},
        {"utf-16be", {"unicodefffe", "utf-16be"}},
        {"utf-16le", {"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff",
                      "utf-16", "utf-16le"}},
        {"x-user-defined", {"x-user-defined"}},
    };
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    for (const Group& group : groups) {
      for (std::string_view label : group.labels) (*map)[label] = group.name;
    }
    return map;
  }();
  return *table;
}

// ICU converter for a canonical WHATWG name. WHATWG's Shift_JIS, EUC-KR, GBK
// and Big5 are the Microsoft/HKSCS supersets, hence the ICU names below.
const char* IcuConverterName(std::string_view name) {
  if (name == "shift_jis") return "windows-31j";
  if (name == "euc-jp") return "EUC-JP";
  if (name == "iso-2022-jp") return "ISO-2022-JP";
  if (name == "gbk" || name == "gb18030") return "GB18030";
  if (name == "big5") return "Big5-HKSCS";
  if (name == "euc-kr") return "windows-949";
  if (name == "utf-8") return "UTF-8";
  if (name == "utf-16le") return "UTF-16LE";
  if (name == "utf-16be") return "UTF-16BE";
  if (name == "ibm866") return "IBM866";
  if (name == "iso-8859-8-i") return "ISO-8859-8";
  if (name == "x-user-defined") return "windows-1252";
  if (name.starts_with("iso-8859-")) {
    static const std::unordered_map<std::string_view, const char*> kIso = {
        {"iso-8859-2", "ISO-8859-2"},   {"iso-8859-3", "ISO-8859-3"},
        {"iso-8859-4", "ISO-8859-4"},   {"iso-8859-5", "ISO-8859-5"},
        {"iso-8859-6", "ISO-8859-6"},   {"iso-8859-7", "ISO-8859-7"},
        {"iso-8859-8", "ISO-8859-8"},   {"iso-8859-10", "ISO-8859-10"},
        {"iso-8859-13", "ISO-8859-13"}, {"iso-8859-14", "ISO-8859-14"},
        {"iso-8859-15", "ISO-8859-15"}, {"iso-8859-16", "ISO-8859-16"}};
    auto it = kIso.find(name);
    return it == kIso.end() ? nullptr : it->second;
  }
  static const std::unordered_map<std::string_view, const char*> kOther = {
      {"koi8-r", "KOI8-R"},           {"koi8-u", "KOI8-U"},
      {"macintosh", "macintosh"},     {"x-mac-cyrillic", "x-mac-cyrillic"},
      {"windows-874", "windows-874"}, {"windows-1250", "windows-1250"},
      {"windows-1251", "windows-1251"}, {"windows-1252", "windows-1252"},
      {"windows-1253", "windows-1253"}, {"windows-1254", "windows-1254"},
      {"windows-1255", "windows-1255"}, {"windows-1256", "windows-1256"},
      {"windows-1257", "windows-1257"}, {"windows-1258", "windows-1258"}};
  auto it = kOther.find(name);
  return it == kOther.end() ? nullptr : it->second;
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// toUnicode callback: every illegal or unassigned sequence becomes one U+FFFD
// (ICU's stock SUBSTITUTE callback writes U+001A for single-byte charsets).
void ToUnicodeReplacement(const void* /*context*/, UConverterToUnicodeArgs* args,
                          const char* /*bytes*/, int32_t /*length*/,
                          UConverterCallbackReason reason, UErrorCode* error) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone
  *error = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, error);
}

// Decodes `bytes` from the ICU charset `icu_name` into UTF-8.
StatusOr<std::string> ConvertToUtf8(std::string_view bytes, const char* icu_name) {
  UErrorCode error = U_ZERO_ERROR;
  ConverterPtr source(ucnv_open(icu_name, &error));
  if (U_FAILURE(error)) {
    return InternalError(std::string("cannot open ICU converter ") + icu_name + ": " +
                         u_errorName(error));
  }
  error = U_ZERO_ERROR;
  ConverterPtr target(ucnv_open("UTF-8", &error));
  if (U_FAILURE(error)) {
    return InternalError(std::string("cannot open ICU UTF-8 converter: ") + u_errorName(error));
  }
  ucnv_setToUCallBack(source.get(), ToUnicodeReplacement, nullptr, nullptr, nullptr, &error);
  if (U_FAILURE(error)) {
    return InternalError(std::string("ucnv_setToUCallBack: ") + u_errorName(error));
  }

  std::string out;
  out.resize(bytes.size() + bytes.size() / 2 + 16);
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  const char* in = bytes.data();
  const char* in_end = bytes.data() + bytes.size();
  size_t written = 0;
  bool reset = true;
  while (true) {
    char* out_begin = out.data() + written;
    char* out_ptr = out_begin;
    error = U_ZERO_ERROR;
    ucnv_convertEx(target.get(), source.get(), &out_ptr, out.data() + out.size(), &in, in_end,
                   pivot, &pivot_source, &pivot_target, pivot + std::size(pivot), reset,
                   /*flush=*/true, &error);
    reset = false;
    written += static_cast<size_t>(out_ptr - out_begin);
    if (error == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(out.size() * 2);
      continue;
    }
    if (U_FAILURE(error)) {
      return InternalError(std::string("decoding as ") + icu_name + ": " + u_errorName(error));
    }
    break;
  }
  out.resize(written);
  return out;
}

// Returns true when `bytes` is well-formed UTF-8 (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF). `has_non_ascii` reports any byte >= 0x80.
bool IsValidUtf8(std::string_view bytes, bool* has_non_ascii) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  *has_non_ascii = false;
  while (p < end) {
    // Skip ASCII eight bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (word & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p >= end) break;
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    *has_non_ascii = true;
    const int length = WellFormedUtf8Length(
        bytes, static_cast<size_t>(p - reinterpret_cast<const unsigned char*>(bytes.data())));
    if (length == 0) return false;
    p += length;
  }
  return true;
}

// --- WHATWG HTML prescan ---------------------------------------------------

bool IsPrescanSpace(char c) {
  return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct Attribute {
  std::string name;
  std::string value;
};

// "get an attribute". Returns false when there is no attribute (at '>') or
// when the input ends first; the prescan stops in the latter case.
bool GetAttribute(std::string_view s, size_t& pos, Attribute& attr, bool& hit_end) {
  hit_end = false;
  attr.name.clear();
  attr.value.clear();
  auto at_end = [&] {
    if (pos >= s.size()) {
      hit_end = true;
      return true;
    }
    return false;
  };
  while (true) {
    if (at_end()) return false;
    char c = s[pos];
    if (IsPrescanSpace(c) || c == '/') {
      ++pos;
      continue;
    }
    break;
  }
  if (s[pos] == '>') return false;
  // Name.
  while (true) {
    if (at_end()) return false;
    char c = s[pos];
    if (c == '=' && !attr.name.empty()) {
      ++pos;
      break;  // to the value
    }
    if (IsPrescanSpace(c)) {
      while (true) {
        if (at_end()) return false;
        if (!IsPrescanSpace(s[pos])) break;
        ++pos;
      }
      if (s[pos] != '=') return true;  // attribute without a value
      ++pos;
      break;
    }
    if (c == '/' || c == '>') return true;
    attr.name.push_back(AsciiLower(c));
    ++pos;
  }
  // Value.
  while (true) {
    if (at_end()) return false;
    if (!IsPrescanSpace(s[pos])) break;
    ++pos;
  }
  char c = s[pos];
  if (c == '"' || c == '\'') {
    const char quote = c;
    ++pos;
    while (true) {
      if (at_end()) return false;
      if (s[pos] == quote) {
        ++pos;
        return true;
      }
      attr.value.push_back(AsciiLower(s[pos]));
      ++pos;
    }
  }
  if (c == '>') return true;
  attr.value.push_back(AsciiLower(c));
  ++pos;
  while (true) {
    if (at_end()) return false;
    c = s[pos];
    if (IsPrescanSpace(c) || c == '>') return true;
    attr.value.push_back(AsciiLower(c));
    ++pos;
  }
}

// WHATWG HTML "algorithm for extracting a character encoding from a meta
// element": the raw label after "charset=" in a content attribute, or empty.
std::string ExtractCharsetFromContent(std::string_view content) {
  size_t pos = 0;
  while (true) {
    size_t found = FindIgnoreCase(content, "charset", pos);
    if (found == std::string_view::npos) return "";
    pos = found + 7;
    while (pos < content.size() && IsPrescanSpace(content[pos])) ++pos;
    if (pos >= content.size()) return "";
    if (content[pos] != '=') continue;
    ++pos;
    while (pos < content.size() && IsPrescanSpace(content[pos])) ++pos;
    if (pos >= content.size()) return "";
    char c = content[pos];
    if (c == '"' || c == '\'') {
      size_t close = content.find(c, pos + 1);
      if (close == std::string_view::npos) return "";
      return std::string(content.substr(pos + 1, close - pos - 1));
    }
    size_t stop = pos;
    while (stop < content.size() && !IsPrescanSpace(content[stop]) && content[stop] != ';') {
      ++stop;
    }
    return std::string(content.substr(pos, stop - pos));
  }
}

// The canonical name in `<?xml version="1.0" encoding="..."?>` at the start
// of `bytes` (XML 1.0 section 4.3.3), or empty.
std::string XmlDeclarationCharset(std::string_view bytes) {
  size_t start = 0;
  while (start < bytes.size() && start < 64 && IsAsciiSpace(bytes[start])) ++start;
  if (bytes.substr(start, 5) != "<?xml") return "";
  size_t end = bytes.find("?>", start);
  if (end == std::string_view::npos || end - start > 512) return "";
  std::string_view decl = bytes.substr(start + 5, end - start - 5);
  size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return "";
  pos += 8;
  while (pos < decl.size() && IsAsciiSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || decl[pos] != '=') return "";
  ++pos;
  while (pos < decl.size() && IsAsciiSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || (decl[pos] != '"' && decl[pos] != '\'')) return "";
  size_t close = decl.find(decl[pos], pos + 1);
  if (close == std::string_view::npos) return "";
  return CanonicalCharsetName(decl.substr(pos + 1, close - pos - 1));
}

// True when 7-bit `bytes` hold an ISO-2022-JP designation (RFC 1468): ESC $ @,
// ESC $ B (JIS X 0208) or ESC ( J (JIS X 0201 Roman).
bool LooksLikeIso2022Jp(std::string_view bytes) {
  return bytes.find("\x1b$B") != std::string_view::npos ||
         bytes.find("\x1b$@") != std::string_view::npos ||
         bytes.find("\x1b(J") != std::string_view::npos;
}

// How Japanese `utf8` looks: full-width kana and kanji score, U+FFFD and
// half-width katakana (what EUC-JP bytes look like when read as Shift_JIS)
// count against.
int JapaneseScore(std::string_view utf8) {
  int score = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    cp = c & (0xFF >> (length + 1));
    for (int k = 1; k < length && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    i += length;
    if (cp == 0xFFFD) {
      score -= 20;
    } else if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
               (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF5E)) {
      score += 1;
    } else if (cp >= 0xFF61 && cp <= 0xFF9F) {
      score -= 1;
    } else {
      score -= 2;  // Latin-1 letters, Hangul, symbols: not what Japanese decodes to
    }
  }
  return score;
}

// When ucsdet cannot tell (short texts score 10 for everything), our corpus
// makes Japanese the best bet: the legacy Japanese charset whose decoding
// looks most like Japanese, or empty when neither looks like it.
std::string GuessJapaneseLegacy(std::string_view bytes) {
  std::string best;
  int best_score = 0;
  for (const char* name : {"shift_jis", "euc-jp"}) {
    auto decoded = ConvertToUtf8(bytes.substr(0, kDetectBytes), IcuConverterName(name));
    if (!decoded.ok()) continue;
    int score = JapaneseScore(*decoded);
    if (score > best_score) {
      best_score = score;
      best = name;
    }
  }
  return best;
}

// The best ucsdet guess with a known WHATWG name, or empty.
std::string DetectWithIcu(std::string_view bytes) {
  UErrorCode error = U_ZERO_ERROR;
  UCharsetDetector* detector = ucsdet_open(&error);
  if (U_FAILURE(error)) return "";
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> closer(detector, ucsdet_close);
  std::string_view sample = bytes.substr(0, kDetectBytes);
  ucsdet_setText(detector, sample.data(), static_cast<int32_t>(sample.size()), &error);
  ucsdet_enableInputFilter(detector, true);  // ignore <tags>
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector, &count, &error);
  if (U_FAILURE(error)) return "";
  for (int32_t i = 0; i < count; ++i) {
    UErrorCode match_error = U_ZERO_ERROR;
    int32_t confidence = ucsdet_getConfidence(matches[i], &match_error);
    const char* name = ucsdet_getName(matches[i], &match_error);
    if (U_FAILURE(match_error) || name == nullptr) continue;
    if (confidence < kMinDetectConfidence) break;  // sorted by confidence
    // An unsure ucsdet lists every CJK charset at 10; a single-byte guess this
    // weak is no better than the windows-1252 fallback.
    if (confidence < kConfidentDetection) return GuessJapaneseLegacy(bytes);
    std::string canonical = CanonicalCharsetName(name);
    // UTF-8 was already ruled out by validation; UTF-16/32 guesses without a
    // BOM on a web document are nearly always wrong.
    if (canonical.empty() || canonical == "utf-8" || canonical.starts_with("utf-16")) continue;
    return canonical;
  }
  return "";
}

}  // namespace

std::string CanonicalCharsetName(std::string_view label) {
  label = TrimAsciiSpace(label);
  if (label.empty() || label.size() > 40) return "";
  std::string lower(label);
  for (char& c : lower) c = AsciiLower(c);
  const auto& table = LabelTable();
  auto it = table.find(lower);
  return it == table.end() ? "" : std::string(it->second);
}

std::string CharsetFromContentType(std::string_view content_type) {
  // RFC 9110 section 8.3.1 parameters; the same extraction as <meta content>.
  std::string label = ExtractCharsetFromContent(content_type);
  return CanonicalCharsetName(label);
}

std::string PrescanMetaCharset(std::string_view bytes, size_t max_bytes) {
  std::string_view s = bytes.substr(0, max_bytes);
  size_t pos = 0;
  Attribute attr;
  bool hit_end = false;
  while (pos < s.size()) {
    std::string_view rest = s.substr(pos);
    if (rest.starts_with("<!--")) {
      size_t close = s.find("-->", pos + 2);
      if (close == std::string_view::npos) return "";
      pos = close + 3;
      continue;
    }
    if (StartsWithIgnoreCase(rest, "<meta") && rest.size() > 5 &&
        (IsPrescanSpace(rest[5]) || rest[5] == '/')) {
      pos += 6;
      std::vector<std::string> seen;
      bool got_pragma = false;
      enum class NeedPragma { kUnset, kYes, kNo } need_pragma = NeedPragma::kUnset;
      bool charset_set = false;  // "charset is not null" (may be failure)
      std::string charset;       // empty = failure
      while (GetAttribute(s, pos, attr, hit_end)) {
        bool duplicate = false;
        for (const std::string& name : seen) duplicate |= (name == attr.name);
        if (duplicate) continue;
        seen.push_back(attr.name);
        if (attr.name == "http-equiv") {
          if (attr.value == "content-type") got_pragma = true;
        } else if (attr.name == "content") {
          if (!charset_set) {
            std::string label = ExtractCharsetFromContent(attr.value);
            if (!label.empty()) {
              charset = CanonicalCharsetName(label);
              charset_set = true;
              need_pragma = NeedPragma::kYes;
            }
          }
        } else if (attr.name == "charset") {
          charset = CanonicalCharsetName(attr.value);
          charset_set = true;
          need_pragma = NeedPragma::kNo;
        }
      }
      if (hit_end) return "";
      if (need_pragma == NeedPragma::kUnset) continue;
      if (need_pragma == NeedPragma::kYes && !got_pragma) continue;
      if (charset.empty()) continue;
      if (charset == "utf-16le" || charset == "utf-16be") return "utf-8";
      if (charset == "x-user-defined") return "windows-1252";
      return charset;
    }
    if (rest.size() >= 2 && rest[0] == '<' &&
        (IsAsciiAlpha(rest[1]) || (rest[1] == '/' && rest.size() >= 3 && IsAsciiAlpha(rest[2])))) {
      // A start or end tag: skip its name, then its attributes.
      while (pos < s.size() && !IsPrescanSpace(s[pos]) && s[pos] != '>') ++pos;
      while (GetAttribute(s, pos, attr, hit_end)) {
      }
      if (hit_end) return "";
      ++pos;  // past '>'
      continue;
    }
    if (rest.starts_with("<!") || rest.starts_with("</") || rest.starts_with("<?")) {
      size_t close = s.find('>', pos + 1);
      if (close == std::string_view::npos) return "";
      pos = close + 1;
      continue;
    }
    ++pos;
  }
  return "";
}

StatusOr<DecodedDocument> DecodeDocument(std::string_view bytes,
                                         std::string_view content_type) {
  DecodedDocument doc;

  // 1. BOM (WHATWG Encoding, "BOM sniff").
  std::string_view body = bytes;
  if (body.starts_with("\xEF\xBB\xBF")) {
    doc.charset = "utf-8";
    body.remove_prefix(3);
  } else if (body.starts_with("\xFF\xFE")) {
    doc.charset = "utf-16le";
    body.remove_prefix(2);
  } else if (body.starts_with("\xFE\xFF")) {
    doc.charset = "utf-16be";
    body.remove_prefix(2);
  }
  if (!doc.charset.empty()) {
    doc.source = "bom";
    ASSIGN_OR_RETURN(doc.utf8, ConvertToUtf8(body, IcuConverterName(doc.charset)));
    return doc;
  }

  bool has_non_ascii = false;
  const bool valid_utf8 = IsValidUtf8(bytes, &has_non_ascii);

  // 2-3. Declarations, each kept only if ICU can decode it.
  auto usable = [](const std::string& name) {
    const char* icu = name.empty() ? nullptr : IcuConverterName(name);
    if (icu == nullptr) return false;
    UErrorCode error = U_ZERO_ERROR;
    ConverterPtr probe(ucnv_open(icu, &error));
    return static_cast<bool>(U_SUCCESS(error));
  };
  std::string declared = CharsetFromContentType(content_type);
  std::string source = "header";
  if (!usable(declared)) {
    declared = XmlDeclarationCharset(bytes);
    if (declared.empty()) declared = PrescanMetaCharset(bytes, kMetaPrescanBytes);
    // The prescan maps utf-16 to utf-8 itself; an XML declaration may not.
    if (declared.starts_with("utf-16")) declared = "utf-8";
    source = "meta";
  }
  if (usable(declared)) {
    const bool lying = declared != "utf-8" && !declared.starts_with("utf-16") && valid_utf8 &&
                       has_non_ascii;
    if (!lying) {
      doc.charset = declared;
      doc.source = source;
    } else {
      doc.charset = "utf-8";
      doc.source = "detected";
    }
  }

  // 4-6. No usable declaration: validate, detect, fall back.
  if (doc.charset.empty()) {
    if (valid_utf8 && !has_non_ascii && LooksLikeIso2022Jp(bytes)) {
      doc.charset = "iso-2022-jp";
      doc.source = "detected";
    } else if (valid_utf8) {
      doc.charset = "utf-8";
      doc.source = has_non_ascii ? "detected" : "default";
    } else {
      std::string detected = DetectWithIcu(bytes);
      if (usable(detected)) {
        doc.charset = detected;
        doc.source = "detected";
      } else {
        doc.charset = "windows-1252";
        doc.source = "default";
      }
    }
  }

  if (doc.charset == "utf-8" && valid_utf8) {
    doc.utf8.assign(bytes);
    return doc;
  }
  ASSIGN_OR_RETURN(doc.utf8, ConvertToUtf8(bytes, IcuConverterName(doc.charset)));
  return doc;
}

}  // namespace newsclaim::crawler
