// tests/support/process.h
// Runs real programs from tests: the newsclaim binary, and a python3 HTTP
// server on 127.0.0.1 that serves a folder for the length of a test.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace newsclaim::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 if it did not exit normally
  std::string out;
  std::string err;
};

// Runs argv[0] with `argv` (searched on PATH), feeding `input` on stdin, and
// waits for it. Aborts the test binary if the program cannot be started.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::string& input = "");

// scripts/serve.py serving `directory` on a free loopback port; stopped
// when this object goes away.
class LocalHttpServer {
 public:
  explicit LocalHttpServer(const std::string& directory);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path = "/") const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// Starts `argv` (searched on PATH) without waiting: stdout to `out_fd`
// (-1: inherited), stderr appended to `err_path`. The pid, or -1.
pid_t SpawnProcess(const std::vector<std::string>& argv, int out_fd, const std::string& err_path);

// python3 `script` `args`..., a test server on 127.0.0.1 that prints its
// port on its first stdout line; its stderr is appended to `err_path`.
// Stopped (SIGTERM, then wait) when this object goes away; port() is 0 when
// it did not start.
class ScriptServer {
 public:
  ScriptServer(const std::string& script, const std::vector<std::string>& args,
               const std::string& err_path = "/dev/null");
  ~ScriptServer();
  ScriptServer(const ScriptServer&) = delete;
  ScriptServer& operator=(const ScriptServer&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// tests/testdata/resume/serve.py serving `directory` on a free loopback
// port, `delay_ms` late on each request, writing each request's path to
// `log` (one line each) and its errors to `err_path`.
class LoggingHttpServer : public ScriptServer {
 public:
  LoggingHttpServer(const std::string& directory, const std::string& log, int delay_ms,
                    const std::string& err_path);

  // Every request path so far, in arrival order.
  std::vector<std::string> Requests() const;

 private:
  std::string log_;
};

// A fresh temporary directory, removed with everything in it at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The source tree and the built binary, from the build's definitions.
std::string SourceDir();
std::string NewsclaimBinary();

}  // namespace newsclaim::testing
