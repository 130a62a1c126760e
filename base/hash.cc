#include "base/hash.h"

#include <cstdio>

namespace newsclaim {

uint64_t Fnv1a64(std::string_view data, uint64_t seed) {
  uint64_t hash = seed;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string HexHash64(std::string_view data) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx",
                static_cast<unsigned long long>(Fnv1a64(data)));
  return buffer;
}

}  // namespace newsclaim
