#include "app/page_pipeline.h"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "extract/html_article.h"

namespace newsclaim::app {

StatusOr<store::Database> OpenDatabase(const GlobalOptions& options) {
  StatusOr<store::Database> db = store::Database::Open(options.db_path);
  if (!db.ok()) {
    return InvalidArgumentError("cannot open database " + options.db_path +
                                ": " + db.status().message());
  }
  return db;
}

StatusOr<extract::RuleSet> LoadRules(const GlobalOptions& options) {
  StatusOr<extract::RuleSet> rules = extract::LoadRuleSet(options.rules_dir);
  if (!rules.ok()) {
    // Keep the loader's "file:line: message" first on the line.
    return Status(StatusCode::kInvalidArgument, rules.status().message());
  }
  LogDebug("rules " + options.rules_dir + " fingerprint " + rules->fingerprint);
  return rules;
}

void StageTimes::Add(const StageTimes& other) {
  read_ns += other.read_ns;
  decode_ns += other.decode_ns;
  article_ns += other.article_ns;
  claims_ns += other.claims_ns;
  claims.sentences_ns += other.claims.sentences_ns;
  claims.figures_ns += other.claims.figures_ns;
  claims.tokenize_ns += other.claims.tokenize_ns;
  claims.sentences += other.claims.sentences;
  claims.tokenized += other.claims.tokenized;
  store_ns += other.store_ns;
  reconcile_ns += other.reconcile_ns;
}

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int DefaultThreadCount() {
  // The CPUs this process may run on (taskset, cgroups' cpusets), which
  // hardware_concurrency() does not know about.
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return count;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

ExtractedPage ExtractionWorker::Extract(Page page) {
  ExtractedPage extracted;
  const int64_t start = SteadyNowNs();
  extracted.article = extract::ExtractArticle(page.html, page.url);
  const int64_t parsed = SteadyNowNs();
  extracted.claims = extractor.Extract(extracted.article, page.url, &extracted.warnings);
  times.article_ns += parsed - start;
  times.claims_ns += SteadyNowNs() - parsed;
  extracted.page = std::move(page);
  return extracted;
}

std::vector<Claim> ExtractionWorker::Reextract(const store::StoredPage& stored) {
  // The stored HTML, not the stored article: extraction code may have
  // changed as well as the rules.
  const int64_t start = SteadyNowNs();
  Article article = extract::ExtractArticle(stored.page.html, stored.page.url);
  const int64_t parsed = SteadyNowNs();
  std::vector<Claim> claims = extractor.Extract(article, stored.page.url);
  times.article_ns += parsed - start;
  times.claims_ns += SteadyNowNs() - parsed;
  return claims;
}

StageTimes ExtractionWorker::Times() const {
  StageTimes result = times;
  result.claims = extractor.timings();
  return result;
}

StatusOr<std::unique_ptr<PagePipeline>> PagePipeline::Create(
    const GlobalOptions& options) {
  // Rules first: a bad rule file stops the run before the database or any
  // page is touched.
  ASSIGN_OR_RETURN(extract::RuleSet rules, LoadRules(options));
  ASSIGN_OR_RETURN(store::FxTable fx, LoadFxTable(options));
  ASSIGN_OR_RETURN(extract::ClaimExtractor extractor,
                   extract::ClaimExtractor::Create(rules));
  ASSIGN_OR_RETURN(store::Database db, OpenDatabase(options));
  std::vector<store::EntityRecord> gazetteer;
  for (extract::GazetteerEntry& entry : extract::Gazetteer(rules.claims)) {
    gazetteer.push_back({std::move(entry.name), std::move(entry.type),
                         std::move(entry.part_of), std::move(entry.aliases)});
  }
  RETURN_IF_ERROR(db.SyncGazetteer(gazetteer));
  RETURN_IF_ERROR(db.SetFxRates(fx));
  return std::unique_ptr<PagePipeline>(new PagePipeline(
      std::move(rules), ExtractionWorker{std::move(extractor), {}}, std::move(db)));
}

PagePipeline::PagePipeline(extract::RuleSet rules, ExtractionWorker worker,
                           store::Database db)
    : rules_(std::move(rules)),
      worker_(std::move(worker)),
      db_(std::move(db)) {}

StatusOr<ExtractionWorker> PagePipeline::NewWorker() const {
  // The extractor holds the rule tables by shared pointer, read-only; each
  // worker compiles its own matchers and opens its own MeCab tagger.
  ASSIGN_OR_RETURN(extract::ClaimExtractor extractor,
                   extract::ClaimExtractor::Create(rules_));
  return ExtractionWorker{std::move(extractor), {}};
}

StatusOr<std::vector<std::string>> PagePipeline::Process(const Page& page) {
  ExtractedPage extracted = Extract(page);
  RETURN_IF_ERROR(Store(extracted));
  return std::move(extracted.article.links);
}

ExtractedPage PagePipeline::Extract(Page page) { return worker_.Extract(std::move(page)); }

Status PagePipeline::Store(const ExtractedPage& extracted) {
  const int64_t start = SteadyNowNs();
  // The page and its claims commit together: a run killed in between must
  // not leave a page that looks finished but has no claims.
  RETURN_IF_ERROR(db_.InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(int64_t page_id, db_.UpsertPage(extracted.page, extracted.article));
    for (const std::string& warning : extracted.warnings) {
      RETURN_IF_ERROR(db_.RecordFailure(extracted.page.url, "warning", warning));
    }
    return db_.ReplaceClaims(page_id, extracted.claims, rules_.fingerprint);
  }));
  for (const std::string& warning : extracted.warnings) {
    LogWarning(extracted.page.url + ": " + warning);
  }
  times_.store_ns += SteadyNowNs() - start;
  ++tally_.pages;
  tally_.claims += static_cast<int>(extracted.claims.size());
  LogDebug(extracted.page.url + ": " + std::to_string(extracted.claims.size()) + " claims");
  return Status::Ok();
}

