// bench/stage_bench.cc
// Each stage of the pipeline alone, on the same generated 50 KB news pages
// (bench/generated_corpus.h), one core: gumbo's parse, our article reader,
// ICU NFKC, the sentence splitter, MeCab, the figure reader, whole claim
// extraction, and the store (our Database, and bare SQLite batched inserts
// as the bound). Also the bound the issue measures against: gumbo's parse
// plus MeCab over the article text of the same pages. Pages/s is the
// "pages/s" counter; MB/s is of each stage's own input (HTML for the
// parsers, article text for the text stages).
// Run: build/bench/stage_bench [--benchmark_filter=...] [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <gumbo.h>
#include <mecab.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/generated_corpus.h"
#include "extract/claim_extractor.h"
#include "extract/html_article.h"
#include "extract/mention_parser.h"
#include "extract/rule_set.h"
#include "extract/sentences.h"
#include "extract/tokenizer.h"
#include "store/database.h"

namespace newsclaim::extract {
namespace {

const std::filesystem::path kSource = NEWSCLAIM_SOURCE_DIR;
constexpr int kPages = 200;  // ~10 MB of HTML: every article about 7 times

struct BenchPage {
  std::string url;
  std::string html;
  Article article;
  std::vector<Sentence> sentences;
};

const RuleSet& Rules() {
  static const RuleSet* rules = [] {
    StatusOr<RuleSet> loaded = LoadRuleSet(kSource / "rules");
    if (!loaded.ok()) {
      std::cerr << loaded.status().ToString() << '\n';
      std::exit(2);
    }
    return new RuleSet(std::move(loaded).value());
  }();
  return *rules;
}

// The pages with what each stage takes as input, computed once.
const std::vector<BenchPage>& Pages() {
  static const std::vector<BenchPage>* pages = [] {
    auto* result = new std::vector<BenchPage>();
    const auto sources = bench::LoadSourceArticles(kSource);
    StatusOr<SentenceSplitter> splitter = SentenceSplitter::Create();
    for (int i = 0; i < kPages; ++i) {
      BenchPage page;
      page.url = "file:///bench/page-" + std::to_string(i) + ".html";
      page.html = bench::GeneratePage(sources, i);
      page.article = ExtractArticle(page.html, page.url);
      page.sentences = splitter->Split(page.article.text);
      result->push_back(std::move(page));
    }
    return result;
  }();
  return *pages;
}

int64_t HtmlBytes() {
  int64_t bytes = 0;
  for (const BenchPage& page : Pages()) bytes += static_cast<int64_t>(page.html.size());
  return bytes;
}

int64_t TextBytes() {
  int64_t bytes = 0;
  for (const BenchPage& page : Pages()) bytes += static_cast<int64_t>(page.article.text.size());
  return bytes;
}

void Report(benchmark::State& state, int64_t bytes_per_round) {
  state.SetBytesProcessed(state.iterations() * bytes_per_round);
  state.counters["pages/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kPages), benchmark::Counter::kIsRate);
}

void BM_GumboParse(benchmark::State& state) {
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, page.html.data(),
                                                     page.html.size());
      benchmark::DoNotOptimize(output);
      gumbo_destroy_output(&kGumboDefaultOptions, output);
    }
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_GumboParse)->Unit(benchmark::kMillisecond);

void BM_ExtractArticle(benchmark::State& state) {
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      benchmark::DoNotOptimize(ExtractArticle(page.html, page.url));
    }
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_ExtractArticle)->Unit(benchmark::kMillisecond);

void BM_IcuNfkc(benchmark::State& state) {
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      benchmark::DoNotOptimize(NormalizeNfkc(page.article.text));
    }
  }
  Report(state, TextBytes());
}
BENCHMARK(BM_IcuNfkc)->Unit(benchmark::kMillisecond);

void BM_SentenceSplit(benchmark::State& state) {
  StatusOr<SentenceSplitter> splitter = SentenceSplitter::Create();
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      benchmark::DoNotOptimize(splitter->Split(page.article.text));
    }
  }
  Report(state, TextBytes());
}
BENCHMARK(BM_SentenceSplit)->Unit(benchmark::kMillisecond);

// MeCab over every sentence of the article text, through our Tokenizer
// (tokens with their fields), although the extractor only gives it the
// sentences that hold a figure.
void BM_MecabTokenizeAllSentences(benchmark::State& state) {
  StatusOr<Tokenizer> tokenizer = Tokenizer::Create();
  if (!tokenizer.ok()) {
    state.SkipWithError(tokenizer.status().ToString().c_str());
    return;
  }
  int64_t bytes = 0;
  for (const BenchPage& page : Pages()) {
    for (const Sentence& s : page.sentences) bytes += static_cast<int64_t>(s.normalized.size());
  }
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      for (const Sentence& sentence : page.sentences) {
        benchmark::DoNotOptimize(tokenizer->Tokenize(sentence.normalized));
      }
    }
  }
  Report(state, bytes);
}
BENCHMARK(BM_MecabTokenizeAllSentences)->Unit(benchmark::kMillisecond);

