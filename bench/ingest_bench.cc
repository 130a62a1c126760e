// bench/ingest_bench.cc
// The whole pipeline (issue 8): generates a corpus of realistic 50 KB news
// pages (bench/generated_corpus.h) into a temporary folder, then runs the
// real `newsclaim ingest` over it with 1 and 2 threads, each into a new
// database. Reports pages/s and MB/s, the time per stage (from ingest's
// --stats-json), the child's peak RSS (wait4), and the load average. In the
// same run it measures the bound: gumbo's parse plus MeCab over the article
// text of a sample of the same pages, on one core.
//
// Run:
//   build/bench/ingest_bench                  10,000 pages, 1 and 2 threads
//   build/bench/ingest_bench --pages 100000 --threads 2   the memory figure
//   options: --pages N, --threads A,B,..., --keep (keep the folder),
//            --dir DIR (generate into DIR, reuse pages already there)
// Google Benchmark's repetitions do not fit a 30-second child process, so
// this is a plain program that prints a table.
#include <fcntl.h>
#include <gumbo.h>
#include <mecab.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/generated_corpus.h"
#include "extract/html_article.h"

extern char** environ;

namespace newsclaim::bench {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

struct Options {
  uint64_t pages = 10000;
  std::vector<int> threads = {1, 2};
  bool keep = false;
  std::string dir;
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--pages") {
      options.pages = std::stoull(value());
    } else if (arg == "--threads") {
      options.threads.clear();
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');) {
        options.threads.push_back(std::stoi(item));
      }
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--dir") {
      options.dir = value();
    } else {
      std::cerr << "usage: ingest_bench [--pages N] [--threads A,B] [--keep] [--dir DIR]\n";
      std::exit(2);
    }
  }
  return options;
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The bound of issue 8 on `sample` pages: gumbo parse of the page plus
// MeCab over its article text, one core. Returns pages per second of wall
// time; *per_cpu_second is pages per second of this thread's CPU time
// (what an idle core would do).
double MeasureBound(const std::vector<SourceArticle>& sources, uint64_t pages, int sample,
                    double* gumbo_share, double* per_cpu_second) {
  std::unique_ptr<MeCab::Tagger> tagger(MeCab::createTagger(""));
  if (tagger == nullptr) return 0;
  std::vector<std::string> htmls;
  std::vector<std::string> texts;
  const uint64_t step = std::max<uint64_t>(1, pages / sample);
  for (uint64_t i = 0; i < pages && htmls.size() < static_cast<size_t>(sample); i += step) {
    htmls.push_back(GeneratePage(sources, i));
    texts.push_back(extract::ExtractArticle(htmls.back(), "file:///bench/page.html").text);
  }
  double gumbo_seconds = 0;
  const Clock::time_point start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (size_t i = 0; i < htmls.size(); ++i) {
    const Clock::time_point parse_start = Clock::now();
    GumboOutput* output =
        gumbo_parse_with_options(&kGumboDefaultOptions, htmls[i].data(), htmls[i].size());
    gumbo_destroy_output(&kGumboDefaultOptions, output);
    gumbo_seconds += SecondsSince(parse_start);
    int nodes = 0;
    for (const MeCab::Node* node = tagger->parseToNode(texts[i].data(), texts[i].size());
         node != nullptr; node = node->next) {
      ++nodes;
    }
    if (nodes < 0) std::abort();
  }
  const double seconds = SecondsSince(start);
  *per_cpu_second = static_cast<double>(htmls.size()) / (ThreadCpuSeconds() - cpu_start);
  *gumbo_share = gumbo_seconds / seconds;
  return static_cast<double>(htmls.size()) / seconds;
}

struct ChildRun {
  int exit_code = -1;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // user + system, all threads
  long peak_rss_kb = 0;
};

ChildRun RunChild(const std::vector<std::string>& argv, const std::string& log_path) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  ChildRun run;
  const Clock::time_point start = Clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::perror("posix_spawn");
    posix_spawn_file_actions_destroy(&actions);
    return run;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  run.wall_seconds = SecondsSince(start);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.peak_rss_kb = usage.ru_maxrss;
  run.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return run;
}

