// extract/tokenizer.h
// Japanese morphological analysis for claim assembly: wraps a MeCab tagger
// with the IPADIC dictionary and returns tokens with their part of speech
// and offsets. The extractor runs it only on sentences that hold a figure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace MeCab {
class Tagger;
}  // namespace MeCab

namespace newsclaim::extract {

// One morpheme. IPADIC feature fields: 品詞, 品詞細分類1, 品詞細分類2 and
// 原形 (the dictionary form; the surface for unknown words).
struct Token {
  std::string surface;
  std::string pos;   // 名詞, 助詞, 動詞, 記号...
  std::string pos1;  // 固有名詞, 格助詞, 数...
  std::string pos2;  // 組織, 地域, 人名...
  std::string base;
  int64_t byte_start = 0;  // offsets into the text given to Tokenize()
  int64_t byte_end = 0;
  int64_t cp_start = 0;
  int64_t cp_end = 0;
};

// Owns one MeCab tagger. Not thread-safe; build one per thread.
class Tokenizer {
 public:
  // Opens MeCab with the system configuration (/etc/mecabrc, IPADIC UTF-8).
  // Fails with NotFound "MeCab: cannot open dictionary (install
  // mecab-ipadic-utf8): <MeCab's message>" when it cannot.
  static StatusOr<Tokenizer> Create();

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // The tokens of `text` in order (white space between tokens is skipped,
  // so offsets may have gaps). Fails with Internal and MeCab's message if
  // the tagger fails on the text.
  StatusOr<std::vector<Token>> Tokenize(std::string_view text);

 private:
  explicit Tokenizer(std::unique_ptr<MeCab::Tagger> tagger);
  std::unique_ptr<MeCab::Tagger> tagger_;
};

}  // namespace newsclaim::extract