// MeCab alone: the bare tagger over each page's article text, walking the
// nodes. Half of the bound.
void BM_MecabBare(benchmark::State& state) {
  std::unique_ptr<MeCab::Tagger> tagger(MeCab::createTagger(""));
  if (tagger == nullptr) {
    state.SkipWithError("MeCab cannot be opened");
    return;
  }
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      int nodes = 0;
      for (const MeCab::Node* node =
               tagger->parseToNode(page.article.text.data(), page.article.text.size());
           node != nullptr; node = node->next) {
        ++nodes;
      }
      benchmark::DoNotOptimize(nodes);
    }
  }
  Report(state, TextBytes());
}
BENCHMARK(BM_MecabBare)->Unit(benchmark::kMillisecond);

// The bound: gumbo's parse of the page plus MeCab over its text.
void BM_BoundGumboPlusMecab(benchmark::State& state) {
  std::unique_ptr<MeCab::Tagger> tagger(MeCab::createTagger(""));
  if (tagger == nullptr) {
    state.SkipWithError("MeCab cannot be opened");
    return;
  }
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, page.html.data(),
                                                     page.html.size());
      benchmark::DoNotOptimize(output);
      gumbo_destroy_output(&kGumboDefaultOptions, output);
      int nodes = 0;
      for (const MeCab::Node* node =
               tagger->parseToNode(page.article.text.data(), page.article.text.size());
           node != nullptr; node = node->next) {
        ++nodes;
      }
      benchmark::DoNotOptimize(nodes);
    }
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_BoundGumboPlusMecab)->Unit(benchmark::kMillisecond);

// The figure reader over every sentence, as the extractor calls it.
void BM_MentionParser(benchmark::State& state) {
  StatusOr<MentionParser> parser = MentionParser::Create(Rules().numbers);
  int64_t bytes = 0;
  for (const BenchPage& page : Pages()) {
    for (const Sentence& s : page.sentences) bytes += static_cast<int64_t>(s.normalized.size());
  }
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      ParseOptions options;
      options.lang = page.article.lang == "ja" ? Lang::kJa : Lang::kEn;
      options.ref = page.article.published;
      options.skip_furniture = true;
      for (const Sentence& sentence : page.sentences) {
        benchmark::DoNotOptimize(parser->ParseDetailed(sentence.normalized, options));
      }
    }
  }
  Report(state, bytes);
}
BENCHMARK(BM_MentionParser)->Unit(benchmark::kMillisecond);

// The whole claim step on a read article: sentences, NFKC, figures, MeCab
// on the sentences with a figure, entities and claim assembly.
void BM_ClaimExtraction(benchmark::State& state) {
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(Rules());
  if (!extractor.ok()) {
    state.SkipWithError(extractor.status().ToString().c_str());
    return;
  }
  int64_t claims = 0;
  for (auto _ : state) {
    claims = 0;
    for (const BenchPage& page : Pages()) {
      claims += static_cast<int64_t>(extractor->Extract(page.article, page.url).size());
    }
  }
  Report(state, TextBytes());
  state.counters["claims"] = static_cast<double>(claims);
  const ExtractTimings& t = extractor->timings();
  const double total = static_cast<double>(t.sentences_ns + t.figures_ns + t.tokenize_ns);
  if (total > 0) {
    state.counters["tokenized_share"] =
        static_cast<double>(t.tokenized) / static_cast<double>(std::max<int64_t>(1, t.sentences));
  }
}
BENCHMARK(BM_ClaimExtraction)->Unit(benchmark::kMillisecond);

// ExtractArticle plus claims: what one worker does per page.
void BM_WholeExtraction(benchmark::State& state) {
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(Rules());
  if (!extractor.ok()) {
    state.SkipWithError(extractor.status().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    for (const BenchPage& page : Pages()) {
      Article article = ExtractArticle(page.html, page.url);
      benchmark::DoNotOptimize(extractor->Extract(article, page.url));
    }
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_WholeExtraction)->Unit(benchmark::kMillisecond);

// A fresh temporary folder, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    char name[] = "/tmp/stage_bench.XXXXXX";
    path_ = mkdtemp(name);
  }
  ~ScratchDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The store as the pipeline uses it: UpsertPage and ReplaceClaims per page
// (each its own transaction), into a new database each round.
void BM_StoreDatabase(benchmark::State& state) {
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(Rules());
  std::vector<std::vector<Claim>> claims;
  for (const BenchPage& page : Pages()) claims.push_back(extractor->Extract(page.article, page.url));
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ScratchDir dir;
    StatusOr<store::Database> db = store::Database::Open(dir.path() / "bench.db");
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
      return;
    }
    ++round;
    state.ResumeTiming();
    for (size_t i = 0; i < Pages().size(); ++i) {
      Page page;
      page.url = Pages()[i].url + "?round=" + std::to_string(round);
      page.html = Pages()[i].html;
      page.content_hash = std::to_string(i);
      StatusOr<int64_t> id = db->UpsertPage(page, Pages()[i].article);
      if (!id.ok() || !db->ReplaceClaims(*id, claims[i], "bench").ok()) {
        state.SkipWithError("store failed");
        return;
      }
    }
    state.PauseTiming();
    db = StatusOr<store::Database>(InternalError("closed"));
    state.ResumeTiming();
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_StoreDatabase)->Unit(benchmark::kMillisecond);

