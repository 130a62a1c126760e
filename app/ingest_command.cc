// app/ingest_command.cc
// `newsclaim ingest PATH...`: local HTML, plain text, Markdown and WARC
// files (or folders of them) become pages, then claims, exactly as crawled
// pages do.
//
// The run is a pipeline (issue 8):
//   1. this thread lists the inputs, reads each file and checks whether it
//      changed since the last run;
//   2. `--threads` workers decode and extract pages (each worker has its own
//      MeCab tagger and matchers; the rules are shared read-only);
//   3. this thread, the single writer, stores the results in input order,
//      a few hundred pages per transaction, so the database is the same
//      whatever the thread count.
// At most kWindowPerThread pages per thread are in flight, so memory stays
// flat however many files there are.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/ordered_pool.h"
#include "app/page_pipeline.h"
#include "base/hash.h"
#include "crawler/charset.h"
#include "crawler/warc_reader.h"
#include "extract/markdown.h"

namespace newsclaim::app {
namespace {

// Pages in flight per worker: enough that a slow page does not idle the
// other workers, few enough that memory does not grow (a 50 KB page with
// its article and claims is about 200 KB in flight).
constexpr size_t kWindowPerThread = 32;

// Results stored per transaction. A killed run loses at most this many
// pages' work; the next run ingests them again (they are not stored).
constexpr size_t kBatchPages = 256;

struct IngestFlags {
  std::vector<std::string> paths;
  int threads = 0;  // 0: DefaultThreadCount()
  std::string stats_json;
};

enum class FileKind { kHtml, kMarkdown, kText, kWarc, kOther };

FileKind KindOf(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends_with = [&name](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends_with(".html") || ends_with(".htm") || ends_with(".xhtml")) return FileKind::kHtml;
  if (extract::IsMarkdownName(name)) return FileKind::kMarkdown;
  if (ends_with(".txt") || ends_with(".text")) return FileKind::kText;
  if (ends_with(".warc") || ends_with(".warc.gz") || ends_with(".arc.gz")) return FileKind::kWarc;
  return FileKind::kOther;
}

// Every file under `paths`, folders walked in name order so runs repeat.
std::vector<std::filesystem::path> ListInputs(const std::vector<std::string>& paths,
                                              PagePipeline& pipeline) {
  std::vector<std::filesystem::path> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      for (auto it = std::filesystem::recursive_directory_iterator(path, error);
           !error && it != std::filesystem::recursive_directory_iterator();
           it.increment(error)) {
        if (it->is_regular_file(error) && KindOf(it->path()) != FileKind::kOther) {
          found.push_back(it->path());
        }
      }
      if (error) {
        (void)pipeline.RecordFailure(path, "ingest", "cannot list: " + error.message());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, error)) {
      files.emplace_back(path);
    } else {
      (void)pipeline.RecordFailure(path, "ingest", "no such file or directory");
    }
  }
  return files;
}

// One input on its way through the workers. Inputs that need no work (an
// unchanged file, a read failure) pass through too, so that the writer
// records everything in input order.
struct IngestJob {
  enum class Action { kExtract, kDecodeAndExtract, kUnchanged, kFailure };
  Action action = Action::kFailure;
  FileKind kind = FileKind::kHtml;
  Page page;          // url, hashes, dates; html once decoded
  std::string bytes;  // the raw file, for kDecodeAndExtract
  std::string stage;  // for kFailure
  std::string reason;
};

// What the writer stores for one job.
struct IngestResult {
  IngestJob::Action action = IngestJob::Action::kFailure;
  ExtractedPage extracted;
  std::string url;
  std::string stage;
  std::string reason;
};

// Runs on a worker: decodes the file and extracts the page.
IngestResult RunJob(ExtractionWorker& worker, IngestJob job) {
  IngestResult result;
  result.action = job.action;
  result.url = job.page.url;
  if (job.action == IngestJob::Action::kDecodeAndExtract) {
    const int64_t start = SteadyNowNs();
    StatusOr<crawler::DecodedDocument> decoded = crawler::DecodeDocument(
        job.bytes, job.kind == FileKind::kHtml ? "text/html" : "text/plain");
    if (!decoded.ok()) {
      result.action = IngestJob::Action::kFailure;
      result.stage = "decode";
      result.reason = decoded.status().message();
      return result;
    }
    job.bytes.clear();
    job.bytes.shrink_to_fit();
    Page& page = job.page;
    page.charset = decoded->charset;
    if (job.kind == FileKind::kHtml) {
      page.content_type = "text/html";
      page.html = std::move(decoded->utf8);
    } else if (job.kind == FileKind::kMarkdown) {
      // Stored as the HTML the article reader sees, so `extract --all`
      // reads it again without the file.
      page.content_type = "text/markdown";
      page.html = extract::MarkdownToHtml(decoded->utf8);
    } else {
      page.content_type = "text/plain";
      page.html = extract::PlainTextToHtml(decoded->utf8);
    }
    worker.times.decode_ns += SteadyNowNs() - start;
    result.action = IngestJob::Action::kExtract;
  }
  if (result.action == IngestJob::Action::kExtract) {
    result.extracted = worker.Extract(std::move(job.page));
  } else if (result.action == IngestJob::Action::kFailure) {
    result.stage = std::move(job.stage);
    result.reason = std::move(job.reason);
  }
  return result;
}

