// bench/crawl_bench.cc
// Crawl-and-store throughput and memory: the real Crawler and CurlFetcher
// (libcurl multi interface) crawl a generated site from a small HTTP/1.1
// server on 127.0.0.1 that runs in this process, with politeness off
// (per-host delay 0, many connections to the one host), and hand every page
// to a handler that stores it with store::Database::UpsertPage into a real
// SQLite file. No claim extraction: this measures fetching, the crawl loop
// (canonicalisation, dedupe, charset decoding, link following) and storage.
//
// Usage: crawl_bench [PAGES...]   (default: 10000 100000)
// Prints pages/s, and the peak RSS (getrusage) after each crawl, plus the
// current RSS every 10% of the largest crawl, to show it stays flat.
//
// The site: /p/N.html is a 30 KB page (distinct text) linking to
// /p/N+1.html ... /p/N+kLinksPerPage.html, so each page brings about one
// new URL and the frontier stays small while up to kConnections transfers
// are in flight. A Python server could not keep up (it serves ~300 pages/s).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/page.h"
#include "crawler/crawler.h"
#include "crawler/fetcher.h"
#include "store/database.h"

namespace newsclaim {
namespace {

constexpr int kConnections = 16;
constexpr int kLinksPerPage = 32;
constexpr size_t kPageBytes = 30 * 1024;

// --- The server: one thread per connection, HTTP/1.1 keep-alive -------------

std::string MakePage(long index) {
  std::string page;
  page.reserve(kPageBytes + 2048);
  page += "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Page ";
  page += std::to_string(index);
  page += "</title></head><body><h1>Page ";
  page += std::to_string(index);
  page += "</h1>\n";
  for (int k = 1; k <= kLinksPerPage; ++k) {
    page += "<a href=\"/p/" + std::to_string(index + k) + ".html\">next " + std::to_string(k) +
            "</a>\n";
  }
  // Filler text that differs per page, so no two pages share a content hash.
  long seed = index * 2654435761L + 1;
  while (page.size() < kPageBytes) {
    seed = seed * 6364136223846793005L + 1442695040888963407L;
    page += "<p>Article ";
    page += std::to_string(index);
    page += " paragraph ";
    page += std::to_string((seed >> 33) & 0xffffff);
    page += ": NVIDIA GPU procurement and data centre capacity, figures to follow.</p>\n";
  }
  page += "</body></html>\n";
  return page;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

void ServeConnection(int fd) {
  std::string buffer;
  char chunk[8192];
  while (true) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t got = recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) {
        close(fd);
        return;
      }
      buffer.append(chunk, static_cast<size_t>(got));
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    // "GET /p/N.html HTTP/1.1"
    const size_t path_start = head.find(' ') + 1;
    const std::string path = head.substr(path_start, head.find(' ', path_start) - path_start);
    std::string body, status = "200 OK";
    if (path.rfind("/p/", 0) == 0) {
      body = MakePage(std::atol(path.c_str() + 3));
    } else {
      status = "404 Not Found";
      body = "not found\n";
    }
    std::string response = "HTTP/1.1 " + status +
                           "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
    response += body;
    if (!SendAll(fd, response)) {
      close(fd);
      return;
    }
  }
}

class BenchServer {
 public:
  BenchServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_fd_, 128) != 0) {
      std::perror("crawl_bench: bind/listen");
      std::exit(1);
    }
    socklen_t length = sizeof address;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    std::thread([fd = listen_fd_] {
      while (true) {
        const int client = accept(fd, nullptr, nullptr);
        if (client < 0) return;
        const int one = 1;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::thread(ServeConnection, client).detach();
      }
    }).detach();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
};

// --- The handler: store each page, return its links -----------------------

long CurrentRssKb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

class StoringHandler : public crawler::CrawlHandler {
 public:
  StoringHandler(store::Database& db, int report_every) : db_(db), report_every_(report_every) {}

  std::optional<crawler::PreviousFetch> Previous(const std::string&) override {
    return std::nullopt;
  }

