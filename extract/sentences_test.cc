#include "extract/sentences.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/utf8.h"

namespace newsclaim::extract {
namespace {

// The article text of code points [start, end).
std::string Slice(const std::string& text, int64_t start, int64_t end) {
  int64_t b0 = ByteOffsetOfCodePoint(text, start);
  int64_t b1 = ByteOffsetOfCodePoint(text, end);
  return text.substr(b0, b1 - b0);
}

std::vector<std::string> Texts(const std::vector<Sentence>& sentences) {
  std::vector<std::string> out;
  for (const Sentence& sentence : sentences) out.push_back(sentence.text);
  return out;
}

SentenceSplitter MakeSplitter() {
  StatusOr<SentenceSplitter> splitter = SentenceSplitter::Create();
  EXPECT_TRUE(splitter.ok()) << splitter.status().ToString();
  return std::move(splitter).value();
}

TEST(SentencesTest, NormalizesAndFoldsTableOfForms) {
  struct Case {
    std::string input;
    std::string nfkc;
    std::string folded;
  };
  const Case cases[] = {
      {"ＧＰＵ２６万枚", "GPU26万枚", "gpu26万枚"},
      {"ｻﾑｽﾝ", "サムスン", "サムスン"},
      {"㈱エヌビディア", "(株)エヌビディア", "(株)エヌビディア"},
      {"NVIDIA’s H100", "NVIDIA’s H100", "nvidia's h100"},
      {"１００兆ウォン（約１０兆円）", "100兆ウォン(約10兆円)", "100兆ウォン(約10兆円)"},
      {"plain", "plain", "plain"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormalizeNfkc(c.input), c.nfkc) << c.input;
    EXPECT_EQ(FoldForMatch(c.input), c.folded) << c.input;
  }
}

TEST(SentencesTest, SplitsJapaneseAtFullStopsAndExclamations) {
  SentenceSplitter splitter = MakeSplitter();
  std::vector<Sentence> sentences =
      splitter.Split("韓国は26万枚を確保した。SKは5万枚！本当か？はい");
  EXPECT_EQ(Texts(sentences),
            (std::vector<std::string>{"韓国は26万枚を確保した。", "SKは5万枚！",
                                      "本当か？", "はい"}));
}

TEST(SentencesTest, EndsParagraphsAtNewlinesAndCountsThem) {
  SentenceSplitter splitter = MakeSplitter();
  std::vector<Sentence> sentences =
      splitter.Split("見出しの行\n\n本文の一文目。二文目。\n  \n最後の段落");
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_EQ(sentences[0].text, "見出しの行");
  EXPECT_EQ(sentences[0].paragraph, 0);
  EXPECT_EQ(sentences[1].paragraph, 1);
  EXPECT_EQ(sentences[2].paragraph, 1);
  EXPECT_EQ(sentences[3].text, "最後の段落");
  EXPECT_EQ(sentences[3].paragraph, 2);
}

TEST(SentencesTest, SplitsEnglishAfterFullStopsButNotInsideNumbers) {
  SentenceSplitter splitter = MakeSplitter();
  std::vector<Sentence> sentences = splitter.Split(
      "NVIDIA will supply 260,000 GPUs. The deal is worth $3.5 billion. Mr. Kim agreed.");
  EXPECT_EQ(Texts(sentences),
            (std::vector<std::string>{"NVIDIA will supply 260,000 GPUs.",
                                      "The deal is worth $3.5 billion.",
                                      "Mr. Kim agreed."}));
}

TEST(SentencesTest, SpansAreCodePointsIntoTheArticleText) {
  SentenceSplitter splitter = MakeSplitter();
  const std::string text = "前の段落です。\n\n  韓国はＧＰＵ２６万枚を確保。";
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_EQ(sentences.size(), 2u);
  const Sentence& s = sentences[1];
  EXPECT_EQ(Slice(text, s.cp_start, s.cp_end), s.text);
  EXPECT_EQ(s.text, "韓国はＧＰＵ２６万枚を確保。");  // trimmed, original width
  EXPECT_EQ(s.normalized, "韓国はGPU26万枚を確保。");
  // "26万枚" is normalized code points [6, 10).
  std::pair<int64_t, int64_t> span = s.ToArticleSpan(6, 10);
  EXPECT_EQ(Slice(text, span.first, span.second), "２６万枚");
}

TEST(SentencesTest, AnExpandedCharacterMapsBackToItsWholeSource) {
  SentenceSplitter splitter = MakeSplitter();
  const std::string text = "㈱サクラは2基を持つ。";
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_EQ(sentences.size(), 1u);
  const Sentence& s = sentences[0];
  EXPECT_EQ(s.normalized, "(株)サクラは2基を持つ。");
  // Any part of "(株)" maps to the one source character "㈱".
  EXPECT_EQ(s.ToArticleSpan(1, 2), (std::pair<int64_t, int64_t>{0, 1}));
  EXPECT_EQ(s.ToArticleSpan(0, 3), (std::pair<int64_t, int64_t>{0, 1}));
  // "2基" after it keeps its own position.
  EXPECT_EQ(s.ToArticleSpan(7, 9), (std::pair<int64_t, int64_t>{5, 7}));
  EXPECT_EQ(Slice(text, 5, 7), "2基");
}

TEST(SentencesTest, HalfWidthKatakanaWithVoicingMarkFoldsIntoOneCharacter) {
  SentenceSplitter splitter = MakeSplitter();
  const std::string text = "ｶﾞｰﾄﾞ";
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0].normalized, "ガード");
  EXPECT_EQ(sentences[0].ToArticleSpan(0, 1), (std::pair<int64_t, int64_t>{0, 2}));
  EXPECT_EQ(sentences[0].ToArticleSpan(0, 3), (std::pair<int64_t, int64_t>{0, 5}));
}

