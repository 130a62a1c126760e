// app/extract_command.cc
// `newsclaim extract [--all]`: re-runs extraction over stored pages after a
// rules or code change, without fetching anything.
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"

namespace newsclaim::app {
namespace {

struct ExtractFlags {
  bool all = false;
};

int RunExtract(const ExtractFlags& flags, const GlobalOptions& globals) {
  StatusOr<std::unique_ptr<PagePipeline>> created = PagePipeline::Create(globals);
  if (!created.ok()) return ReportFatal(created.status());
  PagePipeline& pipeline = **created;

  // Only pages not yet processed by this exact rule set, unless --all.
  StatusOr<std::vector<store::StoredPage>> pages =
      pipeline.db().PagesToExtract(pipeline.rules().fingerprint, flags.all);
  if (!pages.ok()) return ReportFatal(pages.status());

  for (size_t i = 0; i < pages->size(); ++i) {
    const store::StoredPage& stored = (*pages)[i];
    Status done = pipeline.Reextract(stored);
    if (!done.ok()) return ReportFatal(done.WithContext(stored.page.url));
    if ((i + 1) % 100 == 0) {
      LogInfo("extract: " + std::to_string(i + 1) + "/" + std::to_string(pages->size()) + " pages");
    }
  }

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
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunExtract(*flags, globals); };
  });
}

}  // namespace newsclaim::app
