// bench/reconcile_bench.cc
// Reconciling 1,000,000 claims over 100,000 comparison keys (issue 6's
// target: under 30 s and under 2 GB on the 2-core development machine).
// A plain main, not Google Benchmark: one run of each stage is tens of
// seconds, and peak memory must be read per stage, so each stage runs in its
// own child process (fork + exec of this binary) and reports wall time and
// getrusage's ru_maxrss.
//
//   reconcile_bench [--claims N] [--keys K] [--db PATH] [--mix normal|stress]
//   reconcile_bench --stage find|populate|reconcile  (one stage, as the
//                                                   parent runs each child)
//
// Stages:
//   find       generate the claims, then time FindConflicts alone (in
//              memory);
//   populate   generate them and write them with their pages into a fresh
//              SQLite file (one bulk transaction; not a timed figure);
//   reconcile  open that file and time Database::Reconcile twice: the first
//              run sketches every page for near-duplicates and stores every
//              conflict; the second is a re-run over unchanged data
//              (sketches reused, conflicts updated).
//
// The claims are synthetic but shaped like the corpus: 20,000 subjects with
// five questions each (GPU supply by product, GPU deployment by a deadline,
// yen or dollar investment with a counterparty, gigawatts with a
// counterparty, revenue shares), ten statements per question from ten pages
// of different outlets and dates, in Japanese and English surfaces. In the
// normal mix 80% of statements give the figure exactly, 8% with 約, 4% as
// the same figure with a lost-or-added 以上; the rest disagree: 1% a lower
// bound just below, 2% another figure, 2% another stage, 2% a moved deadline
// or a dated snapshot, 1% of money restated in the other currency, 1% a
// phase or annual rate. About a third of the keys end in a conflict. The
// stress mix (--mix stress) makes 32% of statements deviate. 3% of pages
// are near-copies of another page. Deterministic: a fixed seed.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/claim.h"
#include "base/hash.h"
#include "store/database.h"
#include "store/reconcile.h"

namespace {

using newsclaim::Claim;
using newsclaim::ClaimKind;
using newsclaim::ClaimStatus;
using newsclaim::ClaimTime;
using newsclaim::Qualifier;
using newsclaim::TimeRelation;

constexpr int kKeysPerSubject = 5;
constexpr int kSubjectsPerPage = 1;  // each page reports one subject

struct Options {
  int64_t claims = 1'000'000;
  int64_t keys = 100'000;
  std::string db_path = "/tmp/reconcile_bench.db";
  std::string stage;
  // The heavier mix: 32% of statements deviate and most keys end in a
  // conflict (122k conflicts for 100k keys), instead of about 13%.
  bool stress = false;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// User + system CPU seconds of this process so far: the machine is shared,
// so wall time alone can overstate the cost.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // KB on Linux
}

// splitmix64: a deterministic stream per (key, statement).
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::string Date(int day_of_2025) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = 2025;
  int day = day_of_2025;
  while (day >= 365) {
    day -= 365;
    ++year;
  }
  int month = 0;
  while (day >= kDays[month]) day -= kDays[month++];
  char buffer[40];  // room for any int, so that -Wformat-truncation is quiet
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", year, month + 1, day + 1);
  return buffer;
}

// "26万" / "1万8000" style for Japanese; "260,000" for English.
std::string JapaneseNumber(int64_t value) {
  if (value >= 10000 && value % 10000 == 0) return std::to_string(value / 10000) + "万";
  if (value >= 10000) {
    return std::to_string(value / 10000) + "万" + std::to_string(value % 10000);
  }
  return std::to_string(value);
}

