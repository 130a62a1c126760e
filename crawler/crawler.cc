#include "crawler/crawler.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/hash.h"
#include "base/utf8.h"
#include "crawler/charset.h"
#include "crawler/feeds.h"
#include "crawler/robots.h"
#include "crawler/url.h"
#include "crawler/warc_writer.h"

namespace newsclaim::crawler {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 9309 section 2.5: crawlers must parse at least the first 500 KiB.
constexpr size_t kMaxRobotsBytes = 500 * 1024;
// A Crawl-delay or Retry-After beyond this is taken as this: a silly value
// must not stall a host for days.
constexpr int64_t kMaxHostDelayMs = 3600 * 1000;

int64_t NowUnix() { return static_cast<int64_t>(std::time(nullptr)); }

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string PathAndQuery(const Url& url) {
  return url.query.empty() ? url.path : url.path + "?" + url.query;
}

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  return ToLower(type);
}

// What DecodeDocument and the extractor can read. No Content-Type at all is
// given the benefit of the doubt (charset.h sniffs).
bool IsReadablePageType(std::string_view content_type) {
  const std::string type = MediaType(content_type);
  if (type.empty() || type.starts_with("text/")) return true;
  return type == "application/xhtml+xml" || type == "application/xml" || type.ends_with("+xml");
}

// Links to these are never pages; fetching them would only waste the
// site's bandwidth and a max_pages slot (Scrapy's IGNORED_EXTENSIONS, cut
// down). Compressed files are absent on purpose: sitemap.xml.gz is common.
// Media types that only a feed has: such a document that does not parse as
// one is a broken feed, not a page.
bool IsFeedType(std::string_view content_type) {
  const std::string type = MediaType(content_type);
  return type == "application/rss+xml" || type == "application/atom+xml" ||
         type == "application/rdf+xml" || type == "application/feed+json";
}

// The Content-Type to decode a page with. WHATWG lets the HTTP charset win
// over the document's own <meta>; but a server-wide "charset=utf-8" on a
// legacy page is a common lie, and then the bytes settle it: when the
// header says UTF-8, the bytes are not UTF-8 and the <meta> names another
// charset, the header's charset is dropped so that the <meta> decides.
// (charset.cc already makes valid UTF-8 win over a legacy label.)
std::string ContentTypeForDecoding(const std::string& content_type, std::string_view bytes) {
  if (CharsetFromContentType(content_type) != "utf-8") return content_type;
  const std::string meta = PrescanMetaCharset(bytes);
  if (meta.empty() || meta == "utf-8" || IsWellFormedUtf8(bytes)) return content_type;
  return MediaType(content_type);
}

bool HasNonPageExtension(const Url& url) {
  static const std::unordered_set<std::string> kExtensions = {
      "7z",  "avi",  "bmp", "css",  "dmg", "doc", "docx", "eps", "exe",  "flac", "gif",
      "ico", "iso",  "jpeg", "jpg", "js",  "m4a", "m4v",  "mov", "mp3",  "mp4",  "mpeg",
      "mpg", "msi",  "ogg", "pdf",  "png", "ppt", "pptx", "rar", "svg",  "tif",  "tiff",
      "wav", "webm", "webp", "wmv", "woff", "woff2", "xls", "xlsx", "zip"};
  const size_t slash = url.path.rfind('/');
  const size_t dot = url.path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  return kExtensions.contains(ToLower(std::string_view(url.path).substr(dot + 1)));
}

bool GlobMatch(std::string_view text, std::string_view pattern) {
  // Iterative '*' matching with one backtrack point (the classic linear
  // wildcard algorithm).
  size_t t = 0, p = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] != '*' && pattern[p] == text[t]) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

struct FrontierEntry {
  std::string url;  // canonical
  Url parsed;
  int depth = 0;
  int source = 0;  // index into CrawlRun::sources_
};

