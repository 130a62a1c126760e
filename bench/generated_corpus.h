// bench/generated_corpus.h
// A deterministic corpus of realistic news pages for throughput work
// (issue 8): each page is one of corpus/site/news's UTF-8 articles with its
// figures varied and wrapped in varied page furniture (inline CSS and
// scripts, navigation, ads, a ranking sidebar, comments, related links, a
// footer) up to about 50 KB. Used by bench/ingest_bench.cc,
// bench/stage_bench.cc and tests/ingest_parallel_test.cc. Header-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace newsclaim::bench {

// One article of corpus/site/news, as read from disk.
struct SourceArticle {
  std::string name;   // file name without folder, e.g. "korea-gpu-secured-250k.html"
  std::string html;
  bool ja = false;    // <html lang="ja">
  std::string title;  // the <title> text, for the related and ranking lists
};

// The UTF-8 articles under `source_dir`/corpus/site/news, in path order.
// (Legacy-encoded pages are left out: furniture in UTF-8 would make them
// mixed-encoding documents, which is not what a site serves.)
inline std::vector<SourceArticle> LoadSourceArticles(const std::filesystem::path& source_dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(source_dir / "corpus/site/news")) {
    if (entry.path().extension() == ".html") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<SourceArticle> articles;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    SourceArticle article;
    article.html = bytes.str();
    const std::string& html = article.html;
    if (html.find("charset=\"utf-8\"") == std::string::npos &&
        html.find("charset=utf-8") == std::string::npos) {
      continue;
    }
    if (html.find("<body") == std::string::npos || html.find("</body>") == std::string::npos ||
        html.find("</head>") == std::string::npos) {
      continue;
    }
    article.name = path.filename().string();
    article.ja = html.find("<html lang=\"ja\"") != std::string::npos;
    size_t t0 = html.find("<title>");
    size_t t1 = html.find("</title>");
    if (t0 != std::string::npos && t1 != std::string::npos && t1 > t0) {
      article.title = html.substr(t0 + 7, t1 - t0 - 7);
    }
    articles.push_back(std::move(article));
  }
  return articles;
}

namespace generated_internal {

// splitmix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + static_cast<int>(Next() % (hi - lo + 1)); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Next() % items.size()];
  }

 private:
  uint64_t state_;
};

inline const std::vector<std::string>& Sections(bool ja) {
  static const std::vector<std::string> kJa = {
      "トップ", "ニュース", "経済", "テクノロジー", "半導体", "クラウド", "データセンター",
      "政策", "国際", "マーケット", "スタートアップ", "AI", "エネルギー", "通信", "自動車",
      "ランキング", "特集", "連載", "動画", "ポッドキャスト", "イベント", "セミナー",
      "ホワイトペーパー", "求人", "お知らせ", "会員登録", "ログイン", "マイページ"};
  static const std::vector<std::string> kEn = {
      "Home", "News", "Business", "Technology", "Chips", "Cloud", "Data centers",
      "Policy", "World", "Markets", "Startups", "AI", "Energy", "Telecom", "Autos",
      "Most read", "Features", "Opinion", "Video", "Podcasts", "Events", "Webinars",
      "Whitepapers", "Jobs", "Newsletters", "Subscribe", "Sign in", "My account"};
  return ja ? kJa : kEn;
}

inline const std::vector<std::string>& Commenters() {
  static const std::vector<std::string> kNames = {
      "gpu_hunter", "dc_ops", "匿名", "seoul_dev", "hpc_fan", "chipwatcher", "postdoc_k",
      "infra_eng", "power_nerd", "名無しさん", "クラウド勢", "market_bear", "tsmc_watch"};
  return kNames;
}

