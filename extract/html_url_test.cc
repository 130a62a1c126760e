// extract/html_url_test.cc
#include "extract/html_url.h"

#include "gtest/gtest.h"

namespace newsclaim::extract {
namespace {

struct ResolveCase {
  const char* reference;
  const char* expected;
};

// RFC 3986 section 5.4.1 (normal) and 5.4.2 (abnormal) examples, with the
// fragment dropped as ResolveUrl promises, on an http base.
TEST(ResolveUrlTest, ResolvesRfc3986Examples) {
  const char* base = "http://a/b/c/d;p?q";
  const ResolveCase kCases[] = {
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g/"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q"},
      {"g#s", "http://a/b/c/g"},
      {";x", "http://a/b/c/;x"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"http:g", "http://a/b/c/g"},
  };
  for (const ResolveCase& c : kCases) {
    EXPECT_EQ(ResolveUrl(base, c.reference), c.expected) << c.reference;
  }
}

TEST(ResolveUrlTest, RejectsNonHttpResults) {
  const char* base = "https://news.example.jp/a/b.html";
  for (const char* ref : {"mailto:x@example.com", "javascript:void(0)", "ftp://h/f",
                          "tel:0312345678", "data:text/plain,hi"}) {
    EXPECT_EQ(ResolveUrl(base, ref), "") << ref;
  }
  EXPECT_EQ(ResolveUrl("file:///tmp/x.html", "a.html"), "");
  EXPECT_EQ(ResolveUrl("not a url", "a.html"), "");
}

TEST(ResolveUrlTest, AppliesBrowserLeniencies) {
  const char* base = "https://News.Example.JP:443/a/b.html";
  const ResolveCase kCases[] = {
      {"  /c.html\n", "https://news.example.jp/c.html"},
      {"\\d\\e.html", "https://news.example.jp/d/e.html"},
      {"HTTP://Other.Example:80/x", "http://other.example/x"},
      {"/a b.html", "https://news.example.jp/a%20b.html"},
      {"/ニュース/1", "https://news.example.jp/ニュース/1"},
      {"//cdn.example.com", "https://cdn.example.com/"},
      {"https://h.example:8443/p#frag", "https://h.example:8443/p"},
  };
  for (const ResolveCase& c : kCases) {
    EXPECT_EQ(ResolveUrl(base, c.reference), c.expected) << c.reference;
  }
}

}  // namespace
}  // namespace newsclaim::extract
