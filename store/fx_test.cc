#include "store/fx.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newsclaim::store {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kTable = R"toml(
# two ECB-style days
source = "test"
rate = [
  { date = "2025-09-30", base = "EUR", quote = "JPY", rate = 174.0 },
  { date = "2025-09-30", base = "EUR", quote = "USD", rate = 1.16 },
  { date = "2025-10-31", base = "EUR", quote = "JPY", rate = 178.0 },
  { date = "2025-10-31", base = "EUR", quote = "USD", rate = 1.15 },
  { date = "2025-10-31", base = "USD", quote = "KRW", rate = 1430.0 },
]
)toml";

FxTable Table() {
  StatusOr<FxTable> table = FxTable::Parse(kTable, "fx.toml");
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? *table : FxTable();
}

TEST(FxTableTest, ConvertsDirectInverseAndThroughACommonCurrency) {
  const FxTable table = Table();
  struct Case {
    double amount;
    const char* from;
    const char* to;
    const char* date;
    double expected;
    const char* rate_date;
  } cases[] = {
      {100, "EUR", "USD", "2025-11-05", 115, "2025-10-31"},                 // direct
      {115, "USD", "EUR", "2025-11-05", 100, "2025-10-31"},                 // inverse
      {1.15, "USD", "JPY", "2025-11-05", 178, "2025-10-31"},                // via EUR
      {1.16, "USD", "JPY", "2025-10-15", 174, "2025-09-30"},                // latest before
      {1, "USD", "KRW", "2025-10-31", 1430, "2025-10-31"},                  // direct, same day
      {1.16, "USD", "JPY", "2025-01-01", 174, "2025-09-30"},                // none before: earliest
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.from) + "->" + c.to + " " + c.date);
    std::optional<FxConversion> converted = table.Convert(c.amount, c.from, c.to, c.date);
    ASSERT_TRUE(converted.has_value());
    EXPECT_NEAR(converted->amount, c.expected, 1e-6 * c.expected);
    EXPECT_EQ(converted->rate_date, c.rate_date);
  }
}

TEST(FxTableTest, UnknownPairsAndTheSameCurrencyDoNotConvert) {
  const FxTable table = Table();
  EXPECT_FALSE(table.Convert(1, "USD", "USD", "2025-10-31").has_value());
  EXPECT_FALSE(table.Convert(1, "USD", "GBP", "2025-10-31").has_value());
  // KRW is quoted only against USD on 2025-10-31; JPY needs two hops.
  EXPECT_FALSE(table.Convert(1, "KRW", "JPY", "2025-10-31").has_value());
  EXPECT_FALSE(FxTable().Convert(1, "USD", "JPY", "").has_value());
}

TEST(FxTableTest, BadFilesNameTheFileAndLine) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"rate = [\n { date = \"2025-13-01\", base = \"EUR\", quote = \"USD\", rate = 1.1 },\n]",
       "fx.toml:2: rate needs date"},
      {"rate = [\n { date = \"2025-10-31\", base = \"eur\", quote = \"USD\", rate = 1.1 },\n]",
       "fx.toml:2: rate needs base and quote"},
      {"rate = [\n { date = \"2025-10-31\", base = \"EUR\", quote = \"EUR\", rate = 1 },\n]",
       "fx.toml:2: base and quote are both EUR"},
      {"rate = [\n { date = \"2025-10-31\", base = \"EUR\", quote = \"USD\", rate = -1 },\n]",
       "fx.toml:2: rate must be a positive number"},
      {"rate = [\n { date = \"2025-10-31\", base = \"EUR\", quote = \"USD\", rate = 1.1 },\n"
       " { date = \"2025-10-31\", base = \"USD\", quote = \"EUR\", rate = 0.9 },\n]",
       "fx.toml:3: a second rate for EUR/USD on 2025-10-31"},
      {"rate = [\n { date = \"2025-10-31\", base = \"EUR\", quote = \"USD\", rte = 1.1 },\n]",
       "fx.toml:2: unknown key \"rte\""},
      {"\nrates = []", "fx.toml:2: unknown key \"rates\""},
      {"rate = [\n { date = \"2025-10-31\", ", "fx.toml:2:"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    StatusOr<FxTable> table = FxTable::Parse(c.text, "fx.toml");
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(table.status().message(), HasSubstr(c.message));
  }
}

TEST(FxTableTest, TheShippedTableLoadsAndConvertsDollarsToYen) {
  const char* source_dir = std::getenv("NEWSCLAIM_SOURCE_DIR");
  const std::string root = source_dir != nullptr ? source_dir : NEWSCLAIM_SOURCE_DIR;
  StatusOr<FxTable> table = FxTable::Load(root + "/rules/fx.toml");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  std::optional<FxConversion> yen = table->Convert(3e9, "USD", "JPY", "2025-11-10");
  ASSERT_TRUE(yen.has_value());
  // Dollar-yen was between 140 and 160 throughout 2025.
  EXPECT_GT(yen->amount, 3e9 * 140);
  EXPECT_LT(yen->amount, 3e9 * 160);
  EXPECT_EQ(yen->rate_date, "2025-10-31");
}

TEST(FxTableTest, AMissingFileIsAnIoError) {
  StatusOr<FxTable> table = FxTable::Load("/nonexistent/fx.toml");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace newsclaim::store