// Varies the figures of the article body: the leading digit of every
// number of three digits or more in text (not in tags, not a 19xx/20xx
// year) moves by `shift`, so magnitudes and formats stay and the parser
// still reads every figure; model numbers (H100, MI450) are kept. shift 0
// keeps the article as written.
inline std::string VaryFigures(std::string_view body, int shift) {
  std::string out;
  out.reserve(body.size());
  bool in_tag = false;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '<') in_tag = true;
    if (c == '>') in_tag = false;
    // Model numbers (H100, MI450, GB200) are names, not figures.
    const char before = i > 0 ? body[i - 1] : ' ';
    const bool word_char = (before >= '0' && before <= '9') || before == ',' || before == '.' ||
                           (before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z') ||
                           before == '-' || before == '_';
    if (in_tag || c < '0' || c > '9' || word_char) {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t end = i;
    int digits = 0;
    while (end < body.size() &&
           ((body[end] >= '0' && body[end] <= '9') ||
            ((body[end] == ',' || body[end] == '.') && end + 1 < body.size() &&
             body[end + 1] >= '0' && body[end + 1] <= '9'))) {
      if (body[end] >= '0' && body[end] <= '9') ++digits;
      ++end;
    }
    std::string number(body.substr(i, end - i));
    const bool year = end - i == 4 && digits == 4 && (number.starts_with("19") ||
                                                       number.starts_with("20"));
    if (digits >= 3 && !year && shift != 0) {
      int d = number[0] - '0';
      number[0] = static_cast<char>('1' + (d - 1 + 9 + shift) % 9);
    }
    out += number;
    i = end;
  }
  return out;
}

inline void AddHeadFurniture(Rng& rng, std::string& out) {
  out += "<style>\n";
  const int rules = rng.Between(40, 90);
  for (int i = 0; i < rules; ++i) {
    out += ".c" + std::to_string(rng.Between(1, 999)) + "-" + std::to_string(i) +
           "{margin:" + std::to_string(rng.Between(0, 24)) + "px " +
           std::to_string(rng.Between(0, 24)) + "px;color:#" +
           std::to_string(rng.Between(100000, 999999)) + ";font-size:" +
           std::to_string(rng.Between(10, 22)) + "px;line-height:1." +
           std::to_string(rng.Between(2, 8)) + "}\n";
  }
  out += "</style>\n<script>\nwindow.dataLayer=window.dataLayer||[];"
         "function gtag(){dataLayer.push(arguments);}gtag('js',new Date());\n";
  const int lines = rng.Between(20, 60);
  for (int i = 0; i < lines; ++i) {
    out += "gtag('config','G-" + std::to_string(rng.Next() % 100000000) +
           "',{page_path:location.pathname,slot:" + std::to_string(i) +
           ",ratio:0." + std::to_string(rng.Between(10, 99)) + "});"
           "if(document.cookie.indexOf('seg" + std::to_string(i) +
           "')<0){document.cookie='seg" + std::to_string(i) + "=1; max-age=86400';}\n";
  }
  out += "</script>\n<noscript><iframe src=\"https://www.googletagmanager.com/ns.html?id=GTM-" +
         std::to_string(rng.Next() % 1000000) +
         "\" height=\"0\" width=\"0\" style=\"display:none\"></iframe></noscript>\n";
}

inline void AddNavigation(Rng& rng, bool ja, std::string& out) {
  const auto& sections = Sections(ja);
  out += "<div class=\"gen-topbar\"><nav class=\"gen-global-nav\" aria-label=\"" +
         std::string(ja ? "グローバルナビ" : "Global") + "\"><ul>\n";
  const int links = rng.Between(25, 60);
  for (int i = 0; i < links; ++i) {
    const std::string& name = rng.Pick(sections);
    out += "<li class=\"gen-nav-item\"><a href=\"/section/" + std::to_string(i) + "-" +
           std::to_string(rng.Between(1, 500)) + "/\">" + name + "</a></li>\n";
  }
  out += "</ul></nav>\n<form class=\"gen-search\" action=\"/search\"><input type=\"text\" "
         "name=\"q\" placeholder=\"" + std::string(ja ? "記事を検索" : "Search") +
         "\"><button>" + std::string(ja ? "検索" : "Go") + "</button></form></div>\n";
}

