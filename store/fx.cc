#include "store/fx.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace newsclaim::store {
namespace {

Status FileError(const std::filesystem::path& path, int line, std::string_view message) {
  return InvalidArgumentError(path.string() + ":" + std::to_string(line) + ": " +
                              std::string(message));
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

bool IsIsoDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  const int day = (date[8] - '0') * 10 + (date[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool IsCurrencyCode(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The rate of `from` in `to` from one day's rates: direct, inverse, or
// through a currency both are quoted against.
std::optional<double> DayRate(const std::vector<const FxRate*>& day, std::string_view from,
                              std::string_view to) {
  // rates[a][b]: 1 a = rates[a][b] b, both directions.
  std::map<std::string_view, std::map<std::string_view, double>> rates;
  for (const FxRate* rate : day) {
    rates[rate->base][rate->quote] = rate->rate;
    rates[rate->quote][rate->base] = 1 / rate->rate;
  }
  auto from_it = rates.find(from);
  if (from_it == rates.end()) return std::nullopt;
  if (auto direct = from_it->second.find(to); direct != from_it->second.end()) {
    return direct->second;
  }
  for (const auto& [via, from_to_via] : from_it->second) {
    auto via_it = rates.find(via);
    if (auto hop = via_it->second.find(to); hop != via_it->second.end()) {
      return from_to_via * hop->second;
    }
  }
  return std::nullopt;
}

}  // namespace

StatusOr<FxTable> FxTable::Parse(std::string_view toml_text, const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse(toml_text, path.string());
  } catch (const toml::parse_error& error) {
    return FileError(path, static_cast<int>(error.source().begin.line),
                     std::string(error.description()));
  }
  std::vector<FxRate> rates;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (auto&& [key, node] : root) {
    const int key_line = key.source().begin.line != 0 ? static_cast<int>(key.source().begin.line)
                                                       : LineOf(node);
    if (key.str() == "source") {
      if (!node.is_string()) return FileError(path, key_line, "source must be a string");
      continue;
    }
    if (key.str() != "rate") {
      return FileError(path, key_line, "unknown key \"" + std::string(key.str()) + "\"");
    }
    const toml::array* array = node.as_array();
    if (array == nullptr) return FileError(path, key_line, "rate must be an array of tables");
    for (const toml::node& entry : *array) {
      const toml::table* table = entry.as_table();
      if (table == nullptr) return FileError(path, LineOf(entry), "each rate must be a table");
      const int line = LineOf(entry);
      for (auto&& [field, value] : *table) {
        if (field.str() != "date" && field.str() != "base" && field.str() != "quote" &&
            field.str() != "rate") {
          return FileError(path, line, "unknown key \"" + std::string(field.str()) + "\" in rate");
        }
      }
      FxRate rate;
      const std::optional<std::string> date = (*table)["date"].value<std::string>();
      const std::optional<std::string> base = (*table)["base"].value<std::string>();
      const std::optional<std::string> quote = (*table)["quote"].value<std::string>();
      const std::optional<double> value = (*table)["rate"].value<double>();
      if (!date || !IsIsoDate(*date)) {
        return FileError(path, line, "rate needs date = \"YYYY-MM-DD\"");
      }
      if (!base || !IsCurrencyCode(*base) || !quote || !IsCurrencyCode(*quote)) {
        return FileError(path, line, "rate needs base and quote as ISO 4217 codes (\"USD\")");
      }
      if (*base == *quote) return FileError(path, line, "base and quote are both " + *base);
      if (!value || !(*value > 0)) return FileError(path, line, "rate must be a positive number");
      const auto pair = std::minmax(*base, *quote);
      if (!seen.emplace(*date, pair.first, pair.second).second) {
        return FileError(path, line, "a second rate for " + pair.first + "/" + pair.second +
                                         " on " + *date);
      }
      rate.date = *date;
      rate.base = *base;
      rate.quote = *quote;
      rate.rate = *value;
      rates.push_back(std::move(rate));
    }
  }
  return FromRates(std::move(rates));
}

StatusOr<FxTable> FxTable::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Parse(bytes.str(), path);
}

FxTable FxTable::FromRates(std::vector<FxRate> rates) {
  std::sort(rates.begin(), rates.end(), [](const FxRate& a, const FxRate& b) {
    return std::tie(a.date, a.base, a.quote) < std::tie(b.date, b.base, b.quote);
  });
  FxTable table;
  table.rates_ = std::move(rates);
  return table;
}

std::optional<FxConversion> FxTable::Convert(double amount, std::string_view from,
                                             std::string_view to, std::string_view date) const {
  if (from == to || rates_.empty()) return std::nullopt;
  // The days, latest on or before `date` first, then the later ones.
  std::vector<std::vector<const FxRate*>> days;
  for (const FxRate& rate : rates_) {
    if (days.empty() || days.back().front()->date != rate.date) days.emplace_back();
    days.back().push_back(&rate);
  }
  std::vector<size_t> order;
  for (size_t i = days.size(); i-- > 0;) {
    if (date.empty() || days[i].front()->date <= date) order.push_back(i);
  }
  for (size_t i = 0; i < days.size(); ++i) {
    if (!date.empty() && days[i].front()->date > date) order.push_back(i);
  }
  for (size_t i : order) {
    if (std::optional<double> rate = DayRate(days[i], from, to)) {
      return FxConversion{amount * *rate, days[i].front()->date};
    }
  }
  return std::nullopt;
}

}  // namespace newsclaim::store
