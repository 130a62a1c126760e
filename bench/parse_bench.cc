// bench/parse_bench.cc
// Throughput of the figure reader (MentionParser::Parse) on Japanese and
// English news text from corpus/ (tags stripped), in bytes per second on
// one core; of `newsclaim text`'s work (charset decoding, gumbo parse,
// article and metadata extraction) in pages per second, on our corpus and
// on the 181 real pages of ../shared/data/article-extraction-benchmark;
// and of whole-article claim extraction (MeCab included).
// Run: build/bench/parse_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "crawler/charset.h"
#include "extract/claim_extractor.h"
#include "extract/html_article.h"
#include "extract/mention_parser.h"
#include "extract/rule_set.h"

namespace newsclaim::extract {
namespace {

const std::filesystem::path kSource = NEWSCLAIM_SOURCE_DIR;

// The UTF-8 article pages of the corpus (the legacy-encoded ones are left
// out: decoding is the crawler's job, not measured here).
std::vector<std::pair<std::string, std::string>> CorpusPages() {
  std::vector<std::pair<std::string, std::string>> pages;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(kSource / "corpus/site/news")) {
    if (entry.path().extension() != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string html = bytes.str();
    if (html.find("charset=\"utf-8\"") == std::string::npos &&
        html.find("charset=utf-8") == std::string::npos) {
      continue;
    }
    pages.emplace_back(entry.path().string(), html);
  }
  return pages;
}

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

// Article texts of the corpus, concatenated per language.
std::string ArticleText(const std::string& lang) {
  std::string text;
  for (const auto& [path, html] : CorpusPages()) {
    Article article = ExtractArticle(html, "http://bench.local/");
    if (article.lang == lang) text += article.text + "\n\n";
  }
  return text;
}

void BM_ParseJapanese(benchmark::State& state) {
  StatusOr<MentionParser> parser = MentionParser::Create(Rules().numbers);
  const std::string text = ArticleText("ja");
  ParseOptions options;
  options.lang = Lang::kJa;
  options.ref = "2025-11-01";
  size_t mentions = 0;
  for (auto _ : state) {
    mentions = parser->Parse(text, options).size();
    benchmark::DoNotOptimize(mentions);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["mentions"] = static_cast<double>(mentions);
}
BENCHMARK(BM_ParseJapanese);

void BM_ParseEnglish(benchmark::State& state) {
  StatusOr<MentionParser> parser = MentionParser::Create(Rules().numbers);
  const std::string text = ArticleText("en");
  ParseOptions options;
  options.lang = Lang::kEn;
  options.ref = "2025-11-01";
  for (auto _ : state) benchmark::DoNotOptimize(parser->Parse(text, options));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseEnglish);

// Peak resident memory of the process so far, in MB.
double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Every article page of the corpus as bytes, legacy encodings included.
std::vector<std::string> CorpusBytes() {
  std::vector<std::string> pages;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(kSource / "corpus/site/news")) {
    if (entry.path().extension() != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    pages.push_back(bytes.str());
  }
  return pages;
}

// The benchmark's pages (gzip files), or none when ../shared/data is absent.
std::vector<std::string> BenchmarkBytes() {
  std::vector<std::string> pages;
  const auto dir = kSource / ".." / "shared" / "data" / "article-extraction-benchmark" / "html";
  if (!std::filesystem::is_directory(dir)) return pages;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    gzFile f = gzopen(entry.path().c_str(), "rb");
    if (f == nullptr) continue;
    std::string html;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof(buf))) > 0) html.append(buf, n);
    gzclose(f);
    pages.push_back(std::move(html));
  }
  return pages;
}

// What `newsclaim text` does to a page once it has its bytes.
void RunText(benchmark::State& state, const std::vector<std::string>& pages) {
  size_t bytes = 0, text_bytes = 0;
  for (const auto& page : pages) bytes += page.size();
  for (auto _ : state) {
    for (const std::string& raw : pages) {
      StatusOr<crawler::DecodedDocument> decoded = crawler::DecodeDocument(raw, "text/html");
      Article article = ExtractArticle(decoded->utf8, "http://bench.local/news/page.html");
      text_bytes += article.text.size();
      benchmark::DoNotOptimize(article);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["pages"] = static_cast<double>(pages.size());
  state.counters["peak_rss_mb"] = PeakRssMb();
}

void BM_TextCorpusPages(benchmark::State& state) { RunText(state, CorpusBytes()); }
BENCHMARK(BM_TextCorpusPages)->Unit(benchmark::kMillisecond);

void BM_TextBenchmarkPages(benchmark::State& state) {
  const std::vector<std::string> pages = BenchmarkBytes();
  if (pages.empty()) {
    state.SkipWithError("../shared/data/article-extraction-benchmark not found: not measured");
    return;
  }
  RunText(state, pages);
}
BENCHMARK(BM_TextBenchmarkPages)->Unit(benchmark::kMillisecond);

// Main text + claims per page: gumbo, ICU, MeCab and the rules together.
void BM_ExtractPages(benchmark::State& state) {
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(Rules());
  const auto pages = CorpusPages();
  size_t bytes = 0;
  for (const auto& page : pages) bytes += page.second.size();
  for (auto _ : state) {
    for (const auto& [path, html] : pages) {
      Article article = ExtractArticle(html, "http://bench.local/");
      benchmark::DoNotOptimize(extractor->Extract(article, path));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pages.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ExtractPages);

}  // namespace
}  // namespace newsclaim::extract

BENCHMARK_MAIN();
