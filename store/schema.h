// store/schema.h
// The database schema as an ordered list of migrations. Migration i (1-based)
// takes PRAGMA user_version from i-1 to i. Never edit a released migration;
// append a new one. docs/schema.md documents the resulting tables and views.
#pragma once

#include <span>
#include <string_view>

namespace newsclaim::store {

// PRAGMA application_id of a newsclaim database ("NCLM").
inline constexpr int kApplicationId = 0x4E434C4D;

// The SQL of each migration, in order.
std::span<const std::string_view> Migrations();

}  // namespace newsclaim::store
