// extract/claim_tables.h
// The in-memory form of rules/entities/, rules/products.toml and
// rules/claims/: what LoadClaimRules() builds and the claim extractor reads.
// See rules/README.md for the file schema behind each member.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/claim.h"
#include "extract/claim_lexicon.h"
#include "extract/claim_rules.h"

namespace newsclaim::extract {

// One organization, government or country of the gazetteer.
struct EntityEntry {
  std::string name;     // canonical spelling, used as claim subject
  std::string type;     // company, group, government, country, ministry, agency, institute
  std::string part_of;  // canonical name of the parent entity, or empty
  std::vector<std::string> aliases;
  std::string file;
  int line = 0;
};

// One GPU, accelerator, system or chip name.
struct ProductEntry {
  std::string name;   // canonical spelling, used as claim product
  bool gpu = false;   // a count next to it counts GPUs
  std::string maker;  // canonical entity name, or empty
  std::vector<std::string> aliases;
  std::string file;
  int line = 0;
};

// When a count is read as a GPU count (rule key `gpu_context`).
enum class GpuContext {
  kNone,      // no GPU condition (quantity, money, ...)
  kUnit,      // the mention's own unit is a GPU word ("260,000 GPUs")
  kAdjacent,  // a GPU word or GPU product within `window` of the figure
  kTopic,     // a GPU word or product anywhere in the sentence
};

// One `examples` entry of a claim rule: a sentence and what the rule must
// produce from it. Unset fields are not checked.
struct RuleExample {
  int line = 0;
  std::string text;
  std::string surface;  // the claim's `text`
  std::optional<double> value;
  std::optional<double> low;
  std::optional<double> high;
  std::string qualifier;
  std::string unit;
  std::optional<std::string> subject;  // "" checks that there is none
  std::string counterparty;
  std::string product;
  std::string time;  // "YYYY-MM-DD..YYYY-MM-DD"
  std::string relation;
  std::string status;
  int count = 1;  // how many claims the rule must make (distributive lists)
};

struct ClaimRule {
  std::string id;  // "ja.gpu_count.counter"; stored as Claim::rule
  std::string file;
  int line = 0;
  ClaimKind kind = ClaimKind::kQuantity;
  std::string lang;  // "ja", "en" or "any": the sentence's script
  std::vector<MentionKind> mentions;
  std::vector<std::string> units;      // folded; empty = any unit
  std::vector<std::string> not_units;  // folded
  GpuContext gpu_context = GpuContext::kNone;
  int window = 0;  // code points of filler allowed for kAdjacent
  bool previous_sentence = false;  // kTopic: the previous sentence counts
  // Words right after the figure that disqualify it (1基あたり: a rate).
  std::vector<std::u32string> not_followed_by;  // folded
  // Words right before the figure that make it a rate (1台あたり8基).
  std::vector<std::u32string> not_preceded_by;  // folded
  // The claim's unit: a literal ("GPU", "%"), {currency} or {counter}
  // (the mention's counter or noun: 人, 社, data centers).
  std::string unit;
  // Which words give the status: all (explicit words and tense) or only
  // explicit ones; "none" leaves the status unset.
  enum class StatusFrom { kAll, kExplicit, kNone };
  StatusFrom status_from = StatusFrom::kAll;
  std::vector<RuleExample> examples;
  std::vector<std::string> non_examples;
};

// Words that give a sentence its structure (rules/claims/words.toml).
struct SubjectWords {
  Lexicon topic_markers;       // は, が, では: after the subject (ja)
  Lexicon possessive_markers;  // の
  Lexicon receiver_markers;    // に, へ, 向け: after the receiver (ja)
  Lexicon supplier_markers;    // から: after the supplier (ja)
  Lexicon supply_verbs;        // 供給, supply: the subject gives
  Lexicon receive_verbs;       // 確保, receive: the subject gets
  Lexicon receiver_preps;      // to, for: before the receiver (en)
  Lexicon supplier_preps;      // from: before the supplier (en)
  Lexicon oblique_preps;       // with, by, of...: the next entity is no subject (en)
  Lexicon list_separators;     // 、 と and ,: join coordinated entities
  Lexicon partner_markers;     // との: after a partner (ja)
  Lexicon partner_preps;       // with: before a partner (en)
  Lexicon org_heads;           // Group, Corp.: end a capitalized organization (en)
  Lexicon non_organizations;   // 自社, 各社: MeCab's 組織 that name no one
  Lexicon grant_words;         // 助成, 支援, subsidy: a government gives money
};

struct ClaimRules::Tables {
  std::vector<EntityEntry> entities;
  Lexicon entity_lexicon;  // value: index into entities
  Lexicon legal_suffixes;  // 株式会社, Inc.: absorbed into an entity mention
  std::vector<ProductEntry> products;
  Lexicon product_lexicon;  // value: index into products
  Lexicon gpu_words;        // GPU, GPUs, 画像処理半導体...
  Lexicon status_words;     // value: ClaimStatus
  Lexicon planned_en;       // "will": planned by tense
  Lexicon status_verbs_ja;  // verbs whose tense gives the status
  Lexicon past_delivered_ja;
  Lexicon progressive_operational_ja;
  // value: TimeRelation, or kDuringIfYear.
  static constexpr int kDuringIfYear = 100;
  Lexicon time_after;   // follows the date (までに)
  Lexicon time_before;  // precedes the date (by)
  // Hedges ([hedges]) and source credits ([sources]). value: a SourceAt,
  // plus kCreditOnly for [sources] words and kSentenceFinal for the
  // sentence_final list.
  enum SourceAt { kSourceBefore = 0, kSourceAfter = 1, kSourceTopic = 2, kSourceNone = 3 };
  static constexpr int kSourceAtMask = 3;
  static constexpr int kCreditOnly = 4;
  static constexpr int kSentenceFinal = 8;
  Lexicon hedge_words;
  // Headings that open press-release boilerplate (About <Company>,
  // Forward-Looking Statements, 会社概要): no claims until the next heading.
  Lexicon boilerplate_headings;
  // value: AnaphoraType.
  enum AnaphoraType { kCompany = 0, kGovernment = 1, kMinistry = 2 };
  Lexicon anaphora;
  SubjectWords subject;
  // Tried in this order for each mention; the first that accepts it wins.
  // gpu_count rules come before quantity rules.
  std::vector<ClaimRule> rules;

  // Index of the entity named `name`, or -1.
  int FindEntity(std::string_view name) const;
};

}  // namespace newsclaim::extract