// What the crawler knows about one authority, and the URLs queued for it.
struct HostState {
  enum class Robots { kUnknown, kFetching, kLoaded };
  Robots robots_state = Robots::kUnknown;
  RobotsRules robots = RobotsRules::AllowAll();
  Url robots_url;
  std::optional<CachedRobots> cached_robots;  // from options.robots_cache, whatever its age
  int source = 0;  // of the URL that made the host known (for its robots sitemaps)
  int64_t delay_ms = 0;
  Clock::time_point next_request{};  // no request starts before this
  int in_flight = 0;
  uint64_t last_start = 0;  // when the last request started, as a sequence number
  std::map<int, std::deque<FrontierEntry>> queue;  // by depth
  size_t queued = 0;
};

// Every canonical URL the run has met, once.
enum class UrlState : uint8_t {
  kRejected,  // off-site, filtered or robots-denied: never fetched
  kQueued,    // waiting in a host's queue (or in flight)
  kHandled,   // its response was used (or it was done in the interrupted run)
};

// A transfer the fetcher is working on.
struct InFlight {
  HostState* host = nullptr;
  bool robots = false;  // else a document
  FrontierEntry entry;
  std::optional<PreviousFetch> previous;
};

// How one fetched document ended, for the frontier store.
struct Outcome {
  std::string word;  // "page", "unchanged", "failed", "skipped", "listing"
  std::string redirect_target;  // a queued URL the document redirected to: done too
};

// Longest Wait() while transfers are in flight and no host delay is pending;
// Wait returns as soon as one finishes anyway.
constexpr int64_t kMaxWaitMs = 1000;

// The state of one Crawler::Run. Not thread-safe.
class CrawlRun {
 public:
  CrawlRun(const CrawlOptions& options, Fetcher& fetcher, CrawlHandler& handler)
      : options_(options), fetcher_(fetcher), handler_(handler) {}

  Status Start(const std::vector<std::string>& seeds);
  StatusOr<CrawlStats> Loop();

 private:
  // How a URL was found decides which filters apply to it.
  enum class Origin {
    kLink,             // a page's link or a feed/sitemap entry: every filter
    kSitemapChild,     // a sitemap index's child: same site, but no allow/deny
    kDeclaredSitemap,  // a robots.txt Sitemap: line: none (the site asked for it)
  };

  int SourceIndex(const std::string& source);
  HostState& HostFor(const Url& url, int source);
  bool Queue(FrontierEntry entry, bool persist);
  HostState* ReadyHost(Clock::time_point now, Clock::time_point* wake);
  void StartRobots(HostState& host);
  Status StartDocument(HostState& host);
  Status Finish(FetchResult result);
  Status Archive(const std::string& url, const FetchResponse& response, WarcLocation* location);
  void AfterRequest(HostState& host, const FetchResponse& response);
  StatusOr<bool> UseCachedRobots(HostState& host);
  Status LoadRobots(HostState& host, const FetchResponse& response);
  void SetRobotsRules(HostState& host, int http_status, std::string_view body);
  void RobotsLoaded(HostState& host, bool requested);
  Outcome HandleDocument(const FrontierEntry& entry, const FetchResponse& response,
                         const std::optional<PreviousFetch>& previous,
                         const WarcLocation& location);
  Outcome ProcessLinkList(const FrontierEntry& entry, const Url& base, const LinkList& list);
  Outcome ProcessPage(const FrontierEntry& entry, const std::string& final_url, const Url& final,
                      const FetchResponse& response, const std::string& bytes,
                      const std::optional<PreviousFetch>& previous, const WarcLocation& location);
  void Discover(std::string_view href, const Url& base, int depth, int source, Origin origin);
  bool OnSeedSite(const Url& url) const;
  bool PassesPatterns(const std::string& url) const;
  void Fail(const std::string& url, const std::string& reason);
  Status FlushEnqueued();
  Status MarkDone(const std::string& url, const std::string& outcome);

  const CrawlOptions& options_;
  Fetcher& fetcher_;
  CrawlHandler& handler_;
  std::unique_ptr<WarcWriter> warc_;
  std::vector<Url> seed_urls_;
  std::vector<std::string> sources_;
  std::unordered_map<std::string, int> source_index_;
  std::unordered_map<std::string, UrlState> urls_;   // by canonical URL
  std::unordered_map<std::string, HostState> hosts_;  // by Authority(); nodes never move
  size_t queued_ = 0;                                 // entries in all host queues
  std::unordered_map<uint64_t, InFlight> in_flight_;  // by transfer id
  uint64_t next_id_ = 1;
  uint64_t start_sequence_ = 0;
  int documents_started_ = 0;                       // counts against max_pages
  std::vector<FrontierItem> to_enqueue_;            // queued, not yet passed to Enqueue
  std::unordered_set<std::string> content_hashes_;  // of pages handled in this run
  CrawlStats stats_;
};

