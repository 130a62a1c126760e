#include "store/database.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "store/near_duplicates.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace newsclaim::store {

using internal::Connection;
using internal::Statement;
using internal::Transaction;

namespace {

// ISO 8601 UTC with milliseconds, so events of one run sort in order.
std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

// claims.hedges: a JSON array of strings, or "" (stored as NULL) for none.
std::string HedgesToJson(const std::vector<std::string>& hedges) {
  if (hedges.empty()) return "";
  return nlohmann::json(hedges).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> HedgesFromJson(const std::string& text) {
  std::vector<std::string> hedges;
  if (text.empty()) return hedges;
  nlohmann::json array = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!array.is_array()) return hedges;
  for (const nlohmann::json& hedge : array) {
    if (hedge.is_string()) hedges.push_back(hedge.get<std::string>());
  }
  return hedges;
}

// The YYYY-MM-DD prefix of an ISO date or date-time; "" otherwise.
std::string DatePart(const std::string& published) {
  if (published.size() >= 10 && published[4] == '-' && published[7] == '-') {
    return published.substr(0, 10);
  }
  return "";
}

std::string OptionalNumberText(const std::optional<double>& value) {
  if (!value) return "-";
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", *value);
  return buffer;
}

// Everything a claim states, for "did re-extraction change this claim?".
// Page fields are excluded: they belong to the page row.
std::string ClaimContentHash(const Claim& claim) {
  std::string material;
  auto add = [&material](std::string_view field) {
    material += field;
    material += '\x1f';
  };
  add(ClaimKindName(claim.kind));
  add(claim.subject);
  add(claim.counterparty);
  add(claim.product);
  add(OptionalNumberText(claim.interval.value));
  add(OptionalNumberText(claim.interval.low));
  add(OptionalNumberText(claim.interval.high));
  add(claim.interval.low_inclusive ? "1" : "0");
  add(claim.interval.high_inclusive ? "1" : "0");
  add(QualifierName(claim.interval.qualifier));
  add(claim.unit);
  if (claim.time) {
    add(claim.time->range.start);
    add(claim.time->range.end);
    add(TimeRelationName(claim.time->relation));
  } else {
    add("-");
  }
  add(ClaimStatusName(claim.status));
  for (const std::string& hedge : claim.hedges) add(hedge);
  add("|");
  add(claim.attribution);
  add(claim.text);
  add(claim.quote);
  add(claim.rule);
  add(std::to_string(claim.start));
  add(std::to_string(claim.end));
  return HexHash64(material);
}

// The columns ReadClaim expects, in order, from claims c JOIN pages p.
constexpr std::string_view kClaimColumns =
    "c.claim_id, c.kind, c.subject, c.counterparty, c.product, c.value, c.low, c.high, "
    "c.low_inclusive, c.high_inclusive, c.qualifier, c.unit, c.time_start, c.time_end, "
    "c.time_relation, c.status, c.text, c.quote, c.rule, c.span_start, c.span_end, "
    "c.page_id, p.url, p.title, p.lang, p.published, c.hedges, c.attribution";

Claim ReadClaim(const Statement& row) {
  Claim claim;
  claim.id = row.Text(0);
  claim.kind = ParseClaimKind(row.Text(1)).value_or(ClaimKind::kQuantity);
  claim.subject = row.Text(2);
  claim.counterparty = row.Text(3);
  claim.product = row.Text(4);
  claim.interval.value = row.OptionalDouble(5);
  claim.interval.low = row.OptionalDouble(6);
  claim.interval.high = row.OptionalDouble(7);
  claim.interval.low_inclusive = row.Int(8) != 0;
  claim.interval.high_inclusive = row.Int(9) != 0;
  claim.interval.qualifier = ParseQualifier(row.Text(10)).value_or(Qualifier::kExact);
  claim.unit = row.Text(11);
  if (!row.IsNull(14)) {
    ClaimTime time;
    time.range.start = row.Text(12);
    time.range.end = row.Text(13);
    time.relation = ParseTimeRelation(row.Text(14)).value_or(TimeRelation::kOn);
    claim.time = time;
  }
  claim.status = ParseClaimStatus(row.Text(15)).value_or(ClaimStatus::kNone);
  claim.text = row.Text(16);
  claim.quote = row.Text(17);
  claim.rule = row.Text(18);
  claim.start = row.Int(19);
  claim.end = row.Int(20);
  claim.page_id = row.Int(21);
  claim.url = row.Text(22);
  claim.title = row.Text(23);
  claim.lang = row.Text(24);
  claim.published = DatePart(row.Text(25));
  claim.hedges = HedgesFromJson(row.Text(26));
  claim.attribution = row.Text(27);
  return claim;
}

// A live claim's page fields, for Reconcile: read once per page rather than
// joined to every claim.
struct PageFields {
  std::string url, title, published;
};
using PageFieldMap = std::unordered_map<int64_t, PageFields>;

// One subject's live claims of one kind, through the (live, kind, subject)
// index, with what reconciliation reads (ReadReconcileClaim): no hedges,
// attribution or page columns.
constexpr std::string_view kReconcileClaimSql =
    "SELECT c.claim_id, c.kind, c.subject, c.counterparty, c.product, c.value, c.low, c.high, "
    "c.low_inclusive, c.high_inclusive, c.qualifier, c.unit, c.time_start, c.time_end, "
    "c.time_relation, c.status, c.text, c.quote, c.rule, c.span_start, c.span_end, "
    "c.page_id, NULL, NULL, NULL, NULL, NULL, NULL "
    "FROM claims c WHERE c.live = 1 AND c.kind = ?1 AND c.subject = ?2";

// A row of kReconcileClaimSql as FindSubjectConflicts wants it: the claim
// with its page's URL, title and date, its measure and scope read, and its
// quote and rule dropped (they are most of its bytes and nothing else
// reads them).
ReconcileClaim ReadReconcileClaim(const Statement& row, const PageFieldMap& pages) {
  ReconcileClaim read;
  read.claim = ReadClaim(row);
  Claim& claim = read.claim;
  auto page = pages.find(claim.page_id);
  if (page != pages.end()) {
    claim.url = page->second.url;
    claim.title = page->second.title;
    claim.published = page->second.published;
  }
  read.measure = MeasureOf(claim);
  read.scope = ScopeOf(claim);
  std::string().swap(claim.quote);
  std::string().swap(claim.rule);
  return read;
}

std::string ClaimSelect(std::string_view from_and_where) {
  return "SELECT " + std::string(kClaimColumns) + " " + std::string(from_and_where);
}

bool StatusMatches(ConflictStatusFilter filter, const std::string& status) {
  switch (filter) {
    case ConflictStatusFilter::kOpen: return status == "open";
    case ConflictStatusFilter::kConfirmed: return status == "confirmed";
    case ConflictStatusFilter::kDismissed: return status == "dismissed";
    case ConflictStatusFilter::kResolved: return status == "resolved";
    case ConflictStatusFilter::kAll: return true;
  }
  return true;
}

}  // namespace

