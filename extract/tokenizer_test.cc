#include "extract/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newsclaim::extract {
namespace {

// These tests use the real MeCab dictionary, as claim extraction does.
Tokenizer MakeTokenizer() {
  StatusOr<Tokenizer> tokenizer = Tokenizer::Create();
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status().ToString();
  return std::move(tokenizer).value();
}

TEST(TokenizerTest, ReadsAKnownSentenceWithIpadicPartsOfSpeech) {
  Tokenizer tokenizer = MakeTokenizer();
  StatusOr<std::vector<Token>> tokens =
      tokenizer.Tokenize("韓国政府は2030年までにGPU26万枚を確保する。");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  struct Expected {
    std::string surface;
    std::string pos;
    std::string pos1;
    std::string pos2;
  };
  const std::vector<Expected> expected = {
      {"韓国", "名詞", "固有名詞", "地域"}, {"政府", "名詞", "一般", ""},
      {"は", "助詞", "係助詞", ""},         {"2030", "名詞", "数", ""},
      {"年", "名詞", "接尾", "助数詞"},     {"まで", "助詞", "副助詞", ""},
      {"に", "助詞", "格助詞", "一般"},     {"GPU", "名詞", "一般", ""},
      {"26", "名詞", "数", ""},             {"万", "名詞", "数", ""},
      {"枚", "名詞", "接尾", "助数詞"},     {"を", "助詞", "格助詞", "一般"},
      {"確保", "名詞", "サ変接続", ""},     {"する", "動詞", "自立", ""},
      {"。", "記号", "句点", ""},
  };
  ASSERT_EQ(tokens->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*tokens)[i].surface, expected[i].surface) << i;
    EXPECT_EQ((*tokens)[i].pos, expected[i].pos) << i;
    EXPECT_EQ((*tokens)[i].pos1, expected[i].pos1) << i;
    EXPECT_EQ((*tokens)[i].pos2, expected[i].pos2) << i;
  }
  EXPECT_EQ((*tokens)[13].base, "する");
  // Unknown words keep their surface as base form.
  EXPECT_EQ((*tokens)[7].base, "GPU");
}

TEST(TokenizerTest, OffsetsPointAtTheSurfaceInBytesAndCodePoints) {
  Tokenizer tokenizer = MakeTokenizer();
  const std::string text = "NVIDIA will supply  5万枚.";
  StatusOr<std::vector<Token>> tokens = tokenizer.Tokenize(text);
  ASSERT_TRUE(tokens.ok());
  ASSERT_FALSE(tokens->empty());
  for (const Token& token : *tokens) {
    EXPECT_EQ(text.substr(token.byte_start, token.byte_end - token.byte_start),
              token.surface);
  }
  // "万" is code point 21 of the text (two spaces before "5").
  auto it = std::find_if(tokens->begin(), tokens->end(),
                         [](const Token& t) { return t.surface == "万"; });
  ASSERT_NE(it, tokens->end());
  EXPECT_EQ(it->cp_start, 21);
  EXPECT_EQ(it->cp_end, 22);
  EXPECT_EQ(it->byte_start, 21);
  EXPECT_EQ(it->byte_end, 24);
}

TEST(TokenizerTest, EmptyTextGivesNoTokens) {
  Tokenizer tokenizer = MakeTokenizer();
  StatusOr<std::vector<Token>> tokens = tokenizer.Tokenize("");
  ASSERT_TRUE(tokens.ok());
  EXPECT_TRUE(tokens->empty());
}

TEST(TokenizerTest, ReadsTenseOfAVerbChain) {
  Tokenizer tokenizer = MakeTokenizer();
  StatusOr<std::vector<Token>> tokens = tokenizer.Tokenize("稼働させている");
  ASSERT_TRUE(tokens.ok());
  std::vector<std::string> bases;
  for (const Token& token : *tokens) bases.push_back(token.base);
  // The claim extractor reads "ている" after a verb as the progressive.
  EXPECT_EQ(bases, (std::vector<std::string>{"稼働", "する", "せる", "て", "いる"}));
}

}  // namespace
}  // namespace newsclaim::extract