Status CrawlRun::Start(const std::vector<std::string>& seeds) {
  if (seeds.empty()) return InvalidArgumentError("crawl: no seed URLs");
  std::vector<Url> parsed_seeds;
  for (const std::string& seed : seeds) {
    std::optional<Url> parsed = ParseUrl(seed);
    if (!parsed) return InvalidArgumentError("crawl: seed is not an http(s) URL: " + seed);
    parsed_seeds.push_back(Canonicalize(*parsed));
  }
  if (!options_.warc_dir.empty()) {
    ASSIGN_OR_RETURN(warc_, WarcWriter::Open(options_.warc_dir));
  }

  // An interrupted run's frontier comes first: what it finished stays
  // finished, what it queued is queued again (already persisted).
  if (options_.frontier != nullptr) {
    ASSIGN_OR_RETURN(FrontierStore::Resume resume, options_.frontier->Load());
    for (const std::string& url : resume.done) urls_[url] = UrlState::kHandled;
    for (FrontierItem& item : resume.queued) {
      std::optional<Url> parsed = ParseUrl(item.url);
      if (!parsed) continue;
      Url canonical = Canonicalize(*parsed);
      std::string text = canonical.ToString();
      // Persisted again only if this version canonicalises it differently.
      const bool persist = text != item.url;
      Queue({std::move(text), std::move(canonical), std::max(0, item.depth),
             SourceIndex(item.source)},
            persist);
    }
  }
  for (Url& seed : parsed_seeds) {
    std::string text = seed.ToString();
    seed_urls_.push_back(seed);
    const int source = SourceIndex(text);
    Queue({std::move(text), std::move(seed), 0, source}, /*persist=*/true);
  }
  return FlushEnqueued();
}

StatusOr<CrawlStats> CrawlRun::Loop() {
  const size_t max_connections = static_cast<size_t>(options_.max_connections);
  while (true) {
    // Step 1: start every request that may start now.
    Clock::time_point wake = Clock::time_point::max();
    while (in_flight_.size() < max_connections && documents_started_ < options_.max_pages) {
      HostState* host = ReadyHost(Clock::now(), &wake);
      if (host == nullptr) break;
      if (host->robots_state == HostState::Robots::kUnknown) {
        ASSIGN_OR_RETURN(bool cached, UseCachedRobots(*host));
        if (!cached) StartRobots(*host);
      } else {
        RETURN_IF_ERROR(StartDocument(*host));
      }
    }

    // Step 2: the run ends when nothing is in flight and nothing more may
    // start; with nothing in flight but a host delay pending, sleep.
    const bool may_start = queued_ > 0 && documents_started_ < options_.max_pages;
    if (in_flight_.empty()) {
      if (!may_start || wake == Clock::time_point::max()) break;
      std::this_thread::sleep_until(wake);
      continue;
    }

    // Step 3: wait for responses, or until a host's delay is over.
    int64_t timeout_ms = kMaxWaitMs;
    if (may_start && in_flight_.size() < max_connections && wake != Clock::time_point::max()) {
      timeout_ms = std::clamp<int64_t>(
          std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count(), 0,
          kMaxWaitMs);
    }
    for (FetchResult& result : fetcher_.Wait(timeout_ms)) {
      RETURN_IF_ERROR(Finish(std::move(result)));
    }
  }
  RETURN_IF_ERROR(FlushEnqueued());
  if (options_.frontier != nullptr) RETURN_IF_ERROR(options_.frontier->Complete());
  return stats_;
}

int CrawlRun::SourceIndex(const std::string& source) {
  auto [it, inserted] = source_index_.try_emplace(source, static_cast<int>(sources_.size()));
  if (inserted) sources_.push_back(source);
  return it->second;
}