struct Database::Impl {
  std::unique_ptr<Connection> connection;

  Status AddEvent(std::string_view type, int64_t page_id, std::string_view conflict_id,
                  const nlohmann::json& detail) {
    static constexpr std::string_view kSql =
        "INSERT INTO events (at, type, page_id, conflict_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)";
    ASSIGN_OR_RETURN(Statement insert, connection->Prepare(kSql));
    insert.Bind(1, UtcNow()).Bind(2, type);
    if (page_id > 0) {
      insert.Bind(3, page_id);
    } else {
      insert.BindNull(3);
    }
    insert.BindOrNull(4, conflict_id);
    insert.Bind(5, detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return insert.Run();
  }

  StatusOr<int64_t> IntQuery(std::string_view sql) {
    ASSIGN_OR_RETURN(Statement query, connection->Prepare(sql));
    ASSIGN_OR_RETURN(bool row, query.Step());
    return row ? query.Int(0) : 0;
  }

  // Member claim ids of a stored conflict.
  StatusOr<std::set<std::string>> MemberIds(const std::string& conflict_id) {
    static constexpr std::string_view kSql =
        "SELECT claim_id FROM conflict_claims WHERE conflict_id = ?1";
    ASSIGN_OR_RETURN(Statement query, connection->Prepare(kSql));
    query.Bind(1, conflict_id);
    std::set<std::string> ids;
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      ids.insert(query.Text(0));
    }
    return ids;
  }

  Status Migrate();

  // The URL, title and date (YYYY-MM-DD) of every page, by id.
  StatusOr<PageFieldMap> LoadPageFields() {
    PageFieldMap pages;
    ASSIGN_OR_RETURN(Statement query, connection->Prepare(
                                          "SELECT id, url, title, published FROM pages"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      pages[query.Int(0)] = {query.Text(1), query.Text(2), DatePart(query.Text(3))};
    }
    return pages;
  }

  // Sketches new or changed pages, finds near-duplicate pages, records
  // pages.copy_of and marks the live claims of copies derived (with the
  // reason); returns what FindConflicts needs to know about each page. Runs
  // inside the caller's transaction.
  StatusOr<std::map<int64_t, PageInfo>> UpdateNearDuplicates(ReconcileStats& stats);
};

Status Database::Impl::Migrate() {
  // Reading user_version is the first access to the file: a file that is not
  // SQLite fails here with SQLITE_NOTADB, which Error() maps to Corruption.
  ASSIGN_OR_RETURN(int64_t version, IntQuery("PRAGMA user_version"));
  const auto migrations = Migrations();
  const int64_t latest = static_cast<int64_t>(migrations.size());
  if (version > latest) {
    return CorruptionError("database " + connection->path().string() + " has schema version " +
                           std::to_string(version) + ", newer than this newsclaim (" +
                           std::to_string(latest) + "); upgrade newsclaim");
  }
  ASSIGN_OR_RETURN(int64_t application_id, IntQuery("PRAGMA application_id"));
  ASSIGN_OR_RETURN(int64_t tables, IntQuery("SELECT count(*) FROM sqlite_master"));
  if ((version == 0 && tables > 0) || (version > 0 && application_id != kApplicationId)) {
    return CorruptionError(connection->path().string() +
                           " is an SQLite file but not a newsclaim database");
  }
  // WAL lets readers (query, report, Datasette) work while a crawl writes.
  {
    ASSIGN_OR_RETURN(Statement wal, connection->Prepare("PRAGMA journal_mode=WAL"));
    ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.Text(0) != "wal") {
      return IoError("cannot switch " + connection->path().string() + " to WAL journal mode");
    }
  }
  // A 64 MB page cache (the default is 2 MB): Reconcile reads every live
  // claim and page, and re-reading them from the OS dominated its time.
  RETURN_IF_ERROR(connection->Exec(
      "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"));

  for (int64_t next = version; next < latest; ++next) {
    Transaction transaction(*connection);
    RETURN_IF_ERROR(transaction.status());
    // Another process may have migrated while we waited for the write lock.
    ASSIGN_OR_RETURN(int64_t current, IntQuery("PRAGMA user_version"));
    if (current > next) continue;
    RETURN_IF_ERROR(connection->Exec(migrations[next]));
    RETURN_IF_ERROR(connection->Exec("PRAGMA application_id=" + std::to_string(kApplicationId) +
                                     "; PRAGMA user_version=" + std::to_string(next + 1) + ";"));
    RETURN_IF_ERROR(transaction.Commit());
  }
  return Status::Ok();
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

int Database::SchemaVersion() { return static_cast<int>(Migrations().size()); }

const std::filesystem::path& Database::path() const { return impl_->connection->path(); }

StatusOr<Database> Database::Open(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(path));
  auto impl = std::make_unique<Impl>();
  impl->connection = std::move(connection);
  RETURN_IF_ERROR(impl->Migrate());
  return Database(std::move(impl));
}

Status Database::InTransaction(const std::function<Status()>& work) {
  Transaction transaction(*impl_->connection);
  RETURN_IF_ERROR(transaction.status());
  RETURN_IF_ERROR(work());
  return transaction.Commit();
}

