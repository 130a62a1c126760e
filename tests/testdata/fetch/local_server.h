// tests/testdata/fetch/local_server.h
// Test-only: starts tests/testdata/fetch/serve.py on a free loopback port
// for the length of one test, and stops it (SIGTERM, then wait) at the end.
// Shared by crawler/fetcher_test.cc and crawler/crawler_test.cc.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace newsclaim::crawler::testing {

inline std::string SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return env != nullptr ? env : NEWSCLAIM_SOURCE_DIR;
}

inline std::string FetchTestDataDir() { return SourceDir() + "/tests/testdata/fetch"; }

// The real-world samples in ../shared/data (may be absent: tests then skip).
inline std::string SharedDataDir() { return SourceDir() + "/../shared/data"; }

class LocalServer {
 public:
  // Serves `directory` (relative to tests/testdata/fetch) with `extra_args`.
  // port() is 0 when the server could not be started.
  explicit LocalServer(const std::string& directory,
                       const std::vector<std::string>& extra_args = {}) {
    int out[2];
    if (pipe(out) != 0) return;
    std::vector<std::string> args = {"python3", FetchTestDataDir() + "/serve.py",
                                     FetchTestDataDir() + "/" + directory};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawnp(&pid_, "python3", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
      pid_ = -1;
      close(out[0]);
      return;
    }
    // The first line on stdout is the bound port.
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    port_ = line.empty() ? 0 : std::atoi(line.c_str());
  }

  ~LocalServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const { return port_; }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return "http://" + authority() + path; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace newsclaim::crawler::testing
