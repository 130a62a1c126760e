#include "crawler/crawler.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/hash.h"
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
// A Crawl-delay or Retry-After beyond this is taken as this: the run is
// single-threaded, and a silly value must not stall it for days.
constexpr int64_t kMaxHostDelayMs = 3600 * 1000;
// How far into the current depth the frontier looks for a URL whose host
// may be visited now, before the crawler sleeps.
constexpr size_t kReadyLookahead = 64;

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
};

// URLs waiting to be fetched, breadth-first by depth, each canonical URL at
// most once per run. Owned by one CrawlRun; not thread-safe.
class Frontier {
 public:
  // Queues `entry` unless its URL was ever offered before; returns whether
  // it was new. Offered-but-rejected URLs are remembered through Remember().
  bool Add(FrontierEntry entry) {
    if (!seen_.insert(entry.url).second) return false;
    by_depth_[entry.depth].push_back(std::move(entry));
    return true;
  }
  // Marks `url` as known without queueing it; returns whether it was new.
  bool Remember(const std::string& url) { return seen_.insert(url).second; }
  bool empty() const { return by_depth_.empty(); }

  // Removes the next entry of the lowest depth: the first, among the next
  // few, whose host `is_ready`; else the first (the caller then waits).
  template <typename ReadyFn>
  FrontierEntry Pop(ReadyFn is_ready) {
    auto level = by_depth_.begin();
    std::deque<FrontierEntry>& queue = level->second;
    size_t chosen = 0;
    const size_t limit = std::min(queue.size(), kReadyLookahead);
    for (size_t i = 0; i < limit; ++i) {
      if (is_ready(queue[i].parsed)) {
        chosen = i;
        break;
      }
    }
    FrontierEntry entry = std::move(queue[chosen]);
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(chosen));
    if (queue.empty()) by_depth_.erase(level);
    return entry;
  }

 private:
  std::map<int, std::deque<FrontierEntry>> by_depth_;
  std::unordered_set<std::string> seen_;
};

// What the crawler knows about one authority.
struct HostState {
  RobotsRules robots = RobotsRules::AllowAll();
  int64_t delay_ms = 0;
  Clock::time_point next_request{};  // not before this
};

// The state of one Crawler::Run.
class CrawlRun {
 public:
  CrawlRun(const CrawlOptions& options, Fetcher& fetcher, CrawlHandler& handler)
      : options_(options), fetcher_(fetcher), handler_(handler) {}

  Status Start(const std::vector<std::string>& seeds);
  StatusOr<CrawlStats> Loop();

 private:
  HostState* Host(const Url& url);
  StatusOr<HostState*> LoadRobots(const Url& url);
  void WaitForHost(HostState& host);
  void AfterRequest(HostState& host, const FetchResponse& response);
  StatusOr<FetchResponse> FetchAndArchive(const std::string& url, const FetchRequest& request,
                                          HostState& host, WarcLocation* location);
  Status Process(const FrontierEntry& entry);
  void ProcessLinkList(const FrontierEntry& entry, const Url& base, const LinkList& list);
  void ProcessPage(const FrontierEntry& entry, const std::string& final_url, const Url& final,
                   const FetchResponse& response, const std::string& bytes,
                   const std::optional<PreviousFetch>& previous, const WarcLocation& location);
  // How a URL was found decides which filters apply to it.
  enum class Origin {
    kLink,             // a page's link or a feed/sitemap entry: every filter
    kSitemapChild,     // a sitemap index's child: same site, but no allow/deny
    kDeclaredSitemap,  // a robots.txt Sitemap: line: none (the site asked for it)
  };
  void Discover(std::string_view href, const Url& base, int depth, Origin origin);
  bool OnSeedSite(const Url& url) const;
  bool PassesPatterns(const std::string& url) const;
  void Fail(const std::string& url, const std::string& reason);

  const CrawlOptions& options_;
  Fetcher& fetcher_;
  CrawlHandler& handler_;
  std::unique_ptr<WarcWriter> warc_;
  Frontier frontier_;
  std::vector<Url> seed_urls_;
  std::unordered_map<std::string, HostState> hosts_;  // by Authority(), robots loaded
  std::unordered_set<std::string> handled_;           // canonical URLs whose response was used
  std::unordered_set<std::string> content_hashes_;    // of pages handled in this run
  CrawlStats stats_;
};

Status CrawlRun::Start(const std::vector<std::string>& seeds) {
  if (seeds.empty()) return InvalidArgumentError("crawl: no seed URLs");
  for (const std::string& seed : seeds) {
    std::optional<Url> parsed = ParseUrl(seed);
    if (!parsed) return InvalidArgumentError("crawl: seed is not an http(s) URL: " + seed);
    Url canonical = Canonicalize(*parsed);
    seed_urls_.push_back(canonical);
    frontier_.Add({canonical.ToString(), canonical, 0});
  }
  if (!options_.warc_dir.empty()) {
    ASSIGN_OR_RETURN(warc_, WarcWriter::Open(options_.warc_dir));
  }
  return Status::Ok();
}

