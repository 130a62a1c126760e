#include "extract/claim_lexicon.h"

#include <algorithm>

#include "extract/sentences.h"

namespace newsclaim::extract {

namespace {

// Words do not match inside a longer run of the same class: "Intel" is not
// in "Intelligence", "メタ" is not in "メタバース".
enum class CharClass { kOther, kLetter, kDigit, kKatakana };

CharClass ClassOf(char32_t c) {
  if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) {
    return CharClass::kLetter;
  }
  if (c >= U'0' && c <= U'9') return CharClass::kDigit;
  if (c >= U'\u30A1' && c <= U'\u30FF' && c != U'\u30FB') {
    return CharClass::kKatakana;
  }
  return CharClass::kOther;
}

bool IsShortAcronym(std::u32string_view word) {
  if (word.size() > 4) return false;
  return std::all_of(word.begin(), word.end(),
                     [](char32_t c) { return c >= U'A' && c <= U'Z'; });
}

}  // namespace

bool Lexicon::Add(std::string_view word, int value, int* existing) {
  std::u32string folded = DecodeUtf8(FoldForMatch(word));
  if (folded.empty()) return true;
  int node = 0;
  for (char32_t c : folded) {
    std::vector<std::pair<char32_t, int>>& next = nodes_[node].next;
    auto it = std::lower_bound(next.begin(), next.end(), std::make_pair(c, -1));
    if (it == next.end() || it->first != c) {
      const int child = static_cast<int>(nodes_.size());
      next.insert(it, {c, child});  // before push_back: `next` lives in nodes_
      nodes_.push_back(Node{});
      node = child;
    } else {
      node = it->second;
    }
  }
  if (folded.front() < kFirstBitmapSize) {
    first_chars_[folded.front() >> 6] |= uint64_t{1} << (folded.front() & 63);
  }
  std::u32string normalized = DecodeUtf8(NormalizeNfkc(word));
  if (nodes_[node].word >= 0) {
    Word& old = words_[nodes_[node].word];
    if (old.value != value) {
      if (existing != nullptr) *existing = old.value;
      return false;
    }
    // The same word in another spelling: a case-free form wins.
    if (!IsShortAcronym(normalized)) old.case_sensitive.clear();
    return true;
  }
  Word entry;
  entry.folded = folded;
  if (IsShortAcronym(normalized)) entry.case_sensitive = normalized;
  entry.value = value;
  words_.push_back(std::move(entry));
  nodes_[node].word = static_cast<int>(words_.size()) - 1;
  max_length_ = std::max(max_length_, folded.size());
  return true;
}

bool Lexicon::Accepts(const Word& word, std::u32string_view folded,
                      std::u32string_view normalized, int64_t start,
                      int64_t end) const {
  const int64_t n = static_cast<int64_t>(folded.size());
  CharClass first = ClassOf(word.folded.front());
  if (first != CharClass::kOther && start > 0 &&
      ClassOf(folded[start - 1]) == first) {
    return false;
  }
  CharClass last = ClassOf(word.folded.back());
  if (last != CharClass::kOther && end < n && ClassOf(folded[end]) == last) {
    bool plural = folded[end] == U's' &&
                  (end + 1 == n || ClassOf(folded[end + 1]) != CharClass::kLetter);
    if (!plural) return false;
  }
  if (!word.case_sensitive.empty()) {
    if (static_cast<int64_t>(normalized.size()) < end) return false;
    if (normalized.substr(start, end - start) != word.case_sensitive) {
      return false;
    }
  }
  return true;
}

int Lexicon::Child(int node, char32_t c) const {
  const std::vector<std::pair<char32_t, int>>& next = nodes_[node].next;
  if (next.size() <= 8) {
    for (const auto& [code, child] : next) {
      if (code == c) return child;
    }
    return -1;
  }
  auto it = std::lower_bound(next.begin(), next.end(), std::make_pair(c, -1));
  return it != next.end() && it->first == c ? it->second : -1;
}

LexiconMatch Lexicon::MatchAt(std::u32string_view folded,
                              std::u32string_view normalized,
                              int64_t pos) const {
  LexiconMatch best{pos, pos, -1};
  if (pos >= static_cast<int64_t>(folded.size()) || !MayStartWith(folded[pos])) return best;
  int node = 0;
  for (int64_t i = pos; i < static_cast<int64_t>(folded.size()); ++i) {
    node = Child(node, folded[i]);
    if (node < 0) break;
    int word = nodes_[node].word;
    if (word >= 0 && Accepts(words_[word], folded, normalized, pos, i + 1)) {
      best = {pos, i + 1, words_[word].value};
    }
  }
  return best;
}

LexiconMatch Lexicon::MatchEndingAt(std::u32string_view folded,
                                    std::u32string_view normalized,
                                    int64_t end) const {
  const int64_t lowest =
      std::max<int64_t>(0, end - static_cast<int64_t>(max_length_));
  // Earliest start first, so the longest word wins.
  for (int64_t start = lowest; start < end; ++start) {
    if (!MayStartWith(folded[start])) continue;
    int node = 0;
    for (int64_t i = start; i < end && node >= 0; ++i) node = Child(node, folded[i]);
    int word = node >= 0 ? nodes_[node].word : -1;
    if (word >= 0 && Accepts(words_[word], folded, normalized, start, end)) {
      return {start, end, words_[word].value};
    }
  }
  return {end, end, -1};
}

std::vector<LexiconMatch> Lexicon::FindAll(
    std::u32string_view folded, std::u32string_view normalized) const {
  std::vector<LexiconMatch> matches;
  int64_t i = 0;
  const int64_t n = static_cast<int64_t>(folded.size());
  while (i < n) {
    LexiconMatch match = MatchAt(folded, normalized, i);
    if (match.value >= 0) {
      matches.push_back(match);
      i = match.end;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace newsclaim::extract
