// crawler/frontier_store.h
// Where a crawl keeps its frontier between runs. The crawler works from
// memory and reports every change here; an implementation that persists
// them (app/ backs it with the SQLite store) lets a run killed at any moment
// resume: URLs queued but not finished are fetched by the next run, and URLs
// finished are not fetched again until the run that queued them completes.
//
// The crawler calls these from the thread that runs Crawler::Run, one call
// at a time. A failing call stops the run (the crawl cannot promise to
// resume without it); the error is returned from Crawler::Run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace newsclaim::crawler {

struct FrontierItem {
  std::string url;     // canonical
  int depth = 0;       // seeds are 0
  std::string source;  // the seed (or config source name) it was reached from
};

class FrontierStore {
 public:
  virtual ~FrontierStore() = default;

  // The unfinished run's state, if any: `queued` URLs still to fetch and
  // `done` URLs already finished by it. Both empty when the last run
  // completed (or none ran).
  struct Resume {
    std::vector<FrontierItem> queued;
    std::vector<std::string> done;
  };
  virtual StatusOr<Resume> Load() = 0;

  // URLs the crawler has just queued. Implementations should write a batch
  // in one transaction.
  virtual Status Enqueue(const std::vector<FrontierItem>& items) = 0;

  // `url` is finished: its page was handed to the handler (OnPage,
  // OnUnchanged or OnFailure returned), or it was dropped (robots, filters).
  // `outcome` is a short word: "page", "unchanged", "failed", "skipped".
  virtual Status MarkDone(std::string_view url, std::string_view outcome) = 0;

  // The run completed (the frontier ran dry or max_pages was reached): the
  // next run starts afresh from its seeds.
  virtual Status Complete() = 0;
};

}  // namespace newsclaim::crawler