using IngestPool = OrderedPool<ExtractionWorker, IngestJob, IngestResult>;

// Reads the inputs and feeds the pool; the writer side is Store().
class Ingester {
 public:
  Ingester(PagePipeline& pipeline, IngestPool* pool) : pipeline_(pipeline), pool_(pool) {}
  void set_pool(IngestPool* pool) { pool_ = pool; }

  // Submits one file (a WARC file: each of its pages). Returns an error
  // only when the store fails.
  Status SubmitFile(const std::filesystem::path& path);

  // The writer: takes one result, in input order, and stores the results
  // kBatchPages at a time in one transaction. Runs on the submitting thread.
  Status Store(IngestResult result);
  // Stores the results still waiting for their batch.
  Status Flush();

  int64_t input_bytes() const { return input_bytes_; }
  int64_t pages_submitted() const { return pages_submitted_; }

 private:
  Status SubmitWarc(const std::filesystem::path& path, const std::string& file_url);
  // Whether the store will hold `url` with `content_hash` by the time this
  // page's turn to be stored comes: the same check a one-thread run makes
  // against the database, counting pages still in flight.
  StatusOr<bool> Unchanged(const std::string& url, const std::string& content_hash);
  Status Submit(IngestJob job);
  Status StoreOne(IngestResult& result);

  PagePipeline& pipeline_;
  std::vector<IngestResult> batch_;
  IngestPool* pool_;
  // URLs submitted and not yet stored -> (content hash, how many in flight).
  std::unordered_map<std::string, std::pair<std::string, int>> in_flight_;
  int64_t input_bytes_ = 0;
  int64_t pages_submitted_ = 0;
};

StatusOr<bool> Ingester::Unchanged(const std::string& url, const std::string& content_hash) {
  auto found = in_flight_.find(url);
  if (found != in_flight_.end()) return found->second.first == content_hash;
  const int64_t start = SteadyNowNs();
  StatusOr<std::optional<store::Validators>> previous = pipeline_.db().FindValidators(url);
  pipeline_.times().store_ns += SteadyNowNs() - start;
  RETURN_IF_ERROR(previous.status());
  return previous->has_value() && (*previous)->content_hash == content_hash;
}

Status Ingester::Submit(IngestJob job) {
  const bool stores_page = job.action == IngestJob::Action::kExtract ||
                           job.action == IngestJob::Action::kDecodeAndExtract;
  if (stores_page) {
    auto [it, inserted] = in_flight_.try_emplace(job.page.url, job.page.content_hash, 0);
    it->second.first = job.page.content_hash;
    ++it->second.second;
    ++pages_submitted_;
  }
  return pool_->Submit(std::move(job));
}

Status Ingester::SubmitFile(const std::filesystem::path& path) {
  const std::string url = "file://" + std::filesystem::absolute(path).lexically_normal().string();
  const FileKind kind = KindOf(path);
  if (kind == FileKind::kWarc) return SubmitWarc(path, url);

  IngestJob job;
  job.kind = kind;
  job.page.url = url;
  const int64_t start = SteadyNowNs();
  StatusOr<std::string> bytes = ReadFileBytes(path);
  pipeline_.times().read_ns += SteadyNowNs() - start;
  if (!bytes.ok()) {
    job.stage = "ingest";
    job.reason = bytes.status().message();
    return Submit(std::move(job));
  }
  input_bytes_ += static_cast<int64_t>(bytes->size());
  job.page.requested_url = url;
  job.page.fetched_at = UtcNow();
  job.page.content_hash = HexHash64(*bytes);
  ASSIGN_OR_RETURN(bool unchanged, Unchanged(url, job.page.content_hash));
  if (unchanged) {
    job.action = IngestJob::Action::kUnchanged;
  } else {
    job.action = IngestJob::Action::kDecodeAndExtract;
    job.bytes = std::move(bytes).value();
  }
  return Submit(std::move(job));
}

