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

}  // namespace
}  // namespace newsclaim
