// store/database.h
// The claim database: pages, their claims (an append-only history), fetch
// failures, conflicts and reviewers' verdicts in one SQLite file. crawler/
// and extract/ results come in through app/; query, conflicts, report and
// review read it back out. The schema is documented in docs/schema.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "base/page.h"
#include "base/status.h"
#include "store/fx.h"
#include "store/reconcile.h"

namespace newsclaim::store {

// Which live claims QueryClaims returns. Empty fields match anything.
struct ClaimFilter {
  std::string kind;     // "gpu_count", ...
  std::string subject;  // canonical subject, exact
  // Compare the claim's time (or the page's published date when the claim
  // has none), YYYY-MM-DD: `since` keeps claims whose time ends on or after
  // it, `until` those whose time starts on or before it.
  std::string since;
  std::string until;
  std::string url;  // the page's URL (as stored, or its canonical URL)
};

// A stored page with what `extract [--all]` needs to re-run extraction.
struct StoredPage {
  int64_t id = 0;
  Page page;        // html is the decoded document as fetched
  Article article;  // the metadata and text stored with it
  std::string rules_fingerprint;  // of the rules that made its live claims
};

// What a conditional GET needs to skip an unchanged page.
struct Validators {
  std::string etag;
  std::string last_modified;
  std::string content_hash;
};

enum class ConflictStatusFilter { kOpen, kConfirmed, kDismissed, kResolved, kAll };

struct ReconcileStats {
  int claims_compared = 0;  // live claims given to FindConflicts
  int conflicts = 0;        // conflicts that currently arise
  int new_conflicts = 0;    // of which first seen in this run
  int reopened = 0;         // of which reopen a reviewed conflict (new evidence)
  int stale = 0;            // conflicts that no longer arise (kept, marked stale)
  int near_duplicate_pages = 0;  // pages found to copy an earlier page
  int derived_claims = 0;        // live claims on such pages (marked derived)
  std::map<std::string, int> by_class;  // current conflicts per class
  // Where the run's wall time went, in seconds.
  double near_duplicate_seconds = 0;  // sketching pages, recording copies
  double load_seconds = 0;            // reading the live claims, subject by subject
  double compare_seconds = 0;         // FindSubjectConflicts, explanations included
  double write_seconds = 0;           // storing conflicts and events, marking stale ones, commit
};

struct StoreStats {
  int64_t pages = 0;
  int64_t claims = 0;             // live
  int64_t superseded_claims = 0;  // kept as history
  int64_t failures = 0;           // rows of `failures` but warnings
  int64_t warnings = 0;           // stage "warning": a document used, but in part
  int64_t conflicts = 0;          // current (not stale)
  int64_t open_conflicts = 0;     // current and not closed by a review
  int64_t reviews = 0;
  std::map<std::string, int64_t> conflicts_by_class;  // current
  std::map<std::string, int64_t> claims_by_kind;      // live
};

// One database connection. Move-only; not thread-safe (use one per thread;
// SQLite's WAL mode lets several processes read while one writes).
// One organization, government or country of the gazetteer, as the
// entities/aliases/part_of tables hold it (app/ copies it from extract/).
struct EntityRecord {
  std::string name;     // canonical
  std::string type;     // company, group, government, country, ...
  std::string part_of;  // canonical name of the parent, or empty
  std::vector<std::string> aliases;
};

class Database {
 public:
  // Opens or creates the SQLite file at `path`: WAL journal, foreign keys on,
  // a busy timeout, and migrations by PRAGMA user_version, each in its own
  // transaction. Fails with IoError "cannot open DB: ..." when the file cannot
  // be opened or created, and Corruption when it is not a newsclaim database
  // (not SQLite, or SQLite with other tables) or was written by a newer
  // newsclaim (its schema version is above this binary's).
  static StatusOr<Database> Open(const std::filesystem::path& path);

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // The schema version this binary writes (PRAGMA user_version).
  static int SchemaVersion();

  // Inserts or updates the page keyed by page.url, with the article's
  // metadata and text. Keeps first_seen; sets last_seen. Appends a
  // "page_stored" event. Returns the page id. InvalidArgument for an empty url.
  StatusOr<int64_t> UpsertPage(const Page& page, const Article& article);