Status Ingester::SubmitWarc(const std::filesystem::path& path, const std::string& file_url) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (!error) input_bytes_ += static_cast<int64_t>(size);
  // ReadWarcPages returns on_page's error as its own: keep the store's
  // errors apart from the reader's.
  Status store_failed;
  Status read = crawler::ReadWarcPages(
      path,
      [&](Page page) -> Status {
        IngestJob job;
        job.page = std::move(page);
        StatusOr<bool> unchanged = Unchanged(job.page.url, job.page.content_hash);
        if (!unchanged.ok()) {
          store_failed = unchanged.status();
          return store_failed;
        }
        job.action = *unchanged ? IngestJob::Action::kUnchanged : IngestJob::Action::kExtract;
        store_failed = Submit(std::move(job));
        return store_failed;
      },
      [&](const std::string& where, const std::string& reason) {
        if (!store_failed.ok()) return;
        IngestJob job;
        job.page.url = where;
        job.stage = "ingest";
        job.reason = reason;
        store_failed = Submit(std::move(job));
      });
  RETURN_IF_ERROR(store_failed);
  if (read.ok()) return Status::Ok();
  // The file could not be opened or read at all.
  IngestJob job;
  job.page.url = file_url;
  job.stage = "ingest";
  job.reason = read.message();
  return Submit(std::move(job));
}

Status Ingester::Store(IngestResult result) {
  batch_.push_back(std::move(result));
  if (batch_.size() < kBatchPages) return Status::Ok();
  return Flush();
}

Status Ingester::Flush() {
  if (batch_.empty()) return Status::Ok();
  // One transaction per batch: SQLite then writes each page of its B-trees
  // (indexes, the events table) once per batch rather than once per page.
  // The calls inside nest, so each page is stored exactly as on its own.
  Status stored = pipeline_.db().InTransaction([this]() -> Status {
    for (IngestResult& result : batch_) RETURN_IF_ERROR(StoreOne(result));
    return Status::Ok();
  });
  batch_.clear();
  return stored;
}

Status Ingester::StoreOne(IngestResult& result) {
  switch (result.action) {
    case IngestJob::Action::kExtract:
    case IngestJob::Action::kDecodeAndExtract: {
      const std::string& url = result.extracted.page.url;
      auto found = in_flight_.find(url);
      if (found != in_flight_.end() && --found->second.second == 0) in_flight_.erase(found);
      return pipeline_.Store(result.extracted);
    }
    case IngestJob::Action::kUnchanged: {
      ++pipeline_.tally().unchanged;
      const int64_t start = SteadyNowNs();
      Status touched = pipeline_.db().TouchPage(result.url);
      pipeline_.times().store_ns += SteadyNowNs() - start;
      return touched;
    }
    case IngestJob::Action::kFailure:
      return pipeline_.RecordFailure(result.url, result.stage, result.reason);
  }
  return Status::Ok();
}

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

// --stats-json: what the run did and where its time went.
nlohmann::json StatsJson(size_t files, int threads, int64_t input_bytes, int64_t wall_ns,
                         int64_t extract_wall_ns, const PipelineTally& tally,
                         const store::ReconcileStats& reconciled, const StageTimes& times) {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const double extract_seconds = Seconds(extract_wall_ns);
  nlohmann::json stats = {
      {"files", files},
      {"threads", threads},
      {"pages", tally.pages},
      {"claims", tally.claims},
      {"unchanged", tally.unchanged},
      {"failures", tally.failures},
      {"conflicts", reconciled.conflicts},
      {"input_bytes", input_bytes},
      {"wall_seconds", Seconds(wall_ns)},
      {"extract_wall_seconds", extract_seconds},
      {"pages_per_second", extract_seconds > 0 ? tally.pages / extract_seconds : 0.0},
      {"mb_per_second",
       extract_seconds > 0 ? static_cast<double>(input_bytes) / 1e6 / extract_seconds : 0.0},
      {"peak_rss_kb", usage.ru_maxrss},
      {"sentences", times.claims.sentences},
      {"sentences_tokenized", times.claims.tokenized},
  };
  const int64_t assembly_ns = times.claims_ns - times.claims.sentences_ns -
                              times.claims.figures_ns - times.claims.tokenize_ns;
  stats["stage_seconds"] = {
      {"read", Seconds(times.read_ns)},
      {"decode", Seconds(times.decode_ns)},
      {"article", Seconds(times.article_ns)},
      {"claims", Seconds(times.claims_ns)},
      {"claims_sentences", Seconds(times.claims.sentences_ns)},
      {"claims_figures", Seconds(times.claims.figures_ns)},
      {"claims_mecab", Seconds(times.claims.tokenize_ns)},
      {"claims_assembly", Seconds(assembly_ns)},
      {"store", Seconds(times.store_ns)},
      {"reconcile", Seconds(times.reconcile_ns)},
  };
  stats["reconcile_seconds"] = {
      {"near_duplicates", reconciled.near_duplicate_seconds},
      {"load", reconciled.load_seconds},
      {"compare", reconciled.compare_seconds},
      {"write", reconciled.write_seconds},
  };
  return stats;
}

