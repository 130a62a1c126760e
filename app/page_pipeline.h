// app/page_pipeline.h
// The one place the stages meet: a Page (fetched by crawler/ or read from
// disk) goes through extract/ into store/. crawl, ingest and extract all
// use it, so a page is handled the same way whichever way it arrived.
// CrawlRecorder connects a crawl to it, and the crawler's frontier to the
// store's frontier table.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_context.h"
#include "base/page.h"
#include "base/status.h"
#include "crawler/crawler.h"
#include "crawler/frontier_store.h"
#include "extract/claim_extractor.h"
#include "extract/rule_set.h"
#include "store/database.h"
#include "store/frontier_table.h"

namespace newsclaim::app {

// Opens the database named by the options. Any failure is a configuration
// error (exit 2): "cannot open database PATH: reason".
StatusOr<store::Database> OpenDatabase(const GlobalOptions& options);

// Loads and validates every rule file. A bad file is a configuration error
// with its file:line, reported before any page is touched.
StatusOr<extract::RuleSet> LoadRules(const GlobalOptions& options);

struct PipelineTally {
  int pages = 0;     // pages stored with their claims
  int claims = 0;    // claims stored
  int unchanged = 0; // pages seen again with the same content
  int failures = 0;  // inputs that failed at any stage, each recorded
};

// A page with its article and claims, extracted but not yet stored.
struct ExtractedPage {
  Page page;
  Article article;
  std::vector<Claim> claims;
  // What the extractor could not do in full (a page past the figure limit),
  // stored with the page as "warning" rows of `failures`.
  std::vector<std::string> warnings;
};

// Time by stage, in nanoseconds of the threads that ran it (summed over
// threads, so with several workers the total exceeds the wall time).
struct StageTimes {
  int64_t read_ns = 0;     // reading input files (and WARC records)
  int64_t decode_ns = 0;   // charset decoding; Markdown and text to HTML
  int64_t article_ns = 0;  // extract::ExtractArticle: gumbo parse and main text
  int64_t claims_ns = 0;   // extract::ClaimExtractor::Extract, of which:
  extract::ExtractTimings claims;  // its steps (sentences, figures, MeCab)
  int64_t store_ns = 0;    // the store: unchanged checks, pages, claims, failures
  int64_t reconcile_ns = 0;

  void Add(const StageTimes& other);
};

// Nanoseconds on the steady clock, for StageTimes.
int64_t SteadyNowNs();

// One extraction thread's tools: its own extractor (MeCab tagger, ICU
// splitter, figure matchers) over the shared, read-only rules, and the time
// it spent. Not thread-safe; one per thread.
struct ExtractionWorker {
  extract::ClaimExtractor extractor;
  StageTimes times;

  // Reads the article and claims out of `page` (nothing is stored).
  ExtractedPage Extract(Page page);
  // The claims of a stored page's HTML, read again.
  std::vector<Claim> Reextract(const store::StoredPage& stored);
  // times, with the extractor's own step timings filled in.
  StageTimes Times() const;
};

// The thread count --threads defaults to: the cores this process may use.
int DefaultThreadCount();

// Not thread-safe: one per run. It owns the database connection (the single
// writer) and the rules; extraction threads get their ExtractionWorker from
// NewWorker().
class PagePipeline {
 public:
  static StatusOr<std::unique_ptr<PagePipeline>> Create(const GlobalOptions& options);

  // A worker for another extraction thread, sharing this pipeline's rules
  // read-only. Fails as ClaimExtractor::Create does (MeCab missing).
  StatusOr<ExtractionWorker> NewWorker() const;

  // Reads the article out of `page`, stores page, article and claims, and
  // returns the page's links. An error means the store failed: the caller
  // should stop, since nothing more can be recorded.
  StatusOr<std::vector<std::string>> Process(const Page& page);

  // Process in two steps: Extract touches nothing; Store writes the page
  // (one transaction) and then its claims (another).
  ExtractedPage Extract(Page page);
  Status Store(const ExtractedPage& extracted);