  std::vector<std::string> OnPage(const Page& page) override {
    StatusOr<int64_t> id = db_.UpsertPage(page, Article{});
    if (!id.ok()) {
      std::fprintf(stderr, "crawl_bench: store: %s\n", id.status().ToString().c_str());
      std::exit(1);
    }
    ++stored_;
    // Links without an HTML parser: every href="..." (the site writes them so).
    std::vector<std::string> links;
    const std::string& html = page.html;
    const std::string base = page.url.substr(0, page.url.find('/', 8));
    for (size_t at = html.find("href=\""); at != std::string::npos;
         at = html.find("href=\"", at)) {
      at += 6;
      const size_t end = html.find('"', at);
      if (end == std::string::npos) break;
      links.push_back(base + html.substr(at, end - at));
    }
    return links;
  }
  void OnUnchanged(const std::string&) override {}
  void OnFailure(const std::string& url, const std::string& reason) override {
    if (!url.ends_with("/robots.txt")) {
      std::fprintf(stderr, "crawl_bench: failed %s: %s\n", url.c_str(), reason.c_str());
      ++failures_;
    }
  }
  void OnProgress(const crawler::CrawlStats& stats, const std::string&) override {
    if (report_every_ > 0 && stats.fetched % report_every_ == 0) {
      std::printf("  %7d pages: current RSS %6.1f MB\n", stats.fetched, CurrentRssKb() / 1024.0);
      std::fflush(stdout);
    }
  }

  int stored() const { return stored_; }
  int failures() const { return failures_; }

 private:
  store::Database& db_;
  int report_every_;
  int stored_ = 0;
  int failures_ = 0;
};

int RunOnce(const BenchServer& server, int pages, bool report) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("crawl_bench_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  int status = 0;
  {
    StatusOr<store::Database> db = store::Database::Open(dir / "bench.db");
    if (!db.ok()) {
      std::fprintf(stderr, "crawl_bench: %s\n", db.status().ToString().c_str());
      return 1;
    }
    crawler::FetcherOptions fetcher_options;
    auto fetcher = crawler::CurlFetcher::Create(fetcher_options);
    if (!fetcher.ok()) {
      std::fprintf(stderr, "crawl_bench: %s\n", fetcher.status().ToString().c_str());
      return 1;
    }
    crawler::CrawlOptions options;
    options.per_host_delay_ms = 0;  // politeness off
    options.max_connections = kConnections;
    options.per_host_connections = kConnections;
    options.max_depth = pages + 1;
    options.max_pages = pages;
    StoringHandler handler(*db, report ? pages / 10 : 0);
    crawler::Crawler crawler(options, **fetcher, handler);

    const auto start = std::chrono::steady_clock::now();
    StatusOr<crawler::CrawlStats> stats = crawler.Run({server.Url("/p/0.html")});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!stats.ok()) {
      std::fprintf(stderr, "crawl_bench: %s\n", stats.status().ToString().c_str());
      return 1;
    }
    std::printf(
        "crawl %6d pages of %zu KB: %6.2f s, %7.0f pages/s (%d stored, %d failed); "
        "peak RSS %.1f MB, DB %.0f MB\n",
        pages, kPageBytes / 1024, seconds, handler.stored() / seconds, handler.stored(),
        handler.failures(), PeakRssKb() / 1024.0,
        static_cast<double>(std::filesystem::file_size(dir / "bench.db") +
                            (std::filesystem::exists(dir / "bench.db-wal")
                                 ? std::filesystem::file_size(dir / "bench.db-wal")
                                 : 0)) /
            (1024 * 1024));
    std::fflush(stdout);
    if (handler.stored() != pages || handler.failures() != 0) status = 1;
  }
  std::filesystem::remove_all(dir);
  return status;
}

}  // namespace
}  // namespace newsclaim

int main(int argc, char** argv) {
  std::vector<int> runs;
  for (int i = 1; i < argc; ++i) runs.push_back(std::atoi(argv[i]));
  if (runs.empty()) runs = {10000, 100000};
  newsclaim::BenchServer server;
  int status = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    status |= newsclaim::RunOnce(server, runs[i], /*report=*/i + 1 == runs.size());
  }
  return status;
}
