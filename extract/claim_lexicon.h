// extract/claim_lexicon.h
// A word list matched against normalized sentences: entity aliases, product
// names, GPU words, status and time words. Longest-leftmost matching over a
// trie of folded (NFKC + ASCII lower-case) forms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newsclaim::extract {

// A match of one word in a text, in code points of that text.
struct LexiconMatch {
  int64_t start = 0;
  int64_t end = 0;
  int value = 0;  // what Add() stored for the word
};

// Built once while loading rules, then read-only and thread-safe.
class Lexicon {
 public:
  // Adds `word` (any form; folded here) with `value`. Returns false, and
  // sets *existing to the value already stored, when the folded word is
  // already present with a different value; re-adding the same value is a
  // no-op. Empty words are ignored (the loaders reject them first).
  bool Add(std::string_view word, int value, int* existing = nullptr);

  // Every non-overlapping match in `folded` (FoldForMatch of the text),
  // choosing the longest word at the leftmost position. A word that starts
  // or ends with an ASCII letter, digit or katakana does not match next to
  // another character of the same class, except that a plural "s" may
  // follow: "KT" is not found in "KTX", "メタ" not in "メタバース", but
  // "GPU" is found in "GPUs" and "GPU26万枚". Words of up to four
  // upper-case letters ("KT", "AWS") also need the same case in
  // `normalized` (NormalizeNfkc of the text, same length as `folded`).
  std::vector<LexiconMatch> FindAll(std::u32string_view folded,
                                    std::u32string_view normalized) const;

  // The longest word that starts exactly at `pos`, or value -1 if none.
  LexiconMatch MatchAt(std::u32string_view folded,
                       std::u32string_view normalized, int64_t pos) const;

  // The longest word that ends exactly at `end`, or value -1 if none.
  LexiconMatch MatchEndingAt(std::u32string_view folded,
                             std::u32string_view normalized,
                             int64_t end) const;

  size_t size() const { return words_.size(); }

 private:
  struct Node {
    // Children by code point, sorted: most nodes have one or two, and a
    // short sorted array is searched faster than a hash table.
    std::vector<std::pair<char32_t, int>> next;
    int word = -1;  // index into words_
  };
  // The child of `node` reached by `c`, or -1.
  int Child(int node, char32_t c) const;
  // Whether some word starts with `c`: most positions of a text start none,
  // and this bitmap of the Basic Multilingual Plane rejects them at once.
  bool MayStartWith(char32_t c) const {
    return c >= kFirstBitmapSize || (first_chars_[c >> 6] >> (c & 63)) & 1;
  }
  static constexpr char32_t kFirstBitmapSize = 0x10000;
  struct Word {
    std::u32string folded;
    std::u32string case_sensitive;  // non-empty: must match this exactly
    int value = 0;
  };
  bool Accepts(const Word& word, std::u32string_view folded,
               std::u32string_view normalized, int64_t start,
               int64_t end) const;

  std::vector<Node> nodes_{Node{}};
  std::vector<uint64_t> first_chars_ = std::vector<uint64_t>(kFirstBitmapSize / 64, 0);
  std::vector<Word> words_;
  size_t max_length_ = 0;
};

}  // namespace newsclaim::extract