// The store's bound: bare SQLite, WAL, synchronous=NORMAL, prepared
// statements, one transaction per batch of `state.range(0)` pages; a page
// row (HTML and text) and a claim row per claim.
void BM_SqliteBatchedInserts(benchmark::State& state) {
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(Rules());
  std::vector<std::vector<Claim>> claims;
  for (const BenchPage& page : Pages()) claims.push_back(extractor->Extract(page.article, page.url));
  const int batch = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    ScratchDir dir;
    sqlite3* db = nullptr;
    sqlite3_open((dir.path() / "bare.db").c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                 "CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT UNIQUE, html TEXT,"
                 " text TEXT);"
                 "CREATE TABLE claims (id INTEGER PRIMARY KEY, page_id INTEGER, claim_id TEXT,"
                 " kind TEXT, subject TEXT, value REAL, unit TEXT, text TEXT, quote TEXT);",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* page_insert = nullptr;
    sqlite3_stmt* claim_insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO pages (url, html, text) VALUES (?1, ?2, ?3)", -1,
                       &page_insert, nullptr);
    sqlite3_prepare_v2(db,
                       "INSERT INTO claims (page_id, claim_id, kind, subject, value, unit, text,"
                       " quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       -1, &claim_insert, nullptr);
    state.ResumeTiming();
    for (size_t i = 0; i < Pages().size(); ++i) {
      if (i % batch == 0) sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      const BenchPage& page = Pages()[i];
      sqlite3_bind_text(page_insert, 1, page.url.data(), static_cast<int>(page.url.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(page_insert, 2, page.html.data(), static_cast<int>(page.html.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(page_insert, 3, page.article.text.data(),
                        static_cast<int>(page.article.text.size()), SQLITE_STATIC);
      sqlite3_step(page_insert);
      sqlite3_reset(page_insert);
      const int64_t page_id = sqlite3_last_insert_rowid(db);
      for (const Claim& claim : claims[i]) {
        sqlite3_bind_int64(claim_insert, 1, page_id);
        sqlite3_bind_text(claim_insert, 2, claim.id.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(claim_insert, 3, claim.rule.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(claim_insert, 4, claim.subject.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_double(claim_insert, 5, claim.interval.low.value_or(0));
        sqlite3_bind_text(claim_insert, 6, claim.unit.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(claim_insert, 7, claim.text.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(claim_insert, 8, claim.quote.c_str(), -1, SQLITE_STATIC);
        sqlite3_step(claim_insert);
        sqlite3_reset(claim_insert);
      }
      if ((i + 1) % batch == 0 || i + 1 == Pages().size()) {
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      }
    }
    state.PauseTiming();
    sqlite3_finalize(page_insert);
    sqlite3_finalize(claim_insert);
    sqlite3_close(db);
    state.ResumeTiming();
  }
  Report(state, HtmlBytes());
}
BENCHMARK(BM_SqliteBatchedInserts)->Arg(1)->Arg(256)->Unit(benchmark::kMillisecond);

}  // namespace

// The pages (and their articles and sentences) are made before any
// benchmark runs, so that no benchmark times their making.
void PreparePages() { Pages(); }

}  // namespace newsclaim::extract

namespace {

// The console report, then each stage's pages/s as a share of the bound
// (BM_BoundGumboPlusMecab) measured in the same run, with the load average:
// on a shared machine the ratios hold better than the absolute figures.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      auto rate = run.counters.find("pages/s");
      if (rate != run.counters.end()) rates_.emplace_back(run.benchmark_name(), rate->second.value);
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    double bound = 0;
    for (const auto& [name, rate] : rates_) {
      if (name.rfind("BM_BoundGumboPlusMecab", 0) == 0) bound = rate;
    }
    std::ifstream loadavg("/proc/loadavg");
    std::string one, five, fifteen;
    loadavg >> one >> five >> fifteen;
    std::printf("\nload average after the run: %s %s %s\n", one.c_str(), five.c_str(),
                fifteen.c_str());
    if (bound <= 0) return;
    std::printf("%-40s %10s %10s\n", "stage", "pages/s", "x bound");
    for (const auto& [name, rate] : rates_) {
      std::printf("%-40s %10.0f %9.2fx\n", name.c_str(), rate, rate / bound);
    }
  }

 private:
  std::vector<std::pair<std::string, double>> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  newsclaim::extract::PreparePages();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