// `count` copies of `unit`.
std::string Repeat(const std::string& unit, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += unit;
  return out;
}

TEST(SentencesTest, KeepsASentenceOfExactlyTheLengthLimitWhole) {
  SentenceSplitter splitter = MakeSplitter();
  // kMaxSentenceCodePoints code points, the full stop included, with
  // clause marks and spaces a cut could have used.
  const std::string text =
      Repeat("あ", 1000) + "、" + Repeat("a", 500) + " " +
      Repeat("い", static_cast<int>(kMaxSentenceCodePoints) - 1503) + "。";
  ASSERT_EQ(CodePointCount(text), kMaxSentenceCodePoints);
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0].text, text);
}

TEST(SentencesTest, CutsALongerSentenceAfterTheLastClauseMarkOrSpaceNearTheLimit) {
  SentenceSplitter splitter = MakeSplitter();
  const int limit = static_cast<int>(kMaxSentenceCodePoints);
  struct Case {
    std::string name;
    std::string input;
    std::vector<std::string> pieces;
  };
  const std::vector<Case> cases = {
      {"one code point over: a hard cut at the limit", Repeat("あ", limit + 1),
       {Repeat("あ", limit), "あ"}},
      {"after the last 、 in the final quarter",
       Repeat("あ", 1600) + "、" + Repeat("い", 300) + "、" + Repeat("う", 200),
       {Repeat("あ", 1600) + "、" + Repeat("い", 300) + "、", Repeat("う", 200)}},
      {"a clause mark before the final quarter is too far back: a hard cut",
       Repeat("あ", 100) + "、" + Repeat("い", limit),
       {Repeat("あ", 100) + "、" + Repeat("い", limit - 101), Repeat("い", 101)}},
      {"English: after a comma followed by a space, not inside 260,000",
       Repeat("a", 1700) + ", " + Repeat("b", 200) + " 260,000 " + Repeat("c", 300),
       {Repeat("a", 1700) + ",", Repeat("b", 200) + " 260,000 " + Repeat("c", 300)}},
      {"not inside a full-width number: after the space before it",
       Repeat("あ", 1800) + " ２６，０００" + Repeat("い", 300),
       {Repeat("あ", 1800), "２６，０００" + Repeat("い", 300)}},
      {"a base character keeps its combining mark",
       Repeat("あ", limit - 1) + "か\u3099" + Repeat("い", 10),
       {Repeat("あ", limit - 1), "か\u3099" + Repeat("い", 10)}},
  };
  for (const Case& c : cases) {
    std::vector<Sentence> sentences = splitter.Split(c.input);
    EXPECT_EQ(Texts(sentences), c.pieces) << c.name;
    for (const Sentence& s : sentences) {
      EXPECT_EQ(Slice(c.input, s.cp_start, s.cp_end), s.text) << c.name;
      EXPECT_EQ(s.paragraph, 0) << c.name;
    }
  }
}

TEST(SentencesTest, AHugeSentenceBecomesPiecesWithinTheLimitThatCoverItInOrder) {
  SentenceSplitter splitter = MakeSplitter();
  std::string text = "前の文。\n";
  for (int i = 0; i < 4000; ++i) text += "NVIDIAは韓国に" + std::to_string(i) + "万枚を供給、";
  text += "\n次の段落。";
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_GT(sentences.size(), 30u);
  EXPECT_EQ(sentences.front().text, "前の文。");
  EXPECT_EQ(sentences.back().text, "次の段落。");
  EXPECT_EQ(sentences.back().paragraph, 2);
  std::string joined;
  for (size_t i = 1; i + 1 < sentences.size(); ++i) {
    const Sentence& s = sentences[i];
    EXPECT_LE(s.cp_end - s.cp_start, kMaxSentenceCodePoints);
    EXPECT_EQ(s.paragraph, 1);
    EXPECT_EQ(sentences[i - 1].cp_end + (i == 1 ? 1 : 0), s.cp_start) << i;
    // Every piece ends at a clause mark, so no figure is cut in two.
    EXPECT_TRUE(s.text.ends_with("、")) << i;
    joined += s.text;
  }
  EXPECT_EQ(text, "前の文。\n" + joined + "\n次の段落。");
}

TEST(SentencesTest, EmptyAndBlankTextGiveNoSentences) {
  SentenceSplitter splitter = MakeSplitter();
  EXPECT_TRUE(splitter.Split("").empty());
  EXPECT_TRUE(splitter.Split(" \n\u3000\n").empty());
}

TEST(SentencesTest, InvalidUtf8CountsOneCodePointPerByte) {
  SentenceSplitter splitter = MakeSplitter();
  const std::string text = "a\xff" "b。次";
  std::vector<Sentence> sentences = splitter.Split(text);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].cp_end, 4);
  EXPECT_EQ(sentences[1].cp_start, 4);
  EXPECT_EQ(sentences[0].text, "a\xff" "b。");
}

}  // namespace
}  // namespace newsclaim::extract
