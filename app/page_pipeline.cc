#include "app/page_pipeline.h"

#include "extract/html_article.h"

namespace newsclaim::app {

StatusOr<store::Database> OpenDatabase(const GlobalOptions& options) {
  StatusOr<store::Database> db = store::Database::Open(options.db_path);
  if (!db.ok()) {
    return InvalidArgumentError("cannot open database " + options.db_path +
                                ": " + db.status().message());
  }
  return db;
}

StatusOr<extract::RuleSet> LoadRules(const GlobalOptions& options) {
  StatusOr<extract::RuleSet> rules = extract::LoadRuleSet(options.rules_dir);
  if (!rules.ok()) {
    // Keep the loader's "file:line: message" first on the line.
    return Status(StatusCode::kInvalidArgument, rules.status().message());
  }
  LogDebug("rules " + options.rules_dir + " fingerprint " + rules->fingerprint);
  return rules;
}

StatusOr<std::unique_ptr<PagePipeline>> PagePipeline::Create(
    const GlobalOptions& options) {
  // Rules first: a bad rule file stops the run before the database or any
  // page is touched.
  ASSIGN_OR_RETURN(extract::RuleSet rules, LoadRules(options));
  ASSIGN_OR_RETURN(extract::ClaimExtractor extractor,
                   extract::ClaimExtractor::Create(rules));
  ASSIGN_OR_RETURN(store::Database db, OpenDatabase(options));
  std::vector<store::EntityRecord> gazetteer;
  for (extract::GazetteerEntry& entry : extract::Gazetteer(rules.claims)) {
    gazetteer.push_back({std::move(entry.name), std::move(entry.type),
                         std::move(entry.part_of), std::move(entry.aliases)});
  }
  RETURN_IF_ERROR(db.SyncGazetteer(gazetteer));
  return std::unique_ptr<PagePipeline>(
      new PagePipeline(std::move(rules), std::move(extractor), std::move(db)));
}

PagePipeline::PagePipeline(extract::RuleSet rules,
                           extract::ClaimExtractor extractor,
                           store::Database db)
    : rules_(std::move(rules)),
      extractor_(std::move(extractor)),
      db_(std::move(db)) {}

StatusOr<std::vector<std::string>> PagePipeline::Process(const Page& page) {
  Article article = extract::ExtractArticle(page.html, page.url);
  std::vector<Claim> claims = extractor_.Extract(article, page.url);
  ASSIGN_OR_RETURN(int64_t page_id, db_.UpsertPage(page, article));
  RETURN_IF_ERROR(db_.ReplaceClaims(page_id, claims, rules_.fingerprint));
  ++tally_.pages;
  tally_.claims += static_cast<int>(claims.size());
  LogDebug(page.url + ": " + std::to_string(claims.size()) + " claims");
  return std::move(article.links);
}

Status PagePipeline::Reextract(const store::StoredPage& stored) {
  // The stored HTML, not the stored article: extraction code may have
  // changed as well as the rules.
  Article article = extract::ExtractArticle(stored.page.html, stored.page.url);
  std::vector<Claim> claims = extractor_.Extract(article, stored.page.url);
  RETURN_IF_ERROR(db_.ReplaceClaims(stored.id, claims, rules_.fingerprint));
  ++tally_.pages;
  tally_.claims += static_cast<int>(claims.size());
  return Status::Ok();
}

Status PagePipeline::RecordFailure(std::string_view url, std::string_view stage,
                                   std::string_view reason) {
  ++tally_.failures;
  LogWarning(std::string(url) + ": " + std::string(stage) + ": " +
             std::string(reason));
  return db_.RecordFailure(url, stage, reason);
}

StatusOr<store::ReconcileStats> PagePipeline::Reconcile() {
  store::PartOfLinks links;
  links.parent = extract::EntityParents(rules_.claims);
  return db_.Reconcile(links);
}

}  // namespace newsclaim::app
