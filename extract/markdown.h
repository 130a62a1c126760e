// extract/markdown.h
// Saved articles that are not HTML: Markdown (with Jekyll/Hugo front
// matter) and plain text. Both are turned into a small HTML document that
// ExtractArticle reads like any page, so `ingest` and `text` give them the
// same title, dates, paragraphs and claims as a crawled page, and
// `extract --all` can re-run over the stored HTML.
//
// The Markdown read here is the part articles use (CommonMark names):
// ATX and setext headings, paragraphs, bullet and ordered lists, block
// quotes, fenced and indented code blocks, thematic breaks, pipe tables;
// inline emphasis, code spans, links and images (an image keeps only its
// alt text out of the article). Raw HTML blocks are escaped, not rendered:
// a saved file never injects markup into reports.
#pragma once

#include <string>
#include <string_view>

namespace newsclaim::extract {

// What a front matter block ("---\nkey: value\n---") says. Keys read, case
// insensitive: title; date, published, publishdate, pubdate, pubdatetime;
// updated, lastmod, modified, last_modified; author, authors (a scalar, an
// inline [a, b] list or a "- a" block list: names joined with ", ");
// lang, language; canonical, canonical_url, canonicalurl; site, site_name.
struct FrontMatter {
  std::string title, published, modified, author, lang, canonical, site_name;
};

// Reads the front matter at the start of `doc` (after an optional BOM).
// `body_offset` (when not null) gets the byte offset where the body
// starts: 0 when there is no front matter.
FrontMatter ReadFrontMatter(std::string_view doc, size_t* body_offset = nullptr);

// A whole HTML document for the Markdown file `markdown`: front matter as
// <title> and <meta> (article:published_time, article:modified_time,
// author, og:site_name, <html lang>, <link rel=canonical>), the body as
// <article> with one element per block.
std::string MarkdownToHtml(std::string_view markdown);

// A whole HTML document for the plain text `text`: each blank-line
// separated block a <p> (line breaks inside a block kept as <br>). Front
// matter, when the file has it, is read as for Markdown.
std::string PlainTextToHtml(std::string_view text);

// True for file names Markdown is read from (.md, .markdown, .mdown, .mkd,
// case insensitive), and for a media type "text/markdown".
bool IsMarkdownName(std::string_view name);
bool IsMarkdownMediaType(std::string_view content_type);

}  // namespace newsclaim::extract
