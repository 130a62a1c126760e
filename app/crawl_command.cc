// app/crawl_command.cc
// `newsclaim crawl`: fetch pages, feeds and sitemaps, store new or changed
// pages with their claims, then reconcile. With --config, a scheduled run:
// each due source of the TOML file is crawled in turn, under a lock that
// keeps overlapping runs apart, with a frontier in the database so a killed
// run resumes. docs/scheduling.md describes it for operators.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "base/hash.h"
#include "crawler/crawl_config.h"
#include "crawler/crawler.h"
#include "crawler/fetcher.h"
#include "crawler/run_lock.h"
#include "store/frontier_table.h"

namespace newsclaim::app {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

struct CrawlFlags {
  std::vector<std::string> urls;
  std::string config_path;
  std::vector<std::string> only_sources;
  int depth = 2;
  int max_pages = 1000;
  int64_t delay_ms = 1000;
  int max_connections = 8;
  int per_host_connections = 1;
  std::string warc_dir;
  std::string user_agent;
  std::string stats_json;
  bool force = false;
  bool wait = false;
  bool no_progress = false;
  // Which of the overridable flags were given (config values yield to them).
  CLI::Option *depth_option = nullptr, *max_pages_option = nullptr, *delay_option = nullptr,
              *connections_option = nullptr, *per_host_option = nullptr;
};

// One source to crawl in this run: a [[source]] of the config, or the
// command-line URLs as one unnamed source.
struct CrawlJob {
  crawler::SourceConfig source;
  std::string scope;  // its name in source_runs and the frontier
  bool resume = false;
};

// What happened to one source, for the summary and --stats-json.
struct SourceReport {
  std::string name;
  std::string status;  // crawled, resumed, skipped, failed
  std::string reason;
  crawler::CrawlStats stats;
  int resumed_queued = 0, resumed_done = 0;
  double elapsed_seconds = 0;
  std::optional<int64_t> next_due_in_s;
};

// Everything --stats-json writes.
struct RunReport {
  std::string status = "ok";  // ok, some_failed, locked, config_error, error
  std::string message;
  int exit_code = kExitOk;
  std::string started, finished;
  Clock::time_point start = Clock::now();
  std::string db, config;
  crawler::CrawlStats totals;
  int stored_pages = 0, claims = 0, unchanged = 0, failures = 0, reextracted = 0;
  std::optional<int> conflicts;
  std::vector<SourceReport> sources;
};

void AddStats(crawler::CrawlStats& total, const crawler::CrawlStats& add) {
  total.fetched += add.fetched;
  total.pages += add.pages;
  total.unchanged += add.unchanged;
  total.failed += add.failed;
  total.robots_denied += add.robots_denied;
  total.off_site += add.off_site;
  total.feeds += add.feeds;
  total.sitemaps += add.sitemaps;
  total.duplicates += add.duplicates;
  total.filtered += add.filtered;
  total.robots_files += add.robots_files;
  total.robots_cached += add.robots_cached;
}

json StatsJson(const crawler::CrawlStats& stats) {
  return {{"fetched", stats.fetched},       {"pages", stats.pages},
          {"unchanged", stats.unchanged},   {"failed", stats.failed},
          {"robots_denied", stats.robots_denied}, {"off_site", stats.off_site},
          {"feeds", stats.feeds},           {"sitemaps", stats.sitemaps},
          {"duplicates", stats.duplicates}, {"filtered", stats.filtered},
          {"robots_files", stats.robots_files}, {"robots_cached", stats.robots_cached}};
}

// The exit code ReportFatal would give `status` (the contract's codes).
int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kUnimplemented:
    case StatusCode::kCorruption:
      return kExitUsage;
    default:
      return kExitSomeInputsFailed;
  }
}

