// app/extract_command.cc
// `newsclaim extract [--all]`: re-runs extraction over stored pages after a
// rules or code change, without fetching anything, on --threads extraction
// threads (one writer stores the claims in page order).
#include <memory>

#include "app/commands.h"
#include "app/ordered_pool.h"
#include "app/page_pipeline.h"

namespace newsclaim::app {
namespace {

struct ExtractFlags {
  bool all = false;
  int threads = 0;  // 0: DefaultThreadCount()
};

// Pages in flight per worker, and pages per transaction (see
// ingest_command.cc).
constexpr size_t kWindowPerThread = 32;
constexpr size_t kBatchPages = 256;

struct Reextracted {
  int64_t page_id = 0;
  std::string url;
  std::vector<Claim> claims;
};

int RunExtract(const ExtractFlags& flags, const GlobalOptions& globals) {
  if (flags.threads < 0) {
    return ReportFatal(InvalidArgumentError("--threads must be 0 (all cores) or more"));
  }
  const int threads = flags.threads > 0 ? flags.threads : DefaultThreadCount();
  StatusOr<std::unique_ptr<PagePipeline>> created = PagePipeline::Create(globals);
  if (!created.ok()) return ReportFatal(created.status());
  PagePipeline& pipeline = **created;

  // Only pages not yet processed by this exact rule set, unless --all.
  StatusOr<std::vector<store::StoredPage>> pages =
      pipeline.db().PagesToExtract(pipeline.rules().fingerprint, flags.all);
  if (!pages.ok()) return ReportFatal(pages.status());

  // Workers extract; this thread stores claims in page order, so the
  // result is the same for any thread count.
  std::vector<ExtractionWorker> workers;
  for (int i = 0; i < threads; ++i) {
    StatusOr<ExtractionWorker> worker = pipeline.NewWorker();
    if (!worker.ok()) return ReportFatal(worker.status());
    workers.push_back(std::move(worker).value());
  }
  size_t stored = 0;
  const size_t total = pages->size();
  // Claims are stored kBatchPages pages per transaction (see ingest).
  std::vector<Reextracted> batch;
  auto flush = [&]() -> Status {
    Status done = pipeline.db().InTransaction([&]() -> Status {
      for (const Reextracted& result : batch) {
        Status one = pipeline.StoreClaims(result.page_id, result.claims);
        if (!one.ok()) return one.WithContext(result.url);
        if (++stored % 100 == 0) {
          LogInfo("extract: " + std::to_string(stored) + "/" + std::to_string(total) + " pages");
        }
      }
      return Status::Ok();
    });
    batch.clear();
    return done;
  };
  OrderedPool<ExtractionWorker, store::StoredPage*, Reextracted> pool(
      std::move(workers),
      [](ExtractionWorker& worker, store::StoredPage* page) {
        Reextracted result{page->id, page->page.url, worker.Reextract(*page)};
        // The HTML is no longer needed: free it as the run goes.
        std::string().swap(page->page.html);
        return result;
      },
      [&](Reextracted result) -> Status {
        batch.push_back(std::move(result));
        return batch.size() < kBatchPages ? Status::Ok() : flush();
      },
      kWindowPerThread * static_cast<size_t>(threads));
  for (store::StoredPage& page : *pages) {
    Status submitted = pool.Submit(&page);
    if (!submitted.ok()) return ReportFatal(submitted);
  }
  Status finished = pool.Finish();
  if (finished.ok()) finished = flush();
  if (!finished.ok()) return ReportFatal(finished);

  StatusOr<store::ReconcileStats> reconciled = pipeline.Reconcile();
  if (!reconciled.ok()) return ReportFatal(reconciled.status());
  LogInfo("extract: " + std::to_string(pipeline.tally().pages) + " pages re-extracted (" +
          std::to_string(pipeline.tally().claims) + " claims); " +
          std::to_string(reconciled->conflicts) + " conflicts");
  return kExitOk;
}

}  // namespace

void AddExtractCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ExtractFlags>();
  CLI::App* command = root.add_subcommand(
      "extract",
      "Re-run extraction over stored pages (after a rules change) without "
      "fetching. By default only pages extracted with other rules.");
  command->add_flag("--all", flags->all, "Re-extract every stored page");
  command->add_option("--threads", flags->threads,
                      "Extraction threads (default: one per core; 1 runs inline). "
                      "Results are the same for any count.")
      ->type_name("N");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunExtract(*flags, globals); };
  });
}

}  // namespace newsclaim::app