Status PagePipeline::Reextract(const store::StoredPage& stored) {
  return StoreClaims(stored.id, worker_.Reextract(stored));
}

Status PagePipeline::StoreClaims(int64_t page_id, const std::vector<Claim>& claims) {
  const int64_t start = SteadyNowNs();
  RETURN_IF_ERROR(db_.ReplaceClaims(page_id, claims, rules_.fingerprint));
  times_.store_ns += SteadyNowNs() - start;
  ++tally_.pages;
  tally_.claims += static_cast<int>(claims.size());
  return Status::Ok();
}

StageTimes PagePipeline::Times() const {
  StageTimes result = times_;
  result.Add(worker_.Times());
  return result;
}

Status PagePipeline::RecordFailure(std::string_view url, std::string_view stage,
                                   std::string_view reason) {
  ++tally_.failures;
  LogWarning(std::string(url) + ": " + std::string(stage) + ": " +
             std::string(reason));
  return db_.RecordFailure(url, stage, reason);
}

StatusOr<store::ReconcileStats> PagePipeline::Reconcile() {
  const int64_t start = SteadyNowNs();
  store::PartOfLinks links;
  links.parent = extract::EntityParents(rules_.claims);
  StatusOr<store::ReconcileStats> stats = db_.Reconcile(links);
  times_.reconcile_ns += SteadyNowNs() - start;
  return stats;
}

}  // namespace newsclaim::app