StatusOr<int64_t> Database::UpsertPage(const Page& page, const Article& article) {
  if (page.url.empty()) return InvalidArgumentError("UpsertPage: page has no url");
  static constexpr std::string_view kSql = R"sql(
INSERT INTO pages (url, canonical_url, requested_url, fetched_at, published, modified, title,
                   author, site_name, lang, charset, http_status, content_type, content_hash,
                   etag, last_modified, warc_path, warc_offset, html, article_text,
                   first_seen, last_seen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?21)
ON CONFLICT(url) DO UPDATE SET
  canonical_url = excluded.canonical_url, requested_url = excluded.requested_url,
  fetched_at = excluded.fetched_at, published = excluded.published,
  modified = excluded.modified, title = excluded.title, author = excluded.author,
  site_name = excluded.site_name, lang = excluded.lang, charset = excluded.charset,
  http_status = excluded.http_status, content_type = excluded.content_type,
  content_hash = excluded.content_hash, etag = excluded.etag,
  last_modified = excluded.last_modified, warc_path = excluded.warc_path,
  warc_offset = excluded.warc_offset, html = excluded.html,
  article_text = excluded.article_text, last_seen = excluded.last_seen
RETURNING id)sql";
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  int64_t page_id = 0;
  {
    ASSIGN_OR_RETURN(Statement upsert, connection.Prepare(kSql));
    upsert.Bind(1, page.url)
        .BindOrNull(2, article.canonical_url)
        .BindOrNull(3, page.requested_url)
        .BindOrNull(4, page.fetched_at)
        .BindOrNull(5, article.published)
        .BindOrNull(6, article.modified)
        .BindOrNull(7, article.title)
        .BindOrNull(8, article.author)
        .BindOrNull(9, article.site_name)
        .BindOrNull(10, article.lang)
        .BindOrNull(11, page.charset)
        .Bind(12, page.http_status)
        .BindOrNull(13, page.content_type)
        .BindOrNull(14, page.content_hash)
        .BindOrNull(15, page.etag)
        .BindOrNull(16, page.last_modified)
        .BindOrNull(17, page.warc_path);
    if (page.warc_offset >= 0) {
      upsert.Bind(18, page.warc_offset);
    } else {
      upsert.BindNull(18);
    }
    upsert.Bind(19, page.html).Bind(20, article.text).Bind(21, UtcNow());
    ASSIGN_OR_RETURN(bool row, upsert.Step());
    if (!row) return InternalError("UpsertPage: no id returned for " + page.url);
    page_id = upsert.Int(0);
    RETURN_IF_ERROR(upsert.Run());
  }
  RETURN_IF_ERROR(impl_->AddEvent("page_stored", page_id, "",
                                  {{"url", page.url}, {"content_hash", page.content_hash}}));
  RETURN_IF_ERROR(transaction.Commit());
  return page_id;
}

Status Database::ReplaceClaims(int64_t page_id, const std::vector<Claim>& claims,
                               std::string_view rules_fingerprint) {
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());

  std::string page_url;
  {
    ASSIGN_OR_RETURN(Statement page, connection.Prepare("SELECT url FROM pages WHERE id = ?1"));
    page.Bind(1, page_id);
    ASSIGN_OR_RETURN(bool found, page.Step());
    if (!found) return NotFoundError("ReplaceClaims: no page with id " + std::to_string(page_id));
    page_url = page.Text(0);
  }

  // The page's live claims: claim id -> (row id, content hash).
  std::unordered_map<std::string, std::pair<int64_t, std::string>> live;
  {
    ASSIGN_OR_RETURN(Statement query,
                     connection.Prepare("SELECT claim_id, row_id, content_hash FROM claims "
                                        "WHERE page_id = ?1 AND live = 1"));
    query.Bind(1, page_id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      live[query.Text(0)] = {query.Int(1), query.Text(2)};
    }
  }

  const std::string now = UtcNow();
  auto supersede = [&](int64_t row_id, const std::string& reason) -> Status {
    ASSIGN_OR_RETURN(Statement update,
                     connection.Prepare("UPDATE claims SET live = 0, superseded_at = ?2, "
                                        "superseded_reason = ?3 WHERE row_id = ?1"));
    update.Bind(1, row_id).Bind(2, now).Bind(3, reason);
    return update.Run();
  };
  static constexpr std::string_view kInsert = R"sql(