  // Re-runs extraction over a stored page's HTML and replaces its claims.
  Status Reextract(const store::StoredPage& stored);
  // Reextract's store step: makes `claims` the live claims of page `page_id`.
  Status StoreClaims(int64_t page_id, const std::vector<Claim>& claims);

  // Records that `url` failed at `stage`; also logs it. Returns the store's
  // status, which fails only if the failure itself cannot be recorded.
  Status RecordFailure(std::string_view url, std::string_view stage,
                       std::string_view reason);

  // Recomputes conflicts over every live claim.
  StatusOr<store::ReconcileStats> Reconcile();

  store::Database& db() { return db_; }
  const extract::RuleSet& rules() const { return rules_; }
  const PipelineTally& tally() const { return tally_; }
  PipelineTally& tally() { return tally_; }
  // The store's and reconciliation's times, and the inline worker's.
  StageTimes Times() const;
  StageTimes& times() { return times_; }

 private:
  PagePipeline(extract::RuleSet rules, ExtractionWorker worker, store::Database db);

  extract::RuleSet rules_;
  ExtractionWorker worker_;  // for Extract, Process and Reextract
  store::Database db_;
  PipelineTally tally_;
  StageTimes times_;
};

// Records one crawler::Crawler::Run: pages go through the pipeline, the
// crawler's frontier goes to the store's frontier table (which may be null:
// then nothing persists and a killed run starts over).
//
// Why pages wait for MarkDone: the crawler queues a page's links (Enqueue)
// before it marks the page done. Storing the page only then, right before
// the table's MarkDone, means that once a page is in the store its links
// are in the frontier too; a resume may then treat a stored page as done
// (FrontierTable::Begin) without losing what it leads to. If the crawler
// never calls Load() (no persistent frontier), pages are stored at once.
//
// Called from the crawler's thread only; not thread-safe.
class CrawlRecorder : public crawler::CrawlHandler, public crawler::FrontierStore {
 public:
  // Live progress and the lines around it; both optional.
  struct Observer {
    std::function<void(const crawler::CrawlStats&, int64_t queued)> progress;
    std::function<void()> before_log;  // e.g. clear a progress line
  };

  // `resume` is what table->Begin() returned for this run.
  CrawlRecorder(PagePipeline& pipeline, store::FrontierTable* table,
                store::FrontierResume resume, Observer observer);

  // crawler::CrawlHandler
  std::optional<crawler::PreviousFetch> Previous(const std::string& url) override;
  std::vector<std::string> OnPage(const Page& page) override;
  void OnUnchanged(const std::string& url) override;
  void OnFailure(const std::string& url, const std::string& reason) override;
  // Recorded (stage "warning") and logged, but not a failure: the document
  // was used, and the run's exit code does not change.
  void OnWarning(const std::string& url, const std::string& warning) override;
  void OnProgress(const crawler::CrawlStats& stats, const std::string& url) override;

  // crawler::FrontierStore
  StatusOr<Resume> Load() override;
  Status Enqueue(const std::vector<crawler::FrontierItem>& items) override;
  Status MarkDone(std::string_view url, std::string_view outcome) override;
  Status Complete() override;

  // After Run succeeded: stores pages still waiting for a MarkDone that
  // never came. (After a failed Run they are dropped on purpose: their
  // links may not be queued, so the next run must fetch them again.)
  Status Flush();

  // The first store failure seen in a callback that cannot return one.
  const Status& fatal() const { return fatal_; }
  bool completed() const { return completed_; }

 private:
  void Keep(const Status& status);
  Status StoreHeld(std::string_view url);

  PagePipeline& pipeline_;
  store::FrontierTable* table_;
  store::FrontierResume resume_;
  Observer observer_;
  bool deferring_ = false;  // Load() was called: MarkDone follows every OnPage
  bool completed_ = false;
  std::vector<ExtractedPage> held_;  // extracted, waiting for their MarkDone
  Status fatal_;
};

}  // namespace newsclaim::app
