// tests/support/test_files.h
// Where unit tests find the source tree and ../shared/data, and a whole-file
// read. Header-only so any stage's test binary can use it without linking.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace newsclaim::testing {

// The source tree: $NEWSCLAIM_SOURCE_DIR (set by ctest), else the one the
// test was built from.
inline std::filesystem::path SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return std::filesystem::path(env != nullptr ? env : NEWSCLAIM_SOURCE_DIR);
}

// ../shared/data beside the source tree; tests skip, saying so, when absent.
inline std::filesystem::path SharedDataDir() {
  return SourceDir() / ".." / "shared" / "data";
}

// The whole file, or "" when it cannot be read.
inline std::string ReadTestFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace newsclaim::testing
