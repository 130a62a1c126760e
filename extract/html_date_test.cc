// extract/html_date_test.cc
#include "extract/html_date.h"

#include "gtest/gtest.h"

namespace newsclaim::extract {
namespace {

struct DateCase {
  const char* input;
  const char* expected;
};

TEST(NormalizeDateTest, NormalizesMetadataValues) {
  const DateCase kCases[] = {
      {"2025-11-01", "2025-11-01"},
      {" 2025-11-01T09:30:00+09:00 ", "2025-11-01T09:30:00+09:00"},
      {"2025-11-01T09:30:00.123Z", "2025-11-01T09:30:00Z"},
      {"2025-11-01T09:30", "2025-11-01T09:30:00"},
      {"2025-11-01 09:30:00 +0900", "2025-11-01T09:30:00+09:00"},
      {"2019-11-18T23:04:24-05:00", "2019-11-18T23:04:24-05:00"},
      {"2025/11/1", "2025-11-01"},
      {"2025.11.01", "2025-11-01"},
      {"20251101", "2025-11-01"},
      {"2025年11月1日", "2025-11-01"},
      {"2025年 11月 1日 10時30分", "2025-11-01"},
      {"November 1, 2025", "2025-11-01"},
      {"Nov. 1, 2025", "2025-11-01"},
      {"1 November 2025", "2025-11-01"},
      {"Sat, 01 Nov 2025 09:30:00 GMT", "2025-11-01T09:30:00Z"},
      {"Tue, 19 Nov 2019 12:00:00 +0000", "2019-11-19T12:00:00+00:00"},
      {"公開日：2025年11月1日", "2025-11-01"},
  };
  for (const DateCase& c : kCases) EXPECT_EQ(NormalizeDate(c.input), c.expected) << c.input;
}

TEST(NormalizeDateTest, RejectsInvalidDates) {
  for (const char* input : {"", "tomorrow", "2025-13-01", "2025-02-30", "2023-02-29",
                            "1850-01-01", "12345", "2025年13月1日"}) {
    EXPECT_EQ(NormalizeDate(input), "") << input;
  }
  EXPECT_EQ(NormalizeDate("2024-02-29"), "2024-02-29");
}

TEST(FindDateInUrlTest, FindsDatesInPathSegments) {
  const DateCase kCases[] = {
      {"https://ex.com/2025/11/01/gpu-deal/", "2025-11-01"},
      {"https://ex.com/news/2019-11-19-title.html", "2019-11-19"},
      {"https://buzzap.jp/news/20190302-reduced-tax-rate-benefit/", "2019-03-02"},
      {"https://ex.com/articles/12345678/", ""},
      {"https://ex.com/a?date=2025/11/01", ""},
      {"https://ex.com/2025/13/01/", ""},
      {"https://ex.com/", ""},
  };
  for (const DateCase& c : kCases) EXPECT_EQ(FindDateInUrl(c.input), c.expected) << c.input;
}

TEST(FindDateInTextTest, FindsTheFirstDateInRunningText) {
  const DateCase kCases[] = {
      {"By Jane Doe | Published November 1, 2025 at 9:00", "2025-11-01"},
      {"記事 2025年11月1日 10時00分 公開", "2025-11-01"},
      {"更新 2025/11/03 ・ 2025/11/01", "2025-11-03"},
      {"Posted on 3rd March 2024", "2024-03-03"},
      {"Call 2025-1234 now", ""},
      {"no date here", ""},
  };
  for (const DateCase& c : kCases) EXPECT_EQ(FindDateInText(c.input), c.expected) << c.input;
}

TEST(FindDateInTextTest, ReadsJapaneseEraDatesAndFullWidthDigits) {
  const DateCase kCases[] = {
      {"令和7年11月3日 16時05分", "2025-11-03"},
      {"令和元年5月1日に改元", "2019-05-01"},
      {"平成31年4月30日", "2019-04-30"},
      {"（２０１９年４月１１日　２２時２２分）", "2019-04-11"},
      {"２０１９／０４／１１", "2019-04-11"},
      {"2019.03.05", "2019-03-05"},
      // Eras end: Heisei 31 after April and Reiwa 1 before May do not exist.
      {"平成31年5月1日", ""},
      {"令和元年4月1日", ""},
      {"平成32年1月1日", ""},
  };
  for (const DateCase& c : kCases) EXPECT_EQ(FindDateInText(c.input), c.expected) << c.input;
  EXPECT_EQ(NormalizeDate("令和7年11月3日"), "2025-11-03");
}

TEST(FindLabelledDateTest, FindsTheDateAfterAPublicationOrUpdateLabel) {
  const DateCase kPublished[] = {
      {"タイトル 配信開始日 2019/3/5 底本発行日 2019/3/6", "2019-03-05"},
      {"公開日時：2025年11月3日 16時05分", "2025-11-03"},
      {"【掲載日】令和7年11月3日", "2025-11-03"},
      {"Published: Nov 3, 2025", "2025-11-03"},
      {"最終更新日：2019/02/22", ""},
      {"Updated 2025-11-04", ""},
      {"公開は2025年11月3日の予定", ""},
  };
  for (const DateCase& c : kPublished) {
    EXPECT_EQ(FindLabelledDate(c.input, DateLabel::kPublished), c.expected) << c.input;
  }
  const DateCase kModified[] = {
      {"最終更新日：2019/02/22", "2019-02-22"},
      {"更新日 2025年11月4日", "2025-11-04"},
      {"Last updated: 4 November 2025", "2025-11-04"},
      {"公開日：2025/11/03", ""},
  };
  for (const DateCase& c : kModified) {
    EXPECT_EQ(FindLabelledDate(c.input, DateLabel::kModified), c.expected) << c.input;
  }
}

}  // namespace
}  // namespace newsclaim::extract
