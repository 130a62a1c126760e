// extract/html_prescan.cc
// See html_prescan.h. The scan is a small subset of the WHATWG tokenizer
// (HTML Living Standard 13.2.5) plus the few tree-construction facts that
// decide when "<script" and "<style" start raw text (13.2.6): in foreign
// content they do not, in "in select" a <style> is ignored (its contents
// are tokenized as markup), in frameset modes both are ignored. Where the
// scan cannot be sure it follows gumbo, it stops dropping and copies the
// rest: dropping less is always safe, dropping wrongly is not.
#include "extract/html_prescan.h"

#include <cstddef>

namespace newsclaim::extract {
namespace {

constexpr size_t kNpos = std::string_view::npos;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The tokenizer's white space in tags: tab, LF, FF, CR and space.
bool IsTagSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `s` holds `lower` (a lower-case literal) at `pos`, ignoring ASCII case.
bool HasAt(std::string_view s, size_t pos, std::string_view lower) {
  if (pos > s.size() || s.size() - pos < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (LowerAscii(s[pos + i]) != lower[i]) return false;
  }
  return true;
}

bool ContainsNoCase(std::string_view s, std::string_view lower) {
  for (size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (HasAt(s, i, lower)) return true;
  }
  return false;
}

// Where the "appropriate end tag" </name ends the raw text that starts at
// `from`: "</" + name (any case) + white space, '/' or '>'. kNpos if the
// text runs to the end of the page.
size_t FindEndTag(std::string_view html, size_t from, std::string_view name) {
  for (size_t pos = html.find("</", from); pos != kNpos; pos = html.find("</", pos + 2)) {
    const size_t after = pos + 2 + name.size();
    if (after < html.size() && HasAt(html, pos + 2, name) &&
        (IsTagSpace(html[after]) || html[after] == '/' || html[after] == '>')) {
      return pos;
    }
  }
  return kNpos;
}

// The end of a comment whose text starts at `from`: just past "-->" or
// "--!>"; kNpos if the comment runs to the end of the page.
size_t FindCommentEnd(std::string_view html, size_t from) {
  for (size_t pos = html.find("--", from); pos != kNpos; pos = html.find("--", pos + 1)) {
    if (pos + 2 < html.size() && html[pos + 2] == '>') return pos + 3;
    if (pos + 3 < html.size() && html[pos + 2] == '!' && html[pos + 3] == '>') return pos + 4;
  }
  return kNpos;
}

struct Tag {
  char name[16] = {};  // lower case; longer names are cut (none we look for is)
  size_t end = 0;      // just past the '>'
  bool self_closing = false;

