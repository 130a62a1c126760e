#include "base/claim.h"

#include <array>
#include <utility>

namespace newsclaim {
namespace {

// Looks `name` up in a table of {enum, name} pairs.
template <typename Enum, size_t N>
std::optional<Enum> FindByName(
    const std::array<std::pair<Enum, std::string_view>, N>& table,
    std::string_view name) {
  for (const auto& [value, value_name] : table) {
    if (value_name == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view NameOf(
    const std::array<std::pair<Enum, std::string_view>, N>& table,
    Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "";
}

constexpr std::array<std::pair<Qualifier, std::string_view>, 8> kQualifiers = {{
    {Qualifier::kExact, "exact"},
    {Qualifier::kApprox, "approx"},
    {Qualifier::kAtLeast, "at_least"},
    {Qualifier::kMoreThan, "more_than"},
    {Qualifier::kAtMost, "at_most"},
    {Qualifier::kLessThan, "less_than"},
    {Qualifier::kUpTo, "up_to"},
    {Qualifier::kRange, "range"},
}};

constexpr std::array<std::pair<MentionKind, std::string_view>, 6> kMentionKinds = {{
    {MentionKind::kNumber, "number"},
    {MentionKind::kCount, "count"},
    {MentionKind::kMoney, "money"},
    {MentionKind::kPercent, "percent"},
    {MentionKind::kDate, "date"},
    {MentionKind::kOrdinal, "ordinal"},
}};

constexpr std::array<std::pair<ClaimKind, std::string_view>, 5> kClaimKinds = {{
    {ClaimKind::kGpuCount, "gpu_count"},
    {ClaimKind::kMoney, "money"},
    {ClaimKind::kDate, "date"},
    {ClaimKind::kPercentage, "percentage"},
    {ClaimKind::kQuantity, "quantity"},
}};

constexpr std::array<std::pair<TimeRelation, std::string_view>, 4> kRelations = {{
    {TimeRelation::kBy, "by"},
    {TimeRelation::kAsOf, "as_of"},
    {TimeRelation::kDuring, "during"},
    {TimeRelation::kOn, "on"},
}};

constexpr std::array<std::pair<ClaimStatus, std::string_view>, 5> kStatuses = {{
    {ClaimStatus::kNone, ""},
    {ClaimStatus::kAnnounced, "announced"},
    {ClaimStatus::kPlanned, "planned"},
    {ClaimStatus::kDelivered, "delivered"},
    {ClaimStatus::kOperational, "operational"},
}};

}  // namespace

std::string_view QualifierName(Qualifier q) { return NameOf(kQualifiers, q); }
std::optional<Qualifier> ParseQualifier(std::string_view name) {
  return FindByName(kQualifiers, name);
}
std::string_view MentionKindName(MentionKind k) { return NameOf(kMentionKinds, k); }
std::string_view ClaimKindName(ClaimKind k) { return NameOf(kClaimKinds, k); }
std::optional<ClaimKind> ParseClaimKind(std::string_view name) {
  return FindByName(kClaimKinds, name);
}
std::string_view TimeRelationName(TimeRelation r) { return NameOf(kRelations, r); }
std::optional<TimeRelation> ParseTimeRelation(std::string_view name) {
  return FindByName(kRelations, name);
}
std::string_view ClaimStatusName(ClaimStatus s) { return NameOf(kStatuses, s); }
std::optional<ClaimStatus> ParseClaimStatus(std::string_view name) {
  return FindByName(kStatuses, name);
}

}  // namespace newsclaim
