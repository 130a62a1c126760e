#include "store/near_duplicates.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <utility>


namespace newsclaim::store {
namespace {

// Bands x rows must equal kMinHashes. With 16 bands of 4 rows, a pair at
// Jaccard 0.8 shares a band with probability 1 - (1 - 0.8^4)^16 > 0.999; at
// 0.3 it is a candidate with probability ~0.12 and is then rejected by the
// full comparison.
constexpr int kBands = 16;
constexpr int kRows = kMinHashes / kBands;
static_assert(kBands * kRows == kMinHashes);
constexpr size_t kMaxPeers = 16;
constexpr size_t kRepresentatives = 4;
constexpr uint64_t kEmptyBin = ~uint64_t{0};

// splitmix64's finalizer: a cheap, well-mixed permutation of 64-bit values.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Decodes one code point at `i` and advances; U+FFFD for an invalid byte.
char32_t DecodeAt(std::string_view text, size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                               : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  i += length;
  return cp;
}

bool IsDropped(char32_t cp) {
  if (cp < 0x80) {
    return cp <= 0x20 || cp == 0x7F ||
           !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  }
  return (cp >= 0x3000 && cp <= 0x303F) || cp == 0x00A0 || cp == 0xFEFF ||
         (cp >= 0x2000 && cp <= 0x206F);  // general punctuation: dashes, quotes, spaces
}

class Components {
 public:
  explicit Components(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<size_t> parent_;
};

}  // namespace

std::u32string FoldForShingles(std::string_view text) {
  std::u32string folded;
  folded.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = DecodeAt(text, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
    if (cp == 0x3000) cp = ' ';
    if (IsDropped(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    folded.push_back(cp);
  }
  return folded;
}

ShingleSketch SketchText(std::string_view text) {
  const std::u32string folded = FoldForShingles(text);
  ShingleSketch sketch;
  if (folded.size() < static_cast<size_t>(kShingleCodePoints)) return sketch;
  sketch.shingles = static_cast<int64_t>(folded.size()) - kShingleCodePoints + 1;
  if (sketch.shingles < kMinShingles) return sketch;
  // One-permutation MinHash (Li, Owen and Zhang, NIPS 2012): one hash per
  // shingle; its top bits pick one of kMinHashes bins, and each bin keeps
  // the least hash that fell into it. 64 times cheaper than 64 hash
  // functions, with the same estimator over the bins that are not empty.
  sketch.minhash.assign(kMinHashes, kEmptyBin);
  // A rolling polynomial hash of each window of kShingleCodePoints code
  // points, then mixed: a few nanoseconds per shingle.
  constexpr uint64_t kBase = 0x100000001B3ULL;
  uint64_t power = 1;  // kBase^(kShingleCodePoints - 1)
  for (int k = 1; k < kShingleCodePoints; ++k) power *= kBase;
  uint64_t rolling = 0;
  for (int k = 0; k < kShingleCodePoints; ++k) rolling = rolling * kBase + folded[k];
  for (int64_t s = 0; s < sketch.shingles; ++s) {
    if (s > 0) {
      rolling = (rolling - folded[s - 1] * power) * kBase + folded[s + kShingleCodePoints - 1];
    }
    const uint64_t hash = Mix(rolling);
    const size_t bin = hash >> 58;  // top 6 bits: 64 bins
    const uint64_t value = hash & ((uint64_t{1} << 58) - 1);
    if (value < sketch.minhash[bin]) sketch.minhash[bin] = value;
  }
  return sketch;
}

double EstimatedJaccard(const ShingleSketch& a, const ShingleSketch& b) {
  if (a.minhash.empty() || a.minhash.size() != b.minhash.size()) return 0;
  int equal = 0;
  int used = 0;
  for (size_t i = 0; i < a.minhash.size(); ++i) {
    if (a.minhash[i] == kEmptyBin && b.minhash[i] == kEmptyBin) continue;
    ++used;
    equal += a.minhash[i] == b.minhash[i];
  }
  return used == 0 ? 0 : static_cast<double>(equal) / static_cast<double>(used);
}

std::vector<NearDuplicate> FindNearDuplicates(const std::vector<PageSketch>& pages,
                                              double threshold) {
  // Candidates: pages that share all rows of one band. (band key, page)
  // pairs sorted by key give the buckets as runs.
  std::vector<std::pair<uint64_t, size_t>> keyed;
  keyed.reserve(pages.size() * kBands);
  for (size_t p = 0; p < pages.size(); ++p) {
    const std::vector<uint64_t>& minhash = pages[p].sketch.minhash;
    if (minhash.size() != static_cast<size_t>(kMinHashes)) continue;
    for (int band = 0; band < kBands; ++band) {
      uint64_t key = Mix(static_cast<uint64_t>(band));
      bool all_empty = true;
      for (int row = 0; row < kRows; ++row) {
        key = Mix(key ^ minhash[band * kRows + row]);
        all_empty = all_empty && minhash[band * kRows + row] == kEmptyBin;
      }
      if (!all_empty) keyed.emplace_back(key, p);
    }
  }
  std::sort(keyed.begin(), keyed.end());
  Components components(pages.size());
  std::vector<bool> grouped(pages.size(), false);
  std::vector<size_t> members;
  for (size_t run = 0; run < keyed.size();) {
    size_t end = run + 1;
    while (end < keyed.size() && keyed[end].first == keyed[run].first) ++end;
    members.clear();
    for (size_t k = run; k < end; ++k) members.push_back(keyed[k].second);
    run = end;
    if (members.size() < 2) continue;
    // A big bucket (a band drawn from boilerplate that thousands of pages
    // share) would make this quadratic: there each member is compared only
    // with the bucket's first kRepresentatives members. A true copy shares
    // about J^4 of the bands with its original (6 of 16 at J = 0.8), so the
    // small buckets of its other bands still pair it.
    const size_t peers = members.size() <= kMaxPeers ? members.size() : kRepresentatives;
    for (size_t i = 0; i < peers; ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        const size_t a = members[i];
        const size_t b = members[j];
        if (components.Find(a) == components.Find(b)) continue;
        if (EstimatedJaccard(pages[a].sketch, pages[b].sketch) >= threshold) {
          components.Join(a, b);
          grouped[a] = grouped[b] = true;
        }
      }
    }
  }
  // The original of each group: earliest published (unknown last), then
  // lowest id.
  const auto earlier = [&pages](size_t a, size_t b) {
    const bool a_dated = !pages[a].published.empty();
    const bool b_dated = !pages[b].published.empty();
    return std::make_tuple(!a_dated, pages[a].published, pages[a].page_id) <
           std::make_tuple(!b_dated, pages[b].published, pages[b].page_id);
  };
  std::unordered_map<size_t, size_t> original;  // root -> page index
  for (size_t p = 0; p < pages.size(); ++p) {
    if (!grouped[p]) continue;
    const size_t root = components.Find(p);
    auto [it, inserted] = original.emplace(root, p);
    if (!inserted && earlier(p, it->second)) it->second = p;
  }
  std::vector<NearDuplicate> copies;
  for (size_t p = 0; p < pages.size(); ++p) {
    if (!grouped[p]) continue;
    const size_t first = original.at(components.Find(p));
    if (first == p) continue;
    copies.push_back({pages[p].page_id, pages[first].page_id,
                      EstimatedJaccard(pages[p].sketch, pages[first].sketch)});
  }
  std::sort(copies.begin(), copies.end(),
            [](const NearDuplicate& a, const NearDuplicate& b) { return a.page_id < b.page_id; });
  return copies;
}

}  // namespace newsclaim::store
