// extract/html_prescan.h
// A cheap pass before gumbo (issue 8): drops the contents of <script> and
// <style> elements, which are never article text, so that gumbo does not
// tokenize them character by character. Used by ExtractArticle; the page it
// yields parses to the same document apart from those contents.
#pragma once

#include <string>
#include <string_view>

namespace newsclaim::extract {

// Copies `html` into `out` without the contents of its <script> and <style>
// elements (the tags stay, so the elements do too, empty). JSON-LD scripts
// (any script whose start tag says "ld+json") keep their contents.
//
// The scan follows the WHATWG tokenizer (HTML Living Standard, section
// 13.2.5) far enough to find the tags gumbo finds: comments, bogus
// comments, CDATA in SVG and MathML, quoted attribute values, and the
// RCDATA and RAWTEXT elements (title, textarea, xmp, iframe, noembed,
// noframes, noscript, plaintext), whose contents it leaves alone. Inside
// SVG and MathML, script and style are ordinary elements and are kept. From
// any point where the tree builder could leave the tokenizer in a state the
// scan does not follow (a "<!--" inside a script, an HTML element that
// breaks out of SVG, an integration point such as foreignObject, <select>,
// <frameset>), the rest of the page is copied unchanged.
//
// Returns false, leaving `out` unspecified, when there is nothing to drop;
// the caller then parses `html` itself.
bool DropScriptAndStyleContents(std::string_view html, std::string& out);

}  // namespace newsclaim::extract
