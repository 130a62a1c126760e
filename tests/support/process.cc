#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace newsclaim::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "test support: %s: %s\n", what.c_str(), std::strerror(errno));
  std::abort();
}

std::vector<char*> CArgv(const std::vector<std::string>& argv) {
  std::vector<char*> pointers;
  for (const std::string& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

// Spawns `argv` with the given pipe ends as stdin/stdout/stderr (-1: inherit).
pid_t Spawn(const std::vector<std::string>& argv, int in, int out, int err,
            const std::vector<int>& close_in_child) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in >= 0) posix_spawn_file_actions_adddup2(&actions, in, 0);
  if (out >= 0) posix_spawn_file_actions_adddup2(&actions, out, 1);
  if (err >= 0) posix_spawn_file_actions_adddup2(&actions, err, 2);
  for (int fd : close_in_child) posix_spawn_file_actions_addclose(&actions, fd);
  pid_t pid = -1;
  std::vector<char*> c_argv = CArgv(argv);
  int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    Die("cannot start " + argv[0]);
  }
  return pid;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) Die("pipe");
  pid_t pid = Spawn(argv, in_pipe[0], out_pipe[1], err_pipe[1],
                    {in_pipe[1], out_pipe[0], err_pipe[0]});
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);

  // Feed stdin and drain stdout/stderr together so no pipe fills up.
  ProcessResult result;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  signal(SIGPIPE, SIG_IGN);
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open || in_fd >= 0) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      Die("poll");
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_fd) {
        ssize_t n = write(in_fd, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<size_t>(n);
        if (n < 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t n = read(p.fd, buffer, sizeof buffer);
      bool is_out = p.fd == out_pipe[0];
      if (n > 0) {
        (is_out ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else {
        (is_out ? out_open : err_open) = false;
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

LocalHttpServer::LocalHttpServer(const std::string& directory) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) Die("pipe");
  pid_ = Spawn({"python3", SourceDir() + "/scripts/serve.py", directory}, -1,
               out_pipe[1], -1, {out_pipe[0]});
  close(out_pipe[1]);
  // The server prints its port on its first line once it is listening.
  std::string line;
  char c;
  while (read(out_pipe[0], &c, 1) == 1 && c != '\n') line += c;
  close(out_pipe[0]);
  port_ = std::atoi(line.c_str());
  if (port_ <= 0) {
    errno = 0;
    Die("serve.py did not report a port (got '" + line + "')");
  }
}

LocalHttpServer::~LocalHttpServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

std::string LocalHttpServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "newsclaim-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Die("mkdtemp");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string SourceDir() { return NEWSCLAIM_SOURCE_DIR; }
std::string NewsclaimBinary() { return NEWSCLAIM_BINARY; }

pid_t SpawnProcess(const std::vector<std::string>& argv, int out_fd,
                   const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> c_argv;
  for (const std::string& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

ScriptServer::ScriptServer(const std::string& script, const std::vector<std::string>& args,
                           const std::string& err_path) {
  int out[2];
  if (pipe(out) != 0) return;
  std::vector<std::string> argv = {"python3", script};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = SpawnProcess(argv, out[1], err_path);
  close(out[1]);
  std::string line;
  char c;
  while (pid_ > 0 && read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  port_ = std::atoi(line.c_str());
}

ScriptServer::~ScriptServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

std::string ScriptServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

LoggingHttpServer::LoggingHttpServer(const std::string& directory, const std::string& log,
                                     int delay_ms, const std::string& err_path)
    : ScriptServer(SourceDir() + "/tests/testdata/resume/serve.py",
                   {directory, log, std::to_string(delay_ms)}, err_path),
      log_(log) {}

std::vector<std::string> LoggingHttpServer::Requests() const {
  std::vector<std::string> paths;
  std::ifstream in(log_);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  return paths;
}

}  // namespace newsclaim::testing