int Main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  const std::vector<SourceArticle> sources = LoadSourceArticles(NEWSCLAIM_SOURCE_DIR);
  if (sources.empty()) {
    std::cerr << "no UTF-8 articles under corpus/site/news\n";
    return 2;
  }
  std::filesystem::path dir = options.dir;
  if (dir.empty()) {
    char name[] = "/tmp/ingest_bench.XXXXXX";
    dir = mkdtemp(name);
  }
  const std::filesystem::path corpus = dir / "corpus";

  // 1. The corpus (pages already there from an earlier --dir run are kept).
  Clock::time_point start = Clock::now();
  int64_t bytes = 0;
  for (uint64_t i = 0; i < options.pages; ++i) {
    const std::filesystem::path path = GeneratedPagePath(corpus, i);
    std::error_code error;
    if (std::filesystem::exists(path, error)) {
      bytes += static_cast<int64_t>(std::filesystem::file_size(path, error));
      continue;
    }
    std::filesystem::create_directories(path.parent_path(), error);
    const std::string page = GeneratePage(sources, i);
    std::ofstream(path, std::ios::binary) << page;
    bytes += static_cast<int64_t>(page.size());
  }
  std::printf("corpus: %llu pages, %.1f MB (%.0f KB per page) in %s, made in %.1f s\n",
              static_cast<unsigned long long>(options.pages), bytes / 1e6,
              bytes / 1024.0 / static_cast<double>(options.pages), corpus.c_str(),
              SecondsSince(start));

  // 2. The bound, on a sample of the same pages.
  double gumbo_share = 0;
  double bound_per_cpu = 0;
  std::printf("load average before the bound: %s\n", LoadAverage().c_str());
  const double bound = MeasureBound(sources, options.pages, 1000, &gumbo_share, &bound_per_cpu);
  std::printf("bound (gumbo parse + MeCab over the article text, 1 core, 1,000 pages): "
              "%.0f pages/s, %.1f MB/s; %.0f pages per CPU second; gumbo %.0f%% of it\n\n",
              bound, bound * bytes / static_cast<double>(options.pages) / 1e6, bound_per_cpu,
              100 * gumbo_share);

  // 3. ingest with each thread count.
  std::printf("%-7s %8s %8s %9s %7s %8s %9s %7s %12s  %s\n", "threads", "wall_s", "ingest_s",
              "pages/s", "MB/s", "RSS_MB", "vs_bound", "cpu_s", "pages/cpu_s", "load before");
  std::vector<nlohmann::json> all_stats;
  for (int threads : options.threads) {
    const std::string db = (dir / ("t" + std::to_string(threads) + ".db")).string();
    const std::string stats_path = (dir / ("t" + std::to_string(threads) + ".json")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    const std::string load = LoadAverage();
    const ChildRun run = RunChild({NEWSCLAIM_BINARY, "--db", db, "ingest", "--threads",
                                   std::to_string(threads), "--stats-json", stats_path,
                                   corpus.string()},
                                  (dir / ("t" + std::to_string(threads) + ".log")).string());
    std::ifstream in(stats_path);
    nlohmann::json stats = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!stats.is_object()) stats = nlohmann::json::object();
    const double ingest_s = stats.value("extract_wall_seconds", 0.0);
    const double pages_per_s = stats.value("pages_per_second", 0.0);
    std::printf("%-7d %8.1f %8.1f %9.0f %7.1f %8.0f %8.0f%% %7.1f %12.0f  %s\n", threads,
                run.wall_seconds, ingest_s, pages_per_s, stats.value("mb_per_second", 0.0),
                run.peak_rss_kb / 1024.0, bound > 0 ? 100 * pages_per_s / bound : 0.0,
                run.cpu_seconds,
                run.cpu_seconds > 0 ? stats.value("pages", 0) / run.cpu_seconds : 0.0,
                load.c_str());
    if (run.exit_code != 0) std::printf("        exit code %d (see the .log)\n", run.exit_code);
    stats["child_wall_seconds"] = run.wall_seconds;
    stats["child_peak_rss_kb"] = run.peak_rss_kb;
    stats["child_cpu_seconds"] = run.cpu_seconds;
    all_stats.push_back(stats);
    if (!options.keep) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    }
  }

  // 4. Where the time went: seconds of thread time per stage, and per page.
  std::printf("\nstage seconds (summed over threads) and ms per page:\n%-18s", "stage");
  for (const nlohmann::json& stats : all_stats) {
    std::printf(" %9s t=%-3d", "", stats.value("threads", 0));
  }
  std::printf("\n");
  const char* kStages[] = {"read", "decode", "article", "claims", "claims_sentences",
                           "claims_figures", "claims_mecab", "claims_assembly", "store",
                           "reconcile"};
  for (const char* stage : kStages) {
    std::printf("%-18s", stage);
    for (const nlohmann::json& stats : all_stats) {
      const double seconds = stats.contains("stage_seconds")
                                 ? stats["stage_seconds"].value(stage, 0.0)
                                 : 0.0;
      const int pages = std::max(1, stats.value("pages", 1));
      std::printf(" %8.2fs %5.2fms", seconds, 1000 * seconds / pages);
    }
    std::printf("\n");
  }
  for (const char* part : {"near_duplicates", "load", "compare", "write"}) {
    std::printf("  reconcile %-8s", part);
    for (const nlohmann::json& stats : all_stats) {
      const double seconds = stats.contains("reconcile_seconds")
                                 ? stats["reconcile_seconds"].value(part, 0.0)
                                 : 0.0;
      const int pages = std::max(1, stats.value("pages", 1));
      std::printf(" %8.2fs %5.2fms", seconds, 1000 * seconds / pages);
    }
    std::printf("\n");
  }
  for (const nlohmann::json& stats : all_stats) {
    std::printf("threads %d: %d pages, %d claims, %d failures, %d conflicts; %lld of %lld "
                "sentences given to MeCab\n",
                stats.value("threads", 0), stats.value("pages", 0), stats.value("claims", 0),
                stats.value("failures", 0), stats.value("conflicts", 0),
                static_cast<long long>(stats.value("sentences_tokenized", int64_t{0})),
                static_cast<long long>(stats.value("sentences", int64_t{0})));
  }
  if (!options.keep && options.dir.empty()) {
    std::error_code error;
    std::filesystem::remove_all(dir, error);
  } else {
    std::printf("kept %s\n", dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace newsclaim::bench

int main(int argc, char** argv) { return newsclaim::bench::Main(argc, argv); }