INSERT INTO claims (claim_id, page_id, kind, subject, counterparty, product, value, low, high,
                    low_inclusive, high_inclusive, qualifier, unit, time_start, time_end,
                    time_relation, status, text, quote, rule, span_start, span_end,
                    rules_fingerprint, content_hash, live, created_at, hedges, attribution)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?22, ?23, ?24, 1, ?25, ?26, ?27))sql";
  const std::string fingerprint(rules_fingerprint);
  int inserted = 0, unchanged = 0, superseded = 0, duplicates = 0;
  std::set<std::string> seen;
  for (const Claim& claim : claims) {
    std::string id = claim.id;
    if (id.empty()) {
      id = HexHash64(page_url + '\x1f' + std::to_string(claim.start) + '\x1f' +
                     std::to_string(claim.end) + '\x1f' + claim.rule + '\x1f' + claim.text);
    }
    // One live version per id and page: a repeated id keeps its first claim.
    if (!seen.insert(id).second) {
      ++duplicates;
      continue;
    }
    const std::string content_hash = ClaimContentHash(claim);
    auto existing = live.find(id);
    if (existing != live.end()) {
      if (existing->second.second == content_hash) {
        ASSIGN_OR_RETURN(Statement keep,
                         connection.Prepare("UPDATE claims SET rules_fingerprint = ?2 "
                                            "WHERE row_id = ?1"));
        keep.Bind(1, existing->second.first).Bind(2, fingerprint);
        RETURN_IF_ERROR(keep.Run());
        live.erase(existing);
        ++unchanged;
        continue;
      }
      RETURN_IF_ERROR(supersede(existing->second.first,
                                "changed by re-extraction with rules " + fingerprint));
      live.erase(existing);
      ++superseded;
    }
    ASSIGN_OR_RETURN(Statement insert, connection.Prepare(kInsert));
    insert.Bind(1, id)
        .Bind(2, page_id)
        .Bind(3, ClaimKindName(claim.kind))
        .BindOrNull(4, claim.subject)
        .BindOrNull(5, claim.counterparty)
        .BindOrNull(6, claim.product)
        .Bind(7, claim.interval.value)
        .Bind(8, claim.interval.low)
        .Bind(9, claim.interval.high)
        .Bind(10, claim.interval.low_inclusive ? 1 : 0)
        .Bind(11, claim.interval.high_inclusive ? 1 : 0)
        .Bind(12, QualifierName(claim.interval.qualifier))
        .BindOrNull(13, claim.unit);
    if (claim.time) {
      insert.Bind(14, claim.time->range.start)
          .Bind(15, claim.time->range.end)
          .Bind(16, TimeRelationName(claim.time->relation));
    } else {
      insert.BindNull(14).BindNull(15).BindNull(16);
    }
    insert.BindOrNull(17, ClaimStatusName(claim.status))
        .Bind(18, claim.text)
        .Bind(19, claim.quote)
        .Bind(20, claim.rule)
        .Bind(21, claim.start)
        .Bind(22, claim.end)
        .BindOrNull(23, fingerprint)
        .Bind(24, content_hash)
        .Bind(25, now)
        .BindOrNull(26, HedgesToJson(claim.hedges))
        .BindOrNull(27, claim.attribution);
    RETURN_IF_ERROR(insert.Run());
    ++inserted;
    // Names the gazetteer lacks become entities of their own.
    for (const std::string* name : {&claim.subject, &claim.counterparty}) {
      if (name->empty()) continue;
      ASSIGN_OR_RETURN(Statement entity,
                       connection.Prepare("INSERT OR IGNORE INTO entities (name, type, origin) "
                                          "VALUES (?1, 'organization', 'discovered')"));
      entity.Bind(1, *name);
      RETURN_IF_ERROR(entity.Run());
    }
  }
  for (const auto& [id, row] : live) {
    RETURN_IF_ERROR(supersede(row.first, "not produced by rules " + fingerprint));
    ++superseded;
  }
  {
    ASSIGN_OR_RETURN(Statement update,
                     connection.Prepare("UPDATE pages SET rules_fingerprint = ?2 WHERE id = ?1"));
    update.Bind(1, page_id).BindOrNull(2, fingerprint);
    RETURN_IF_ERROR(update.Run());
  }
  RETURN_IF_ERROR(impl_->AddEvent("claims_replaced", page_id, "",
                                  {{"rules", fingerprint},
                                   {"inserted", inserted},
                                   {"unchanged", unchanged},
                                   {"superseded", superseded},
                                   {"duplicate_ids", duplicates}}));
  return transaction.Commit();
}

Status Database::RecordFailure(std::string_view url, std::string_view stage,
                               std::string_view reason) {
  ASSIGN_OR_RETURN(Statement insert,
                   impl_->connection->Prepare("INSERT INTO failures (url, stage, reason, at) "
                                              "VALUES (?1, ?2, ?3, ?4)"));
  insert.Bind(1, url).Bind(2, stage).Bind(3, reason).Bind(4, UtcNow());
  return insert.Run();
}

StatusOr<std::optional<Validators>> Database::FindValidators(std::string_view url) {
  ASSIGN_OR_RETURN(Statement query,
                   impl_->connection->Prepare(
                       "SELECT etag, last_modified, content_hash FROM pages "
                       "WHERE url = ?1 OR requested_url = ?1 ORDER BY url = ?1 DESC LIMIT 1"));
  query.Bind(1, url);
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return std::optional<Validators>();
  return std::optional<Validators>(Validators{query.Text(0), query.Text(1), query.Text(2)});
}

Status Database::TouchPage(std::string_view url) {
  ASSIGN_OR_RETURN(Statement update,
                   impl_->connection->Prepare("UPDATE pages SET last_seen = ?2 "
                                              "WHERE url = ?1 OR requested_url = ?1"));
  update.Bind(1, url).Bind(2, UtcNow());
  return update.Run();
}

StatusOr<std::vector<StoredPage>> Database::PagesToExtract(std::string_view rules_fingerprint,
                                                           bool all) {
  static constexpr std::string_view kSql = R"sql(
SELECT id, url, requested_url, fetched_at, http_status, content_type, charset, html,
       content_hash, etag, last_modified, warc_path, warc_offset, article_text, title,
       published, modified, author, site_name, lang, canonical_url, rules_fingerprint
FROM pages
WHERE ?2 OR rules_fingerprint IS NULL OR rules_fingerprint != ?1
ORDER BY id)sql";
  ASSIGN_OR_RETURN(Statement query, impl_->connection->Prepare(kSql));
  query.Bind(1, rules_fingerprint).Bind(2, all ? 1 : 0);
  std::vector<StoredPage> pages;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    StoredPage stored;
    stored.id = query.Int(0);
    Page& page = stored.page;
    page.id = stored.id;
    page.url = query.Text(1);
    page.requested_url = query.Text(2);
    page.fetched_at = query.Text(3);
    page.http_status = static_cast<int>(query.Int(4));
    page.content_type = query.Text(5);
    page.charset = query.Text(6);
    page.html = query.Text(7);
    page.content_hash = query.Text(8);
    page.etag = query.Text(9);
    page.last_modified = query.Text(10);
    page.warc_path = query.Text(11);
    page.warc_offset = query.IsNull(12) ? -1 : query.Int(12);
    Article& article = stored.article;
    article.text = query.Text(13);
    article.title = query.Text(14);
    article.published = query.Text(15);
    article.modified = query.Text(16);
    article.author = query.Text(17);
    article.site_name = query.Text(18);
    article.lang = query.Text(19);
    article.canonical_url = query.Text(20);
    stored.rules_fingerprint = query.Text(21);
    pages.push_back(std::move(stored));
  }
  return pages;
}

StatusOr<std::vector<Claim>> Database::QueryClaims(const ClaimFilter& filter) {
  // Only the filters given become conditions, so each combination is its
  // own cached statement and every value is bound.
  std::string where = "FROM claims c JOIN pages p ON p.id = c.page_id WHERE c.live = 1";
  std::vector<std::string> values;
  auto add = [&](const std::string& value, const std::string& condition) {
    if (value.empty()) return;
    values.push_back(value);
    const std::string index = "?" + std::to_string(values.size());
    std::string bound = condition;
    for (size_t at = bound.find('?'); at != std::string::npos; at = bound.find('?', at + index.size())) {
      bound.replace(at, 1, index);
    }
    where += " AND " + bound;
  };
  add(filter.kind, "c.kind = ?");
  add(filter.subject, "c.subject = ?");
  add(filter.url, "(p.url = ? OR p.canonical_url = ? OR p.requested_url = ?)");
  add(filter.since, "COALESCE(c.time_end, substr(p.published, 1, 10)) >= ?");
  add(filter.until, "COALESCE(c.time_start, substr(p.published, 1, 10)) <= ?");
  where += " ORDER BY substr(p.published, 1, 10), p.url, c.span_start, c.claim_id";
  const std::string sql = ClaimSelect(where);
  ASSIGN_OR_RETURN(Statement query, impl_->connection->Prepare(sql));
  for (size_t i = 0; i < values.size(); ++i) query.Bind(static_cast<int>(i + 1), values[i]);
  std::vector<Claim> claims;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    claims.push_back(ReadClaim(query));
  }
  return claims;
}