  // Makes `claims` the live claims of page `page_id`, in one transaction.
  // A claim whose id and content are unchanged stays as it is; a changed or
  // vanished claim is marked superseded (never deleted) and the new version
  // inserted. Claims without an id get HexHash64(url, span, rule, text).
  // Records `rules_fingerprint` on the page and appends a "claims_replaced"
  // event. NotFound for an unknown page id.
  Status ReplaceClaims(int64_t page_id, const std::vector<Claim>& claims,
                       std::string_view rules_fingerprint);

  // Runs `work` in one transaction: the store calls it makes commit
  // together when it returns OK, or none of them does (an error, or a
  // process killed before the commit). Calls nest.
  Status InTransaction(const std::function<Status()>& work);

  // Records that `url` failed at `stage` ("fetch", "decode", "extract",
  // "ingest") with `reason`, timestamped.
  Status RecordFailure(std::string_view url, std::string_view stage, std::string_view reason);

  // The validators of the page stored under `url` (or requested as `url`);
  // std::nullopt when no such page.
  StatusOr<std::optional<Validators>> FindValidators(std::string_view url);

  // Marks the page seen again, unchanged (updates last_seen). Not an error
  // when no page has that url.
  Status TouchPage(std::string_view url);

  // Stored pages whose live claims were made by a rule set other than
  // `rules_fingerprint` (every page when `all`), ordered by id.
  StatusOr<std::vector<StoredPage>> PagesToExtract(std::string_view rules_fingerprint, bool all);

  // Live claims matching `filter`, with page fields (page_id, url, title,
  // lang, published as YYYY-MM-DD) filled; ordered by published, url, span.
  StatusOr<std::vector<Claim>> QueryClaims(const ClaimFilter& filter);

  // Makes the entities, aliases and part_of tables mirror the gazetteer, in
  // one transaction: each entry is inserted or updated (origin
  // 'gazetteer'), its aliases replaced and its part-of link stored.
  // Entities that claims named but the gazetteer lacks (origin
  // 'discovered', added by ReplaceClaims) are kept.
  Status SyncGazetteer(const std::vector<EntityRecord>& gazetteer);

  // Stores entity containment (child -> parent) for reconciliation; replaces
  // any stored links. app/ fills it from the gazetteer.
  Status SetPartOfLinks(const PartOfLinks& links);
  StatusOr<PartOfLinks> LoadPartOfLinks();

  // Replaces the stored FX table (fx_rates) with `table`, in one
  // transaction. app/ copies rules/fx.toml here, as it does the gazetteer.
  Status SetFxRates(const FxTable& table);
  StatusOr<FxTable> LoadFxRates();

  // Recomputes conflicts from all live claims as FindConflicts finds them,
  // using the stored part-of links merged with `extra_links` and the stored
  // FX table, in one transaction. Claims are read and compared subject by
  // subject (FindSubjectConflicts), so memory holds one subject's claims
  // (with its parts') and one conflict's explanation at a time, not the
  // store; conflicts and events are stored in FindConflicts' order.
  // First, near-duplicate pages are found by shingles
  // (store/near_duplicates.h; sketches are remade each run, and a copy
  // whose original and similarity are unchanged keeps its row as it is):
  // each copy gets pages.copy_of, and its live claims derived_reason (they
  // are kept and still compared, but count once with the original's page).
  // Conflicts that arise are inserted or marked current; conflicts that no
  // longer arise are kept and marked stale (their reviews stay). A new
  // conflict whose class and key match a reviewed one whose claims it
  // contains reopens it: it is stored with `reopened_from` and a reason.
  StatusOr<ReconcileStats> Reconcile(const PartOfLinks& extra_links = {});

  // Current (not stale) conflicts with their member claims, status from the
  // latest review (open without one), a reviewer's --prefer overriding the
  // store's preference; ordered by subject, class, id.
  StatusOr<std::vector<Conflict>> ListConflicts(ConflictStatusFilter filter);

  // Records a verdict ("confirmed", "dismissed" or "resolved") on conflict
  // `conflict_id`, with an optional preferred member claim id and a note, and
  // appends a "review_recorded" event. NotFound for an unknown conflict id;
  // InvalidArgument for another verdict or a prefer id that is not a member.
  Status RecordReview(std::string_view conflict_id, std::string_view verdict,
                      std::string_view prefer_claim_id, std::string_view note);

  // Counts for the report header and progress lines.
  StatusOr<StoreStats> Stats();

  const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsclaim::store
