#include "store/schema.h"

#include <array>

namespace newsclaim::store {
namespace {

// Version 1: pages, claims (append-only history), failures, entities,
// conflicts, reviews, events and the documented views.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE pages (
  id                INTEGER PRIMARY KEY,
  url               TEXT NOT NULL UNIQUE,
  canonical_url     TEXT,
  requested_url     TEXT,
  fetched_at        TEXT,
  published         TEXT,
  modified          TEXT,
  title             TEXT,
  author            TEXT,
  site_name         TEXT,
  lang              TEXT,
  charset           TEXT,
  http_status       INTEGER,
  content_type      TEXT,
  content_hash      TEXT,
  etag              TEXT,
  last_modified     TEXT,
  warc_path         TEXT,
  warc_offset       INTEGER,
  html              TEXT,
  article_text      TEXT,
  rules_fingerprint TEXT,
  first_seen        TEXT NOT NULL,
  last_seen         TEXT NOT NULL
);
CREATE INDEX pages_requested_url ON pages(requested_url);
CREATE INDEX pages_canonical_url ON pages(canonical_url);

CREATE TABLE claims (
  row_id            INTEGER PRIMARY KEY,
  claim_id          TEXT NOT NULL,
  page_id           INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  kind              TEXT NOT NULL,
  subject           TEXT,
  counterparty      TEXT,
  product           TEXT,
  value             REAL,
  low               REAL,
  high              REAL,
  low_inclusive     INTEGER NOT NULL,
  high_inclusive    INTEGER NOT NULL,
  qualifier         TEXT NOT NULL,
  unit              TEXT,
  time_start        TEXT,
  time_end          TEXT,
  time_relation     TEXT,
  status            TEXT,
  text              TEXT,
  quote             TEXT,
  rule              TEXT,
  span_start        INTEGER,
  span_end          INTEGER,
  rules_fingerprint TEXT,
  content_hash      TEXT NOT NULL,
  live              INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  superseded_at     TEXT,
  superseded_reason TEXT
);
CREATE UNIQUE INDEX claims_live_id ON claims(page_id, claim_id) WHERE live = 1;
CREATE INDEX claims_claim_id ON claims(claim_id);
CREATE INDEX claims_live_kind_subject ON claims(live, kind, subject);

CREATE TABLE failures (
  id     INTEGER PRIMARY KEY,
  url    TEXT NOT NULL,
  stage  TEXT NOT NULL,
  reason TEXT NOT NULL,
  at     TEXT NOT NULL
);
CREATE INDEX failures_url ON failures(url);

CREATE TABLE entities (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  type TEXT
);
CREATE TABLE aliases (
  alias     TEXT NOT NULL,
  lang      TEXT,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  PRIMARY KEY (alias, entity_id)
);
CREATE TABLE part_of (
  child  TEXT NOT NULL PRIMARY KEY,
  parent TEXT NOT NULL
);

CREATE TABLE conflicts (
  id                 TEXT PRIMARY KEY,
  class              TEXT NOT NULL,
  severity           TEXT NOT NULL,
  subject            TEXT NOT NULL,
  kind               TEXT NOT NULL,
  key                TEXT NOT NULL,
  explanation        TEXT NOT NULL,
  preferred_claim_id TEXT,
  reopened_from      TEXT,
  first_seen         TEXT NOT NULL,
  last_seen          TEXT NOT NULL,
  stale              INTEGER NOT NULL DEFAULT 0,
  stale_since        TEXT
);
CREATE INDEX conflicts_class_key ON conflicts(class, key);

CREATE TABLE conflict_claims (
  conflict_id TEXT NOT NULL REFERENCES conflicts(id) ON DELETE CASCADE,
  claim_id    TEXT NOT NULL,
  PRIMARY KEY (conflict_id, claim_id)
);
CREATE INDEX conflict_claims_claim ON conflict_claims(claim_id);

CREATE TABLE reviews (
  id                 INTEGER PRIMARY KEY,
  conflict_id        TEXT NOT NULL REFERENCES conflicts(id),
  verdict            TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'resolved')),
  preferred_claim_id TEXT,
  note               TEXT,
  at                 TEXT NOT NULL
);
CREATE INDEX reviews_conflict ON reviews(conflict_id, id);

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  type        TEXT NOT NULL,
  page_id     INTEGER,
  conflict_id TEXT,
  detail      TEXT
);

CREATE VIEW v_claims AS
SELECT c.claim_id AS id, c.kind, c.subject, c.counterparty, c.product,
       c.value, c.low, c.high, c.low_inclusive, c.high_inclusive, c.qualifier, c.unit,
       c.time_start, c.time_end, c.time_relation, c.status,
       substr(p.published, 1, 10) AS published,
       p.url, p.title, p.lang, c.text, c.quote, c.rule,
       c.span_start, c.span_end, c.rules_fingerprint, c.page_id, c.created_at
FROM claims c JOIN pages p ON p.id = c.page_id
WHERE c.live = 1;