Status Database::SyncGazetteer(const std::vector<EntityRecord>& gazetteer) {
  static constexpr std::string_view kUpsert = R"sql(
INSERT INTO entities (name, type, origin) VALUES (?1, ?2, 'gazetteer')
ON CONFLICT(name) DO UPDATE SET type = excluded.type, origin = 'gazetteer'
RETURNING id)sql";
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  RETURN_IF_ERROR(connection.Exec("DELETE FROM part_of"));
  for (const EntityRecord& entity : gazetteer) {
    int64_t id = 0;
    {
      ASSIGN_OR_RETURN(Statement upsert, connection.Prepare(kUpsert));
      upsert.Bind(1, entity.name).BindOrNull(2, entity.type);
      ASSIGN_OR_RETURN(bool row, upsert.Step());
      if (!row) return InternalError("entities: no id returned for " + entity.name);
      id = upsert.Int(0);
    }
    {
      ASSIGN_OR_RETURN(Statement clear,
                       connection.Prepare("DELETE FROM aliases WHERE entity_id = ?1"));
      clear.Bind(1, id);
      RETURN_IF_ERROR(clear.Run());
    }
    for (const std::string& name : entity.aliases) {
      // Latin-only aliases are English spellings; the rest Japanese.
      const bool latin =
          std::all_of(name.begin(), name.end(), [](char c) { return (c & 0x80) == 0; });
      ASSIGN_OR_RETURN(Statement alias,
                       connection.Prepare("INSERT OR IGNORE INTO aliases (alias, lang, entity_id) "
                                          "VALUES (?1, ?2, ?3)"));
      alias.Bind(1, name).Bind(2, latin ? "en" : "ja").Bind(3, id);
      RETURN_IF_ERROR(alias.Run());
    }
    if (!entity.part_of.empty()) {
      ASSIGN_OR_RETURN(Statement link, connection.Prepare(
                                           "INSERT OR REPLACE INTO part_of (child, parent) "
                                           "VALUES (?1, ?2)"));
      link.Bind(1, entity.name).Bind(2, entity.part_of);
      RETURN_IF_ERROR(link.Run());
    }
  }
  return transaction.Commit();
}

