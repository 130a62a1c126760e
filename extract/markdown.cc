#include "extract/markdown.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "extract/html_date.h"

namespace newsclaim::extract {
namespace {

constexpr size_t kMaxFrontMatterBytes = 16384;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
}

std::string Escaped(std::string_view text) {
  std::string out;
  AppendEscaped(out, text);
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// "[a, 'b']" -> {"a", "b"}.
std::vector<std::string> InlineList(std::string_view value) {
  std::vector<std::string> items;
  value = Trim(value.substr(1, value.size() - 2));
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = Unquote(Trim(value.substr(0, comma)));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return items;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

void SetFrontMatterKey(FrontMatter& fm, const std::string& key, const std::string& value) {
  auto set = [&value](std::string& field) {
    if (field.empty()) field = value;
  };
  if (key == "title") {
    set(fm.title);
  } else if (key == "date" || key == "published" || key == "publishdate" || key == "pubdate" ||
             key == "pubdatetime" || key == "date_published") {
    if (fm.published.empty()) fm.published = NormalizeDate(value);
  } else if (key == "updated" || key == "lastmod" || key == "modified" ||
             key == "last_modified" || key == "date_modified") {
    if (fm.modified.empty()) fm.modified = NormalizeDate(value);
  } else if (key == "author" || key == "authors") {
    set(fm.author);
  } else if (key == "lang" || key == "language") {
    set(fm.lang);
  } else if (key == "canonical" || key == "canonical_url" || key == "canonicalurl") {
    set(fm.canonical);
  } else if (key == "site" || key == "site_name") {
    set(fm.site_name);
  }
}

// ---------------------------------------------------------------------------
// Inline Markdown: emphasis markers dropped, code spans kept as text, links
// as <a>, images as nothing (their alt text is a caption, not prose).

bool IsPunct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

// The matching ']' for the '[' at `open`, nesting allowed; npos if none.
size_t CloseBracket(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '[') {
      ++depth;
    } else if (s[i] == ']' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

void AppendInline(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && IsPunct(s[i + 1])) {
      AppendEscaped(out, s.substr(i + 1, 1));
      i += 2;
    } else if (c == '`') {
      size_t run = s.find_first_not_of('`', i) - i;
      if (run > s.size()) run = s.size() - i;
      size_t close = s.find(std::string(run, '`'), i + run);
      if (close == std::string_view::npos) {
        AppendEscaped(out, s.substr(i, run));
        i += run;
      } else {
        out += "<code>";
        AppendEscaped(out, Trim(s.substr(i + run, close - i - run)));
        out += "</code>";
        i = close + run;
      }
    } else if (c == '[' || (c == '!' && i + 1 < s.size() && s[i + 1] == '[')) {
      const bool image = c == '!';
      size_t open = image ? i + 1 : i;
      size_t close = CloseBracket(s, open);
      size_t paren_end = close == std::string_view::npos || close + 1 >= s.size() ||
                                 s[close + 1] != '('
                             ? std::string_view::npos
                             : s.find(')', close + 2);
      if (paren_end == std::string_view::npos) {
        AppendEscaped(out, s.substr(i, 1));
        ++i;
        continue;
      }
      std::string_view label = s.substr(open + 1, close - open - 1);
      std::string_view target = Trim(s.substr(close + 2, paren_end - close - 2));
      target = target.substr(0, target.find(' '));  // drop a "title"
      if (!target.empty() && target.front() == '<' && target.back() == '>') {
        target = target.substr(1, target.size() - 2);
      }
      if (!image) {
        out += "<a href=\"";
        AppendEscaped(out, target);
        out += "\">";
        AppendInline(out, label);
        out += "</a>";
      }
      i = paren_end + 1;
    } else if (c == '*' || c == '_') {
      // Emphasis markers are dropped: a run of them next to text. An
      // underscore inside a word (snake_case) and a lone "*" between spaces
      // are text.
      size_t end = s.find_first_not_of(c, i);
      if (end == std::string_view::npos) end = s.size();
      bool before_space = i == 0 || s[i - 1] == ' ';
      bool after_space = end == s.size() || s[end] == ' ';
      bool intraword = c == '_' && i > 0 && end < s.size() && std::isalnum(static_cast<unsigned char>(s[i - 1])) &&
                       std::isalnum(static_cast<unsigned char>(s[end]));
      if ((before_space && after_space) || intraword) AppendEscaped(out, s.substr(i, end - i));
      i = end;
    } else if (c == '<' && i + 1 < s.size() && (s[i + 1] == 'h' || s[i + 1] == 'H')) {
      // An autolink <https://...> keeps its URL as a link.
      size_t close = s.find('>', i);
      std::string_view inner = close == std::string_view::npos ? "" : s.substr(i + 1, close - i - 1);
      if (inner.starts_with("http://") || inner.starts_with("https://")) {
        out += "<a href=\"";
        AppendEscaped(out, inner);
        out += "\">";
        AppendEscaped(out, inner);
        out += "</a>";
        i = close + 1;
      } else {
        AppendEscaped(out, s.substr(i, 1));
        ++i;
      }
    } else {
      AppendEscaped(out, s.substr(i, 1));
      ++i;
    }
  }
}

// ---------------------------------------------------------------------------
// Blocks.

int AtxLevel(std::string_view line) {
  std::string_view t = line;
  size_t indent = 0;
  while (indent < 3 && indent < t.size() && t[indent] == ' ') ++indent;
  t.remove_prefix(indent);
  size_t hashes = 0;
  while (hashes < t.size() && t[hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return 0;
  if (hashes < t.size() && t[hashes] != ' ' && t[hashes] != '\t') return 0;
  return static_cast<int>(hashes);
}

std::string_view AtxText(std::string_view line) {
  std::string_view t = Trim(line);
  t.remove_prefix(t.find_first_not_of('#') == std::string_view::npos ? t.size()
                                                                     : t.find_first_not_of('#'));
  t = Trim(t);
  // A closing run of '#' preceded by a space is not content.
  size_t end = t.size();
  while (end > 0 && t[end - 1] == '#') --end;
  if (end < t.size() && (end == 0 || t[end - 1] == ' ')) t = Trim(t.substr(0, end));
  return t;
}

bool IsThematicBreak(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.size() < 3) return false;
  char mark = t.front();
  if (mark != '-' && mark != '*' && mark != '_') return false;
  int count = 0;
  for (char c : t) {
    if (c == mark) {
      ++count;
    } else if (c != ' ') {
      return false;
    }
  }
  return count >= 3;
}

bool IsSetextUnderline(std::string_view line, char mark) {
  std::string_view t = Trim(line);
  return !t.empty() && t.find_first_not_of(mark) == std::string_view::npos;
}

// The content of a list item line ("- x", "* x", "+ x", "1. x", "1) x"),
// or npos when `line` is not one; `ordered` says which.
size_t ListItemStart(std::string_view line, bool* ordered) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i < line.size() && (line[i] == '-' || line[i] == '*' || line[i] == '+')) {
    if (i + 1 < line.size() && line[i + 1] == ' ') {
      *ordered = false;
      return i + 2;
    }
    return std::string_view::npos;
  }
  size_t digits = i;
  while (digits < line.size() && digits - i < 9 && std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits > i && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      line[digits + 1] == ' ') {
    *ordered = true;
    return digits + 2;
  }
  return std::string_view::npos;
}

bool IsFence(std::string_view line) {
  std::string_view t = Trim(line);
  return t.starts_with("```") || t.starts_with("~~~");
}

bool IsTableRow(std::string_view line) {
  std::string_view t = Trim(line);
  return t.size() >= 2 && t.front() == '|';
}

bool IsTableDelimiter(std::string_view line) {
  std::string_view t = Trim(line);
  return IsTableRow(line) && t.find_first_not_of("|-: ") == std::string_view::npos &&
         t.find('-') != std::string_view::npos;
}

std::vector<std::string_view> TableCells(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.starts_with('|')) t.remove_prefix(1);
  if (t.ends_with('|')) t.remove_suffix(1);
  std::vector<std::string_view> cells;
  while (true) {
    size_t bar = t.find('|');
    cells.push_back(Trim(t.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    t.remove_prefix(bar + 1);
  }
  return cells;
}

bool Blank(std::string_view line) { return Trim(line).empty(); }

// Starts a block other than a paragraph continuation line.
bool StartsBlock(std::string_view line) {
  bool ordered = false;
  return AtxLevel(line) > 0 || IsFence(line) || IsThematicBreak(line) ||
         Trim(line).starts_with('>') || ListItemStart(line, &ordered) != std::string_view::npos;
}

void AppendParagraph(std::string& out, const std::vector<std::string_view>& lines, const char* tag) {
  out += "<";
  out += tag;
  out += ">";
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = Trim(lines[i]);
    // Two trailing spaces or a backslash make a hard break.
    bool hard = lines[i].ends_with("  ") || line.ends_with('\\');
    if (line.ends_with('\\')) line.remove_suffix(1);
    AppendInline(out, line);
    if (i + 1 < lines.size()) out += hard ? "<br>" : "\n";
  }
  out += "</";
  out += tag;
  out += ">\n";
}

void AppendBlocks(std::string& out, const std::vector<std::string_view>& lines);

void AppendBlocks(std::string& out, const std::vector<std::string_view>& lines) {
  size_t i = 0;
  while (i < lines.size()) {
    std::string_view line = lines[i];
    if (Blank(line)) {
      ++i;
      continue;
    }
    if (int level = AtxLevel(line); level > 0) {
      out += "<h" + std::to_string(level) + ">";
      AppendInline(out, AtxText(line));
      out += "</h" + std::to_string(level) + ">\n";
      ++i;
      continue;
    }
    if (IsFence(line)) {
      std::string fence(Trim(line).substr(0, 3));
      size_t end = i + 1;
      while (end < lines.size() && !Trim(lines[end]).starts_with(fence)) ++end;
      out += "<pre><code>";
      for (size_t k = i + 1; k < end; ++k) {
        AppendEscaped(out, lines[k]);
        out += "\n";
      }
      out += "</code></pre>\n";
      i = std::min(end + 1, lines.size());
      continue;
    }
    if (line.starts_with("    ") || line.starts_with("\t")) {
      out += "<pre><code>";
      while (i < lines.size() && (lines[i].starts_with("    ") || lines[i].starts_with("\t") ||
                                  (Blank(lines[i]) && i + 1 < lines.size() &&
                                   (lines[i + 1].starts_with("    ") || lines[i + 1].starts_with("\t"))))) {
        std::string_view code = lines[i];
        code.remove_prefix(code.starts_with('\t') ? 1 : std::min<size_t>(4, code.size()));
        AppendEscaped(out, code);
        out += "\n";
        ++i;
      }
      out += "</code></pre>\n";
      continue;
    }
    if (IsThematicBreak(line)) {
      out += "<hr>\n";
      ++i;
      continue;
    }
    if (Trim(line).starts_with('>')) {
      std::vector<std::string_view> quoted;
      while (i < lines.size() && Trim(lines[i]).starts_with('>')) {
        std::string_view q = Trim(lines[i]);
        q.remove_prefix(1);
        if (q.starts_with(' ')) q.remove_prefix(1);
        quoted.push_back(q);
        ++i;
      }
      out += "<blockquote>\n";
      AppendBlocks(out, quoted);
      out += "</blockquote>\n";
      continue;
    }
    bool ordered = false;
    if (ListItemStart(line, &ordered) != std::string_view::npos) {
      const bool list_ordered = ordered;
      out += list_ordered ? "<ol>\n" : "<ul>\n";
      while (i < lines.size()) {
        bool item_ordered = false;
        size_t start = ListItemStart(lines[i], &item_ordered);
        if (start == std::string_view::npos || item_ordered != list_ordered) break;
        std::vector<std::string_view> item = {lines[i].substr(start)};
        ++i;
        // Continuation lines: indented, or lazy paragraph text.
        while (i < lines.size() && !Blank(lines[i]) &&
               ListItemStart(lines[i], &item_ordered) == std::string_view::npos &&
               (lines[i].starts_with("  ") || !StartsBlock(lines[i]))) {
          item.push_back(Trim(lines[i]));
          ++i;
        }
        AppendParagraph(out, item, "li");
        // A blank line between items keeps the list going.
        if (i + 1 < lines.size() && Blank(lines[i]) &&
            ListItemStart(lines[i + 1], &item_ordered) != std::string_view::npos &&
            item_ordered == list_ordered) {
          ++i;
        }
      }
      out += list_ordered ? "</ol>\n" : "</ul>\n";
      continue;
    }
    if (IsTableRow(line) && i + 1 < lines.size() && IsTableDelimiter(lines[i + 1])) {
      out += "<table>\n";
      auto row = [&out](std::string_view row_line, const char* cell_tag) {
        out += "<tr>";
        for (std::string_view cell : TableCells(row_line)) {
          out += "<";
          out += cell_tag;
          out += ">";
          AppendInline(out, cell);
          out += "</";
          out += cell_tag;
          out += ">";
        }
        out += "</tr>\n";
      };
      row(line, "th");
      i += 2;
      while (i < lines.size() && IsTableRow(lines[i])) row(lines[i++], "td");
      out += "</table>\n";
      continue;
    }
    // A paragraph, possibly a setext heading.
    std::vector<std::string_view> paragraph = {line};
    ++i;
    int setext = 0;
    while (i < lines.size() && !Blank(lines[i])) {
      if (IsSetextUnderline(lines[i], '=')) {
        setext = 1;
        ++i;
        break;
      }
      if (IsSetextUnderline(lines[i], '-') && !IsThematicBreak(paragraph.back())) {
        setext = 2;
        ++i;
        break;
      }
      if (StartsBlock(lines[i])) break;
      paragraph.push_back(lines[i]);
      ++i;
    }
    AppendParagraph(out, paragraph, setext == 1 ? "h1" : setext == 2 ? "h2" : "p");
  }
}

std::string Head(const FrontMatter& fm) {
  std::string out = "<!DOCTYPE html>\n<html";
  if (!fm.lang.empty()) out += " lang=\"" + Escaped(fm.lang) + "\"";
  out += "><head><meta charset=\"utf-8\">\n";
  if (!fm.title.empty()) {
    out += "<title>" + Escaped(fm.title) + "</title>\n";
    out += "<meta property=\"og:title\" content=\"" + Escaped(fm.title) + "\">\n";
  }
  if (!fm.published.empty()) {
    out += "<meta property=\"article:published_time\" content=\"" + Escaped(fm.published) +
           "\">\n";
  }
  if (!fm.modified.empty()) {
    out += "<meta property=\"article:modified_time\" content=\"" + Escaped(fm.modified) +
           "\">\n";
  }
  if (!fm.author.empty()) out += "<meta name=\"author\" content=\"" + Escaped(fm.author) + "\">\n";
  if (!fm.site_name.empty()) {
    out += "<meta property=\"og:site_name\" content=\"" + Escaped(fm.site_name) + "\">\n";
  }
  if (!fm.canonical.empty()) {
    out += "<link rel=\"canonical\" href=\"" + Escaped(fm.canonical) + "\">\n";
  }
  return out + "</head>\n";
}

bool EndsWithCaseless(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && Lower(s.substr(s.size() - suffix.size())) == suffix;
}

}  // namespace

