// base/hash.h
// Stable, non-cryptographic hashes for content de-duplication and stable ids.
// The values are part of the database format: never change the algorithm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsclaim {

// 64-bit FNV-1a of `data`.
uint64_t Fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ULL);

// 16 lower-case hex digits of Fnv1a64(data).
std::string HexHash64(std::string_view data);

}  // namespace newsclaim
