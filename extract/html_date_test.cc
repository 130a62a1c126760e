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

}  // namespace
}  // namespace newsclaim::extract
