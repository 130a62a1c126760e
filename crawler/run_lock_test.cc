#include "crawler/run_lock.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newsclaim::crawler {
namespace {

using ::testing::HasSubstr;

class RunLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "newsclaim-lock-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = RunLock::PathFor(dir_ / "claims.db");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_, path_;
};

TEST_F(RunLockTest, LivesBesideTheDatabase) {
  EXPECT_EQ(RunLock::PathFor("/var/lib/newsclaim/claims.db"),
            "/var/lib/newsclaim/claims.db.lock");
}

TEST_F(RunLockTest, ASecondHolderIsRefusedUntilTheFirstReleases) {
  StatusOr<std::optional<RunLock>> first = RunLock::TryAcquire(path_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_THAT(RunLock::Holder(path_), HasSubstr("pid " + std::to_string(getpid())));

  StatusOr<std::optional<RunLock>> second = RunLock::TryAcquire(path_);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());

  first->reset();
  StatusOr<std::optional<RunLock>> third = RunLock::TryAcquire(path_);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->has_value());
}

TEST_F(RunLockTest, AcquireWaitsForTheHolderToRelease) {
  StatusOr<std::optional<RunLock>> first = RunLock::TryAcquire(path_);
  ASSERT_TRUE(first.ok() && first->has_value());
  const auto start = std::chrono::steady_clock::now();
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first->reset();
  });
  StatusOr<RunLock> waited = RunLock::Acquire(path_);
  releaser.join();
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST_F(RunLockTest, AKilledHolderLeavesNoStaleLock) {
  // The child says through a pipe when it holds the lock: the parent must not
  // probe the lock itself, or the child may find it taken and give up.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    StatusOr<std::optional<RunLock>> lock = RunLock::TryAcquire(path_);
    const char held = lock.ok() && lock->has_value() ? 'y' : 'n';
    if (write(ready[1], &held, 1) != 1) _exit(4);
    if (held != 'y') _exit(3);
    pause();  // killed below while holding it
    _exit(0);
  }
  close(ready[1]);
  char held = 0;
  const ssize_t got = read(ready[0], &held, 1);
  close(ready[0]);
  const bool held_by_child = got == 1 && held == 'y';
  if (!held_by_child) kill(child, SIGKILL);
  ASSERT_TRUE(held_by_child);
  StatusOr<std::optional<RunLock>> probe = RunLock::TryAcquire(path_);
  ASSERT_TRUE(probe.ok());
  EXPECT_FALSE(probe->has_value()) << "the child holds the lock";
  probe->reset();
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  StatusOr<std::optional<RunLock>> after = RunLock::TryAcquire(path_);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->has_value());
}

TEST_F(RunLockTest, AnUnopenableLockFileIsAnIoError) {
  StatusOr<std::optional<RunLock>> lock = RunLock::TryAcquire(dir_ / "missing" / "db.lock");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kIoError);
  EXPECT_THAT(lock.status().message(), HasSubstr("missing/db.lock"));
}

}  // namespace
}  // namespace newsclaim::crawler