Status WriteStatsJson(const std::string& path, const nlohmann::json& stats) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << stats.dump(2) << "\n";
  out.close();
  if (!out) return IoError("cannot write " + path);
  return Status::Ok();
}

int RunIngest(const IngestFlags& flags, const GlobalOptions& globals) {
  const int64_t run_start = SteadyNowNs();
  if (flags.threads < 0) {
    return ReportFatal(InvalidArgumentError("--threads must be 0 (all cores) or more"));
  }
  const int threads = flags.threads > 0 ? flags.threads : DefaultThreadCount();
  StatusOr<std::unique_ptr<PagePipeline>> created = PagePipeline::Create(globals);
  if (!created.ok()) return ReportFatal(created.status());
  PagePipeline& pipeline = **created;

  // One extractor per worker. With one thread, a worker of its own runs
  // inline (the pipeline's own extractor stays for the crawl path).
  std::vector<ExtractionWorker> workers;
  for (int i = 0; i < threads; ++i) {
    StatusOr<ExtractionWorker> worker = pipeline.NewWorker();
    if (!worker.ok()) return ReportFatal(worker.status());
    workers.push_back(std::move(worker).value());
  }

  Ingester ingester(pipeline, nullptr);
  auto pool = std::make_unique<IngestPool>(
      std::move(workers), RunJob,
      [&ingester](IngestResult result) { return ingester.Store(std::move(result)); },
      kWindowPerThread * static_cast<size_t>(threads));
  ingester.set_pool(pool.get());

  size_t file_count = 0;
  {
    const std::vector<std::filesystem::path> files = ListInputs(flags.paths, pipeline);
    file_count = files.size();
    for (size_t i = 0; i < files.size(); ++i) {
      Status submitted = ingester.SubmitFile(files[i]);
      if (!submitted.ok()) return ReportFatal(submitted.WithContext(files[i].string()));
      if ((i + 1) % 1000 == 0) {
        LogInfo("ingest: " + std::to_string(i + 1) + "/" + std::to_string(files.size()) +
                " files");
      }
    }
  }
  Status finished = pool->Finish();
  if (finished.ok()) finished = ingester.Flush();
  if (!finished.ok()) return ReportFatal(finished);
  const int64_t extract_wall_ns = SteadyNowNs() - run_start;
  // The workers (a MeCab tagger, matchers and buffers each) are done: free
  // them before reconciliation, which needs the memory.
  StageTimes worker_times;
  for (ExtractionWorker& worker : pool->states()) worker_times.Add(worker.Times());
  ingester.set_pool(nullptr);
  pool.reset();
  malloc_trim(0);  // glibc: give the freed pages back to the system

  StatusOr<store::ReconcileStats> reconciled = pipeline.Reconcile();
  if (!reconciled.ok()) return ReportFatal(reconciled.status());
  const PipelineTally& tally = pipeline.tally();
  LogInfo("ingest: " + std::to_string(file_count) + " files, " +
          std::to_string(tally.pages) + " pages stored (" + std::to_string(tally.claims) +
          " claims), " + std::to_string(tally.unchanged) + " unchanged, " +
          std::to_string(tally.failures) + " failed; " +
          std::to_string(reconciled->conflicts) + " conflicts");

  StageTimes times = pipeline.Times();
  times.Add(worker_times);
  const nlohmann::json stats =
      StatsJson(file_count, threads, ingester.input_bytes(), SteadyNowNs() - run_start,
                extract_wall_ns, tally, *reconciled, times);
  LogDebug("ingest: stage seconds " + stats["stage_seconds"].dump());
  if (!flags.stats_json.empty()) {
    Status written = WriteStatsJson(flags.stats_json, stats);
    if (!written.ok()) LogError("--stats-json: " + written.message());
  }
  return tally.failures > 0 ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* command = root.add_subcommand(
      "ingest",
      "Add local files or folders (HTML, plain text, Markdown, WARC) as pages "
      "and extract their claims. Unchanged files are skipped on a second run.");
  command->add_option("paths", flags->paths, "Files or folders")->required()->type_name("PATH");
  command->add_option("--threads", flags->threads,
                      "Extraction threads (default: one per core; 1 runs inline). "
                      "Results are the same for any count.")
      ->type_name("N");
  command->add_option("--stats-json", flags->stats_json,
                      "Write the run's counts and time per stage as JSON")
      ->type_name("FILE");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunIngest(*flags, globals); };
  });
}

}  // namespace newsclaim::app