  bool Is(std::string_view other) const { return other == name; }
};

// Reads the tag whose name starts at `name_pos` (just after "<" or "</"),
// attributes included, as the tokenizer does: a quoted value may hold '>'.
// False if the page ends inside the tag (the tokenizer drops such a tag).
bool ReadTag(std::string_view html, size_t name_pos, Tag* tag) {
  const size_t n = html.size();
  size_t i = name_pos;
  while (i < n && !IsTagSpace(html[i]) && html[i] != '/' && html[i] != '>') {
    if (i - name_pos < sizeof(tag->name) - 1) tag->name[i - name_pos] = LowerAscii(html[i]);
    ++i;
  }
  bool self_closing = false;
  while (i < n) {
    const char c = html[i];
    if (IsTagSpace(c)) {
      ++i;
    } else if (c == '>') {
      tag->end = i + 1;
      tag->self_closing = self_closing;
      return true;
    } else if (c == '/') {
      ++i;
      self_closing = i < n && html[i] == '>';
    } else {
      // An attribute name (its first character may be '='), then maybe a
      // value: quoted (to the matching quote) or unquoted (to white space
      // or '>').
      self_closing = false;
      ++i;
      while (i < n && !IsTagSpace(html[i]) && html[i] != '/' && html[i] != '>' && html[i] != '=') {
        ++i;
      }
      size_t j = i;
      while (j < n && IsTagSpace(html[j])) ++j;
      if (j < n && html[j] == '=') {
        ++j;
        while (j < n && IsTagSpace(html[j])) ++j;
        if (j >= n) return false;
        if (html[j] == '"' || html[j] == '\'') {
          const size_t close = html.find(html[j], j + 1);
          if (close == kNpos) return false;
          j = close + 1;
        } else {
          while (j < n && !IsTagSpace(html[j]) && html[j] != '>') ++j;
        }
      }
      i = j;
    }
  }
  return false;
}

// HTML start tags that end foreign content (13.2.6.5), and the integration
// points inside SVG and MathML where HTML parsing resumes. After either the
// tree builder's state is more than this scan follows.
bool LeavesForeignScan(const Tag& tag) {
  static constexpr std::string_view kNames[] = {
      "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
      "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
      "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
      "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font",
      "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"};
  for (std::string_view name : kNames) {
    if (tag.Is(name)) return true;
  }
  return false;
}

// Elements whose contents the tokenizer reads as text (RCDATA, RAWTEXT) in
// HTML content. <noscript> is not among them: gumbo parses as with
// scripting disabled, so its contents are markup.
bool IsTextElement(const Tag& tag) {
  return tag.Is("title") || tag.Is("textarea") || tag.Is("xmp") || tag.Is("iframe") ||
         tag.Is("noembed") || tag.Is("noframes");
}

}  // namespace

bool DropScriptAndStyleContents(std::string_view html, std::string& out) {
  out.clear();
  const size_t n = html.size();
  size_t copied = 0;  // html[0, copied) is in `out` or dropped
  bool dropped = false;
  int foreign_depth = 0;  // open <svg> and <math> elements
  size_t i = 0;
  while (true) {
    const size_t lt = html.find('<', i);
    if (lt == kNpos || lt + 1 >= n) break;
    const char next = html[lt + 1];
    if (next == '!' || next == '?') {
      if (HasAt(html, lt, "<!--")) {
        // "<!-->" and "<!--->" are whole (empty) comments.
        const size_t text = lt + 4;
        if (text < n && html[text] == '>') {
          i = text + 1;
        } else if (text + 1 < n && html[text] == '-' && html[text + 1] == '>') {
          i = text + 2;
        } else {
          i = FindCommentEnd(html, text);
        }
      } else if (foreign_depth > 0 && HasAt(html, lt, "<![cdata[")) {
        const size_t end = html.find("]]>", lt + 9);
        i = end == kNpos ? kNpos : end + 3;
      } else {
        // A bogus comment (a doctype included) ends at the first '>'.
        const size_t end = html.find('>', lt + 2);
        i = end == kNpos ? kNpos : end + 1;
      }
      if (i == kNpos) break;
      continue;
    }
    if (next == '/') {
      if (lt + 2 >= n) break;
      const char c = html[lt + 2];
      if (c == '>') {  // "</>" is dropped by the tokenizer
        i = lt + 3;
        continue;
      }
      if (!IsAsciiAlpha(c)) {  // a bogus comment
        const size_t end = html.find('>', lt + 2);
        if (end == kNpos) break;
        i = end + 1;
        continue;
      }
      Tag tag;
      if (!ReadTag(html, lt + 2, &tag)) break;
      i = tag.end;
      if (foreign_depth > 0) {
        if (tag.Is("svg") || tag.Is("math")) {
          --foreign_depth;
        } else if (tag.Is("p") || tag.Is("br")) {
          break;  // these end tags also leave foreign content
        }
      }
      continue;
    }
    if (!IsAsciiAlpha(next)) {  // "<" as text
      i = lt + 1;
      continue;
    }
    Tag tag;
    if (!ReadTag(html, lt + 1, &tag)) break;
    i = tag.end;
    if (tag.Is("svg") || tag.Is("math")) {
      if (!tag.self_closing) ++foreign_depth;
      continue;
    }
    if (foreign_depth > 0) {
      if (LeavesForeignScan(tag)) break;
      continue;  // script, style, title... are plain elements here
    }
    if (tag.Is("select") || tag.Is("frameset") || tag.Is("template") || tag.Is("plaintext")) {
      break;  // modes in which <style> (or more) does not start raw text
    }
    if (tag.Is("script") || tag.Is("style")) {
      const std::string_view name = tag.Is("script") ? "script" : "style";
      const size_t end = FindEndTag(html, i, name);
      if (end == kNpos) break;
      // "<!--" in a script starts the escaped states, in which a nested
      // "<script" can hide the end tag found above.
      if (tag.Is("script") && html.substr(i, end - i).find("<!--") != kNpos) break;
      if (end > i && !(tag.Is("script") && ContainsNoCase(html.substr(lt, i - lt), "ld+json"))) {
        if (!dropped) out.reserve(n);
        out.append(html.substr(copied, i - copied));
        copied = end;
        dropped = true;
      }
      i = end;  // the end tag is read next
      continue;
    }
    if (IsTextElement(tag)) {
      const size_t end = FindEndTag(html, i, std::string_view(tag.name));
      if (end == kNpos) break;
      i = end;
    }
  }
  if (!dropped) return false;
  out.append(html.substr(copied));
  return true;
}

}  // namespace newsclaim::extract
