// store/near_duplicates.h
// Near-duplicate pages (a wire story copied by many outlets) found by
// character shingles and MinHash over the article text. Reconciliation
// counts a copied page's figures once: its claims are marked derived (never
// deleted) and do not add to a figure's independent sources. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::store {

// Code points per shingle. Character shingles work for Japanese, which has
// no spaces, and for English alike.
inline constexpr int kShingleCodePoints = 5;
// MinHash bins per sketch (one-permutation MinHash); the Jaccard estimate's
// standard error is about sqrt(J(1-J)/64), i.e. <= 0.06.
inline constexpr int kMinHashes = 64;
// Pages with fewer shingles than this are too short to call copies.
inline constexpr int kMinShingles = 40;
// Estimated Jaccard similarity from which two pages are near-duplicates.
inline constexpr double kNearDuplicateThreshold = 0.8;

// `text` as the code points shingles are made of: full-width ASCII forms
// (U+FF01..U+FF5E) and the ideographic space read as ASCII (the part of NFKC
// that matters for news text), ASCII lower-cased, and whitespace and
// punctuation (ASCII and U+3000..U+303F: 、。「」) dropped, so that layout and
// quoting style do not make two copies differ. Invalid UTF-8 bytes are kept
// as U+FFFD.
std::u32string FoldForShingles(std::string_view text);

struct ShingleSketch {
  // kMinHashes bins, each the least 58-bit hash of a shingle that fell into
  // it, or ~0 when none did; empty when the text is too short.
  std::vector<uint64_t> minhash;
  int64_t shingles = 0;           // shingles in the folded text (with repeats)
};

// The MinHash sketch of the text's kShingleCodePoints-code-point shingles
// after FoldForShingles. Sketches are recomputed on every reconcile, so
// the hash may change between versions.
ShingleSketch SketchText(std::string_view text);

// Fraction of equal bins among those not empty in both: an estimate of the
// Jaccard similarity of the two shingle sets. 0 when either sketch is empty.
double EstimatedJaccard(const ShingleSketch& a, const ShingleSketch& b);

struct PageSketch {
  int64_t page_id = 0;
  std::string published;  // YYYY-MM-DD or empty (unknown dates sort last)
  ShingleSketch sketch;
};

// A page whose text copies another's.
struct NearDuplicate {
  int64_t page_id = 0;
  int64_t copy_of = 0;      // the original: the earliest page of its cluster
  double similarity = 0;    // EstimatedJaccard with the original
};

// Groups pages whose sketches are at least `threshold` similar (connected
// components of such pairs; candidates come from locality-sensitive hashing
// over bands of the sketch, so the work is near-linear in the number of
// pages). Every page of a group but its original (earliest published, then
// lowest id) is returned, sorted by page_id. Pages with empty sketches are
// never grouped.
std::vector<NearDuplicate> FindNearDuplicates(const std::vector<PageSketch>& pages,
                                              double threshold = kNearDuplicateThreshold);

}  // namespace newsclaim::store