HostState& CrawlRun::HostFor(const Url& url, int source) {
  auto [it, inserted] = hosts_.try_emplace(url.Authority());
  HostState& host = it->second;
  if (inserted) {
    host.delay_ms = options_.per_host_delay_ms;
    host.source = source;
    host.robots_url = url;
    host.robots_url.path = "/robots.txt";
    host.robots_url.query.clear();
  }
  return host;
}

// Queues `entry` unless its URL was met before; returns whether it was new.
// `persist`: pass it to the frontier store (not needed for what it loaded).
bool CrawlRun::Queue(FrontierEntry entry, bool persist) {
  if (!urls_.try_emplace(entry.url, UrlState::kQueued).second) return false;
  HostState& host = HostFor(entry.parsed, entry.source);
  if (persist && options_.frontier != nullptr) {
    to_enqueue_.push_back({entry.url, entry.depth, sources_[entry.source]});
  }
  const int depth = entry.depth;
  host.queue[depth].push_back(std::move(entry));
  ++host.queued;
  ++queued_;
  return true;
}

// The host whose request should start now: one still without robots.txt
// first, then the one whose next URL is shallowest, then the one idle
// longest. Null when none may start now; `wake` is then lowered to when one
// may (it stays as it is when no host is waiting out a delay).
HostState* CrawlRun::ReadyHost(Clock::time_point now, Clock::time_point* wake) {
  HostState* best = nullptr;
  int best_depth = 0;
  for (auto& [authority, host] : hosts_) {
    if (host.queued == 0 || host.robots_state == HostState::Robots::kFetching ||
        host.in_flight >= options_.per_host_connections) {
      continue;
    }
    if (host.next_request > now) {
      *wake = std::min(*wake, host.next_request);
      continue;
    }
    const int depth =
        host.robots_state == HostState::Robots::kUnknown ? -1 : host.queue.begin()->first;
    if (best == nullptr || depth < best_depth ||
        (depth == best_depth && host.last_start < best->last_start)) {
      best = &host;
      best_depth = depth;
    }
  }
  return best;
}

// robots.txt is fetched once per authority, before its first URL
// (RFC 9309 section 2.3.1); the host's URLs wait for it.
void CrawlRun::StartRobots(HostState& host) {
  host.robots_state = HostState::Robots::kFetching;
  ++host.in_flight;
  host.last_start = ++start_sequence_;
  ++stats_.robots_files;
  const uint64_t id = next_id_++;
  in_flight_[id] = InFlight{&host, true, {}, std::nullopt};
  const std::string url = host.robots_url.ToString();
  fetcher_.Start(id, FetchRequest{url, "", ""});
}

// Takes the host's next URL and fetches it, conditionally when we hold
// validators, unless it is to be dropped.
Status CrawlRun::StartDocument(HostState& host) {
  auto level = host.queue.begin();
  FrontierEntry entry = std::move(level->second.front());
  level->second.pop_front();
  if (level->second.empty()) host.queue.erase(level);
  --host.queued;
  --queued_;

  UrlState& state = urls_[entry.url];
  // Reached earlier as the target of a redirect (and marked done then).
  if (state == UrlState::kHandled) {
    ++stats_.duplicates;
    return Status::Ok();
  }
  if (!host.robots.IsAllowed(PathAndQuery(entry.parsed))) {
    state = UrlState::kRejected;
    ++stats_.robots_denied;
    return MarkDone(entry.url, "skipped");
  }

  std::optional<PreviousFetch> previous = handler_.Previous(entry.url);
  FetchRequest request{entry.url, "", ""};
  if (previous) {
    request.if_none_match = previous->etag;
    request.if_modified_since = previous->last_modified;
  }
  ++documents_started_;
  ++host.in_flight;
  host.last_start = ++start_sequence_;
  // The delay also separates request starts, so a host with several
  // connections is not hit by a burst (AfterRequest then spaces a response
  // from the next request).
  host.next_request = std::max(host.next_request,
                               Clock::now() + std::chrono::milliseconds(host.delay_ms));
  const uint64_t id = next_id_++;
  in_flight_[id] = InFlight{&host, false, std::move(entry), std::move(previous)};
  fetcher_.Start(id, std::move(request));
  return Status::Ok();
}

