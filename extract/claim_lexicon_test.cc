#include "extract/claim_lexicon.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/utf8.h"
#include "extract/sentences.h"

namespace newsclaim::extract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The words FindAll finds in `text`, as the text's own substrings with
// their values: "GPU=1".
std::vector<std::string> Found(const Lexicon& lexicon, std::string_view text) {
  const std::u32string folded = DecodeUtf8(FoldForMatch(text));
  const std::u32string normalized = DecodeUtf8(NormalizeNfkc(text));
  std::vector<std::string> found;
  for (const LexiconMatch& match : lexicon.FindAll(folded, normalized)) {
    const std::u32string word = normalized.substr(match.start, match.end - match.start);
    found.push_back(EncodeUtf8(word) + "=" + std::to_string(match.value));
  }
  return found;
}

Lexicon MakeLexicon() {
  Lexicon lexicon;
  // Many first characters, so that the root is more than a short list.
  const char* words[] = {"GPU",       "NVIDIA",        "Intel",  "KT",     "AWS",
                         "メタ",      "さくらインターネット", "ソフトバンク", "ソフトバンクグループ",
                         "H100",      "Blackwell",     "国内",   "政府",   "𠮷野家"};
  int value = 1;
  for (const char* word : words) EXPECT_TRUE(lexicon.Add(word, value++));
  for (char c = 'a'; c <= 'z'; ++c) EXPECT_TRUE(lexicon.Add(std::string("zz") + c, 100 + c));
  return lexicon;
}

TEST(LexiconTest, FindsTheLongestWordAtTheLeftmostPosition) {
  const Lexicon lexicon = MakeLexicon();
  struct Case {
    std::string text;
    std::vector<std::string> found;
  };
  const std::vector<Case> cases = {
      {"ソフトバンクグループはGPUを調達", {"ソフトバンクグループ=9", "GPU=1"}},
      {"ソフトバンクは国内で", {"ソフトバンク=8", "国内=12"}},
      {"NVIDIA H100 GPUs", {"NVIDIA=2", "H100=10", "GPU=1"}},
      {"ＧＰＵ２６万枚", {"GPU=1"}},                     // full-width forms fold
      {"nvidia blackwell", {"nvidia=2", "blackwell=11"}},  // case-free words
      {"𠮷野家の政府", {"𠮷野家=14", "政府=13"}},         // beyond the BMP
      {"zzq and zzb", {"zzq=213", "zzb=198"}},
      {"", {}},
      {"nothing here", {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Found(lexicon, c.text), c.found) << c.text;
  }
}

TEST(LexiconTest, WordsDoNotMatchInsideARunOfTheirClass) {
  const Lexicon lexicon = MakeLexicon();
  EXPECT_THAT(Found(lexicon, "Intelligence"), IsEmpty());
  EXPECT_THAT(Found(lexicon, "メタバース"), IsEmpty());
  EXPECT_THAT(Found(lexicon, "KTX"), IsEmpty());
  EXPECT_THAT(Found(lexicon, "XH100"), IsEmpty());
  EXPECT_THAT(Found(lexicon, "GPUs"), ElementsAre("GPU=1"));   // a plural "s" may follow
  EXPECT_THAT(Found(lexicon, "GPUsx"), IsEmpty());
  EXPECT_THAT(Found(lexicon, "メタの"), ElementsAre("メタ=6"));
}

TEST(LexiconTest, ShortAcronymsNeedTheirCase) {
  const Lexicon lexicon = MakeLexicon();
  EXPECT_THAT(Found(lexicon, "KT and AWS"), ElementsAre("KT=4", "AWS=5"));
  EXPECT_THAT(Found(lexicon, "kt and aws"), IsEmpty());
}

TEST(LexiconTest, MatchAtAndMatchEndingAtFindTheLongestWordThere) {
  const Lexicon lexicon = MakeLexicon();
  const std::u32string text = DecodeUtf8(FoldForMatch("ソフトバンクグループ"));
  const LexiconMatch at = lexicon.MatchAt(text, text, 0);
  EXPECT_EQ(at.value, 9);
  EXPECT_EQ(at.end, 10);
  EXPECT_EQ(lexicon.MatchAt(text, text, 1).value, -1);
  EXPECT_EQ(lexicon.MatchAt(text, text, 10).value, -1);  // at the end
  const LexiconMatch ending = lexicon.MatchEndingAt(text, text, 10);
  EXPECT_EQ(ending.value, 9);
  EXPECT_EQ(ending.start, 0);
  // Inside the longer word, ソフトバンク ends next to more katakana.
  EXPECT_EQ(lexicon.MatchEndingAt(text, text, 6).value, -1);
  const std::u32string shorter_text = DecodeUtf8(FoldForMatch("ソフトバンクの"));
  const LexiconMatch shorter = lexicon.MatchEndingAt(shorter_text, shorter_text, 6);
  EXPECT_EQ(shorter.value, 8);
  EXPECT_EQ(shorter.start, 0);
  EXPECT_EQ(lexicon.MatchEndingAt(shorter_text, shorter_text, 5).value, -1);
}

TEST(LexiconTest, AddingAWordTwiceKeepsTheFirstValue) {
  Lexicon lexicon;
  EXPECT_TRUE(lexicon.Add("NVIDIA", 1));
  EXPECT_TRUE(lexicon.Add("nvidia", 1));  // the same folded word, same value
  int existing = 0;
  EXPECT_FALSE(lexicon.Add("Nvidia", 2, &existing));
  EXPECT_EQ(existing, 1);
  EXPECT_TRUE(lexicon.Add("", 3));  // ignored
  EXPECT_EQ(lexicon.size(), 1u);
}

}  // namespace
}  // namespace newsclaim::extract
