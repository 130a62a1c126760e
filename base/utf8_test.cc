#include "base/utf8.h"

#include <gtest/gtest.h>

namespace newsclaim {
namespace {

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0);
  EXPECT_EQ(CodePointCount("GPU"), 3);
  EXPECT_EQ(CodePointCount("26万枚"), 4);
  EXPECT_EQ(CodePointCount("😀a"), 2);
}

TEST(Utf8Test, MapsBetweenCodePointAndByteOffsets) {
  const std::string_view text = "約26万枚";
  EXPECT_EQ(ByteOffsetOfCodePoint(text, 1), 3);
  EXPECT_EQ(ByteOffsetOfCodePoint(text, 3), 5);
  EXPECT_EQ(ByteOffsetOfCodePoint(text, 99), static_cast<int64_t>(text.size()));
  EXPECT_EQ(CodePointOffsetOfByte(text, 5), 3);
  std::vector<int64_t> offsets = CodePointByteOffsets(text);
  ASSERT_EQ(offsets.size(), 6u);
  EXPECT_EQ(offsets.back(), static_cast<int64_t>(text.size()));
}

TEST(Utf8Test, EncodesEveryUtf8Length) {
  EXPECT_EQ(EncodeUtf8(U"a\u00e9\u4e07\U0001F600"), "a\xC3\xA9\xE4\xB8\x87\xF0\x9F\x98\x80");
  EXPECT_EQ(EncodeUtf8(U""), "");
}

TEST(Utf8Test, TruncatedSequenceDoesNotRunPastTheEnd) {
  const std::string text = "a\xE4\xB8";  // the first two bytes of 万
  EXPECT_EQ(CodePointCount(text), 2);
  EXPECT_EQ(CodePointByteOffsets(text).back(), 3);
}

TEST(Utf8Test, MeasuresWellFormedSequencesAndRejectsEveryIllFormedKind) {
  const struct {
    std::string text;
    int length;  // of the sequence at 0
  } kCases[] = {
      {"a", 1},
      {"\xC3\xA9", 2},                  // é
      {"\xE4\xB8\x87", 3},              // 万
      {"\xF0\x9F\x98\x80", 4},          // 😀
      {"\xF4\x8F\xBF\xBF", 4},          // U+10FFFF
      {"\x80", 0},                      // stray continuation
      {"\xC0\xAF", 0},                  // overlong '/'
      {"\xC1\xBF", 0},                  // overlong
      {"\xE0\x80\xAF", 0},              // overlong
      {"\xF0\x80\x80\xAF", 0},          // overlong
      {"\xED\xA0\x80", 0},              // surrogate U+D800
      {"\xF4\x90\x80\x80", 0},          // U+110000
      {"\xF5\x80\x80\x80", 0},          // invalid lead
      {"\xFF", 0},                      // invalid lead
      {"\xE4\xB8", 0},                  // cut short
      {"\xE4\x41\x87", 0},              // bad continuation
  };
  for (const auto& test : kCases) {
    EXPECT_EQ(WellFormedUtf8Length(test.text, 0), test.length) << ::testing::PrintToString(test.text);
    EXPECT_EQ(IsWellFormedUtf8(test.text), test.length > 0) << ::testing::PrintToString(test.text);
  }
  EXPECT_TRUE(IsWellFormedUtf8(""));
  EXPECT_TRUE(IsWellFormedUtf8("約26万枚のGPU"));
  EXPECT_FALSE(IsWellFormedUtf8("約26万枚\xF3のGPU"));
  EXPECT_EQ(WellFormedUtf8Length("a\xE4\xB8\x87", 1), 3);
}

}  // namespace
}  // namespace newsclaim