Status CrawlRun::Finish(FetchResult result) {
  auto node = in_flight_.extract(result.id);
  if (node.empty()) return Status::Ok();  // not ours (cancelled earlier)
  InFlight& job = node.mapped();
  HostState& host = *job.host;
  const FetchResponse& response = result.response;
  --host.in_flight;
  AfterRequest(host, response);

  if (job.robots) {
    RETURN_IF_ERROR(Archive(host.robots_url.ToString(), response, nullptr));
    RETURN_IF_ERROR(LoadRobots(host, response));
    return FlushEnqueued();
  }

  WarcLocation location{"", -1};
  RETURN_IF_ERROR(Archive(job.entry.url, response, &location));
  ++stats_.fetched;
  const Outcome outcome = HandleDocument(job.entry, response, job.previous, location);
  // What the document led to is persisted before the document is marked
  // done, so a run killed in between loses nothing.
  RETURN_IF_ERROR(FlushEnqueued());
  RETURN_IF_ERROR(MarkDone(job.entry.url, outcome.word));
  if (!outcome.redirect_target.empty()) {
    RETURN_IF_ERROR(MarkDone(outcome.redirect_target, outcome.word));
  }
  handler_.OnProgress(stats_, job.entry.url);
  return Status::Ok();
}

// A failed transfer has no complete response to keep (but the 503s of its
// earlier attempts, if any).
Status CrawlRun::Archive(const std::string& url, const FetchResponse& response,
                         WarcLocation* location) {
  if (!warc_ || (response.http_status == 0 && response.earlier_attempts.empty())) {
    return Status::Ok();
  }
  StatusOr<WarcLocation> written = warc_->WriteExchange(url, response);
  if (!written.ok()) return written.status();
  if (location != nullptr) *location = *written;
  return Status::Ok();
}

// The delay runs from the end of one response to the start of the next
// request, so a slow server is not also hit at full rate. A 429/503 that
// is final (the fetcher's retries are spent, or it asked for too long a
// wait) pushes the host's next request out by its Retry-After.
void CrawlRun::AfterRequest(HostState& host, const FetchResponse& response) {
  int64_t wait_ms = host.delay_ms;
  if ((response.http_status == 429 || response.http_status == 503) &&
      response.retry_after_seconds > 0) {
    wait_ms = std::max<int64_t>(
        wait_ms, std::min<int64_t>(kMaxHostDelayMs,
                                   static_cast<int64_t>(response.retry_after_seconds * 1000)));
  }
  host.next_request = std::max(host.next_request, Clock::now() + std::chrono::milliseconds(wait_ms));
}

// Before a host's first request: a cached answer younger than
// robots_max_age_s is used as if just fetched (RFC 9309 section 2.4).
// Returns whether it was; any cached answer is kept on the host as a
// fallback for a failed fetch.
StatusOr<bool> CrawlRun::UseCachedRobots(HostState& host) {
  if (options_.robots_cache == nullptr) return false;
  ASSIGN_OR_RETURN(host.cached_robots, options_.robots_cache->Find(host.robots_url.ToString()));
  if (!host.cached_robots) return false;
  const int64_t age = NowUnix() - host.cached_robots->fetched_unix;
  // A negative age means the clock went back: trust the site, not the cache.
  if (age < 0 || age >= options_.robots_max_age_s) return false;
  ++stats_.robots_cached;
  SetRobotsRules(host, host.cached_robots->http_status, host.cached_robots->body);
  RobotsLoaded(host, /*requested=*/false);
  RETURN_IF_ERROR(FlushEnqueued());
  return true;
}