namespace newsclaim::app {

CrawlRecorder::CrawlRecorder(PagePipeline& pipeline, store::FrontierTable* table,
                             store::FrontierResume resume, Observer observer)
    : pipeline_(pipeline),
      table_(table),
      resume_(std::move(resume)),
      observer_(std::move(observer)) {}

void CrawlRecorder::Keep(const Status& status) {
  if (!status.ok() && fatal_.ok()) fatal_ = status;
}

std::optional<crawler::PreviousFetch> CrawlRecorder::Previous(const std::string& url) {
  StatusOr<std::optional<store::Validators>> found = pipeline_.db().FindValidators(url);
  if (!found.ok() || !found->has_value()) return std::nullopt;
  const store::Validators& validators = **found;
  return crawler::PreviousFetch{validators.etag, validators.last_modified,
                                validators.content_hash};
}

std::vector<std::string> CrawlRecorder::OnPage(const Page& page) {
  if (!fatal_.ok()) return {};
  ExtractedPage extracted = pipeline_.Extract(page);
  std::vector<std::string> links = extracted.article.links;
  if (deferring_) {
    held_.push_back(std::move(extracted));
  } else {
    Status stored = pipeline_.Store(extracted);
    if (!stored.ok()) {
      fatal_ = stored.WithContext(page.url);
      return {};
    }
  }
  return links;
}

void CrawlRecorder::OnUnchanged(const std::string& url) {
  ++pipeline_.tally().unchanged;
  Keep(pipeline_.db().TouchPage(url));
}

void CrawlRecorder::OnFailure(const std::string& url, const std::string& reason) {
  if (observer_.before_log) observer_.before_log();
  Keep(pipeline_.RecordFailure(url, "fetch", reason));
}

void CrawlRecorder::OnWarning(const std::string& url, const std::string& warning) {
  if (observer_.before_log) observer_.before_log();
  LogWarning(url + ": " + warning);
  Keep(pipeline_.db().RecordFailure(url, "warning", warning));
}

void CrawlRecorder::OnProgress(const crawler::CrawlStats& stats, const std::string& url) {
  LogDebug("fetched " + url);
  if (observer_.progress) {
    observer_.progress(stats, table_ != nullptr ? table_->pending() : 0);
  }
}

StatusOr<crawler::FrontierStore::Resume> CrawlRecorder::Load() {
  deferring_ = true;
  Resume resume;
  for (const store::FrontierRow& row : resume_.queued) {
    resume.queued.push_back({row.url, row.depth, row.source});
  }
  resume.done = resume_.done;
  return resume;
}

Status CrawlRecorder::Enqueue(const std::vector<crawler::FrontierItem>& items) {
  if (table_ == nullptr) return Status::Ok();
  std::vector<store::FrontierRow> rows;
  rows.reserve(items.size());
  for (const crawler::FrontierItem& item : items) {
    rows.push_back({item.url, item.depth, item.source});
  }
  return table_->Enqueue(rows);
}

Status CrawlRecorder::StoreHeld(std::string_view url) {
  // Usually one page, the last one handed over; a redirect's page is held
  // under its target but marked done under the URL asked for.
  for (size_t i = 0; i < held_.size();) {
    const Page& page = held_[i].page;
    if (!url.empty() && page.requested_url != url && page.url != url) {
      ++i;
      continue;
    }
    ExtractedPage extracted = std::move(held_[i]);
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(i));
    Status stored = pipeline_.Store(extracted);
    if (!stored.ok()) return stored.WithContext(extracted.page.url);
  }
  return Status::Ok();
}

Status CrawlRecorder::MarkDone(std::string_view url, std::string_view outcome) {
  RETURN_IF_ERROR(fatal_);
  RETURN_IF_ERROR(StoreHeld(url));
  if (table_ == nullptr) return Status::Ok();
  return table_->MarkDone(url, outcome);
}

Status CrawlRecorder::Complete() {
  RETURN_IF_ERROR(fatal_);
  RETURN_IF_ERROR(StoreHeld(""));
  completed_ = true;
  if (table_ == nullptr) return Status::Ok();
  return table_->Complete();
}

Status CrawlRecorder::Flush() {
  RETURN_IF_ERROR(fatal_);
  return StoreHeld("");
}

}  // namespace newsclaim::app