Status Database::SetPartOfLinks(const PartOfLinks& links) {
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  RETURN_IF_ERROR(connection.Exec("DELETE FROM part_of"));
  for (const auto& [child, parent] : links.parent) {
    ASSIGN_OR_RETURN(Statement insert,
                     connection.Prepare("INSERT INTO part_of (child, parent) VALUES (?1, ?2)"));
    insert.Bind(1, child).Bind(2, parent);
    RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

StatusOr<PartOfLinks> Database::LoadPartOfLinks() {
  ASSIGN_OR_RETURN(Statement query,
                   impl_->connection->Prepare("SELECT child, parent FROM part_of"));
  PartOfLinks links;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    links.parent[query.Text(0)] = query.Text(1);
  }
  return links;
}

Status Database::SetFxRates(const FxTable& table) {
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  RETURN_IF_ERROR(connection.Exec("DELETE FROM fx_rates"));
  for (const FxRate& rate : table.rates()) {
    ASSIGN_OR_RETURN(Statement insert,
                     connection.Prepare("INSERT OR REPLACE INTO fx_rates (date, base, quote, rate) "
                                        "VALUES (?1, ?2, ?3, ?4)"));
    insert.Bind(1, rate.date).Bind(2, rate.base).Bind(3, rate.quote).Bind(4, rate.rate);
    RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

StatusOr<FxTable> Database::LoadFxRates() {
  ASSIGN_OR_RETURN(Statement query, impl_->connection->Prepare(
                                        "SELECT date, base, quote, rate FROM fx_rates"));
  std::vector<FxRate> rates;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    rates.push_back({query.Text(0), query.Text(1), query.Text(2), query.Double(3)});
  }
  return FxTable::FromRates(std::move(rates));
}

StatusOr<std::map<int64_t, PageInfo>> Database::Impl::UpdateNearDuplicates(ReconcileStats& stats) {
  // Sketches are made from the article text on every run rather than
  // stored: sketching is a few nanoseconds per character, and rewriting
  // page rows to keep them cost more in WAL writes than it saved.
  struct Row {
    int64_t id;
    std::string url;
    std::string site_name;
    int64_t copy_of;
    std::optional<double> similarity;  // copy_similarity as stored
  };
  std::vector<Row> rows;
  std::vector<PageSketch> sketches;
  {
    ASSIGN_OR_RETURN(
        Statement query,
        connection->Prepare("SELECT id, substr(published, 1, 10), url, site_name, copy_of, "
                            "article_text, copy_similarity FROM pages ORDER BY id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      rows.push_back({query.Int(0), query.Text(2), query.Text(3),
                      query.IsNull(4) ? 0 : query.Int(4), query.OptionalDouble(6)});
      PageSketch sketch;
      sketch.page_id = rows.back().id;
      sketch.published = query.Text(1);
      sketch.sketch = SketchText(query.Text(5));
      sketches.push_back(std::move(sketch));
    }
  }
  std::map<int64_t, const NearDuplicate*> copies;
  const std::vector<NearDuplicate> found = FindNearDuplicates(sketches);
  for (const NearDuplicate& copy : found) copies[copy.page_id] = &copy;
  std::unordered_map<int64_t, const Row*> by_id;
  for (const Row& row : rows) by_id[row.id] = &row;

  std::map<int64_t, PageInfo> pages;
  for (const Row& row : rows) {
    auto copy = copies.find(row.id);
    const int64_t copy_of = copy == copies.end() ? 0 : copy->second->copy_of;
    if (copy_of != 0 || !row.site_name.empty()) {
      PageInfo& info = pages[row.id];
      info.site_name = row.site_name;
      info.copy_of = copy_of;
      if (copy_of != 0) info.copy_of_url = by_id.at(copy_of)->url;
    }
    // Claims of a copy are derived, with the reason; a page that is no
    // longer a copy gets its claims back as independent.
    std::string reason;
    if (copy_of != 0) {
      char similarity[16];
      std::snprintf(similarity, sizeof(similarity), "%.2f", copy->second->similarity);
      reason = "derived: the page is a near-duplicate (shingle similarity " +
               std::string(similarity) + ") of " + by_id.at(copy_of)->url +
               ", so its figures count once with that page's";
      ++stats.near_duplicate_pages;
    }
    if (copy_of != row.copy_of || copy_of != 0) {
      // An UPDATE rewrites the whole row, its HTML included: skip it when
      // the page copies the same page as last time, equally closely.
      const bool page_unchanged =
          copy_of == row.copy_of && copy_of != 0 && row.similarity == copy->second->similarity;
      if (!page_unchanged) {
        ASSIGN_OR_RETURN(Statement page,
                         connection->Prepare("UPDATE pages SET copy_of = ?2, copy_similarity = ?3 "
                                             "WHERE id = ?1"));
        page.Bind(1, row.id);
        if (copy_of != 0) {
          page.Bind(2, copy_of).Bind(3, copy->second->similarity);
        } else {
          page.BindNull(2).BindNull(3);
        }
        RETURN_IF_ERROR(page.Run());
      }
      ASSIGN_OR_RETURN(Statement claims,
                       connection->Prepare("UPDATE claims SET derived_reason = ?2 "
                                           "WHERE page_id = ?1 AND live = 1 "
                                           "AND derived_reason IS NOT ?2"));
      claims.Bind(1, row.id).BindOrNull(2, reason);
      RETURN_IF_ERROR(claims.Run());
    }
  }
  {
    ASSIGN_OR_RETURN(Statement count,
                     connection->Prepare("SELECT count(*) FROM claims "
                                         "WHERE live = 1 AND derived_reason IS NOT NULL"));
    ASSIGN_OR_RETURN(bool row, count.Step());
    stats.derived_claims = row ? static_cast<int>(count.Int(0)) : 0;
  }
  return pages;
}

StatusOr<ReconcileStats> Database::Reconcile(const PartOfLinks& extra_links) {
  ReconcileContext context;
  ASSIGN_OR_RETURN(context.part_of, LoadPartOfLinks());
  for (const auto& [child, parent] : extra_links.parent) context.part_of.parent[child] = parent;
  ASSIGN_OR_RETURN(FxTable fx, LoadFxRates());
  context.fx = &fx;
  context.copy_claims = false;

  ReconcileStats stats;
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  Clock::time_point phase = Clock::now();
  ASSIGN_OR_RETURN(context.pages, impl_->UpdateNearDuplicates(stats));
  stats.near_duplicate_seconds = seconds_since(phase);
  ASSIGN_OR_RETURN(const int64_t live_claims,
                   impl_->IntQuery("SELECT count(*) FROM claims WHERE live = 1"));
  stats.claims_compared = static_cast<int>(live_claims);
  const std::string now = UtcNow();

  // id -> stale flag of every stored conflict.
  std::unordered_map<std::string, bool> stored;
  {
    ASSIGN_OR_RETURN(Statement query, connection.Prepare("SELECT id, stale FROM conflicts"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      stored[query.Text(0)] = query.Int(1) != 0;
    }
  }

  // Each conflict as FindSubjectConflicts makes it: stored, or marked
  // current again.
  std::unordered_set<std::string> current;
  const auto store_one = [&](Conflict conflict) -> Status {
    ++stats.conflicts;
    ++stats.by_class[conflict.conflict_class];
    current.insert(conflict.id);
    auto it = stored.find(conflict.id);
    if (it != stored.end()) {
      ASSIGN_OR_RETURN(Statement update,
                       connection.Prepare(
                           "UPDATE conflicts SET severity = ?2, explanation = ?3, "
                           "preferred_claim_id = ?4, last_seen = ?5, stale = 0, stale_since = NULL "
                           "WHERE id = ?1"));
      update.Bind(1, conflict.id)
          .Bind(2, conflict.severity)
          .Bind(3, conflict.explanation)
          .BindOrNull(4, conflict.preferred_claim_id)
          .Bind(5, now);
      RETURN_IF_ERROR(update.Run());
      if (it->second) {
        RETURN_IF_ERROR(impl_->AddEvent("conflict_raised_again", 0, conflict.id, {}));
      }
      return Status::Ok();
    }

    // New evidence joining a reviewed conflict: same class and key, and the
    // reviewed conflict's claims are all among this one's.
    std::string reopened_from;
    {
      std::set<std::string> members;
      for (const std::string& id : conflict.claim_ids) members.insert(id);
      ASSIGN_OR_RETURN(Statement candidates,
                       connection.Prepare(
                           "SELECT k.id, (SELECT r.verdict FROM reviews r WHERE r.conflict_id = k.id "
                           "ORDER BY r.id DESC LIMIT 1) FROM conflicts k "
                           "WHERE k.class = ?1 AND k.key = ?2 AND k.id != ?3 "
                           "AND EXISTS (SELECT 1 FROM reviews r WHERE r.conflict_id = k.id) "
                           "ORDER BY k.last_seen DESC"));
      candidates.Bind(1, conflict.conflict_class).Bind(2, conflict.key).Bind(3, conflict.id);
      std::vector<std::pair<std::string, std::string>> reviewed;
      while (true) {
        ASSIGN_OR_RETURN(bool row, candidates.Step());
        if (!row) break;
        reviewed.emplace_back(candidates.Text(0), candidates.Text(1));
      }
      for (const auto& [old_id, verdict] : reviewed) {
        ASSIGN_OR_RETURN(std::set<std::string> old_members, impl_->MemberIds(old_id));
        bool subset = true;
        for (const std::string& id : old_members) subset = subset && members.count(id) > 0;
        if (!subset) continue;
        std::string joined;
        for (const std::string& id : members) {
          if (old_members.count(id) == 0) joined += (joined.empty() ? "" : ", ") + id;
        }
        reopened_from = old_id;
        conflict.explanation += " Reopened: conflict " + old_id + " was " + verdict +
                                " by a reviewer; new evidence joined it (claims " + joined + ").";
        ++stats.reopened;
        break;
      }
    }
    {
      ASSIGN_OR_RETURN(Statement insert,
                       connection.Prepare(
                           "INSERT INTO conflicts (id, class, severity, subject, kind, key, "
                           "explanation, preferred_claim_id, reopened_from, first_seen, last_seen) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"));
      insert.Bind(1, conflict.id)
          .Bind(2, conflict.conflict_class)
          .Bind(3, conflict.severity)
          .Bind(4, conflict.subject)
          .Bind(5, ClaimKindName(conflict.kind))
          .Bind(6, conflict.key)
          .Bind(7, conflict.explanation)
          .BindOrNull(8, conflict.preferred_claim_id)
          .BindOrNull(9, reopened_from)
          .Bind(10, now);
      RETURN_IF_ERROR(insert.Run());
    }
    for (const std::string& claim_id : conflict.claim_ids) {
      ASSIGN_OR_RETURN(Statement member,
                       connection.Prepare("INSERT OR IGNORE INTO conflict_claims "
                                          "(conflict_id, claim_id) VALUES (?1, ?2)"));
      member.Bind(1, conflict.id).Bind(2, claim_id);
      RETURN_IF_ERROR(member.Run());
    }
    ++stats.new_conflicts;
    RETURN_IF_ERROR(impl_->AddEvent(reopened_from.empty() ? "conflict_raised" : "conflict_reopened",
                                    0, conflict.id,
                                    {{"class", conflict.conflict_class},
                                     {"key", conflict.key},
                                     {"reopened_from", reopened_from}}));
    return Status::Ok();
  };
  const auto store_conflict = [&](Conflict conflict) -> Status {
    const Clock::time_point start = Clock::now();
    Status stored = store_one(std::move(conflict));
    stats.write_seconds += seconds_since(start);
    return stored;
  };

  // Subject by subject, in order, so that memory holds one subject's claims
  // (and its parts') at a time, never the whole store: FindSubjectConflicts
  // gives the conflicts in the order FindConflicts would over every claim.
  // Each subject's claims come through the (live, kind, subject) index.
  std::map<std::string, std::vector<std::string>> subjects;  // subject -> its kinds
  {
    ASSIGN_OR_RETURN(Statement query,
                     connection.Prepare("SELECT DISTINCT kind, subject FROM claims WHERE live = 1"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      const std::string kind = query.Text(0);
      const std::string subject = query.Text(1);
      if (subject.empty() || query.IsNull(1) || ParseClaimKind(kind) == ClaimKind::kDate) continue;
      subjects[subject].push_back(kind);
    }
  }
  ASSIGN_OR_RETURN(PageFieldMap page_fields, impl_->LoadPageFields());
  const auto load = [&](const std::string& subject, const std::vector<std::string>& kinds,
                        std::vector<ReconcileClaim>& out) -> Status {
    for (const std::string& kind : kinds) {
      ASSIGN_OR_RETURN(Statement by_subject, connection.Prepare(kReconcileClaimSql));
      by_subject.Bind(1, kind).Bind(2, subject);
      while (true) {
        ASSIGN_OR_RETURN(bool row, by_subject.Step());
        if (!row) break;
        out.push_back(ReadReconcileClaim(by_subject, page_fields));
      }
    }
    return Status::Ok();
  };
  const std::map<std::string, std::vector<std::string>> below = SubjectsBelow(context.part_of);
  std::vector<ReconcileClaim> own;
  std::vector<ReconcileClaim> parts;
  for (const auto& [subject, kinds] : subjects) {
    own.clear();
    parts.clear();
    phase = Clock::now();
    RETURN_IF_ERROR(load(subject, kinds, own));
    auto part_subjects = below.find(subject);
    if (part_subjects != below.end()) {
      for (const std::string& part : part_subjects->second) {
        auto part_kinds = subjects.find(part);
        if (part_kinds == subjects.end()) continue;
        // Only a part's groups with a whole group of the same kind matter
        // (kinds as ReadClaim reads them: an unknown name is a quantity).
        const auto kind_of = [](const std::string& name) {
          return ParseClaimKind(name).value_or(ClaimKind::kQuantity);
        };
        std::vector<std::string> shared;
        for (const std::string& kind : part_kinds->second) {
          const bool whole_has_it =
              std::any_of(kinds.begin(), kinds.end(), [&](const std::string& own_kind) {
                return kind_of(own_kind) == kind_of(kind);
              });
          if (whole_has_it) shared.push_back(kind);
        }
        RETURN_IF_ERROR(load(part, shared, parts));
      }
    }
    stats.load_seconds += seconds_since(phase);
    phase = Clock::now();
    const double written_before = stats.write_seconds;
    RETURN_IF_ERROR(FindSubjectConflicts(subject, own, parts, context, store_conflict));
    stats.compare_seconds += seconds_since(phase) - (stats.write_seconds - written_before);
  }
  std::vector<ReconcileClaim>().swap(own);
  std::vector<ReconcileClaim>().swap(parts);

  phase = Clock::now();
  for (const auto& [id, stale] : stored) {
    if (stale || current.count(id) > 0) continue;
    ASSIGN_OR_RETURN(Statement update,
                     connection.Prepare("UPDATE conflicts SET stale = 1, stale_since = ?2 "
                                        "WHERE id = ?1"));
    update.Bind(1, id).Bind(2, now);
    RETURN_IF_ERROR(update.Run());
    RETURN_IF_ERROR(impl_->AddEvent("conflict_stale", 0, id, {}));
    ++stats.stale;
  }
  RETURN_IF_ERROR(transaction.Commit());
  stats.write_seconds += seconds_since(phase);
  return stats;
}

StatusOr<std::vector<Conflict>> Database::ListConflicts(ConflictStatusFilter filter) {
  static constexpr std::string_view kSql = R"sql(
SELECT k.id, k.class, k.severity, k.subject, k.kind, k.key, k.explanation,
       k.preferred_claim_id, r.verdict, r.preferred_claim_id, r.note
FROM conflicts k
LEFT JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE conflict_id = k.id)
WHERE k.stale = 0
ORDER BY k.subject, k.class, k.id)sql";
  Connection& connection = *impl_->connection;
  std::vector<Conflict> conflicts;
  {
    ASSIGN_OR_RETURN(Statement query, connection.Prepare(kSql));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      Conflict conflict;
      conflict.id = query.Text(0);
      conflict.conflict_class = query.Text(1);
      conflict.severity = query.Text(2);
      conflict.subject = query.Text(3);
      conflict.kind = ParseClaimKind(query.Text(4)).value_or(ClaimKind::kQuantity);
      conflict.key = query.Text(5);
      conflict.explanation = query.Text(6);
      conflict.preferred_claim_id = query.Text(7);
      conflict.status = query.IsNull(8) ? "open" : query.Text(8);
      if (!StatusMatches(filter, conflict.status)) continue;
      const std::string reviewer_prefers = query.Text(9);
      const std::string note = query.Text(10);
      if (!reviewer_prefers.empty()) {
        conflict.preferred_claim_id = reviewer_prefers;
        conflict.explanation += " The reviewer prefers claim " + reviewer_prefers + ".";
      }
      if (!note.empty()) conflict.explanation += " Reviewer's note: " + note;
      conflicts.push_back(std::move(conflict));
    }
  }
  const std::string members_sql = ClaimSelect(
      "FROM conflict_claims cc JOIN claims c ON c.claim_id = cc.claim_id AND c.live = 1 "
      "JOIN pages p ON p.id = c.page_id WHERE cc.conflict_id = ?1 "
      "ORDER BY substr(p.published, 1, 10), c.claim_id");
  for (Conflict& conflict : conflicts) {
    ASSIGN_OR_RETURN(Statement members, connection.Prepare(members_sql));
    members.Bind(1, conflict.id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, members.Step());
      if (!row) break;
      conflict.claims.push_back(ReadClaim(members));
      conflict.claim_ids.push_back(conflict.claims.back().id);
    }
  }
  return conflicts;
}

