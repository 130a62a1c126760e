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
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    StatusOr<std::optional<RunLock>> lock = RunLock::TryAcquire(path_);
    if (!lock.ok() || !lock->has_value()) _exit(3);
    pause();  // killed below while holding it
    _exit(0);
  }
  // Wait until the child holds it.
  bool held_by_child = false;
  for (int i = 0; i < 500 && !held_by_child; ++i) {
    StatusOr<std::optional<RunLock>> probe = RunLock::TryAcquire(path_);
    ASSERT_TRUE(probe.ok());
    held_by_child = !probe->has_value();
    if (!held_by_child) {
      probe->reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ASSERT_TRUE(held_by_child);
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