// RFC 9309 section 2.3.1: 2xx is parsed; 4xx means no restrictions
// (2.3.1.3); 5xx or no answer means complete disallow (2.3.1.4), unless an
// earlier answer is cached (2.4: a cached copy may outlive 24 hours while
// robots.txt is unreachable). Only 2xx and 4xx answers are cached: a
// server error must not shut a host out until the cache expires.
Status CrawlRun::LoadRobots(HostState& host, const FetchResponse& response) {
  const std::string robots = host.robots_url.ToString();
  const int status = response.http_status;
  if ((status >= 200 && status < 300) || (status >= 400 && status < 500)) {
    std::string_view body = status < 300 ? std::string_view(response.body) : std::string_view();
    if (body.size() > kMaxRobotsBytes) body = body.substr(0, kMaxRobotsBytes);
    SetRobotsRules(host, status, body);
    if (options_.robots_cache != nullptr) {
      RETURN_IF_ERROR(
          options_.robots_cache->Store(robots, CachedRobots{status, std::string(body), NowUnix()}));
    }
  } else {
    const std::string why = status == 0 ? response.error : "HTTP " + std::to_string(status);
    const std::optional<CachedRobots>& cached = host.cached_robots;
    const int64_t age = cached ? NowUnix() - cached->fetched_unix : -1;
    if (cached && age >= 0 && age <= options_.robots_max_stale_s) {
      SetRobotsRules(host, cached->http_status, cached->body);
      handler_.OnWarning(robots, "robots.txt: " + why + "; using the copy fetched " +
                                     std::to_string(age / 3600) + " h ago");
    } else {
      host.robots = RobotsRules::DisallowAll();
      Fail(robots, "robots.txt: " + why + ", treated as disallow-all");
    }
  }
  RobotsLoaded(host, /*requested=*/true);
  return Status::Ok();
}

void CrawlRun::SetRobotsRules(HostState& host, int http_status, std::string_view body) {
  if (http_status >= 200 && http_status < 300) {
    host.robots = RobotsRules::Parse(body, options_.user_agent_token);
  } else {
    host.robots = RobotsRules::AllowAll();
  }
}

// The host's rules are known: its Crawl-delay applies and the sitemaps it
// declares are queued.
void CrawlRun::RobotsLoaded(HostState& host, bool requested) {
  host.robots_state = HostState::Robots::kLoaded;
  const double delay_ms = host.robots.crawl_delay_seconds() * 1000;
  if (delay_ms > static_cast<double>(host.delay_ms)) {
    host.delay_ms = std::min<int64_t>(kMaxHostDelayMs, static_cast<int64_t>(delay_ms));
    // The robots.txt request itself is the first to wait for.
    if (requested) {
      host.next_request =
          std::max(host.next_request, Clock::now() + std::chrono::milliseconds(host.delay_ms));
    }
  }
  // Sitemaps a site declares are its own invitation: read them whatever
  // host they are on, at depth 0 so their entries are depth 1.
  for (const std::string& sitemap : host.robots.sitemaps()) {
    Discover(sitemap, host.robots_url, 0, host.source, Origin::kDeclaredSitemap);
  }
}

bool CrawlRun::OnSeedSite(const Url& url) const {
  return std::any_of(seed_urls_.begin(), seed_urls_.end(),
                     [&](const Url& seed) { return SameSite(seed, url); });
}

bool CrawlRun::PassesPatterns(const std::string& url) const {
  for (const std::string& pattern : options_.deny_patterns) {
    if (UrlMatchesPattern(url, pattern)) return false;
  }
  if (options_.allow_patterns.empty()) return true;
  return std::any_of(options_.allow_patterns.begin(), options_.allow_patterns.end(),
                     [&](const std::string& pattern) { return UrlMatchesPattern(url, pattern); });
}

void CrawlRun::Fail(const std::string& url, const std::string& reason) {
  ++stats_.failed;
  handler_.OnFailure(url, reason);
}

Status CrawlRun::FlushEnqueued() {
  if (to_enqueue_.empty() || options_.frontier == nullptr) return Status::Ok();
  std::vector<FrontierItem> batch = std::exchange(to_enqueue_, {});
  return options_.frontier->Enqueue(batch);
}

Status CrawlRun::MarkDone(const std::string& url, const std::string& outcome) {
  if (options_.frontier == nullptr) return Status::Ok();
  return options_.frontier->MarkDone(url, outcome);
}

