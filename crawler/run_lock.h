// crawler/run_lock.h
// Keeps scheduled crawls of one database from overlapping: an exclusive
// flock(2) on a lock file beside the database. The kernel drops the lock
// when its holder exits or is killed (kill -9 included), so no stale lock
// is ever left behind and nothing has to be cleaned up.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "base/status.h"

namespace newsclaim::crawler {

// Holds the lock until destroyed. Move-only; not thread-safe. The lock is
// per open file description: two RunLocks on one path conflict even within
// one process, which is what tests rely on.
class RunLock {
 public:
  // "<db_path>.lock": the file the lock of a crawl on `db_path` lives in.
  static std::filesystem::path PathFor(const std::filesystem::path& db_path);

  // Takes the lock on `lock_path` (creating the file) without waiting.
  // nullopt when another holder has it; IoError when the file cannot be
  // opened or flock fails for another reason. Once held, the file holds
  // "pid N since TIME" for Holder().
  static StatusOr<std::optional<RunLock>> TryAcquire(const std::filesystem::path& lock_path);

  // Waits as long as it takes for the lock. IoError as for TryAcquire.
  static StatusOr<RunLock> Acquire(const std::filesystem::path& lock_path);

  // What the current holder wrote ("pid 1234 since 2025-11-01T09:00:00Z"),
  // or "" when unreadable. Only meaningful while someone holds the lock.
  static std::string Holder(const std::filesystem::path& lock_path);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock (the file stays: unlinking it would race)

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  static StatusOr<std::optional<RunLock>> Lock(const std::filesystem::path& lock_path,
                                               bool wait);
  int fd_ = -1;
};

}  // namespace newsclaim::crawler