double Seconds(Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

double Rate(int count, double seconds) { return seconds > 0 ? count / seconds : 0.0; }

json ReportJson(const RunReport& report) {
  const double elapsed = Seconds(Clock::now() - report.start);
  json totals = StatsJson(report.totals);
  totals["stored_pages"] = report.stored_pages;
  totals["claims"] = report.claims;
  totals["reextracted_pages"] = report.reextracted;
  totals["recorded_failures"] = report.failures;
  totals["conflicts"] = report.conflicts ? json(*report.conflicts) : json(nullptr);
  totals["pages_per_second"] = Rate(report.totals.fetched, elapsed);
  json sources = json::array();
  for (const SourceReport& source : report.sources) {
    json line = StatsJson(source.stats);
    line["name"] = source.name;
    line["status"] = source.status;
    line["reason"] = source.reason.empty() ? json(nullptr) : json(source.reason);
    line["elapsed_seconds"] = source.elapsed_seconds;
    line["resumed_queued"] = source.resumed_queued;
    line["resumed_done"] = source.resumed_done;
    line["next_due_in_seconds"] =
        source.next_due_in_s ? json(*source.next_due_in_s) : json(nullptr);
    sources.push_back(std::move(line));
  }
  return {{"format", "newsclaim-crawl-stats/1"},
          {"status", report.status},
          {"exit_code", report.exit_code},
          {"message", report.message.empty() ? json(nullptr) : json(report.message)},
          {"started", report.started},
          {"finished", report.finished},
          {"elapsed_seconds", elapsed},
          {"pid", static_cast<int64_t>(getpid())},
          {"db", report.db},
          {"config", report.config.empty() ? json(nullptr) : json(report.config)},
          {"totals", std::move(totals)},
          {"sources", std::move(sources)}};
}

// Writes beside the target and renames over it, so a monitor never reads
// half a file.
Status WriteFileAtomically(const fs::path& path, const std::string& content) {
  const fs::path temp = path.string() + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) return IoError("cannot write " + temp.string());
  }
  std::error_code error;
  fs::rename(temp, path, error);
  if (error) {
    fs::remove(temp, error);
    return IoError("cannot rename " + temp.string() + " to " + path.string());
  }
  return Status::Ok();
}

