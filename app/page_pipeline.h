// app/page_pipeline.h
// The one place the stages meet: a Page (fetched by crawler/ or read from
// disk) goes through extract/ into store/. crawl, ingest and extract all
// use it, so a page is handled the same way whichever way it arrived.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_context.h"
#include "base/page.h"
#include "base/status.h"
#include "extract/claim_extractor.h"
#include "extract/rule_set.h"
#include "store/database.h"

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

// Not thread-safe: one per thread (it owns a MeCab tagger).
class PagePipeline {
 public:
  static StatusOr<std::unique_ptr<PagePipeline>> Create(const GlobalOptions& options);

  // Reads the article out of `page`, stores page, article and claims, and
  // returns the page's links. An error means the store failed: the caller
  // should stop, since nothing more can be recorded.
  StatusOr<std::vector<std::string>> Process(const Page& page);

  // Re-runs extraction over a stored page's HTML and replaces its claims.
  Status Reextract(const store::StoredPage& stored);

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

 private:
  PagePipeline(extract::RuleSet rules, extract::ClaimExtractor extractor,
               store::Database db);

  extract::RuleSet rules_;
  extract::ClaimExtractor extractor_;
  store::Database db_;
  PipelineTally tally_;
};

}  // namespace newsclaim::app