Status Database::RecordReview(std::string_view conflict_id, std::string_view verdict,
                              std::string_view prefer_claim_id, std::string_view note) {
  if (verdict != "confirmed" && verdict != "dismissed" && verdict != "resolved") {
    return InvalidArgumentError("verdict must be confirmed, dismissed or resolved, not '" +
                                std::string(verdict) + "'");
  }
  Connection& connection = *impl_->connection;
  Transaction transaction(connection);
  RETURN_IF_ERROR(transaction.status());
  {
    ASSIGN_OR_RETURN(Statement find, connection.Prepare("SELECT 1 FROM conflicts WHERE id = ?1"));
    find.Bind(1, conflict_id);
    ASSIGN_OR_RETURN(bool found, find.Step());
    if (!found) return NotFoundError("no conflict with id '" + std::string(conflict_id) + "'");
  }
  if (!prefer_claim_id.empty()) {
    ASSIGN_OR_RETURN(Statement member,
                     connection.Prepare("SELECT 1 FROM conflict_claims "
                                        "WHERE conflict_id = ?1 AND claim_id = ?2"));
    member.Bind(1, conflict_id).Bind(2, prefer_claim_id);
    ASSIGN_OR_RETURN(bool found, member.Step());
    if (!found) {
      return InvalidArgumentError("claim '" + std::string(prefer_claim_id) +
                                  "' is not a member of conflict " + std::string(conflict_id));
    }
  }
  {
    ASSIGN_OR_RETURN(Statement insert,
                     connection.Prepare("INSERT INTO reviews (conflict_id, verdict, "
                                        "preferred_claim_id, note, at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert.Bind(1, conflict_id)
        .Bind(2, verdict)
        .BindOrNull(3, prefer_claim_id)
        .BindOrNull(4, note)
        .Bind(5, UtcNow());
    RETURN_IF_ERROR(insert.Run());
  }
  RETURN_IF_ERROR(impl_->AddEvent("review_recorded", 0, conflict_id,
                                  {{"verdict", std::string(verdict)},
                                   {"prefer", std::string(prefer_claim_id)},
                                   {"note", std::string(note)}}));
  return transaction.Commit();
}

StatusOr<StoreStats> Database::Stats() {
  StoreStats stats;
  ASSIGN_OR_RETURN(stats.pages, impl_->IntQuery("SELECT count(*) FROM pages"));
  ASSIGN_OR_RETURN(stats.claims, impl_->IntQuery("SELECT count(*) FROM claims WHERE live = 1"));
  ASSIGN_OR_RETURN(stats.superseded_claims,
                   impl_->IntQuery("SELECT count(*) FROM claims WHERE live = 0"));
  ASSIGN_OR_RETURN(stats.failures,
                   impl_->IntQuery("SELECT count(*) FROM failures WHERE stage <> 'warning'"));
  ASSIGN_OR_RETURN(stats.warnings,
                   impl_->IntQuery("SELECT count(*) FROM failures WHERE stage = 'warning'"));
  ASSIGN_OR_RETURN(stats.conflicts,
                   impl_->IntQuery("SELECT count(*) FROM conflicts WHERE stale = 0"));
  ASSIGN_OR_RETURN(stats.open_conflicts,
                   impl_->IntQuery("SELECT count(*) FROM v_conflicts WHERE current AND status = 'open'"));
  ASSIGN_OR_RETURN(stats.reviews, impl_->IntQuery("SELECT count(*) FROM reviews"));
  {
    ASSIGN_OR_RETURN(Statement query,
                     impl_->connection->Prepare(
                         "SELECT class, count(*) FROM conflicts WHERE stale = 0 GROUP BY class"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      stats.conflicts_by_class[query.Text(0)] = query.Int(1);
    }
  }
  {
    ASSIGN_OR_RETURN(Statement query,
                     impl_->connection->Prepare(
                         "SELECT kind, count(*) FROM claims WHERE live = 1 GROUP BY kind"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, query.Step());
      if (!row) break;
      stats.claims_by_kind[query.Text(0)] = query.Int(1);
    }
  }
  return stats;
}

}  // namespace newsclaim::store
