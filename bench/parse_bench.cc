// bench/parse_bench.cc
// Throughput of the figure reader (MentionParser::Parse) on Japanese and
// English news text from corpus/ (tags stripped), in bytes per second on
// one core, and of whole-article claim extraction (MeCab included).
// Run: build/bench/parse_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

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