FrontMatter ReadFrontMatter(std::string_view doc, size_t* body_offset) {
  FrontMatter fm;
  if (body_offset != nullptr) *body_offset = 0;
  size_t bom = doc.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::string_view rest = doc.substr(bom);
  if (!rest.starts_with("---\n") && !rest.starts_with("---\r\n")) return fm;
  size_t first = rest.find('\n') + 1;
  // The closing line: "---" or "..." alone.
  size_t close = std::string_view::npos, after = 0;
  for (size_t at = first; at < rest.size() && at <= kMaxFrontMatterBytes;) {
    size_t nl = rest.find('\n', at);
    std::string_view line = Trim(rest.substr(at, nl == std::string_view::npos ? nl : nl - at));
    if (line == "---" || line == "...") {
      close = at;
      after = nl == std::string_view::npos ? rest.size() : nl + 1;
      break;
    }
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  if (close == std::string_view::npos) return fm;
  std::vector<std::string_view> lines = SplitLines(rest.substr(first, close - first));
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty() || line.front() == ' ' || line.front() == '-' || line.front() == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string_view raw = Trim(line.substr(colon + 1));
    std::string value;
    if (raw.size() >= 2 && raw.front() == '[' && raw.back() == ']') {
      value = Joined(InlineList(raw));
    } else if (raw.empty()) {
      // A block list on the following "- item" lines.
      std::vector<std::string> items;
      while (i + 1 < lines.size() && Trim(lines[i + 1]).starts_with("- ")) {
        items.emplace_back(Unquote(Trim(Trim(lines[++i]).substr(2))));
      }
      value = Joined(items);
    } else {
      value = std::string(Unquote(raw));
    }
    if (!value.empty()) SetFrontMatterKey(fm, key, value);
  }
  if (body_offset != nullptr) *body_offset = bom + after;
  return fm;
}

