#include "crawler/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <utility>

namespace newsclaim::crawler {
namespace {

std::string NowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Status Errno(const std::string& what, const std::filesystem::path& path) {
  return IoError(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::filesystem::path RunLock::PathFor(const std::filesystem::path& db_path) {
  return std::filesystem::path(db_path.string() + ".lock");
}

StatusOr<std::optional<RunLock>> RunLock::Lock(const std::filesystem::path& lock_path,
                                               bool wait) {
  // O_CLOEXEC: a child process must not inherit (and so prolong) the lock.
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot open lock file", lock_path);
  int rc;
  do {
    rc = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == EWOULDBLOCK) {
      close(fd);
      return std::optional<RunLock>();
    }
    Status status = Errno("cannot lock", lock_path);
    close(fd);
    return status;
  }
  // Informational only: the lock is the flock, not the content.
  const std::string holder = "pid " + std::to_string(getpid()) + " since " + NowUtc() + "\n";
  if (ftruncate(fd, 0) == 0) {
    ssize_t written = pwrite(fd, holder.data(), holder.size(), 0);
    (void)written;
  }
  return std::optional<RunLock>(RunLock(fd));
}

StatusOr<std::optional<RunLock>> RunLock::TryAcquire(const std::filesystem::path& lock_path) {
  return Lock(lock_path, /*wait=*/false);
}

StatusOr<RunLock> RunLock::Acquire(const std::filesystem::path& lock_path) {
  ASSIGN_OR_RETURN(std::optional<RunLock> lock, Lock(lock_path, /*wait=*/true));
  if (!lock) return InternalError("flock returned without the lock on " + lock_path.string());
  return std::move(*lock);
}

std::string RunLock::Holder(const std::filesystem::path& lock_path) {
  const int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buffer[256];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  close(fd);
  if (n <= 0) return "";
  std::string text(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RunLock::~RunLock() {
  // Closing the only descriptor of the open file description releases it.
  if (fd_ >= 0) close(fd_);
}

}  // namespace newsclaim::crawler
