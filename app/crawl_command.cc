// app/crawl_command.cc
// `newsclaim crawl`: fetch pages, feeds and sitemaps, store new or changed
// pages with their claims, then reconcile.
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "crawler/crawler.h"
#include "crawler/fetcher.h"

namespace newsclaim::app {
namespace {

struct CrawlFlags {
  std::vector<std::string> urls;
  std::string config_path;
  int depth = 2;
  int max_pages = 1000;
  int64_t delay_ms = 1000;
  std::string warc_dir;
  std::string user_agent;
};

// Connects the crawler's callbacks to the pipeline. A store failure stops
// recording: it is kept in `fatal` and reported when the crawl returns.
class StoringCrawlHandler : public crawler::CrawlHandler {
 public:
  explicit StoringCrawlHandler(PagePipeline& pipeline) : pipeline_(pipeline) {}

  std::optional<crawler::PreviousFetch> Previous(const std::string& url) override {
    StatusOr<std::optional<store::Validators>> found =
        pipeline_.db().FindValidators(url);
    if (!found.ok() || !found->has_value()) return std::nullopt;
    const store::Validators& validators = **found;
    return crawler::PreviousFetch{validators.etag, validators.last_modified,
                                  validators.content_hash};
  }

  std::vector<std::string> OnPage(const Page& page) override {
    if (!fatal_.ok()) return {};
    StatusOr<std::vector<std::string>> links = pipeline_.Process(page);
    if (!links.ok()) {
      fatal_ = links.status().WithContext(page.url);
      return {};
    }
    return std::move(links).value();
  }

  void OnUnchanged(const std::string& url) override {
    ++pipeline_.tally().unchanged;
    Keep(pipeline_.db().TouchPage(url));
  }

  void OnFailure(const std::string& url, const std::string& reason) override {
    Keep(pipeline_.RecordFailure(url, "fetch", reason));
  }

  void OnProgress(const crawler::CrawlStats& stats, const std::string& url) override {
    LogDebug("fetched " + url);
    if (stats.fetched > 0 && stats.fetched % 50 == 0) {
      LogInfo("crawl: " + std::to_string(stats.fetched) + " fetched, " +
              std::to_string(pipeline_.tally().claims) + " claims so far");
    }
  }

  const Status& fatal() const { return fatal_; }

 private:
  void Keep(const Status& status) {
    if (!status.ok() && fatal_.ok()) fatal_ = status;
  }

  PagePipeline& pipeline_;
  Status fatal_;
};

int RunCrawl(const CrawlFlags& flags, const GlobalOptions& globals) {
  if (!flags.config_path.empty()) {
    return ReportFatal(UnimplementedError(
        "crawl --config is not implemented yet; pass start URLs instead"));
  }
  if (flags.urls.empty()) {
    return ReportFatal(InvalidArgumentError("crawl needs at least one URL"));
  }

  StatusOr<std::unique_ptr<PagePipeline>> pipeline = PagePipeline::Create(globals);
  if (!pipeline.ok()) return ReportFatal(pipeline.status());

  crawler::FetcherOptions fetcher_options;
  if (!flags.user_agent.empty()) fetcher_options.user_agent = flags.user_agent;
  StatusOr<std::unique_ptr<crawler::CurlFetcher>> fetcher =
      crawler::CurlFetcher::Create(fetcher_options);
  if (!fetcher.ok()) return ReportFatal(fetcher.status());

  crawler::CrawlOptions options;
  options.max_depth = flags.depth;
  options.max_pages = flags.max_pages;
  options.per_host_delay_ms = flags.delay_ms;
  options.max_body_bytes = fetcher_options.max_body_bytes;
  options.warc_dir = flags.warc_dir.empty()
                         ? std::filesystem::absolute(globals.db_path).parent_path() / "warc"
                         : std::filesystem::path(flags.warc_dir);

  StoringCrawlHandler handler(**pipeline);
  crawler::Crawler crawler(options, **fetcher, handler);
  StatusOr<crawler::CrawlStats> stats = crawler.Run(flags.urls);
  if (!stats.ok()) return ReportFatal(stats.status());
  if (!handler.fatal().ok()) return ReportFatal(handler.fatal());

  StatusOr<store::ReconcileStats> reconciled = (*pipeline)->Reconcile();
  if (!reconciled.ok()) return ReportFatal(reconciled.status());

  const PipelineTally& tally = (*pipeline)->tally();
  LogInfo("crawl: " + std::to_string(stats->fetched) + " fetched, " +
          std::to_string(tally.pages) + " pages stored (" +
          std::to_string(tally.claims) + " claims), " +
          std::to_string(tally.unchanged) + " unchanged, " +
          std::to_string(stats->robots_denied) + " denied by robots.txt, " +
          std::to_string(tally.failures) + " failed; " +
          std::to_string(reconciled->conflicts) + " conflicts");
  return tally.failures > 0 ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void AddCrawlCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<CrawlFlags>();
  CLI::App* command = root.add_subcommand(
      "crawl",
      "Fetch URLs (pages, RSS/Atom feeds, sitemaps) and what they lead to on the "
      "same site, obeying robots.txt; store new or changed pages with their "
      "claims. A second run revalidates with conditional GET.");
  command->add_option("urls", flags->urls, "Start URLs: pages, feeds or sitemaps")
      ->type_name("URL");
  command->add_option("--config", flags->config_path,
                      "TOML file of sources for scheduled runs")
      ->type_name("FILE");
  command->add_option("--depth", flags->depth, "Link depth to follow from a start page")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  command->add_option("--max-pages", flags->max_pages, "Most documents to fetch in this run")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--delay-ms", flags->delay_ms,
                      "Pause between requests to one host (robots Crawl-delay wins if longer)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command->add_option("--warc-dir", flags->warc_dir,
                      "Where raw responses are kept as WARC. Default: warc/ beside the database")
      ->type_name("DIR");
  command->add_option("--user-agent", flags->user_agent,
                      "User-Agent header; include a contact URL");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunCrawl(*flags, globals); };
  });
}

}  // namespace newsclaim::app