StatusOr<CrawlStats> CrawlRun::Loop() {
  while (!frontier_.empty() && stats_.fetched < options_.max_pages) {
    FrontierEntry entry = frontier_.Pop([this](const Url& url) {
      auto found = hosts_.find(url.Authority());
      return found == hosts_.end() || found->second.next_request <= Clock::now();
    });
    RETURN_IF_ERROR(Process(entry));
  }
  return stats_;
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

void CrawlRun::WaitForHost(HostState& host) {
  if (host.next_request > Clock::now()) std::this_thread::sleep_until(host.next_request);
}

// The delay runs from the end of one response to the start of the next
// request, so a slow server is not also hit at full rate. A 429/503 with
// Retry-After pushes the next request out further (no retry is made).
void CrawlRun::AfterRequest(HostState& host, const FetchResponse& response) {
  int64_t wait_ms = host.delay_ms;
  if ((response.http_status == 429 || response.http_status == 503) &&
      response.retry_after_seconds > 0) {
    wait_ms = std::max<int64_t>(
        wait_ms, std::min<int64_t>(kMaxHostDelayMs,
                                   static_cast<int64_t>(response.retry_after_seconds * 1000)));
  }
  host.next_request = Clock::now() + std::chrono::milliseconds(wait_ms);
}

StatusOr<FetchResponse> CrawlRun::FetchAndArchive(const std::string& url,
                                                  const FetchRequest& request, HostState& host,
                                                  WarcLocation* location) {
  WaitForHost(host);
  FetchResponse response = fetcher_.Fetch(request);
  AfterRequest(host, response);
  // A failed transfer has no complete response to keep.
  if (warc_ && response.http_status != 0) {
    StatusOr<WarcLocation> written = warc_->WriteExchange(url, response);
    if (!written.ok()) return written.status();
    if (location != nullptr) *location = *written;
  }
  return response;
}

// robots.txt is fetched once per authority, before its first URL
// (RFC 9309 section 2.3.1): 2xx is parsed; 4xx means no restrictions
// (2.3.1.3); 5xx or no answer means complete disallow (2.3.1.4).
StatusOr<HostState*> CrawlRun::LoadRobots(const Url& url) {
  const std::string authority = url.Authority();
  auto found = hosts_.find(authority);
  if (found != hosts_.end()) return &found->second;

  HostState& host = hosts_[authority];
  host.delay_ms = options_.per_host_delay_ms;
  Url robots_url = url;
  robots_url.path = "/robots.txt";
  robots_url.query.clear();
  const std::string robots = robots_url.ToString();

  ++stats_.robots_files;
  ASSIGN_OR_RETURN(FetchResponse response,
                   FetchAndArchive(robots, FetchRequest{robots, "", ""}, host, nullptr));
  const int status = response.http_status;
  if (status >= 200 && status < 300) {
    std::string_view body = response.body;
    if (body.size() > kMaxRobotsBytes) body = body.substr(0, kMaxRobotsBytes);
    host.robots = RobotsRules::Parse(body, options_.user_agent_token);
  } else if (status >= 400 && status < 500) {
    host.robots = RobotsRules::AllowAll();
  } else {
    host.robots = RobotsRules::DisallowAll();
    const std::string why =
        status == 0 ? response.error : "HTTP " + std::to_string(status);
    Fail(robots, "robots.txt: " + why + ", treated as disallow-all");
  }

  const double delay_ms = host.robots.crawl_delay_seconds() * 1000;
  if (delay_ms > static_cast<double>(host.delay_ms)) {
    host.delay_ms = std::min<int64_t>(kMaxHostDelayMs, static_cast<int64_t>(delay_ms));
    // The robots.txt request itself is the first to wait for.
    host.next_request = std::max(host.next_request,
                                 Clock::now() + std::chrono::milliseconds(host.delay_ms));
  }
  // Sitemaps a site declares are its own invitation: read them whatever
  // host they are on, at depth 0 so their entries are depth 1.
  for (const std::string& sitemap : host.robots.sitemaps()) {
    Discover(sitemap, robots_url, 0, Origin::kDeclaredSitemap);
  }
  return &host;
}

// Allow/deny patterns describe pages; sitemaps that lead to pages are not
// held to them, or "allow /news/*" would drop /sitemap.xml.
void CrawlRun::Discover(std::string_view href, const Url& base, int depth, Origin origin) {
  std::optional<Url> resolved = ResolveUrl(base, href);
  if (!resolved) return;
  Url url = Canonicalize(*resolved);
  std::string text = url.ToString();
  if (origin != Origin::kDeclaredSitemap && !OnSeedSite(url)) {
    if (frontier_.Remember(text)) ++stats_.off_site;
    return;
  }
  if (origin == Origin::kLink && (!PassesPatterns(text) || HasNonPageExtension(url))) {
    if (frontier_.Remember(text)) ++stats_.filtered;
    return;
  }
  frontier_.Add({std::move(text), std::move(url), depth});
}

Status CrawlRun::Process(const FrontierEntry& entry) {
  // Reached earlier as the target of a redirect.
  if (handled_.contains(entry.url)) {
    ++stats_.duplicates;
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(HostState * host, LoadRobots(entry.parsed));
  if (!host->robots.IsAllowed(PathAndQuery(entry.parsed))) {
    ++stats_.robots_denied;
    return Status::Ok();
  }

  // Step 1: fetch, conditionally when we hold validators.
  const std::optional<PreviousFetch> previous = handler_.Previous(entry.url);
  FetchRequest request{entry.url, "", ""};
  if (previous) {
    request.if_none_match = previous->etag;
    request.if_modified_since = previous->last_modified;
  }
  WarcLocation location{"", -1};
  ASSIGN_OR_RETURN(FetchResponse response,
                   FetchAndArchive(entry.url, request, *host, &location));
  ++stats_.fetched;
  handled_.insert(entry.url);

  // Step 2: outcomes that end here.
  if (!response.error.empty()) {
    Fail(entry.url, response.error);
  } else if (response.http_status == 304) {
    ++stats_.unchanged;
    handler_.OnUnchanged(entry.url);
  } else if (response.http_status < 200 || response.http_status >= 300) {
    Fail(entry.url, "HTTP " + std::to_string(response.http_status));
  } else {
    // Step 3: where we ended up. A redirect to something already handled
    // is a duplicate; otherwise the target is now handled too.
    std::optional<Url> final_parsed = ParseUrl(response.final_url);
    Url final = final_parsed ? Canonicalize(*final_parsed) : entry.parsed;
    const std::string final_url = final.ToString();
    if (final_url != entry.url) {
      frontier_.Remember(final_url);
      if (!handled_.insert(final_url).second) {
        ++stats_.duplicates;
        handler_.OnProgress(stats_, entry.url);
        return Status::Ok();
      }
    }

    // Step 4: a feed or sitemap adds URLs; anything else is a page.
    StatusOr<std::string> bytes = MaybeGunzip(response.body, options_.max_body_bytes);
    if (!bytes.ok()) {
      Fail(entry.url, bytes.status().message());
    } else {
      const LinkList list = ParseLinkList(*bytes, response.content_type, final_url);
      if (list.kind != LinkListKind::kNotALinkList) {
        ProcessLinkList(entry, final, list);
      } else {
        ProcessPage(entry, final_url, final, response, *bytes,
                    final_url == entry.url ? previous : handler_.Previous(final_url), location);
      }
    }
  }
  handler_.OnProgress(stats_, entry.url);
  return Status::Ok();
}

void CrawlRun::ProcessLinkList(const FrontierEntry& entry, const Url& base,
                               const LinkList& list) {
  const bool index = list.kind == LinkListKind::kSitemapIndex;
  const bool sitemap = index || list.kind == LinkListKind::kSitemap ||
                       list.kind == LinkListKind::kSitemapText;
  ++(sitemap ? stats_.sitemaps : stats_.feeds);
  if (list.entries.empty() && !list.warnings.empty()) {
    Fail(entry.url, (sitemap ? "unreadable sitemap: " : "unreadable feed: ") + list.warnings.front());
    return;
  }
  for (const LinkListEntry& item : list.entries) {
    if (index) {
      Discover(item.url, base, entry.depth, Origin::kSitemapChild);
    } else {
      Discover(item.url, base, entry.depth + 1, Origin::kLink);
    }
  }
}

void CrawlRun::ProcessPage(const FrontierEntry& entry, const std::string& final_url,
                           const Url& final, const FetchResponse& response,
                           const std::string& bytes,
                           const std::optional<PreviousFetch>& previous,
                           const WarcLocation& location) {
  if (!IsReadablePageType(response.content_type)) {
    Fail(entry.url, "not a page: content type " + MediaType(response.content_type));
    return;
  }
  const std::string hash = HexHash64(response.body);
  if (previous && previous->content_hash == hash) {
    ++stats_.unchanged;
    handler_.OnUnchanged(final_url);
    return;
  }
  // The same bytes under a second URL in this run (mirrors, print views,
  // session ids the canonicaliser does not know).
  if (!content_hashes_.insert(hash).second) {
    ++stats_.duplicates;
    return;
  }
  StatusOr<DecodedDocument> decoded = DecodeDocument(bytes, response.content_type);
  if (!decoded.ok()) {
    Fail(entry.url, "cannot decode: " + decoded.status().message());
    return;
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

  if (entry.depth + 1 > options_.max_depth) return;
  for (const std::string& link : links) {
    Discover(link, final, entry.depth + 1, Origin::kLink);
  }
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
      options_.max_body_bytes == 0) {
    return InvalidArgumentError(
        "crawl options: max_depth and per_host_delay_ms must be >= 0, max_pages and "
        "max_body_bytes > 0");
  }
  CrawlRun run(options_, fetcher_, handler_);
  RETURN_IF_ERROR(run.Start(seeds));
  return run.Loop();
}

}  // namespace newsclaim::crawler
