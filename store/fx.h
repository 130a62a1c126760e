// store/fx.h
// The dated FX table of rules/fx.toml: reference rates between currencies on
// given days. Reconciliation uses it only to annotate (a figure in another
// currency is shown as "≈ USD 3.0 billion at the rate of 2025-10-31"); money
// is compared, and conflicts raised, only within one currency.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace newsclaim::store {

// One published rate: 1 `base` = `rate` `quote` on `date`.
struct FxRate {
  std::string date;   // YYYY-MM-DD
  std::string base;   // ISO 4217, e.g. "EUR"
  std::string quote;  // ISO 4217, e.g. "USD"
  double rate = 0;
};

// An amount converted with the table.
struct FxConversion {
  double amount = 0;      // in the target currency
  std::string rate_date;  // the day of the rate(s) used
};

// Immutable once built; safe to share between threads.
class FxTable {
 public:
  FxTable() = default;

  // Parses the TOML text of an FX file (see rules/README.md, "fx.toml"):
  // `source` (a string) and `rate = [{ date, base, quote, rate }, ...]`.
  // `path` only names the file in errors, which are InvalidArgument
  // "PATH:LINE: message" for a TOML syntax error, an unknown key, a date
  // that is not YYYY-MM-DD, a code that is not three capital letters, base
  // equal to quote, a rate that is not a positive number, and the same pair
  // twice on one day (either direction).
  static StatusOr<FxTable> Parse(std::string_view toml_text, const std::filesystem::path& path);

  // Reads and parses the file. IoError when it cannot be read.
  static StatusOr<FxTable> Load(const std::filesystem::path& path);

  // Builds a table from rates already validated (e.g. read back from the
  // database).
  static FxTable FromRates(std::vector<FxRate> rates);

  // `amount` in `from` expressed in `to`, at the latest day on or before
  // `date` that has a rate between them (the earliest day after it when
  // none precedes it; any day when `date` is empty). A day's rate may be
  // direct, inverse, or through one currency both are quoted against that
  // day (EUR for the ECB's rates). std::nullopt when no day has one, or
  // when from == to.
  std::optional<FxConversion> Convert(double amount, std::string_view from, std::string_view to,
                                      std::string_view date) const;

  const std::vector<FxRate>& rates() const { return rates_; }
  bool empty() const { return rates_.empty(); }

 private:
  // Sorted by date, then base, then quote.
  std::vector<FxRate> rates_;
};

}  // namespace newsclaim::store