// Allow/deny patterns describe pages; sitemaps that lead to pages are not
// held to them, or "allow /news/*" would drop /sitemap.xml.
void CrawlRun::Discover(std::string_view href, const Url& base, int depth, int source,
                        Origin origin) {
  std::optional<Url> resolved = ResolveUrl(base, href);
  if (!resolved) return;
  Url url = Canonicalize(*resolved);
  std::string text = url.ToString();
  auto reject = [&](int& counter) {
    if (urls_.try_emplace(std::move(text), UrlState::kRejected).second) ++counter;
  };
  if (origin != Origin::kDeclaredSitemap && !OnSeedSite(url)) return reject(stats_.off_site);
  // robots.txt is read by the crawler itself, never as a page, though
  // many sites link to it from their footers.
  if (origin == Origin::kLink &&
      (!PassesPatterns(text) || HasNonPageExtension(url) || url.path == "/robots.txt")) {
    return reject(stats_.filtered);
  }
  Queue({std::move(text), std::move(url), depth, source}, /*persist=*/true);
}

std::string WithAttempts(std::string reason, const FetchResponse& response) {
  if (response.attempts > 1) reason += " after " + std::to_string(response.attempts) + " attempts";
  return reason;
}

Outcome CrawlRun::HandleDocument(const FrontierEntry& entry, const FetchResponse& response,
                                 const std::optional<PreviousFetch>& previous,
                                 const WarcLocation& location) {
  urls_[entry.url] = UrlState::kHandled;

  // Step 1: outcomes that end here.
  if (!response.error.empty()) {
    Fail(entry.url, WithAttempts(response.error, response));
    return {"failed", ""};
  }
  if (response.http_status == 304) {
    ++stats_.unchanged;
    handler_.OnUnchanged(entry.url);
    return {"unchanged", ""};
  }
  if (response.http_status < 200 || response.http_status >= 300) {
    Fail(entry.url, WithAttempts("HTTP " + std::to_string(response.http_status), response));
    return {"failed", ""};
  }

  // Step 2: where we ended up. A redirect to something already handled is
  // a duplicate; otherwise the target is now handled too (and done, if it
  // was queued).
  std::optional<Url> final_parsed = ParseUrl(response.final_url);
  Url final = final_parsed ? Canonicalize(*final_parsed) : entry.parsed;
  const std::string final_url = final.ToString();
  std::string redirect_target;
  if (final_url != entry.url) {
    auto [it, inserted] = urls_.try_emplace(final_url, UrlState::kHandled);
    if (!inserted) {
      if (it->second == UrlState::kHandled) {
        ++stats_.duplicates;
        return {"skipped", ""};
      }
      if (it->second == UrlState::kQueued) redirect_target = final_url;
      it->second = UrlState::kHandled;
    }
  }

  // Step 3: a feed or sitemap adds URLs; anything else is a page.
  Outcome outcome;
  StatusOr<std::string> bytes = MaybeGunzip(response.body, options_.max_body_bytes);
  if (!bytes.ok()) {
    Fail(entry.url, bytes.status().message());
    outcome.word = "failed";
  } else {
    const LinkList list = ParseLinkList(*bytes, response.content_type, final_url);
    if (list.kind != LinkListKind::kNotALinkList) {
      outcome = ProcessLinkList(entry, final, list);
    } else if (IsFeedType(response.content_type)) {
      Fail(entry.url, "unreadable feed: " +
                          (list.warnings.empty() ? "not a feed (content type " +
                                                       MediaType(response.content_type) + ")"
                                                 : list.warnings.front()));
      outcome.word = "failed";
    } else {
      outcome = ProcessPage(entry, final_url, final, response, *bytes,
                            final_url == entry.url ? previous : handler_.Previous(final_url),
                            location);
    }
  }
  outcome.redirect_target = std::move(redirect_target);
  return outcome;
}