std::string EnglishNumber(int64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Two significant digits, as press figures are.
int64_t Round2(double value) {
  if (value < 100) return static_cast<int64_t>(std::llround(value));
  const double scale = std::pow(10.0, std::floor(std::log10(value)) - 1);
  return static_cast<int64_t>(std::llround(value / scale) * scale);
}

struct Generated {
  std::vector<Claim> claims;
  int64_t pages = 0;
};

// The claims of `options`: keys are (subject, question), statements are
// spread over pages so that each page holds the five questions of one
// subject as one outlet reported them.
Generated Generate(const Options& options) {
  Generated out;
  const int64_t per_key = std::max<int64_t>(1, options.claims / options.keys);
  const int64_t subjects = std::max<int64_t>(1, options.keys / kKeysPerSubject);
  out.pages = subjects * per_key / kSubjectsPerPage;
  out.claims.reserve(options.keys * per_key);
  static constexpr const char* kProducts[] = {"H100", "H200", "B200", "GB300", "MI450"};
  for (int64_t key = 0; key < options.keys; ++key) {
    const int64_t subject_index = key / kKeysPerSubject;
    const int question = static_cast<int>(key % kKeysPerSubject);
    const std::string subject = "Subject " + std::to_string(subject_index);
    const std::string counterparty = "Partner " + std::to_string((subject_index * 7) % 5000);
    const uint64_t key_seed = Mix(static_cast<uint64_t>(key) * 0x100000001B3ULL);
    for (int64_t j = 0; j < per_key; ++j) {
      const uint64_t r = Mix(key_seed ^ static_cast<uint64_t>(j + 1));
      const int roll = static_cast<int>(r % 100);
      const bool english = (j + subject_index) % 3 == 0;
      const int64_t page = j * subjects + subject_index + 1;
      const int day = static_cast<int>((j * 37 + subject_index * 13) % 420);

      Claim claim;
      claim.page_id = page;
      claim.url = "https://outlet" + std::to_string(page % 40) + ".example/news/" +
                  std::to_string(page) + ".html";
      claim.title = subject + " " + (english ? "announces AI infrastructure plans"
                                             : "、AIインフラ計画を発表");
      claim.lang = english ? "en" : "ja";
      claim.published = Date(day);
      claim.subject = subject;
      claim.start = 40 * question;
      claim.end = claim.start + 8;
      std::string figure;
      double value = 0;
      switch (question) {
        case 0:
        case 1: {  // GPU supply of a product; GPU deployment by a deadline
          claim.kind = ClaimKind::kGpuCount;
          claim.unit = "GPU";
          value = static_cast<double>(Round2(1000 + static_cast<double>(key_seed % 300000)));
          if (question == 0) {
            claim.product = kProducts[key_seed % 5];
            claim.rule = english ? "en.gpu_count.supply" : "ja.gpu_count.supply";
          } else {
            claim.rule = english ? "en.gpu_count.deployment" : "ja.gpu_count.deployment";
            claim.time = ClaimTime{{"2025-01-01", "2027-12-31"}, TimeRelation::kBy};
            claim.status = ClaimStatus::kPlanned;
          }
          break;
        }
        case 2: {  // investment in yen or dollars with a counterparty
          claim.kind = ClaimKind::kMoney;
          claim.unit = key_seed % 2 == 0 ? "JPY" : "USD";
          claim.counterparty = counterparty;
          claim.rule = english ? "en.money.investment" : "ja.money.investment";
          value = static_cast<double>(Round2(1e8 + static_cast<double>(key_seed % 90000) * 1e6));
          break;
        }
        case 3: {  // gigawatts of one deal
          claim.kind = ClaimKind::kQuantity;
          claim.unit = english ? "GW" : "ギガワット";
          claim.counterparty = counterparty;
          claim.rule = english ? "en.quantity.deployment" : "ja.quantity.deployment";
          value = static_cast<double>(1 + key_seed % 10);
          break;
        }
        default: {  // a revenue share
          claim.kind = ClaimKind::kPercentage;
          claim.unit = "%";
          claim.rule = english ? "en.percentage.revenue" : "ja.percentage.revenue";
          value = static_cast<double>(5 + key_seed % 60);
          break;
        }
      }
      // How this statement relates to the key's figure (kStress: the
      // heavier mix, where most keys end in a conflict).
      Qualifier qualifier = Qualifier::kExact;
      const int agree = options.stress ? 68 : 80;
      const int approx = agree + 8;
      const int same_bound = approx + (options.stress ? 0 : 4);   // a lost 以上: merges
      const int lower_bound = same_bound + (options.stress ? 6 : 1);
      const int other_figure = lower_bound + (options.stress ? 6 : 2);
      const int other_stage = other_figure + (options.stress ? 4 : 2);
      const int moved = other_stage + (options.stress ? 4 : 2);
      if (roll < agree) {
        // agrees
      } else if (roll < approx) {
        qualifier = Qualifier::kApprox;
      } else if (roll < same_bound) {
        qualifier = Qualifier::kAtLeast;
      } else if (roll < lower_bound) {
        qualifier = Qualifier::kAtLeast;
        value = static_cast<double>(Round2(value * 0.96));
      } else if (roll < other_figure) {
        value = static_cast<double>(Round2(value * (roll % 2 == 0 ? 1.25 : 0.6)));
        if (value < 1) value = 1;
      } else if (roll < other_stage) {
        claim.status = ClaimStatus::kDelivered;
      } else if (roll < moved) {
        if (claim.time) {
          claim.time = ClaimTime{{"2025-01-01", "2030-12-31"}, TimeRelation::kBy};
        } else {
          claim.time = ClaimTime{{claim.published, claim.published}, TimeRelation::kAsOf};
          value = static_cast<double>(Round2(value * 1.1));
        }
      } else if (roll < 98 && claim.kind == ClaimKind::kMoney) {
        // The same investment restated in the other currency.
        const bool to_yen = claim.unit == "USD";
        claim.unit = to_yen ? "JPY" : "USD";
        value = static_cast<double>(Round2(to_yen ? value * 150 : value / 150));
      }
      claim.interval.qualifier = qualifier;
      if (qualifier == Qualifier::kAtLeast) {
        claim.interval.low = value;
      } else {
        claim.interval.value = value;
        if (qualifier == Qualifier::kExact) {
          claim.interval.low = claim.interval.high = value;
        }
      }
      if (qualifier == Qualifier::kApprox) claim.interval.value = value;
      const int64_t whole = static_cast<int64_t>(value);
      switch (claim.kind) {
        case ClaimKind::kGpuCount:
          figure = english ? EnglishNumber(whole) + " GPUs" : JapaneseNumber(whole) + "基";
          break;
        case ClaimKind::kMoney:
          figure = claim.unit == "USD" ? "$" + EnglishNumber(whole)
                                       : JapaneseNumber(whole / 100000000) + "億円";
          break;
        case ClaimKind::kQuantity:
          figure = std::to_string(whole) + claim.unit;
          break;
        default:
          figure = std::to_string(whole) + "%";
          break;
      }
      if (qualifier == Qualifier::kApprox) figure = (english ? "about " : "約") + figure;
      if (qualifier == Qualifier::kAtLeast) figure += english ? " or more" : "以上";
      claim.text = figure;
      std::string marker;
      if (roll == 98) marker = english ? " as a first step" : "第1弾として";
      if (roll == 99) marker = english ? " a year" : "年間";
      claim.quote = english ? subject + " said it would deploy " + figure + marker +
                                  " under the agreement, according to people familiar."
                            : subject + "は" + marker + figure +
                                  "を導入する計画を明らかにした。関係者によると、今後さらに拡大する。";
      claim.id = newsclaim::HexHash64(claim.url + "#" + std::to_string(claim.start) + claim.rule);
      out.claims.push_back(std::move(claim));
    }
  }
  return out;
}

bool Check(int rc, sqlite3* db, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return true;
  std::fprintf(stderr, "reconcile_bench: %s: %s\n", what, sqlite3_errmsg(db));
  return false;
}

// Body text for page `id`: words drawn from a small vocabulary, so that two
// pages share about as many shingles as two different articles do.
std::string Filler(int64_t id, bool english) {
  static constexpr const char* kJapanese[] = {
      "政府", "補助金", "データセンター", "電力", "計画", "発表", "投資", "需要", "半導体",
      "生成AI", "クラウド", "拡大", "契約", "供給", "整備", "稼働", "来年度", "同社",
      "関係者", "市場", "競争", "調達", "開発", "提供", "サービス", "国内", "海外", "建設",
      "冷却", "設備", "運用", "規模"};
  static constexpr const char* kEnglish[] = {
      "government", "subsidy", "datacenter", "power", "plan", "announced", "investment",
      "demand", "chips", "generative", "cloud", "expansion", "contract", "supply", "build",
      "operational", "next", "company", "sources", "market", "competition", "procurement",
      "development", "service", "domestic", "overseas", "construction", "cooling", "capacity",
      "operations", "scale", "grid"};
  std::string text;
  uint64_t r = Mix(static_cast<uint64_t>(id) * 0x2545F4914F6CDD1DULL);
  for (int word = 0; word < 60; ++word) {
    r = Mix(r);
    text += english ? std::string(kEnglish[r % 32]) + " " : std::string(kJapanese[r % 32]);
    if (word % 12 == 11) text += english ? ". " : "。";
  }
  return text;
}

// Writes the pages and claims straight into a fresh database, in one
// transaction. Page text: the quotes of its claims, body text and a
// disclaimer; 3% of pages copy another page's text with a credit line added
// (a wire story).
bool Populate(const Options& options, const Generated& generated) {
  std::filesystem::remove(options.db_path);
  std::filesystem::remove(options.db_path + "-wal");
  std::filesystem::remove(options.db_path + "-shm");
  {
    auto db = newsclaim::store::Database::Open(options.db_path);  // creates the schema
    if (!db.ok()) {
      std::fprintf(stderr, "reconcile_bench: %s\n", db.status().ToString().c_str());
      return false;
    }
  }
  sqlite3* db = nullptr;
  if (!Check(sqlite3_open(options.db_path.c_str(), &db), db, "open")) return false;
  sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr);

  // Page texts from their claims (claims of one page are not contiguous).
  std::vector<std::string> texts(generated.pages + 1);
  std::vector<const Claim*> first_claim(generated.pages + 1, nullptr);
  for (const Claim& claim : generated.claims) {
    if (first_claim[claim.page_id] == nullptr) {
      first_claim[claim.page_id] = &claim;
      texts[claim.page_id] = Filler(claim.page_id, claim.lang == "en") + "\n\n";
    }
    texts[claim.page_id] += claim.quote + "\n\n";
  }
  sqlite3_stmt* page = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO pages (id, url, title, site_name, lang, published, article_text, "
                     "content_hash, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                     "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                     -1, &page, nullptr);
  for (int64_t id = 1; id <= generated.pages; ++id) {
    const Claim* claim = first_claim[id];
    if (claim == nullptr) continue;
    std::string text = texts[id];
    const uint64_t r = Mix(static_cast<uint64_t>(id));
    if (r % 100 < 3 && id > 1 && first_claim[id - 1] != nullptr) {
      text = texts[id - 1] + "（共同）";  // a copy of the previous page
    }
    text += "本記事は情報提供を目的としており、投資を勧誘するものではありません。"
            "This article is for information only and is not investment advice.";
    const std::string hash = newsclaim::HexHash64(text);
    sqlite3_bind_int64(page, 1, id);
    sqlite3_bind_text(page, 2, claim->url.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(page, 3, claim->title.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(page, 4, id % 10 == 0 ? "PR Wirefeed" : "AIデータセンター新聞", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(page, 5, claim->lang.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(page, 6, claim->published.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(page, 7, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(page, 8, hash.c_str(), -1, SQLITE_TRANSIENT);
    if (!Check(sqlite3_step(page), db, "insert page")) return false;
    sqlite3_reset(page);
  }
  sqlite3_finalize(page);

  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO claims (claim_id, page_id, kind, subject, counterparty, product, value, low, "
      "high, low_inclusive, high_inclusive, qualifier, unit, time_start, time_end, time_relation, "
      "status, text, quote, rule, span_start, span_end, rules_fingerprint, content_hash, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 1, ?10, ?11, ?12, ?13, ?14, "
      "?15, ?16, ?17, ?18, ?19, ?20, 'bench', ?1, '2026-01-01T00:00:00Z')",
      -1, &insert, nullptr);
  const auto text_or_null = [insert](int index, const std::string& text) {
    if (text.empty()) {
      sqlite3_bind_null(insert, index);
    } else {
      sqlite3_bind_text(insert, index, text.c_str(), -1, SQLITE_TRANSIENT);
    }
  };
  const auto number_or_null = [insert](int index, const std::optional<double>& value) {
    if (value) {
      sqlite3_bind_double(insert, index, *value);
    } else {
      sqlite3_bind_null(insert, index);
    }
  };
  // Page by page, as ReplaceClaims stores them.
  std::vector<const Claim*> by_page;
  by_page.reserve(generated.claims.size());
  for (const Claim& claim : generated.claims) by_page.push_back(&claim);
  std::stable_sort(by_page.begin(), by_page.end(),
                   [](const Claim* a, const Claim* b) { return a->page_id < b->page_id; });
  for (const Claim* claim_pointer : by_page) {
    const Claim& claim = *claim_pointer;
    sqlite3_bind_text(insert, 1, claim.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert, 2, claim.page_id);
    text_or_null(3, std::string(newsclaim::ClaimKindName(claim.kind)));
    text_or_null(4, claim.subject);
    text_or_null(5, claim.counterparty);
    text_or_null(6, claim.product);
    number_or_null(7, claim.interval.value);
    number_or_null(8, claim.interval.low);
    number_or_null(9, claim.interval.high);
    text_or_null(10, std::string(newsclaim::QualifierName(claim.interval.qualifier)));
    text_or_null(11, claim.unit);
    text_or_null(12, claim.time ? claim.time->range.start : "");
    text_or_null(13, claim.time ? claim.time->range.end : "");
    text_or_null(14, claim.time ? std::string(newsclaim::TimeRelationName(claim.time->relation))
                                : "");
    text_or_null(15, std::string(newsclaim::ClaimStatusName(claim.status)));
    text_or_null(16, claim.text);
    text_or_null(17, claim.quote);
    text_or_null(18, claim.rule);
    sqlite3_bind_int64(insert, 19, claim.start);
    sqlite3_bind_int64(insert, 20, claim.end);
    if (!Check(sqlite3_step(insert), db, "insert claim")) return false;
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  const bool ok = Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
  return ok;
}

int RunFind(const Options& options) {
  auto start = std::chrono::steady_clock::now();
  Generated generated = Generate(options);
  const double generate_s = Seconds(start);
  const long rss_before = PeakRssMb();
  start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  // As Database::Reconcile calls it: member claim ids only, no copies.
  newsclaim::store::ReconcileContext context;
  context.copy_claims = false;
  std::vector<newsclaim::store::Conflict> conflicts =
      newsclaim::store::FindConflicts(generated.claims, context);
  const double find_s = Seconds(start);
  const double find_cpu_s = CpuSeconds() - cpu_start;
  std::map<std::string, int> by_class;
  for (const auto& conflict : conflicts) ++by_class[conflict.conflict_class];
  std::printf("find: %zu claims, %lld pages, generated in %.2f s (peak RSS %ld MB)\n",
              generated.claims.size(), static_cast<long long>(generated.pages), generate_s,
              rss_before);
  std::printf("find: FindConflicts %.2f s wall, %.2f s CPU, %zu conflicts (", find_s, find_cpu_s,
              conflicts.size());
  for (const auto& [name, count] : by_class) std::printf(" %s=%d", name.c_str(), count);
  std::printf(" ), peak RSS %ld MB\n", PeakRssMb());
  return 0;
}

int RunPopulate(const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  Generated generated = Generate(options);
  if (!Populate(options, generated)) return 1;
  std::printf("populate: %zu claims on %lld pages written to %s in %.2f s (bulk insert; not "
              "part of the reconcile figures)\n",
              generated.claims.size(), static_cast<long long>(generated.pages),
              options.db_path.c_str(), Seconds(start));
  return 0;
}

// A fresh process that only opens the database and reconciles, so that its
// ru_maxrss is Reconcile's own.
int RunReconcile(const Options& options) {
  auto db = newsclaim::store::Database::Open(options.db_path);
  if (!db.ok()) {
    std::fprintf(stderr, "reconcile_bench: %s\n", db.status().ToString().c_str());
    return 1;
  }
  for (int run = 1; run <= 2; ++run) {
    const auto begin = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    auto stats = db->Reconcile();
    const double seconds = Seconds(begin);
    const double cpu_seconds = CpuSeconds() - cpu_start;
    if (!stats.ok()) {
      std::fprintf(stderr, "reconcile_bench: %s\n", stats.status().ToString().c_str());
      return 1;
    }
    std::printf("reconcile: Database::Reconcile run %d: %.2f s wall, %.2f s CPU, %d claims, "
                "%d conflicts "
                "(%d new, %d stale), %d near-duplicate pages, %d derived claims, peak RSS %ld MB\n",
                run, seconds, cpu_seconds, stats->claims_compared, stats->conflicts, stats->new_conflicts,
                stats->stale, stats->near_duplicate_pages, stats->derived_claims, PeakRssMb());
    std::printf("reconcile:   near-duplicates %.2f s, loading claims %.2f s, comparing %.2f s, "
                "writing %.2f s\n",
                stats->near_duplicate_seconds, stats->load_seconds, stats->compare_seconds,
                stats->write_seconds);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--claims") {
      options.claims = std::atoll(argv[i + 1]);
    } else if (flag == "--keys") {
      options.keys = std::atoll(argv[i + 1]);
    } else if (flag == "--db") {
      options.db_path = argv[i + 1];
    } else if (flag == "--mix") {
      options.stress = std::string(argv[i + 1]) == "stress";
    } else if (flag == "--stage") {
      options.stage = argv[i + 1];
    } else {
      std::fprintf(stderr,
                   "usage: reconcile_bench [--claims N] [--keys K] [--db PATH] "
                   "[--mix normal|stress]\n");
      return 2;
    }
  }
  if (options.stage == "find") return RunFind(options);
  if (options.stage == "populate") return RunPopulate(options);
  if (options.stage == "reconcile") return RunReconcile(options);
  // Each stage in a fresh process, so that its peak RSS is its own.
  for (const char* stage : {"find", "populate", "reconcile"}) {
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
      const std::string claims = std::to_string(options.claims);
      const std::string keys = std::to_string(options.keys);
      execl("/proc/self/exe", argv[0], "--claims", claims.c_str(), "--keys", keys.c_str(),
            "--db", options.db_path.c_str(), "--mix", options.stress ? "stress" : "normal",
            "--stage", stage, static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  return 0;
}
