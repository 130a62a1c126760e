// extract/date_math.h
// Proleptic Gregorian calendar arithmetic for figure reading: day numbers,
// month lengths, last weekday of a month, ISO formatting. Header-only.
// Day numbers use Howard Hinnant's days_from_civil (1970-01-01 = 0).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace newsclaim::extract {

struct Ymd {
  int y = 0, m = 0, d = 0;
};

inline bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

inline int64_t DaysFromCivil(Ymd date) {
  int y = date.y - (date.m <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (date.m + (date.m > 2 ? -3 : 9)) + 2) / 5 + date.d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline Ymd CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Ymd{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

inline Ymd AddDays(Ymd date, int64_t days) { return CivilFromDays(DaysFromCivil(date) + days); }

// Same day of month `months` later, clamped to the month's length.
inline Ymd AddMonths(Ymd date, int months) {
  int index = date.y * 12 + (date.m - 1) + months;
  Ymd out{index / 12, index % 12 + 1, date.d};
  if (out.d > DaysInMonth(out.y, out.m)) out.d = DaysInMonth(out.y, out.m);
  return out;
}

// 0 = Sunday ... 6 = Saturday.
inline int Weekday(Ymd date) {
  int64_t z = DaysFromCivil(date);
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

inline Ymd LastWeekdayOfMonth(int y, int m, int weekday) {
  Ymd last{y, m, DaysInMonth(y, m)};
  int back = (Weekday(last) - weekday + 7) % 7;
  return AddDays(last, -back);
}

inline bool ValidDate(int y, int m, int d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

inline std::string FormatYmd(Ymd date) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", date.y, date.m, date.d);
  return buffer;
}

// Reads "YYYY-MM-DD" at the start of `text` (a "THH:MM:SS" tail is ignored).
inline std::optional<Ymd> ParseIsoDate(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || !ValidDate(y, m, d)) return std::nullopt;
  return Ymd{y, m, d};
}

}  // namespace newsclaim::extract