Outcome CrawlRun::ProcessLinkList(const FrontierEntry& entry, const Url& base,
                                  const LinkList& list) {
  const bool index = list.kind == LinkListKind::kSitemapIndex;
  const bool sitemap = index || list.kind == LinkListKind::kSitemap ||
                       list.kind == LinkListKind::kSitemapText;
  ++(sitemap ? stats_.sitemaps : stats_.feeds);
  if (list.entries.empty() && !list.warnings.empty()) {
    Fail(entry.url,
         (sitemap ? "unreadable sitemap: " : "unreadable feed: ") + list.warnings.front());
    return {"failed", ""};
  }
  // Salvaged: the entries are followed, and what was wrong is recorded (the
  // first few warnings; a broken file can produce thousands).
  constexpr size_t kMaxWarnings = 3;
  for (size_t i = 0; i < list.warnings.size() && i < kMaxWarnings; ++i) {
    handler_.OnWarning(entry.url, list.warnings[i]);
  }
  for (const LinkListEntry& item : list.entries) {
    if (index) {
      Discover(item.url, base, entry.depth, entry.source, Origin::kSitemapChild);
    } else {
      Discover(item.url, base, entry.depth + 1, entry.source, Origin::kLink);
    }
  }
  return {"listing", ""};
}

Outcome CrawlRun::ProcessPage(const FrontierEntry& entry, const std::string& final_url,
                              const Url& final, const FetchResponse& response,
                              const std::string& bytes,
                              const std::optional<PreviousFetch>& previous,
                              const WarcLocation& location) {
  if (!IsReadablePageType(response.content_type)) {
    Fail(entry.url, "not a page: content type " + MediaType(response.content_type));
    return {"failed", ""};
  }
  const std::string hash = HexHash64(response.body);
  if (previous && previous->content_hash == hash) {
    ++stats_.unchanged;
    handler_.OnUnchanged(final_url);
    return {"unchanged", ""};
  }
  // The same bytes under a second URL in this run (mirrors, print views,
  // session ids the canonicaliser does not know).
  if (!content_hashes_.insert(hash).second) {
    ++stats_.duplicates;
    return {"skipped", ""};
  }
  StatusOr<DecodedDocument> decoded =
      DecodeDocument(bytes, ContentTypeForDecoding(response.content_type, bytes));
  if (!decoded.ok()) {
    Fail(entry.url, "cannot decode: " + decoded.status().message());
    return {"failed", ""};
  }

  Page page;
  page.url = final_url;
  page.requested_url = entry.url;
  page.fetched_at = response.fetched_at;
  page.http_status = response.http_status;
  page.content_type = response.content_type;
  page.charset = decoded->charset;
  page.html = std::move(decoded->utf8);
  page.content_hash = hash;
  page.etag = response.etag;
  page.last_modified = response.last_modified;
  page.warc_path = location.path;
  page.warc_offset = location.offset;
  ++stats_.pages;
  const std::vector<std::string> links = handler_.OnPage(page);

  if (entry.depth + 1 <= options_.max_depth) {
    for (const std::string& link : links) {
      Discover(link, final, entry.depth + 1, entry.source, Origin::kLink);
    }
  }
  return {"page", ""};
}

}  // namespace

bool UrlMatchesPattern(std::string_view url, std::string_view pattern) {
  if (pattern.find('*') == std::string_view::npos) {
    return url.find(pattern) != std::string_view::npos;
  }
  return GlobMatch(url, pattern);
}

Crawler::Crawler(CrawlOptions options, Fetcher& fetcher, CrawlHandler& handler)
    : options_(std::move(options)), fetcher_(fetcher), handler_(handler) {}

StatusOr<CrawlStats> Crawler::Run(const std::vector<std::string>& seeds) {
  if (options_.max_depth < 0 || options_.max_pages <= 0 || options_.per_host_delay_ms < 0 ||
      options_.max_body_bytes == 0 || options_.max_connections <= 0 ||
      options_.per_host_connections <= 0) {
    return InvalidArgumentError(
        "crawl options: max_depth and per_host_delay_ms must be >= 0, max_pages, "
        "max_body_bytes, max_connections and per_host_connections > 0");
  }
  CrawlRun run(options_, fetcher_, handler_);
  const Status started = run.Start(seeds);
  StatusOr<CrawlStats> stats = started.ok() ? run.Loop() : StatusOr<CrawlStats>(started);
  // A run stopped by an error leaves transfers in flight; the fetcher must
  // not hand their responses to the next run.
  if (!stats.ok()) fetcher_.Cancel();
  return stats;
}

}  // namespace newsclaim::crawler