CREATE VIEW v_conflicts AS
SELECT k.id, k.class, k.severity,
       COALESCE((SELECT r.verdict FROM reviews r WHERE r.conflict_id = k.id
                 ORDER BY r.id DESC LIMIT 1), 'open') AS status,
       k.subject, k.kind, k.key, k.explanation,
       COALESCE((SELECT r.preferred_claim_id FROM reviews r WHERE r.conflict_id = k.id
                 ORDER BY r.id DESC LIMIT 1), k.preferred_claim_id) AS preferred,
       (SELECT group_concat(cc.claim_id, ' ') FROM conflict_claims cc
        WHERE cc.conflict_id = k.id) AS claim_ids,
       (SELECT count(*) FROM conflict_claims cc WHERE cc.conflict_id = k.id) AS claim_count,
       k.reopened_from, k.first_seen, k.last_seen, k.stale = 0 AS current
FROM conflicts k;

CREATE VIEW v_failures AS
SELECT f.url, f.stage, f.reason, f.at,
       (SELECT count(*) FROM failures g WHERE g.url = f.url) AS attempts
FROM failures f
WHERE f.id = (SELECT max(g.id) FROM failures g WHERE g.url = f.url);
)sql";

// Version 2: hedges and attribution on claims (hedges: a JSON array of the
// hedging words as written, NULL when none); entities say where they came
// from ('gazetteer' or 'discovered': an organization the text named that the
// gazetteer lacks).
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE claims ADD COLUMN hedges TEXT;
ALTER TABLE claims ADD COLUMN attribution TEXT;
ALTER TABLE entities ADD COLUMN origin TEXT NOT NULL DEFAULT 'gazetteer';
DROP VIEW v_claims;
CREATE VIEW v_claims AS
SELECT c.claim_id AS id, c.kind, c.subject, c.counterparty, c.product,
       c.value, c.low, c.high, c.low_inclusive, c.high_inclusive, c.qualifier, c.unit,
       c.time_start, c.time_end, c.time_relation, c.status,
       substr(p.published, 1, 10) AS published,
       p.url, p.title, p.lang, c.text, c.quote, c.rule,
       c.span_start, c.span_end, c.rules_fingerprint, c.page_id, c.created_at,
       c.hedges, c.attribution
FROM claims c JOIN pages p ON p.id = c.page_id
WHERE c.live = 1;
)sql";

// Version 3: the crawl frontier, so a killed run resumes (one row per URL a
// run queued; `done_at` set once it was finished; the rows are cleared when
// the run completes), and when each configured source was last crawled, for
// per-source re-crawl intervals.
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE frontier (
  url         TEXT PRIMARY KEY,
  depth       INTEGER NOT NULL,
  source      TEXT,
  queued_at   TEXT NOT NULL,
  done_at     TEXT,
  outcome     TEXT
);
CREATE INDEX frontier_pending ON frontier(done_at, depth);

CREATE TABLE source_runs (
  source         TEXT PRIMARY KEY,
  last_started   TEXT,
  last_finished  TEXT,
  last_status    TEXT
);
)sql";

// Version 4: near-duplicate pages and derived claims, and the FX table.
// pages.copy_of names the earlier page a near-duplicate copies (found by
// shingles of the article text on every reconcile, store/near_duplicates.h). A live claim
// on such a page gets derived_reason (it is never deleted, and its figure
// counts once with the original's). fx_rates mirrors rules/fx.toml.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE pages ADD COLUMN copy_of INTEGER REFERENCES pages(id);
ALTER TABLE pages ADD COLUMN copy_similarity REAL;
CREATE INDEX pages_copy_of ON pages(copy_of) WHERE copy_of IS NOT NULL;
ALTER TABLE claims ADD COLUMN derived_reason TEXT;
-- A page's live claims by (page_id, live): without it SQLite may scan
-- claims_live_kind_subject for every live claim to find one page's.
CREATE INDEX claims_page_live ON claims(page_id, live);

CREATE TABLE fx_rates (
  date  TEXT NOT NULL,
  base  TEXT NOT NULL,
  quote TEXT NOT NULL,
  rate  REAL NOT NULL,
  PRIMARY KEY (date, base, quote)
);

DROP VIEW v_claims;
CREATE VIEW v_claims AS
SELECT c.claim_id AS id, c.kind, c.subject, c.counterparty, c.product,
       c.value, c.low, c.high, c.low_inclusive, c.high_inclusive, c.qualifier, c.unit,
       c.time_start, c.time_end, c.time_relation, c.status,
       substr(p.published, 1, 10) AS published,
       p.url, p.title, p.lang, c.text, c.quote, c.rule,
       c.span_start, c.span_end, c.rules_fingerprint, c.page_id, c.created_at,
       c.hedges, c.attribution,
       c.derived_reason IS NOT NULL AS derived, c.derived_reason
FROM claims c JOIN pages p ON p.id = c.page_id
WHERE c.live = 1;

CREATE VIEW v_page_copies AS
SELECT p.id AS page_id, p.url, p.copy_of AS original_id, o.url AS original_url,
       p.copy_similarity AS similarity
FROM pages p JOIN pages o ON o.id = p.copy_of;
)sql";

// Version 5: robots.txt answers kept between crawl runs (RFC 9309 section
// 2.4 allows 24 hours), so an hourly job asks each site once a day. Only
// 2xx and 4xx answers are kept; `body` is what was parsed (at most 500 KiB,
// empty for a 4xx).
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE robots_cache (
  url          TEXT PRIMARY KEY,
  http_status  INTEGER NOT NULL,
  body         TEXT NOT NULL,
  fetched_at   TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, 5> kMigrations = {kVersion1, kVersion2, kVersion3,
                                                         kVersion4, kVersion5};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

}  // namespace newsclaim::store
