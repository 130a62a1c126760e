// store/test_claims.h
// Test-only: a builder for the claims store/ tests reconcile, store and
// render. Defaults: a gpu_count claim in GPUs, exact, on page 1.
#pragma once

#include <string>

#include "base/claim.h"

namespace newsclaim::store {

class ClaimBuilder {
 public:
  explicit ClaimBuilder(std::string id) {
    claim_.id = std::move(id);
    claim_.kind = ClaimKind::kGpuCount;
    claim_.unit = "GPU";
    claim_.rule = "test.gpu_count";
    Page(1, "");
  }

  // The claim's page: id, published date, and a URL and title derived from the id.
  ClaimBuilder& Page(int64_t page_id, std::string published) {
    claim_.page_id = page_id;
    claim_.url = "http://example.com/news/" + std::to_string(page_id) + ".html";
    claim_.title = "Page " + std::to_string(page_id);
    claim_.lang = "ja";
    claim_.published = std::move(published);
    return *this;
  }
  ClaimBuilder& Url(std::string url) { claim_.url = std::move(url); return *this; }
  ClaimBuilder& Title(std::string title) { claim_.title = std::move(title); return *this; }
  ClaimBuilder& Subject(std::string subject) { claim_.subject = std::move(subject); return *this; }
  ClaimBuilder& Counterparty(std::string name) { claim_.counterparty = std::move(name); return *this; }
  ClaimBuilder& Product(std::string product) { claim_.product = std::move(product); return *this; }
  ClaimBuilder& Quote(std::string quote) { claim_.quote = std::move(quote); return *this; }
  ClaimBuilder& Rule(std::string rule) { claim_.rule = std::move(rule); return *this; }
  ClaimBuilder& Status(ClaimStatus status) { claim_.status = status; return *this; }
  ClaimBuilder& Time(ClaimTime time) { claim_.time = std::move(time); return *this; }
  ClaimBuilder& Span(int64_t start, int64_t end) { claim_.start = start; claim_.end = end; return *this; }
  ClaimBuilder& Money(std::string currency) {
    claim_.kind = ClaimKind::kMoney;
    claim_.unit = std::move(currency);
    claim_.rule = "test.money";
    return *this;
  }
  ClaimBuilder& Percent(double value, std::string text) {
    claim_.kind = ClaimKind::kPercentage;
    claim_.unit = "%";
    claim_.rule = "test.percentage";
    return Exact(value, std::move(text));
  }

  ClaimBuilder& Exact(double value, std::string text) {
    return Figure(Qualifier::kExact, value, value, value, std::move(text));
  }
  ClaimBuilder& Approx(double value, std::string text) {
    return Figure(Qualifier::kApprox, value, value, value, std::move(text));
  }
  ClaimBuilder& AtLeast(double value, std::string text) {
    return Figure(Qualifier::kAtLeast, value, value, std::nullopt, std::move(text));
  }
  ClaimBuilder& MoreThan(double value, std::string text) {
    Figure(Qualifier::kMoreThan, value, value, std::nullopt, std::move(text));
    claim_.interval.low_inclusive = false;
    return *this;
  }
  ClaimBuilder& UpTo(double value, std::string text) {
    return Figure(Qualifier::kUpTo, value, std::nullopt, value, std::move(text));
  }
  ClaimBuilder& LessThan(double value, std::string text) {
    Figure(Qualifier::kLessThan, std::nullopt, std::nullopt, value, std::move(text));
    claim_.interval.high_inclusive = false;
    return *this;
  }
  ClaimBuilder& Range(double low, double high, std::string text) {
    return Figure(Qualifier::kRange, std::nullopt, low, high, std::move(text));
  }

  Claim Build() const { return claim_; }

 private:
  ClaimBuilder& Figure(Qualifier qualifier, std::optional<double> value, std::optional<double> low,
                       std::optional<double> high, std::string text) {
    claim_.interval = Interval{};
    claim_.interval.qualifier = qualifier;
    claim_.interval.value = value;
    claim_.interval.low = low;
    claim_.interval.high = high;
    claim_.text = std::move(text);
    return *this;
  }

  Claim claim_;
};

}  // namespace newsclaim::store
