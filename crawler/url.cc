// crawler/url.cc
// http(s) URL parsing (WHATWG URL's leniency for special schemes: any number
// of slashes or backslashes after "http:", tabs/newlines removed, userinfo
// dropped), reference resolution per RFC 3986 section 5.2, and the frontier's
// canonical form (RFC 3986 section 6.2.2 syntax-based normalisation plus
// tracking-parameter removal).
//
// Known limits: IPv6 literals are kept as written (lower-cased); IPv4 forms
// such as "0x7f.1" are not rewritten; repeated slashes in paths are kept
// (servers may treat "//a" and "/a" differently); query parameters keep
// their order and their "k=" vs "k" spelling.

#include "crawler/url.h"

#include <unicode/uidna.h>

#include <array>
#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::crawler {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 section 2.3.
bool IsUnreserved(unsigned char c) {
  return IsAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Bytes that may never appear raw in a URL we emit: controls, space, DEL,
// non-ASCII, and the RFC 3986 "unwise" characters that WHATWG and crawler-
// commons both encode. '%' is handled separately.
bool MustEncode(unsigned char c) {
  if (c <= 0x20 || c >= 0x7F) return true;
  switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`':
    case '{': case '|': case '}': case '[': case ']':
      return true;
    default:
      return false;
  }
}

void AppendPercentEncoded(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xF]);
}

// Encodes what MustEncode says and nothing else (used while parsing, where
// existing escapes are kept verbatim).
std::string EncodeIllegal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (MustEncode(c)) {
      AppendPercentEncoded(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// RFC 3986 section 6.2.2.1-2: upper-case hex in escapes, decode escaped
// unreserved characters, escape MustEncode bytes and any '%' that does not
// start a valid escape.
std::string NormalizePercentEncoding(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        out += "%25";
        continue;
      }
      const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      if (IsUnreserved(decoded)) {
        out.push_back(static_cast<char>(decoded));
      } else {
        AppendPercentEncoded(out, decoded);
      }
      i += 2;
    } else if (MustEncode(c)) {
      AppendPercentEncoded(out, c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// RFC 3986 section 5.2.4 remove_dot_segments; `path` starts with '/'.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t pos = 1;  // past the leading '/'
  bool trailing_slash = false;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(pos, slash - pos);
    const bool last = slash == path.size();
    if (segment == ".") {
      trailing_slash = last;
    } else if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
    pos = slash + 1;
  }
  std::string out;
  out.reserve(path.size());
  for (std::string_view segment : segments) {
    out.push_back('/');
    out.append(segment);
  }
  if (trailing_slash || out.empty()) out.push_back('/');
  return out;
}

// Characters WHATWG forbids in a (decoded) host.
bool IsForbiddenHostByte(unsigned char c) {
  if (c <= 0x20 || c == 0x7F) return true;
  switch (c) {
    case '#': case '%': case '/': case ':': case '<': case '>': case '?': case '@':
    case '[': case '\\': case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

// Percent-decodes, IDNA-encodes (UTS #46, as WHATWG "domain to ASCII") and
// lower-cases a host; nullopt when it is not a valid host.
std::optional<std::string> NormalizeHost(std::string_view raw) {
  if (raw.empty()) return std::nullopt;
  if (raw.front() == '[') {  // IPv6 literal, kept as written
    if (raw.back() != ']') return std::nullopt;
    std::string host;
    for (char c : raw) {
      if (!(HexValue(c) >= 0 || c == ':' || c == '.' || c == '[' || c == ']')) {
        return std::nullopt;
      }
      host.push_back(AsciiLower(c));
    }
    return host;
  }
  std::string decoded;
  decoded.reserve(raw.size());
  bool ascii = true;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size() && HexValue(raw[i + 1]) >= 0 &&
        HexValue(raw[i + 2]) >= 0) {
      c = static_cast<char>(HexValue(raw[i + 1]) * 16 + HexValue(raw[i + 2]));
      i += 2;
    }
    ascii &= static_cast<unsigned char>(c) < 0x80;
    decoded.push_back(c);
  }
  std::string host;
  if (ascii) {
    host.reserve(decoded.size());
    for (char c : decoded) host.push_back(AsciiLower(c));
  } else {
    UErrorCode error = U_ZERO_ERROR;
    static UIDNA* idna = uidna_openUTS46(
        UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI,
        &error);
    if (idna == nullptr || U_FAILURE(error)) return std::nullopt;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    std::string out(decoded.size() * 4 + 64, '\0');
    int32_t length = uidna_nameToASCII_UTF8(idna, decoded.data(),
                                            static_cast<int32_t>(decoded.size()), out.data(),
                                            static_cast<int32_t>(out.size()), &info, &error);
    if (U_FAILURE(error) || info.errors != 0) return std::nullopt;
    out.resize(static_cast<size_t>(length));
    host = std::move(out);
  }
  for (char c : host) {
    if (IsForbiddenHostByte(static_cast<unsigned char>(c))) return std::nullopt;
  }
  // A host of dots only ("..") has no label at all; Canonicalize would trim
  // it to "." and the canonical URL would not parse again.
  if (host.find_first_not_of('.') == std::string::npos) return std::nullopt;
  return host;
}

int DefaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// "http", "https" for a scheme prefix of `text` (lower-cased), empty when
// `text` has no scheme, "other" for any other scheme.
std::string SchemeOf(std::string_view text, size_t* colon) {
  size_t i = 0;
  if (text.empty() || !IsAlpha(text[0])) return "";
  while (i < text.size() && (IsAlpha(text[i]) || IsDigit(text[i]) || text[i] == '+' ||
                             text[i] == '-' || text[i] == '.')) {
    ++i;
  }
  if (i >= text.size() || text[i] != ':') return "";
  *colon = i;
  std::string scheme;
  for (size_t k = 0; k < i; ++k) scheme.push_back(AsciiLower(text[k]));
  return (scheme == "http" || scheme == "https") ? scheme : "other";
}

// WHATWG URL: strip leading/trailing C0 controls and spaces, remove every
// tab and newline.
std::string CleanInput(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

// Splits "path?query#fragment" (any part may be missing) into the Url's path
// and query, with illegal bytes escaped and backslashes read as slashes.
void SetPathAndQuery(std::string_view rest, Url& url) {
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  std::string path_copy(path);
  for (char& c : path_copy) {
    if (c == '\\') c = '/';
  }
  if (path_copy.empty() || path_copy.front() != '/') path_copy.insert(0, "/");
  url.path = RemoveDotSegments(EncodeIllegal(path_copy));
  url.query = question == std::string_view::npos ? "" : EncodeIllegal(rest.substr(question + 1));
}

// Query parameters that only identify a campaign or click, never content.
bool IsTrackingParameter(std::string_view param) {
  std::string_view name = param.substr(0, param.find('='));
  std::string lower;
  for (char c : name) lower.push_back(AsciiLower(c));
  if (lower.starts_with("utm_")) return true;
  static constexpr std::array<std::string_view, 14> kNames = {
      "_ga",   "_gl",   "_hsenc",  "_hsmi",   "dclid",  "fbclid",  "gclid",
      "gclsrc", "igshid", "mc_cid", "mc_eid", "mkt_tok", "msclkid", "yclid"};
  for (std::string_view known : kNames) {
    if (lower == known) return true;
  }
  return false;
}

}  // namespace

std::string Url::ToString() const {
  std::string out = scheme;
  out += "://";
  out += Authority();
  out += path.empty() ? "/" : path;
  if (!query.empty()) {
    out.push_back('?');
    out += query;
  }
  return out;
}

std::string Url::Authority() const {
  if (port == 0) return host;
  return host + ":" + std::to_string(port);
}

std::optional<Url> ParseUrl(std::string_view text) {
  const std::string input = CleanInput(text);
  size_t colon = 0;
  std::string scheme = SchemeOf(input, &colon);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  Url url;
  url.scheme = scheme;

  // Authority: after any run of slashes/backslashes, up to / \ ? #.
  size_t pos = colon + 1;
  while (pos < input.size() && (input[pos] == '/' || input[pos] == '\\')) ++pos;
  size_t end = input.find_first_of("/\\?#", pos);
  if (end == std::string::npos) end = input.size();
  std::string_view authority = std::string_view(input).substr(pos, end - pos);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);  // drop userinfo

  std::string_view host = authority;
  std::string_view port;
  size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos &&
      (authority.front() != '[' || port_colon > authority.rfind(']'))) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  std::optional<std::string> normalized_host = NormalizeHost(host);
  if (!normalized_host) return std::nullopt;
  url.host = std::move(*normalized_host);
  if (!port.empty()) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value > 65535) {
      return std::nullopt;
    }
    url.port = value == DefaultPort(scheme) ? 0 : value;
  }
  SetPathAndQuery(std::string_view(input).substr(end), url);
  return url;
}

std::optional<Url> ResolveUrl(const Url& base, std::string_view href) {
  const std::string ref = CleanInput(href);
  size_t colon = 0;
  std::string scheme = SchemeOf(ref, &colon);
  if (scheme == "other") return std::nullopt;  // mailto:, javascript:, data:...
  std::string_view rest = ref;
  if (!scheme.empty()) {
    // "http:foo" with the base's scheme is relative (WHATWG); otherwise
    // RFC 3986 section 5.2.2: a reference with a scheme is absolute.
    std::string_view after = std::string_view(ref).substr(colon + 1);
    const bool slashes = after.starts_with("/") || after.starts_with("\\");
    if (scheme != base.scheme || slashes) return ParseUrl(ref);
    rest = after;
  }
  const bool network_path = rest.size() >= 2 && (rest[0] == '/' || rest[0] == '\\') &&
                            (rest[1] == '/' || rest[1] == '\\');
  if (network_path) return ParseUrl(base.scheme + ":" + std::string(rest));

  Url url = base;
  if (rest.empty() || rest.front() == '#') return url;  // same document
  if (rest.front() == '?') {
    size_t hash = rest.find('#');
    url.query = EncodeIllegal(rest.substr(1, hash == std::string_view::npos ? hash : hash - 1));
    return url;
  }
  if (rest.front() == '/' || rest.front() == '\\') {
    SetPathAndQuery(rest, url);
    return url;
  }
  // Merge (RFC 3986 section 5.2.3): the base path up to its last '/'.
  std::string merged = base.path.empty() ? "/" : base.path.substr(0, base.path.rfind('/') + 1);
  merged.append(rest);
  SetPathAndQuery(merged, url);
  return url;
}

Url Canonicalize(Url url) {
  for (char& c : url.scheme) c = AsciiLower(c);
  for (char& c : url.host) c = AsciiLower(c);
  while (url.host.size() > 1 && url.host.back() == '.') url.host.pop_back();
  if (url.port == DefaultPort(url.scheme)) url.port = 0;
  if (url.path.empty() || url.path.front() != '/') url.path.insert(0, "/");
  url.path = RemoveDotSegments(NormalizePercentEncoding(url.path));

  std::string query;
  std::string_view remaining = url.query;
  while (!remaining.empty()) {
    size_t amp = remaining.find('&');
    std::string_view param = remaining.substr(0, amp);
    remaining = amp == std::string_view::npos ? "" : remaining.substr(amp + 1);
    // Decoded first, so that an escaped name ("%5Fgl") is known as the
    // tracking parameter it spells ("_gl") in one pass.
    const std::string normalized = NormalizePercentEncoding(param);
    if (normalized.empty() || IsTrackingParameter(normalized)) continue;
    if (!query.empty()) query.push_back('&');
    query += normalized;
  }
  url.query = std::move(query);
  return url;
}

std::optional<std::string> CanonicalUrl(std::string_view text) {
  std::optional<Url> url = ParseUrl(text);
  if (!url) return std::nullopt;
  return Canonicalize(std::move(*url)).ToString();
}

bool SameSite(const Url& a, const Url& b) {
  auto host_key = [](const Url& u) {
    std::string host;
    for (char c : u.host) host.push_back(AsciiLower(c));
    while (host.size() > 1 && host.back() == '.') host.pop_back();
    return host;
  };
  return a.port == b.port && host_key(a) == host_key(b);
}

}  // namespace newsclaim::crawler