// A live progress line on a terminal (stderr), redrawn at most 4 times a
// second; nothing when stderr is a pipe or a file (cron, systemd, tests).
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { Clear(); }

  // `done` counts documents of earlier sources plus this one's.
  void Update(int done, int64_t queued, int errors) {
    if (!enabled_) return;
    const Clock::time_point now = Clock::now();
    if (shown_ && now - last_draw_ < std::chrono::milliseconds(250)) return;
    last_draw_ = now;
    char line[160];
    std::snprintf(line, sizeof line,
                  "\r\033[Kcrawl: %d done, %lld queued, %.1f pages/s, %d errors", done,
                  static_cast<long long>(queued), Rate(done, Seconds(now - start_)), errors);
    std::fputs(line, stderr);
    std::fflush(stderr);
    shown_ = true;
  }

  void Clear() {
    if (!shown_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_ = Clock::now(), last_draw_{};
};

// Step 1: the sources and settings of this run, from --config or the
// command-line URLs, with flags applied on top.
StatusOr<crawler::CrawlConfig> BuildConfig(const CrawlFlags& flags) {
  crawler::CrawlConfig config;
  if (!flags.config_path.empty()) {
    if (!flags.urls.empty()) {
      return InvalidArgumentError(
          "give either --config or URLs, not both (add the URLs to a [[source]])");
    }
    StatusOr<crawler::CrawlConfig> loaded = crawler::LoadCrawlConfig(flags.config_path);
    // An unreadable config is a configuration error too (exit 2).
    if (!loaded.ok()) return InvalidArgumentError(loaded.status().message());
    config = std::move(*loaded);
  } else {
    if (flags.urls.empty()) {
      return InvalidArgumentError("crawl needs at least one URL, or --config FILE");
    }
    if (!flags.only_sources.empty()) {
      return InvalidArgumentError("--source selects sources of a --config file");
    }
    crawler::SourceConfig source;
    source.start = flags.urls;
    source.max_depth = flags.depth;
    source.max_pages = flags.max_pages;
    source.delay_ms = flags.delay_ms;
    source.max_connections = flags.max_connections;
    source.per_host_connections = flags.per_host_connections;
    config.sources.push_back(std::move(source));
    config.user_agent = crawler::FetcherOptions().user_agent;
  }

  crawler::CrawlOverrides overrides;
  if (flags.depth_option->count() > 0) overrides.max_depth = flags.depth;
  if (flags.max_pages_option->count() > 0) overrides.max_pages = flags.max_pages;
  if (flags.delay_option->count() > 0) overrides.delay_ms = flags.delay_ms;
  if (flags.connections_option->count() > 0) overrides.max_connections = flags.max_connections;
  if (flags.per_host_option->count() > 0) {
    overrides.per_host_connections = flags.per_host_connections;
  }
  if (!flags.warc_dir.empty()) overrides.warc_dir = flags.warc_dir;
  if (!flags.user_agent.empty()) {
    Status valid = crawler::ValidateUserAgent(flags.user_agent);
    if (!valid.ok()) return InvalidArgumentError("--user-agent: " + valid.message());
    overrides.user_agent = flags.user_agent;
  }
  crawler::ApplyOverrides(overrides, config);
  if (config.user_agent.empty()) {
    return InvalidArgumentError(config.path.string() +
                                ":1: user_agent is required in a crawl config (or give "
                                "--user-agent): name your crawler and a contact URL, e.g. "
                                "\"mybot/1.0 (+https://example.org/bot)\"");
  }
  if (config.robots_token.empty()) config.robots_token = crawler::RobotsToken(config.user_agent);
  for (const std::string& name : flags.only_sources) {
    if (std::none_of(config.sources.begin(), config.sources.end(),
                     [&](const crawler::SourceConfig& s) { return s.name == name; })) {
      return InvalidArgumentError("--source " + name + ": no such source in " +
                                  config.path.string());
    }
  }
  return config;
}

// The command-line URLs' scope: the same URLs resume the same frontier.
std::string UrlScope(std::vector<std::string> urls) {
  std::sort(urls.begin(), urls.end());
  std::string joined;
  for (const std::string& url : urls) joined += url + "\n";
  return "urls:" + HexHash64(joined);
}

// Step 3: the sources due now, the unfinished one (if any) first.
StatusOr<std::vector<CrawlJob>> PlanJobs(const crawler::CrawlConfig& config,
                                         const CrawlFlags& flags, store::FrontierTable& table,
                                         RunReport& report) {
  ASSIGN_OR_RETURN(std::optional<store::SourceRun> unfinished, table.UnfinishedRun());
  std::vector<CrawlJob> jobs;
  for (const crawler::SourceConfig& source : config.sources) {
    CrawlJob job{source, source.name.empty() ? UrlScope(source.start) : source.name, false};
    if (!flags.only_sources.empty() &&
        std::find(flags.only_sources.begin(), flags.only_sources.end(), source.name) ==
            flags.only_sources.end()) {
      continue;
    }
    if (!source.enabled) {
      LogInfo("source " + source.name + ": disabled (enabled = false); skipped");
      report.sources.push_back({source.name, "skipped", "disabled", {}, 0, 0, 0, std::nullopt});
      continue;
    }
    job.resume = unfinished && unfinished->source == job.scope;
    if (!job.resume && !flags.force && source.recrawl_interval_s > 0) {
      ASSIGN_OR_RETURN(std::optional<store::SourceRun> last, table.LastRun(job.scope));
      if (last && last->last_status == "complete" && last->last_started_unix) {
        const int64_t now = static_cast<int64_t>(std::time(nullptr));
        crawler::DueCheck due =
            crawler::CheckDue(source.recrawl_interval_s, last->last_started_unix, now);
        if (!due.due) {
          const std::string reason =
              "crawled " + crawler::FormatDuration(now - *last->last_started_unix) +
              " ago, recrawl_interval " + crawler::FormatDuration(source.recrawl_interval_s);
          LogInfo("source " + source.name + ": " + reason + "; skipped, due in " +
                  crawler::FormatDuration(due.wait_s) + " (--force crawls it now)");
          report.sources.push_back(
              {source.name, "skipped", reason, {}, 0, 0, 0, due.wait_s});
          continue;
        }
      }
    }
    jobs.push_back(std::move(job));
  }
  std::stable_partition(jobs.begin(), jobs.end(), [](const CrawlJob& job) { return job.resume; });
  if (unfinished && std::none_of(jobs.begin(), jobs.end(),
                                 [](const CrawlJob& job) { return job.resume; })) {
    // Another job's crawl was killed; this run's sources cannot resume it.
    if (!jobs.empty()) {
      LogWarning("the unfinished crawl of " + unfinished->source + " (started " +
                 unfinished->last_started + ") is not part of this run; its frontier is "
                 "dropped");
    }
  }
  return jobs;
}

// robots.txt answers kept in the database between runs.
class RobotsTableCache : public crawler::RobotsCache {
 public:
  explicit RobotsTableCache(store::FrontierTable& table) : table_(table) {}

  StatusOr<std::optional<crawler::CachedRobots>> Find(const std::string& robots_url) override {
    ASSIGN_OR_RETURN(std::optional<store::RobotsRow> row, table_.FindRobots(robots_url));
    if (!row) return std::optional<crawler::CachedRobots>();
    return std::optional<crawler::CachedRobots>(
        crawler::CachedRobots{row->http_status, std::move(row->body), row->fetched_unix});
  }

  Status Store(const std::string& robots_url, const crawler::CachedRobots& robots) override {
    return table_.StoreRobots(robots_url,
                              store::RobotsRow{robots.http_status, robots.body, robots.fetched_unix});
  }

 private:
  store::FrontierTable& table_;
};

crawler::CrawlOptions OptionsFor(const crawler::SourceConfig& source,
                                 const crawler::CrawlConfig& config,
                                 const GlobalOptions& globals) {
  crawler::CrawlOptions options;
  options.max_depth = source.max_depth;
  options.max_pages = source.max_pages;
  options.per_host_delay_ms = source.delay_ms;
  options.allow_patterns = source.allow;
  options.deny_patterns = source.deny;
  options.user_agent_token = config.robots_token;
  options.max_body_bytes = config.max_body_bytes;
  options.max_connections = source.max_connections;
  options.per_host_connections = source.per_host_connections;
  options.warc_dir = !config.warc_dir.empty()
                         ? config.warc_dir
                         : fs::absolute(globals.db_path).parent_path() / "warc";
  return options;
}

class CrawlCommand {
 public:
  CrawlCommand(const CrawlFlags& flags, const GlobalOptions& globals)
      : flags_(flags), globals_(globals), progress_(UseProgressLine(flags, globals)) {
    report_.started = UtcNow();
    report_.db = fs::absolute(globals.db_path).string();
    if (!flags.config_path.empty()) report_.config = fs::absolute(flags.config_path).string();
  }

  int Run() {
    const int code = Steps();
    Finish(code);
    return code;
  }

 private:
  static bool UseProgressLine(const CrawlFlags& flags, const GlobalOptions& globals) {
    return !flags.no_progress && globals.verbosity >= 1 && isatty(STDERR_FILENO) == 1;
  }

  int Fail(const std::string& status, const Status& error, int code) {
    progress_.Clear();
    LogError(error.message().empty() ? error.ToString() : error.message());
    report_.status = status;
    report_.message = error.message();
    return code;
  }

  int Steps();
  Status CrawlSource(const CrawlJob& job, crawler::Fetcher& fetcher);
  void Finish(int code);

  const CrawlFlags& flags_;
  const GlobalOptions& globals_;
  ProgressLine progress_;
  RunReport report_;
  crawler::CrawlConfig config_;
  std::unique_ptr<PagePipeline> pipeline_;
  std::optional<store::FrontierTable> table_;
  bool recovered_ = false;
};

int CrawlCommand::Steps() {
  // Step 1: the configuration, validated before anything is touched.
  StatusOr<crawler::CrawlConfig> config = BuildConfig(flags_);
  if (!config.ok()) return Fail("config_error", config.status(), kExitUsage);
  config_ = std::move(*config);

  // Step 2: one crawl per database at a time. The lock sits beside the
  // database, so it is taken before the database is opened (or migrated).
  const fs::path lock_path = crawler::RunLock::PathFor(globals_.db_path);
  StatusOr<std::optional<crawler::RunLock>> lock = crawler::RunLock::TryAcquire(lock_path);
  if (!lock.ok()) {
    return Fail("config_error",
                InvalidArgumentError("cannot use database " + globals_.db_path + ": " +
                                     lock.status().message()),
                kExitUsage);
  }
  if (!lock->has_value()) {
    const std::string holder = crawler::RunLock::Holder(lock_path);
    const std::string who = holder.empty() ? "" : " (" + holder + ")";
    if (!flags_.wait) {
      report_.status = "locked";
      report_.message = "another crawl of " + globals_.db_path + " is running" + who;
      LogInfo(report_.message + "; not starting a second one (use --wait to wait for it)");
      return kExitOk;
    }
    LogInfo("another crawl of " + globals_.db_path + " is running" + who +
            "; waiting for it to finish");
    StatusOr<crawler::RunLock> waited = crawler::RunLock::Acquire(lock_path);
    if (!waited.ok()) return Fail("error", waited.status(), kExitSomeInputsFailed);
    lock->emplace(std::move(*waited));
  }

  // Step 3: rules, database, frontier table and fetcher.
  StatusOr<std::unique_ptr<PagePipeline>> pipeline = PagePipeline::Create(globals_);
  if (!pipeline.ok()) return Fail("config_error", pipeline.status(), ExitCodeFor(pipeline.status()));
  pipeline_ = std::move(*pipeline);
  StatusOr<store::FrontierTable> table = store::FrontierTable::Open(globals_.db_path);
  if (!table.ok()) return Fail("config_error", table.status(), kExitUsage);
  table_.emplace(std::move(*table));

  crawler::FetcherOptions fetcher_options;
  fetcher_options.user_agent = config_.user_agent;
  fetcher_options.connect_timeout_ms = config_.connect_timeout_ms;
  fetcher_options.total_timeout_ms = config_.timeout_ms;
  fetcher_options.max_body_bytes = config_.max_body_bytes;
  fetcher_options.max_retries = config_.max_retries;
  StatusOr<std::unique_ptr<crawler::CurlFetcher>> fetcher =
      crawler::CurlFetcher::Create(fetcher_options);
  if (!fetcher.ok()) return Fail("config_error", fetcher.status(), kExitUsage);

  // Step 4: the sources due now, each crawled to the end in turn.
  StatusOr<std::vector<CrawlJob>> jobs = PlanJobs(config_, flags_, *table_, report_);
  if (!jobs.ok()) return Fail("error", jobs.status(), kExitSomeInputsFailed);
  for (const CrawlJob& job : *jobs) {
    Status crawled = CrawlSource(job, **fetcher);
    if (!crawled.ok()) return Fail("error", crawled, ExitCodeFor(crawled));
  }
  progress_.Clear();

  // Step 5: pages a killed run stored without their claims (it died
  // between the two writes) are extracted now.
  if (recovered_) {
    StatusOr<std::vector<store::StoredPage>> pending =
        pipeline_->db().PagesToExtract(pipeline_->rules().fingerprint, /*all=*/false);
    if (!pending.ok()) return Fail("error", pending.status(), kExitSomeInputsFailed);
    for (const store::StoredPage& stored : *pending) {
      Status reextracted = pipeline_->Reextract(stored);
      if (!reextracted.ok()) return Fail("error", reextracted, kExitSomeInputsFailed);
      ++report_.reextracted;
    }
  }

  // Step 6: conflicts over everything stored; nothing to do when every
  // source was skipped (an hourly run between intervals stays cheap).
  if (jobs->empty()) {
    LogInfo("crawl: no source is due; nothing fetched");
    return kExitOk;
  }
  StatusOr<store::ReconcileStats> reconciled = pipeline_->Reconcile();
  if (!reconciled.ok()) return Fail("error", reconciled.status(), kExitSomeInputsFailed);
  report_.conflicts = reconciled->conflicts;
  return pipeline_->tally().failures > 0 ? kExitSomeInputsFailed : kExitOk;
}

// Crawls one source to completion (or max_pages). An error stops the whole
// run; the source's frontier stays for the next run to resume.
Status CrawlCommand::CrawlSource(const CrawlJob& job, crawler::Fetcher& fetcher) {
  const Clock::time_point start = Clock::now();
  SourceReport source{job.source.name.empty() ? job.scope : job.source.name,
                      "crawled", "", {}, 0, 0, 0, std::nullopt};
  ASSIGN_OR_RETURN(store::FrontierResume resume, table_->Begin(job.scope));
  progress_.Clear();  // log lines are not drawn over the progress line
  if (resume.resumed) {
    source.status = "resumed";
    source.resumed_queued = static_cast<int>(resume.queued.size());
    source.resumed_done = static_cast<int>(resume.done.size());
    LogInfo("source " + source.name + ": resuming the crawl started " + resume.started + " (" +
            std::to_string(resume.queued.size()) + " queued, " +
            std::to_string(resume.done.size()) + " done)");
    if (!resume.recovered.empty()) recovered_ = true;
  } else if (!job.source.name.empty()) {
    LogInfo("source " + source.name + ": crawling " +
            std::to_string(job.source.Seeds().size()) + " start URLs");
  }

  const int done_before = report_.totals.fetched;
  const int errors_before = report_.totals.failed;
  CrawlRecorder::Observer observer;
  observer.progress = [this, done_before, errors_before](const crawler::CrawlStats& stats,
                                                        int64_t queued) {
    progress_.Update(done_before + stats.fetched, queued, errors_before + stats.failed);
  };
  observer.before_log = [this] { progress_.Clear(); };
  CrawlRecorder recorder(*pipeline_, &*table_, std::move(resume), std::move(observer));

  crawler::CrawlOptions options = OptionsFor(job.source, config_, globals_);
  options.frontier = &recorder;
  RobotsTableCache robots_cache(*table_);
  options.robots_cache = &robots_cache;
  crawler::Crawler crawler(options, fetcher, recorder);
  StatusOr<crawler::CrawlStats> stats = crawler.Run(job.source.Seeds());
  source.elapsed_seconds = Seconds(Clock::now() - start);
  if (!stats.ok() || !recorder.fatal().ok()) {
    source.status = "failed";
    const Status& error = !stats.ok() ? stats.status() : recorder.fatal();
    source.reason = error.message();
    report_.sources.push_back(source);
    return error;
  }
  RETURN_IF_ERROR(recorder.Flush());
  // A crawler that completes the frontier itself has already done this.
  if (!recorder.completed()) RETURN_IF_ERROR(table_->Complete());

  source.stats = *stats;
  AddStats(report_.totals, *stats);
  progress_.Clear();
  if (!job.source.name.empty()) {
    LogInfo("source " + source.name + ": " + std::to_string(stats->fetched) + " fetched, " +
            std::to_string(stats->pages) + " new or changed pages, " +
            std::to_string(stats->unchanged) + " unchanged, " + std::to_string(stats->failed) +
            " failed in " + crawler::FormatDuration(static_cast<int64_t>(source.elapsed_seconds)));
  }
  report_.sources.push_back(std::move(source));
  return Status::Ok();
}

void CrawlCommand::Finish(int code) {
  progress_.Clear();
  report_.exit_code = code;
  report_.finished = UtcNow();
  if (pipeline_) {
    const PipelineTally& tally = pipeline_->tally();
    report_.stored_pages = tally.pages;
    report_.claims = tally.claims;
    report_.unchanged = tally.unchanged;
    report_.failures = tally.failures;
  }
  if (code == kExitSomeInputsFailed && report_.status == "ok") report_.status = "some_failed";
  // The summary: what scripts and people read at the end of the log.
  if (pipeline_ && report_.conflicts &&
      (report_.status == "ok" || report_.status == "some_failed")) {
    const double elapsed = Seconds(Clock::now() - report_.start);
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", Rate(report_.totals.fetched, elapsed));
    LogInfo("crawl: " + std::to_string(report_.totals.fetched) + " fetched, " +
            std::to_string(report_.stored_pages) + " pages stored (" +
            std::to_string(report_.claims) + " claims), " + std::to_string(report_.unchanged) +
            " unchanged, " + std::to_string(report_.totals.robots_denied) +
            " denied by robots.txt, " + std::to_string(report_.failures) + " failed; " +
            std::to_string(report_.conflicts.value_or(0)) + " conflicts; " +
            crawler::FormatDuration(static_cast<int64_t>(elapsed)) + ", " + rate +
            " documents/s");
  }
  if (!flags_.stats_json.empty()) {
    Status written = WriteFileAtomically(flags_.stats_json, ReportJson(report_).dump(2) + "\n");
    if (!written.ok()) LogError("--stats-json: " + written.message());
  }
}

}  // namespace

void AddCrawlCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<CrawlFlags>();
  CLI::App* command = root.add_subcommand(
      "crawl",
      "Fetch URLs (pages, RSS/Atom feeds, sitemaps) and what they lead to on the "
      "same site, obeying robots.txt; store new or changed pages with their "
      "claims. A second run revalidates with conditional GET. With --config, "
      "crawl the due sources of a TOML file (docs/scheduling.md).");
  command->add_option("urls", flags->urls, "Start URLs: pages, feeds or sitemaps")
      ->type_name("URL");
  command->add_option("--config", flags->config_path,
                      "TOML file of sources for scheduled runs (docs/scheduling.md)")
      ->type_name("FILE");
  command->add_option("--source", flags->only_sources,
                      "With --config: crawl only this source (repeatable)")
      ->type_name("NAME");
  flags->depth_option =
      command->add_option("--depth", flags->depth, "Link depth to follow from a start page")
          ->capture_default_str()
          ->check(CLI::Range(0, 100));
  flags->max_pages_option =
      command->add_option("--max-pages", flags->max_pages, "Most documents to fetch per source")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
  flags->delay_option =
      command
          ->add_option("--delay-ms", flags->delay_ms,
                       "Pause between requests to one host (robots Crawl-delay wins if longer)")
          ->capture_default_str()
          ->check(CLI::NonNegativeNumber);
  flags->connections_option =
      command->add_option("--max-connections", flags->max_connections,
                          "Transfers in flight at once, across hosts")
          ->capture_default_str()
          ->check(CLI::Range(1, 256));
  flags->per_host_option =
      command->add_option("--per-host-connections", flags->per_host_connections,
                          "Transfers in flight at once to one host")
          ->capture_default_str()
          ->check(CLI::Range(1, 64));
  command->add_option("--warc-dir", flags->warc_dir,
                      "Where raw responses are kept as WARC. Default: warc/ beside the database")
      ->type_name("DIR");
  command->add_option("--user-agent", flags->user_agent,
                      "User-Agent header; must include a contact URL");
  command->add_flag("--force", flags->force,
                    "Crawl every source now, whatever its recrawl_interval says");
  command->add_flag("--wait", flags->wait,
                    "If another crawl of this database is running, wait for it to finish "
                    "(default: exit 0 at once)");
  command->add_option("--stats-json", flags->stats_json,
                      "Write the run's statistics to FILE as JSON (replaced atomically)")
      ->type_name("FILE");
  command->add_flag("--no-progress", flags->no_progress,
                    "No live progress line, even on a terminal");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return CrawlCommand(*flags, globals).Run(); };
  });
}

}  // namespace newsclaim::app