inline void AddAd(Rng& rng, bool ja, std::string& out) {
  out += "<div class=\"gen-ad ad-slot\" data-slot=\"" + std::to_string(rng.Between(1, 99)) +
         "\"><span class=\"gen-ad-label\">" + std::string(ja ? "広告" : "Advertisement") +
         "</span><a href=\"https://ads.example.com/click?id=" +
         std::to_string(rng.Next() % 1000000) + "\">";
  if (ja) {
    out += "GPUサーバー" + std::to_string(rng.Between(2, 16)) + "台セットが今なら" +
           std::to_string(rng.Between(10, 40)) + "%オフ。月額" +
           std::to_string(rng.Between(5, 90)) + "万円から。お問い合わせは0120-" +
           std::to_string(rng.Between(100, 999)) + "-" + std::to_string(rng.Between(100, 999));
  } else {
    out += "Rent " + std::to_string(rng.Between(2, 16)) + "x H100 nodes from $" +
           std::to_string(rng.Between(1, 4)) + "." + std::to_string(rng.Between(10, 99)) +
           " per GPU-hour. Save " + std::to_string(rng.Between(10, 40)) +
           "% on annual plans.";
  }
  out += "</a></div>\n";
}

inline void AddSidebar(Rng& rng, bool ja, const std::vector<SourceArticle>& sources,
                       std::string& out) {
  out += "<aside class=\"gen-sidebar\"><section class=\"gen-ranking\"><h2>" +
         std::string(ja ? "アクセスランキング" : "Most read") + "</h2><ol>\n";
  const int items = rng.Between(10, 20);
  for (int i = 0; i < items; ++i) {
    const SourceArticle& other = rng.Pick(sources);
    out += "<li><a href=\"/news/" + other.name + "?rank=" + std::to_string(i + 1) + "\">" +
           other.title + "</a><span class=\"gen-views\">" +
           std::to_string(rng.Between(1000, 99999)) + (ja ? "閲覧" : " views") +
           "</span></li>\n";
  }
  out += "</ol></section>\n<section class=\"gen-tags\"><h2>" +
         std::string(ja ? "注目のキーワード" : "Trending topics") + "</h2>";
  const auto& sections = Sections(ja);
  for (int i = rng.Between(8, 20); i > 0; --i) {
    out += "<a class=\"gen-tag\" href=\"/tag/" + std::to_string(rng.Between(1, 900)) + "\">" +
           rng.Pick(sections) + "</a> ";
  }
  out += "</section></aside>\n";
}

inline void AddComments(Rng& rng, bool ja, std::string& out) {
  const int count = rng.Between(5, 30);
  out += "<section class=\"gen-comments\" id=\"comments\"><h2>" +
         (ja ? "読者コメント（" + std::to_string(count) + "件）"
             : std::to_string(count) + " comments") +
         "</h2><ul>\n";
  for (int i = 0; i < count; ++i) {
    out += "<li class=\"comment\"><span class=\"comment-user\">" + rng.Pick(Commenters()) +
           "</span><p class=\"comment-text\">";
    const int n = rng.Between(2, 60);
    if (ja) {
      switch (rng.Between(0, 3)) {
        case 0: out += "うちも" + std::to_string(n) + "基申し込んだけど、まだ届かない。"; break;
        case 1: out += "電気代が月" + std::to_string(n) + "万円増えたら元が取れないのでは。"; break;
        case 2: out += std::to_string(2026 + n % 5) + "年までに本当に揃うのか疑問。"; break;
        default: out += "記事の数字、前回と違いませんか？"; break;
      }
    } else {
      switch (rng.Between(0, 3)) {
        case 0: out += "We waited " + std::to_string(n) + " weeks for our GPUs, lol."; break;
        case 1: out += "My bet: " + std::to_string(n * 1000) + " actually arrive."; break;
        case 2: out += "Power is the bottleneck, not chips. " + std::to_string(n) + " MW is nothing."; break;
        default: out += "Didn't they say something else last month?"; break;
      }
    }
    out += "</p><span class=\"comment-votes\">" + std::to_string(rng.Between(0, 300)) +
           (ja ? " いいね" : " upvotes") + "</span></li>\n";
  }
  out += "</ul></section>\n";
}

inline void AddRelated(Rng& rng, bool ja, const std::vector<SourceArticle>& sources,
                       std::string& out) {
  out += "<section class=\"gen-related related-articles\"><h2>" +
         std::string(ja ? "関連記事" : "Related coverage") + "</h2><ul>\n";
  for (int i = rng.Between(5, 15); i > 0; --i) {
    const SourceArticle& other = rng.Pick(sources);
    out += "<li><a href=\"/news/" + other.name + "\">" + other.title + "</a></li>\n";
  }
  out += "</ul></section>\n";
}

