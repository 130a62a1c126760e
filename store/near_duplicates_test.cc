#include "store/near_duplicates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newsclaim::store {
namespace {

constexpr std::string_view kWireStory =
    "NVIDIAは10月31日、韓国政府および韓国企業に最新のBlackwell世代GPUを合計26万枚供給すると"
    "発表した。サムスン電子、SKグループ、現代自動車グループがそれぞれ5万枚を導入し、"
    "NAVER Cloudは6万枚を導入する。政府は国家AIコンピューティングセンター向けに約5万枚を確保する。";

constexpr std::string_view kOtherStory =
    "さくらインターネットは石狩データセンターで2027年度までに約1万基のGPUを整備する計画を"
    "明らかにした。政府の補助金を活用し、生成AIの開発企業向けにクラウドサービスとして提供する。"
    "同社は電力の確保が課題だとしている。";

TEST(FoldForShinglesTest, FoldsWidthCaseSpacesAndPunctuation) {
  struct Case {
    std::string_view input;
    std::u32string expected;
  } cases[] = {
      {"ＧＰＵ　２６万枚。", U"gpu26万枚"},
      {"GPU 26万枚", U"gpu26万枚"},
      {"“Blackwell,” she said.", U"blackwellshesaid"},
      {"「韓国」、26万", U"韓国26万"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.input));
    EXPECT_EQ(FoldForShingles(c.input), c.expected);
  }
}

TEST(SketchTextTest, ShortTextsAreNotSketched) {
  EXPECT_TRUE(SketchText("26万枚").minhash.empty());
  EXPECT_EQ(SketchText(kWireStory).minhash.size(), static_cast<size_t>(kMinHashes));
}

TEST(EstimatedJaccardTest, CopiesScoreHighAndOtherStoriesLow) {
  const ShingleSketch wire = SketchText(kWireStory);
  // The same story with another layout, full-width digits and a credit line.
  std::string copy = "（共同）\n" + std::string(kWireStory);
  const ShingleSketch reformatted = SketchText(copy);
  EXPECT_EQ(EstimatedJaccard(wire, wire), 1.0);
  EXPECT_GE(EstimatedJaccard(wire, reformatted), kNearDuplicateThreshold);
  EXPECT_LT(EstimatedJaccard(wire, SketchText(kOtherStory)), 0.2);
  EXPECT_EQ(EstimatedJaccard(wire, ShingleSketch{}), 0.0);
}

TEST(FindNearDuplicatesTest, CopiesPointAtTheEarliestPageAndOthersStayIndependent) {
  std::vector<PageSketch> pages = {
      {4, "2025-11-02", SketchText("【速報】" + std::string(kWireStory))},
      {2, "2025-10-31", SketchText(kWireStory)},
      {3, "2025-11-01", SketchText(std::string(kWireStory) + "（ロイター）")},
      {5, "2025-11-01", SketchText(kOtherStory)},
      {6, "", SketchText("26万枚")},  // too short to judge
  };
  std::vector<NearDuplicate> copies = FindNearDuplicates(pages);
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[0].page_id, 3);
  EXPECT_EQ(copies[0].copy_of, 2);
  EXPECT_GE(copies[0].similarity, kNearDuplicateThreshold);
  EXPECT_EQ(copies[1].page_id, 4);
  EXPECT_EQ(copies[1].copy_of, 2);
}

TEST(FindNearDuplicatesTest, AnUndatedCopyNeverBecomesTheOriginal) {
  std::vector<PageSketch> pages = {
      {1, "", SketchText(kWireStory)},
      {2, "2025-11-01", SketchText(std::string(kWireStory) + "（共同）")},
  };
  std::vector<NearDuplicate> copies = FindNearDuplicates(pages);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].page_id, 1);
  EXPECT_EQ(copies[0].copy_of, 2);
}

}  // namespace
}  // namespace newsclaim::store