std::string MarkdownToHtml(std::string_view markdown) {
  size_t body = 0;
  FrontMatter fm = ReadFrontMatter(markdown, &body);
  std::string out = Head(fm);
  out += "<body><article>\n";
  AppendBlocks(out, SplitLines(markdown.substr(body)));
  out += "</article></body></html>\n";
  return out;
}

std::string PlainTextToHtml(std::string_view text) {
  size_t body = 0;
  FrontMatter fm = ReadFrontMatter(text, &body);
  std::string out = Head(fm);
  out += "<body><article>\n";
  std::vector<std::string_view> block;
  auto flush = [&out, &block] {
    if (block.empty()) return;
    out += "<p>";
    for (size_t i = 0; i < block.size(); ++i) {
      AppendEscaped(out, Trim(block[i]));
      if (i + 1 < block.size()) out += "<br>";
    }
    out += "</p>\n";
    block.clear();
  };
  for (std::string_view line : SplitLines(text.substr(body))) {
    if (Blank(line)) {
      flush();
    } else {
      block.push_back(line);
    }
  }
  flush();
  out += "</article></body></html>\n";
  return out;
}

bool IsMarkdownName(std::string_view name) {
  return EndsWithCaseless(name, ".md") || EndsWithCaseless(name, ".markdown") ||
         EndsWithCaseless(name, ".mdown") || EndsWithCaseless(name, ".mkd");
}

bool IsMarkdownMediaType(std::string_view content_type) {
  std::string type = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  return type == "text/markdown" || type == "text/x-markdown";
}

}  // namespace newsclaim::extract