inline void AddFooter(Rng& rng, bool ja, std::string& out) {
  out += "<footer class=\"gen-footer\"><ul class=\"gen-footer-links\">\n";
  const auto& sections = Sections(ja);
  for (int i = rng.Between(20, 50); i > 0; --i) {
    out += "<li><a href=\"/info/" + std::to_string(i) + "\">" + rng.Pick(sections) + "</a></li>\n";
  }
  out += "</ul><p class=\"gen-copyright\">&copy; " + std::to_string(rng.Between(2001, 2025)) +
         (ja ? " テックメディア株式会社" : " Example Media Inc.") +
         "</p></footer>\n<script src=\"/static/app." + std::to_string(rng.Next() % 100000) +
         ".js\" defer></script>\n";
}

}  // namespace generated_internal

// Page `index` of the generated corpus (same index, same bytes): article
// index % sources.size(), figures varied from the second round on, with
// furniture added until the page reaches about `target_bytes`.
inline std::string GeneratePage(const std::vector<SourceArticle>& sources, uint64_t index,
                                size_t target_bytes = 50 * 1024) {
  using namespace generated_internal;
  const SourceArticle& source = sources[index % sources.size()];
  Rng rng(index + 1);
  const bool ja = source.ja;
  const std::string& html = source.html;
  const size_t head_end = html.find("</head>");
  const size_t body_tag = html.find("<body");
  const size_t body_open = html.find('>', body_tag) + 1;
  const size_t body_end = html.rfind("</body>");
  const int shift = static_cast<int>((index / sources.size()) % 9);

  std::string top;
  AddNavigation(rng, ja, top);
  AddAd(rng, ja, top);
  std::string bottom;
  AddSidebar(rng, ja, sources, bottom);
  AddAd(rng, ja, bottom);
  AddComments(rng, ja, bottom);
  AddRelated(rng, ja, sources, bottom);
  std::string head;
  AddHeadFurniture(rng, head);
  std::string footer;
  AddFooter(rng, ja, footer);

  const std::string body = VaryFigures(
      std::string_view(html).substr(body_open, body_end - body_open), shift);
  size_t size = html.size() + top.size() + bottom.size() + head.size() + footer.size();
  // More furniture until the page is large enough: another sidebar, ads,
  // related lists, as long pages carry.
  while (size < target_bytes) {
    std::string more;
    switch (rng.Between(0, 3)) {
      case 0: AddSidebar(rng, ja, sources, more); break;
      case 1: AddRelated(rng, ja, sources, more); break;
      case 2: AddAd(rng, ja, more); break;
      default: AddNavigation(rng, ja, more); break;
    }
    size += more.size();
    bottom += more;
  }

  std::string page;
  page.reserve(size + 64);
  page.append(html, 0, head_end);
  page += head;
  page.append(html, head_end, body_open - head_end);
  page += "\n";
  page += top;
  page += body;
  page += bottom;
  page += footer;
  page.append(html, body_end, std::string::npos);
  return page;
}

// The file name of page `index`: spread over folders of 1,000, so that no
// directory grows too large.
inline std::filesystem::path GeneratedPagePath(const std::filesystem::path& dir, uint64_t index) {
  char name[64];
  std::snprintf(name, sizeof(name), "%03llu/page-%06llu.html",
                static_cast<unsigned long long>(index / 1000),
                static_cast<unsigned long long>(index));
  return dir / name;
}

// Writes pages [0, count) under `dir`; returns the bytes written, or -1 if
// a file cannot be written.
inline int64_t WriteGeneratedCorpus(const std::vector<SourceArticle>& sources,
                                    const std::filesystem::path& dir, uint64_t count,
                                    size_t target_bytes = 50 * 1024) {
  int64_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const std::filesystem::path path = GeneratedPagePath(dir, i);
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary);
    const std::string page = GeneratePage(sources, i, target_bytes);
    out << page;
    if (!out) return -1;
    total += static_cast<int64_t>(page.size());
  }
  return total;
}

}  // namespace newsclaim::bench
