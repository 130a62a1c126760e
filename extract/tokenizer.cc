#include "extract/tokenizer.h"

#include <mecab.h>

#include "base/utf8.h"

namespace newsclaim::extract {

namespace {

// Splits IPADIC's comma-separated feature string into its fields.
std::vector<std::string_view> SplitFeature(std::string_view feature) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t comma = feature.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(feature.substr(start));
      return fields;
    }
    fields.push_back(feature.substr(start, comma - start));
    start = comma + 1;
  }
}

std::string Field(const std::vector<std::string_view>& fields, size_t i) {
  if (i >= fields.size() || fields[i] == "*") return "";
  return std::string(fields[i]);
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
  // parseToNode keeps pointers into its input, so parse a stable copy.
  const std::string input(text);
  const MeCab::Node* node = tagger_->parseToNode(input.data(), input.size());
  if (node == nullptr) {
    return InternalError(std::string("MeCab: cannot parse sentence: ") +
                         tagger_->what());
  }
  int64_t cp = 0;
  int64_t byte = 0;
  for (; node != nullptr; node = node->next) {
    if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE) continue;
    Token token;
    token.byte_start = node->surface - input.data();
    token.byte_end = token.byte_start + node->length;
    token.surface = input.substr(token.byte_start, node->length);
    // Advance the code point counter over the gap and the token.
    cp += CodePointCount(std::string_view(input).substr(
        byte, token.byte_start - byte));
    token.cp_start = cp;
    cp += CodePointCount(token.surface);
    token.cp_end = cp;
    byte = token.byte_end;
    std::vector<std::string_view> fields = SplitFeature(node->feature);
    token.pos = Field(fields, 0);
    token.pos1 = Field(fields, 1);
    token.pos2 = Field(fields, 2);
    token.base = Field(fields, 6);
    if (token.base.empty()) token.base = token.surface;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace newsclaim::extract
