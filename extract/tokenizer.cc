#include "extract/tokenizer.h"

#include <mecab.h>

#include <array>

#include "base/utf8.h"

namespace newsclaim::extract {

namespace {

// IPADIC's feature fields we read: 品詞, 品詞細分類1, 品詞細分類2 and 原形.
constexpr size_t kFeatureFields = 7;

// Splits IPADIC's comma-separated feature string into its first fields,
// without allocating (this runs once per token).
void SplitFeature(std::string_view feature,
                  std::array<std::string_view, kFeatureFields>& fields) {
  fields.fill(std::string_view());
  size_t start = 0;
  for (size_t i = 0; i < kFeatureFields; ++i) {
    size_t comma = feature.find(',', start);
    if (comma == std::string_view::npos) {
      fields[i] = feature.substr(start);
      return;
    }
    fields[i] = feature.substr(start, comma - start);
    start = comma + 1;
  }
}

std::string Field(std::string_view field) {
  if (field == "*") return "";
  return std::string(field);
}

}  // namespace

StatusOr<Tokenizer> Tokenizer::Create() {
  std::unique_ptr<MeCab::Tagger> tagger(MeCab::createTagger(""));
  if (tagger == nullptr) {
    const char* what = MeCab::getTaggerError();
    return NotFoundError(
        std::string("MeCab: cannot open dictionary (install mecab-ipadic-utf8): ") +
        (what != nullptr ? what : "unknown error"));
  }
  return Tokenizer(std::move(tagger));
}

Tokenizer::Tokenizer(std::unique_ptr<MeCab::Tagger> tagger)
    : tagger_(std::move(tagger)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

StatusOr<std::vector<Token>> Tokenizer::Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  if (text.empty()) return tokens;
  // parseToNode keeps pointers into `text`, which outlives this call; every
  // surface is copied out before returning.
  const MeCab::Node* node = tagger_->parseToNode(text.data(), text.size());
  if (node == nullptr) {
    return InternalError(std::string("MeCab: cannot parse sentence: ") +
                         tagger_->what());
  }
  tokens.reserve(text.size() / 6 + 1);
  std::array<std::string_view, kFeatureFields> fields;
  int64_t cp = 0;
  int64_t byte = 0;
  for (; node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    Token& token = tokens.emplace_back();
    token.byte_start = node->surface - text.data();
    token.byte_end = token.byte_start + node->length;
    const std::string_view surface = text.substr(token.byte_start, node->length);
    token.surface = std::string(surface);
    // Advance the code point counter over the gap and the token.
    cp += CodePointCount(text.substr(byte, token.byte_start - byte));
    token.cp_start = cp;
    cp += CodePointCount(surface);
    token.cp_end = cp;
    byte = token.byte_end;
    SplitFeature(node->feature, fields);
    token.pos = Field(fields[0]);
    token.pos1 = Field(fields[1]);
    token.pos2 = Field(fields[2]);
    token.base = Field(fields[6]);
    if (token.base.empty()) token.base = token.surface;
  }
  return tokens;
}

}  // namespace newsclaim::extract
