// extract/html_url.cc
// RFC 3986 reference resolution (section 5.2) for the links of one page.
#include "extract/html_url.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace newsclaim::extract {
namespace {

// The five components of RFC 3986 Appendix B; an absent component is
// nullopt, which differs from a present but empty one ("http://h?" has an
// empty query).
struct UrlParts {
  std::optional<std::string> scheme;
  std::optional<std::string> authority;
  std::string path;
  std::optional<std::string> query;
};

// Splits `s` the way the Appendix B regular expression does:
// ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?
// The fragment is dropped: resolved links never keep it.
UrlParts Split(std::string_view s) {
  UrlParts parts;
  size_t i = 0;
  size_t colon = s.find_first_of(":/?#");
  if (colon != std::string_view::npos && colon > 0 && s[colon] == ':') {
    bool valid = std::isalpha(static_cast<unsigned char>(s[0])) != 0;
    for (size_t k = 1; k < colon && valid; ++k) {
      unsigned char c = s[k];
      valid = std::isalnum(c) || c == '+' || c == '-' || c == '.';
    }
    if (valid) {
      std::string scheme(s.substr(0, colon));
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      parts.scheme = std::move(scheme);
      i = colon + 1;
    }
  }
  if (s.substr(i, 2) == "//") {
    size_t end = s.find_first_of("/?#", i + 2);
    if (end == std::string_view::npos) end = s.size();
    parts.authority = std::string(s.substr(i + 2, end - i - 2));
    i = end;
  }
  size_t path_end = s.find_first_of("?#", i);
  if (path_end == std::string_view::npos) path_end = s.size();
  parts.path = std::string(s.substr(i, path_end - i));
  i = path_end;
  if (i < s.size() && s[i] == '?') {
    size_t end = s.find('#', i);
    if (end == std::string_view::npos) end = s.size();
    parts.query = std::string(s.substr(i + 1, end - i - 1));
  }
  return parts;
}

// RFC 3986 5.2.4.
std::string RemoveDotSegments(std::string_view input) {
  std::string out;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      size_t start = input[0] == '/' ? 1 : 0;
      size_t next = input.find('/', start);
      if (next == std::string_view::npos) next = input.size();
      out.append(input.substr(0, next));
      input.remove_prefix(next);
    }
  }
  return out;
}

// RFC 3986 5.2.3.
std::string Merge(const UrlParts& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  size_t slash = base.path.rfind('/');
  if (slash == std::string::npos) return std::string(ref_path);
  return base.path.substr(0, slash + 1) + std::string(ref_path);
}

// Lower-cases the host and drops userinfo-free default ports; returns false
// for an authority with no host.
bool NormalizeAuthority(const std::string& scheme, std::string& authority) {
  size_t at = authority.rfind('@');
  size_t host_start = at == std::string::npos ? 0 : at + 1;
  size_t colon = authority.find(':', host_start);
  if (authority.find('[', host_start) != std::string::npos) {
    size_t close = authority.find(']', host_start);
    colon = close == std::string::npos ? std::string::npos : authority.find(':', close);
  }
  size_t host_end = colon == std::string::npos ? authority.size() : colon;
  if (host_end == host_start) return false;
  for (size_t k = host_start; k < host_end; ++k) {
    authority[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(authority[k])));
  }
  if (colon != std::string::npos) {
    std::string_view port(authority);
    port.remove_prefix(colon + 1);
    if (port.empty() || (scheme == "http" && port == "80") ||
        (scheme == "https" && port == "443")) {
      authority.resize(colon);
    }
  }
  return true;
}

// Trims C0 controls and spaces, removes tab and newline, turns "\" into "/".
std::string Clean(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    out.push_back(c == '\\' ? '/' : c);
  }
  return out;
}

std::string PercentEncodeControls(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

std::string ResolveUrl(std::string_view base_url, std::string_view reference) {
  UrlParts base = Split(Clean(base_url));
  if (!base.scheme || (*base.scheme != "http" && *base.scheme != "https") ||
      !base.authority) {
    return "";
  }
  UrlParts ref = Split(Clean(reference));
  // WHATWG: "http:foo" with the base's scheme is a relative reference.
  if (ref.scheme && *ref.scheme == *base.scheme && !ref.authority) ref.scheme.reset();

  UrlParts target;
  if (ref.scheme) {
    target.scheme = ref.scheme;
    target.authority = ref.authority;
    target.path = RemoveDotSegments(ref.path);
    target.query = ref.query;
  } else {
    target.scheme = base.scheme;
    if (ref.authority) {
      target.authority = ref.authority;
      target.path = RemoveDotSegments(ref.path);
      target.query = ref.query;
    } else {
      target.authority = base.authority;
      if (ref.path.empty()) {
        target.path = base.path;
        target.query = ref.query ? ref.query : base.query;
      } else {
        target.path = ref.path[0] == '/' ? RemoveDotSegments(ref.path)
                                         : RemoveDotSegments(Merge(base, ref.path));
        target.query = ref.query;
      }
    }
  }
  if (*target.scheme != "http" && *target.scheme != "https") return "";
  if (!target.authority || !NormalizeAuthority(*target.scheme, *target.authority)) return "";
  if (target.path.empty()) target.path = "/";

  std::string out = *target.scheme + "://" + *target.authority + target.path;
  if (target.query) out += "?" + *target.query;
  return PercentEncodeControls(out);
}

}  // namespace newsclaim::extract
