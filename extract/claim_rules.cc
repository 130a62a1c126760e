#include "extract/claim_rules.h"

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <string_view>
#include <system_error>

#include "extract/claim_tables.h"
#include "extract/toml_rule_file.h"
#include "extract/sentences.h"

namespace newsclaim::extract {

namespace fs = std::filesystem;

int ClaimRules::Tables::FindEntity(std::string_view name) const {
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

constexpr std::string_view kEntityTypes[] = {
    "agency", "company", "country", "government", "group", "institute",
    "ministry"};

// Reports errors as "FILE:LINE: message", the form every rule loader uses.
class FileContext {
 public:
  explicit FileContext(fs::path path) : path_(std::move(path)) {}
  const fs::path& path() const { return path_; }
  std::string name() const { return path_.string(); }

  Status Error(int line, std::string_view message) const {
    return RuleFileError(path_, line, message);
  }
  Status Error(const toml::node& node, std::string_view message) const {
    return RuleFileError(path_, node, message);
  }

  // Every key of `table` must be one of `allowed`.
  Status CheckKeys(const toml::table& table,
                   std::initializer_list<std::string_view> allowed,
                   std::string_view where) const {
    return CheckRuleKeys(path_, table, allowed, where);
  }

  // table[key] as a string; `required` makes absence an error.
  StatusOr<std::string> String(const toml::table& table, std::string_view key,
                               bool required, std::string_view what) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) return Error(table, "missing " + std::string(what));
      return std::string();
    }
    if (!node->is_string()) {
      return Error(*node, std::string(key) + " must be a string");
    }
    std::string value = node->as_string()->get();
    if (required && value.empty()) {
      return Error(*node, "empty " + std::string(what));
    }
    return value;
  }

  // table[key] as a list of non-empty strings (absent: empty list).
  StatusOr<std::vector<std::string>> Strings(const toml::table& table,
                                             std::string_view key,
                                             std::string_view what) const {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return Error(*node, std::string(key) + " must be an array of strings");
    }
    for (const toml::node& item : *array) {
      if (!item.is_string()) {
        return Error(item, std::string(key) + " must hold strings");
      }
      std::string value = item.as_string()->get();
      if (value.empty()) return Error(item, std::string(what) + " is empty");
      out.push_back(std::move(value));
    }
    return out;
  }

  // table[key] as an array of tables; absent: nullptr.
  StatusOr<const toml::array*> Tables(const toml::table& table,
                                      std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return static_cast<const toml::array*>(nullptr);
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return Error(*node, std::string(key) + " must be an array of tables");
    }
    for (const toml::node& item : *array) {
      if (!item.is_table()) {
        return Error(item, std::string(key) + " must hold tables");
      }
    }
    return array;
  }

  StatusOr<const toml::table*> SubTable(const toml::table& table,
                                        std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return static_cast<const toml::table*>(nullptr);
    if (!node->is_table()) {
      return Error(*node, std::string(key) + " must be a table");
    }
    return node->as_table();
  }

 private:
  fs::path path_;
};

// The entries of `table` in the order they appear in the file (toml++
// iterates in key order), so that errors name the later of two lines.
std::vector<std::pair<std::string, const toml::node*>> InFileOrder(
    const toml::table& table) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (auto&& [key, node] : table) entries.emplace_back(std::string(key.str()), &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->source().begin < b.second->source().begin;
  });
  return entries;
}

StatusOr<toml::table> ParseToml(const fs::path& path) {
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    return InvalidArgumentError(
        path.string() + ":" + std::to_string(error.source().begin.line) +
        ": " + std::string(error.description()));
  }
}

// The *.toml files directly in `dir`, sorted by name.
StatusOr<std::vector<fs::path>> TomlFiles(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return NotFoundError(dir.string() + ": no such rule directory");
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      files.push_back(entry.path());
    }
  }
  if (error) return IoError(dir.string() + ": " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

// Adds `words` to `lexicon` with `value`; a word already there with another
// value is an error at `node`.
Status AddWords(const FileContext& file, const toml::node& node,
                const std::vector<std::string>& words, int value,
                Lexicon* lexicon, std::string_view what) {
  for (const std::string& word : words) {
    int existing = 0;
    if (!lexicon->Add(word, value, &existing)) {
      return file.Error(node, std::string(what) + " \"" + word +
                                  "\" is listed twice with different meanings");
    }
  }
  return Status::Ok();
}

// ---- rules/entities/*.toml -------------------------------------------------

Status LoadEntityFile(const FileContext& file, const toml::table& root,
                      ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(root, {"entity", "legal_suffixes"},
                                 "an entity file"));
  ASSIGN_OR_RETURN(std::vector<std::string> suffixes,
                   file.Strings(root, "legal_suffixes", "legal suffix"));
  for (const std::string& suffix : suffixes) tables->legal_suffixes.Add(suffix, 0);
  ASSIGN_OR_RETURN(const toml::array* entities, file.Tables(root, "entity"));
  if (entities == nullptr) return Status::Ok();
  for (const toml::node& node : *entities) {
    const toml::table& table = *node.as_table();
    RETURN_IF_ERROR(file.CheckKeys(table, {"name", "type", "part_of", "aliases"},
                                   "an entity"));
    EntityEntry entry;
    entry.file = file.name();
    entry.line = static_cast<int>(table.source().begin.line);
    ASSIGN_OR_RETURN(entry.name,
                     file.String(table, "name", true, "canonical name"));
    ASSIGN_OR_RETURN(entry.type, file.String(table, "type", true, "type"));
    if (std::find(std::begin(kEntityTypes), std::end(kEntityTypes),
                  entry.type) == std::end(kEntityTypes)) {
      return file.Error(table, "unknown entity type \"" + entry.type +
                                   "\" for \"" + entry.name + "\"");
    }
    ASSIGN_OR_RETURN(entry.part_of,
                     file.String(table, "part_of", false, "part_of"));
    ASSIGN_OR_RETURN(entry.aliases, file.Strings(table, "aliases", "alias"));
    int existing_index = tables->FindEntity(entry.name);
    if (existing_index >= 0) {
      const EntityEntry& first = tables->entities[existing_index];
      return file.Error(table, "duplicate entity \"" + entry.name +
                                   "\" (first at " + first.file + ":" +
                                   std::to_string(first.line) + ")");
    }
    const int index = static_cast<int>(tables->entities.size());
    std::vector<std::string> words = entry.aliases;
    words.insert(words.begin(), entry.name);
    for (const std::string& word : words) {
      int existing = 0;
      if (!tables->entity_lexicon.Add(word, index, &existing)) {
        return file.Error(table, "alias \"" + word + "\" maps to both \"" +
                                     tables->entities[existing].name +
                                     "\" and \"" + entry.name + "\"");
      }
    }
    tables->entities.push_back(std::move(entry));
  }
  return Status::Ok();
}

// ---- rules/products.toml ---------------------------------------------------

Status LoadProductFile(const FileContext& file, const toml::table& root,
                       ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(root, {"product"}, "the product file"));
  ASSIGN_OR_RETURN(const toml::array* products, file.Tables(root, "product"));
  if (products == nullptr) return Status::Ok();
  for (const toml::node& node : *products) {
    const toml::table& table = *node.as_table();
    RETURN_IF_ERROR(
        file.CheckKeys(table, {"name", "gpu", "maker", "aliases"}, "a product"));
    ProductEntry entry;
    entry.file = file.name();
    entry.line = static_cast<int>(table.source().begin.line);
    ASSIGN_OR_RETURN(entry.name, file.String(table, "name", true, "product name"));
    if (const toml::node* gpu = table.get("gpu")) {
      if (!gpu->is_boolean()) return file.Error(*gpu, "gpu must be true or false");
      entry.gpu = gpu->as_boolean()->get();
    }
    ASSIGN_OR_RETURN(entry.maker, file.String(table, "maker", false, "maker"));
    if (!entry.maker.empty() && tables->FindEntity(entry.maker) < 0) {
      return file.Error(table, "maker \"" + entry.maker + "\" of \"" +
                                   entry.name + "\" is not in the gazetteer");
    }
    ASSIGN_OR_RETURN(entry.aliases, file.Strings(table, "aliases", "alias"));
    const int index = static_cast<int>(tables->products.size());
    for (const ProductEntry& other : tables->products) {
      if (other.name == entry.name) {
        return file.Error(table, "duplicate product \"" + entry.name + "\"");
      }
    }
    std::vector<std::string> words = entry.aliases;
    words.insert(words.begin(), entry.name);
    for (const std::string& word : words) {
      int existing = 0;
      if (!tables->product_lexicon.Add(word, index, &existing)) {
        return file.Error(table, "alias \"" + word + "\" maps to both \"" +
                                     tables->products[existing].name +
                                     "\" and \"" + entry.name + "\"");
      }
    }
    tables->products.push_back(std::move(entry));
  }
  return Status::Ok();
}

// ---- rules/claims/*.toml ---------------------------------------------------

std::optional<MentionKind> ParseMentionKind(std::string_view name) {
  for (MentionKind kind : {MentionKind::kNumber, MentionKind::kCount,
                           MentionKind::kMoney, MentionKind::kPercent,
                           MentionKind::kDate, MentionKind::kOrdinal}) {
    if (MentionKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<GpuContext> ParseGpuContext(std::string_view name) {
  if (name == "" || name == "none") return GpuContext::kNone;
  if (name == "unit") return GpuContext::kUnit;
  if (name == "adjacent") return GpuContext::kAdjacent;
  if (name == "topic") return GpuContext::kTopic;
  return std::nullopt;
}

std::vector<std::string> Folded(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const std::string& word : words) out.push_back(FoldForMatch(word));
  return out;
}

// Folded and decoded once, for matching against a sentence's code points.
std::vector<std::u32string> FoldedCodePoints(const std::vector<std::string>& words) {
  std::vector<std::u32string> out;
  for (const std::string& word : words) out.push_back(DecodeUtf8(FoldForMatch(word)));
  return out;
}

StatusOr<std::optional<double>> Number(const FileContext& file,
                                       const toml::table& table,
                                       std::string_view key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::optional<double>();
  if (!node->is_number()) return file.Error(*node, std::string(key) + " must be a number");
  return std::optional<double>(node->value<double>().value_or(0));
}

StatusOr<RuleExample> LoadExample(const FileContext& file,
                                  const toml::table& table) {
  RETURN_IF_ERROR(file.CheckKeys(
      table,
      {"text", "surface", "value", "low", "high", "qualifier", "unit",
       "subject", "counterparty", "product", "time", "relation", "status",
       "count"},
      "an example"));
  RuleExample example;
  example.line = static_cast<int>(table.source().begin.line);
  ASSIGN_OR_RETURN(example.text, file.String(table, "text", true, "example text"));
  ASSIGN_OR_RETURN(example.surface, file.String(table, "surface", false, ""));
  ASSIGN_OR_RETURN(example.value, Number(file, table, "value"));
  ASSIGN_OR_RETURN(example.low, Number(file, table, "low"));
  ASSIGN_OR_RETURN(example.high, Number(file, table, "high"));
  ASSIGN_OR_RETURN(example.qualifier, file.String(table, "qualifier", false, ""));
  if (!example.qualifier.empty() && !ParseQualifier(example.qualifier)) {
    return file.Error(table, "unknown qualifier \"" + example.qualifier + "\"");
  }
  ASSIGN_OR_RETURN(example.unit, file.String(table, "unit", false, ""));
  if (table.get("subject") != nullptr) {
    ASSIGN_OR_RETURN(std::string subject, file.String(table, "subject", false, ""));
    example.subject = subject;
  }
  ASSIGN_OR_RETURN(example.counterparty, file.String(table, "counterparty", false, ""));
  ASSIGN_OR_RETURN(example.product, file.String(table, "product", false, ""));
  ASSIGN_OR_RETURN(example.time, file.String(table, "time", false, ""));
  ASSIGN_OR_RETURN(example.relation, file.String(table, "relation", false, ""));
  if (!example.relation.empty() && !ParseTimeRelation(example.relation)) {
    return file.Error(table, "unknown relation \"" + example.relation + "\"");
  }
  ASSIGN_OR_RETURN(example.status, file.String(table, "status", false, ""));
  if (!example.status.empty() && !ParseClaimStatus(example.status)) {
    return file.Error(table, "unknown status \"" + example.status + "\"");
  }
  if (const toml::node* count = table.get("count")) {
    if (!count->is_integer()) return file.Error(*count, "count must be an integer");
    example.count = static_cast<int>(count->as_integer()->get());
  }
  return example;
}

Status LoadRule(const FileContext& file, const toml::table& table,
                ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(
      table,
      {"id", "kind", "lang", "mentions", "units", "not_units", "gpu_context",
       "window", "previous_sentence", "not_followed_by", "not_preceded_by", "unit", "status",
       "examples", "non_examples"},
      "a claim rule"));
  ClaimRule rule;
  rule.file = file.name();
  rule.line = static_cast<int>(table.source().begin.line);
  ASSIGN_OR_RETURN(rule.id, file.String(table, "id", true, "rule id"));
  for (const ClaimRule& other : tables->rules) {
    if (other.id == rule.id) {
      return file.Error(table, "duplicate rule id \"" + rule.id + "\" (first at " +
                                   other.file + ":" + std::to_string(other.line) + ")");
    }
  }
  ASSIGN_OR_RETURN(std::string kind, file.String(table, "kind", true, "rule kind"));
  std::optional<ClaimKind> claim_kind = ParseClaimKind(kind);
  if (!claim_kind) return file.Error(table, "unknown claim kind \"" + kind + "\"");
  rule.kind = *claim_kind;
  ASSIGN_OR_RETURN(rule.lang, file.String(table, "lang", false, "lang"));
  if (rule.lang.empty()) rule.lang = "any";
  if (rule.lang != "ja" && rule.lang != "en" && rule.lang != "any") {
    return file.Error(table, "lang must be ja, en or any, not \"" + rule.lang + "\"");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> mentions,
                   file.Strings(table, "mentions", "mention kind"));
  if (mentions.empty()) return file.Error(table, "missing mentions");
  for (const std::string& name : mentions) {
    std::optional<MentionKind> mention = ParseMentionKind(name);
    if (!mention) return file.Error(table, "unknown mention kind \"" + name + "\"");
    rule.mentions.push_back(*mention);
  }
  ASSIGN_OR_RETURN(std::vector<std::string> units, file.Strings(table, "units", "unit"));
  rule.units = Folded(units);
  ASSIGN_OR_RETURN(std::vector<std::string> not_units,
                   file.Strings(table, "not_units", "unit"));
  rule.not_units = Folded(not_units);
  ASSIGN_OR_RETURN(std::string context,
                   file.String(table, "gpu_context", false, "gpu_context"));
  std::optional<GpuContext> gpu_context = ParseGpuContext(context);
  if (!gpu_context) return file.Error(table, "unknown gpu_context \"" + context + "\"");
  rule.gpu_context = *gpu_context;
  if (const toml::node* window = table.get("window")) {
    if (!window->is_integer() || window->as_integer()->get() < 0) {
      return file.Error(*window, "window must be a non-negative integer");
    }
    rule.window = static_cast<int>(window->as_integer()->get());
  }
  if (const toml::node* previous = table.get("previous_sentence")) {
    if (!previous->is_boolean()) {
      return file.Error(*previous, "previous_sentence must be true or false");
    }
    rule.previous_sentence = previous->as_boolean()->get();
  }
  ASSIGN_OR_RETURN(rule.unit, file.String(table, "unit", false, "unit"));
  if (rule.unit.find('{') != std::string::npos && rule.unit != "{currency}" &&
      rule.unit != "{counter}") {
    return file.Error(table, "unit must be a literal, {currency} or {counter}, not \"" +
                                 rule.unit + "\"");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> not_followed_by,
                   file.Strings(table, "not_followed_by", "word"));
  rule.not_followed_by = FoldedCodePoints(not_followed_by);
  ASSIGN_OR_RETURN(std::vector<std::string> not_preceded_by,
                   file.Strings(table, "not_preceded_by", "word"));
  rule.not_preceded_by = FoldedCodePoints(not_preceded_by);
  ASSIGN_OR_RETURN(std::string status, file.String(table, "status", false, "status"));
  if (status.empty() || status == "all") {
    rule.status_from = ClaimRule::StatusFrom::kAll;
  } else if (status == "explicit") {
    rule.status_from = ClaimRule::StatusFrom::kExplicit;
  } else if (status == "none") {
    rule.status_from = ClaimRule::StatusFrom::kNone;
  } else {
    return file.Error(table, "status must be all, explicit or none, not \"" + status + "\"");
  }
  ASSIGN_OR_RETURN(const toml::array* examples, file.Tables(table, "examples"));
  if (examples == nullptr || examples->empty()) {
    return file.Error(table, "rule \"" + rule.id + "\" has no examples");
  }
  for (const toml::node& node : *examples) {
    ASSIGN_OR_RETURN(RuleExample example, LoadExample(file, *node.as_table()));
    rule.examples.push_back(std::move(example));
  }
  ASSIGN_OR_RETURN(rule.non_examples,
                   file.Strings(table, "non_examples", "non-example"));
  if (rule.non_examples.empty()) {
    return file.Error(table, "rule \"" + rule.id + "\" has no non_examples");
  }
  tables->rules.push_back(std::move(rule));
  return Status::Ok();
}

Status LoadStatusWords(const FileContext& file, const toml::table& table,
                       ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(
      table, {"announced", "planned", "delivered", "operational"}, "[status]"));
  for (const auto& [key, node] : InFileOrder(table)) {
    ASSIGN_OR_RETURN(std::vector<std::string> words,
                     file.Strings(table, key, "status word"));
    ClaimStatus status = *ParseClaimStatus(key);
    RETURN_IF_ERROR(AddWords(file, *node, words, static_cast<int>(status),
                             &tables->status_words, "status word"));
  }
  return Status::Ok();
}

Status LoadTimeWords(const FileContext& file, const toml::table& table,
                     ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(table, {"after", "before"}, "[time]"));
  for (const auto& [side, node] : InFileOrder(table)) {
    if (!node->is_table()) return file.Error(*node, "time." + side + " must be a table");
    const toml::table& relations = *node->as_table();
    RETURN_IF_ERROR(file.CheckKeys(
        relations, {"by", "as_of", "during", "during_if_year", "on"},
        "[time." + side + "]"));
    Lexicon* lexicon = side == "after" ? &tables->time_after : &tables->time_before;
    for (const auto& [key, words_node] : InFileOrder(relations)) {
      ASSIGN_OR_RETURN(std::vector<std::string> words,
                       file.Strings(relations, key, "time word"));
      int value = key == "during_if_year"
                      ? ClaimRules::Tables::kDuringIfYear
                      : static_cast<int>(*ParseTimeRelation(key));
      RETURN_IF_ERROR(AddWords(file, *words_node, words, value, lexicon, "time word"));
    }
  }
  return Status::Ok();
}

Status LoadSubjectWords(const FileContext& file, const toml::table& table,
                        ClaimRules::Tables* tables) {
  SubjectWords& subject = tables->subject;
  const std::pair<std::string_view, Lexicon*> lists[] = {
      {"topic_markers", &subject.topic_markers},
      {"possessive_markers", &subject.possessive_markers},
      {"receiver_markers", &subject.receiver_markers},
      {"supplier_markers", &subject.supplier_markers},
      {"supply_verbs", &subject.supply_verbs},
      {"receive_verbs", &subject.receive_verbs},
      {"receiver_preps", &subject.receiver_preps},
      {"supplier_preps", &subject.supplier_preps},
      {"oblique_preps", &subject.oblique_preps},
      {"list_separators", &subject.list_separators},
      {"partner_markers", &subject.partner_markers},
      {"partner_preps", &subject.partner_preps},
      {"org_heads", &subject.org_heads},
      {"non_organizations", &subject.non_organizations},
      {"grant_words", &subject.grant_words},
  };
  for (const auto& [key, node] : InFileOrder(table)) {
    auto it = std::find_if(std::begin(lists), std::end(lists),
                           [&key = key](const auto& list) { return list.first == key; });
    if (it == std::end(lists)) {
      return file.Error(*node, "unknown key \"" + key + "\" in [subject]");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> words,
                     file.Strings(table, key, "subject word"));
    RETURN_IF_ERROR(AddWords(file, *node, words, 0, it->second, "subject word"));
  }
  return Status::Ok();
}

Status LoadStatusVerbs(const FileContext& file, const toml::table& table,
                       ClaimRules::Tables* tables) {
  const std::pair<std::string_view, Lexicon*> lists[] = {
      {"ja", &tables->status_verbs_ja},
      {"ja_past_delivered", &tables->past_delivered_ja},
      {"ja_progressive_operational", &tables->progressive_operational_ja},
      {"planned_en", &tables->planned_en},
  };
  for (const auto& [key, node] : InFileOrder(table)) {
    auto it = std::find_if(std::begin(lists), std::end(lists),
                           [&key = key](const auto& list) { return list.first == key; });
    if (it == std::end(lists)) {
      return file.Error(*node, "unknown key \"" + key + "\" in [status_verbs]");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> words,
                     file.Strings(table, key, "status verb"));
    RETURN_IF_ERROR(AddWords(file, *node, words, 0, it->second, "status verb"));
  }
  return Status::Ok();
}

Status LoadAnaphora(const FileContext& file, const toml::table& table,
                    ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(table, {"company", "government", "ministry"},
                                 "[anaphora]"));
  for (const auto& [key, node] : InFileOrder(table)) {
    ASSIGN_OR_RETURN(std::vector<std::string> words,
                     file.Strings(table, key, "anaphor"));
    int type = key == "company"      ? ClaimRules::Tables::kCompany
               : key == "government" ? ClaimRules::Tables::kGovernment
                                     : ClaimRules::Tables::kMinistry;
    RETURN_IF_ERROR(AddWords(file, *node, words, type, &tables->anaphora, "anaphor"));
  }
  return Status::Ok();
}

// [hedges] and [sources]: see rules/claims/words.toml.
Status LoadHedgeWords(const FileContext& file, const toml::table& table,
                      bool credit_only, ClaimRules::Tables* tables) {
  using Tables = ClaimRules::Tables;
  const std::string section = credit_only ? "[sources]" : "[hedges]";
  if (credit_only) {
    RETURN_IF_ERROR(file.CheckKeys(table, {"before", "after", "topic"}, section));
  } else {
    RETURN_IF_ERROR(file.CheckKeys(
        table, {"before", "after", "topic", "none", "sentence_final"}, section));
  }
  for (const auto& [key, node] : InFileOrder(table)) {
    ASSIGN_OR_RETURN(std::vector<std::string> words,
                     file.Strings(table, key, credit_only ? "source word" : "hedge"));
    int value = key == "before"  ? Tables::kSourceBefore
                : key == "after" ? Tables::kSourceAfter
                : key == "topic" ? Tables::kSourceTopic
                : key == "none"  ? Tables::kSourceNone
                                 : Tables::kSourceNone | Tables::kSentenceFinal;
    if (credit_only) value |= Tables::kCreditOnly;
    RETURN_IF_ERROR(AddWords(file, *node, words, value, &tables->hedge_words,
                             credit_only ? "source word" : "hedge"));
  }
  return Status::Ok();
}

Status LoadClaimFile(const FileContext& file, const toml::table& root,
                     ClaimRules::Tables* tables) {
  RETURN_IF_ERROR(file.CheckKeys(
      root,
      {"rule", "gpu_words", "status", "status_verbs", "time", "anaphora", "subject",
       "hedges", "sources", "boilerplate_headings"},
      "a claims file"));
  ASSIGN_OR_RETURN(std::vector<std::string> gpu_words,
                   file.Strings(root, "gpu_words", "GPU word"));
  for (const std::string& word : gpu_words) tables->gpu_words.Add(word, 0);
  ASSIGN_OR_RETURN(std::vector<std::string> headings,
                   file.Strings(root, "boilerplate_headings", "boilerplate heading"));
  for (const std::string& word : headings) tables->boilerplate_headings.Add(word, 0);
  ASSIGN_OR_RETURN(const toml::table* status, file.SubTable(root, "status"));
  if (status != nullptr) RETURN_IF_ERROR(LoadStatusWords(file, *status, tables));
  ASSIGN_OR_RETURN(const toml::table* verbs, file.SubTable(root, "status_verbs"));
  if (verbs != nullptr) RETURN_IF_ERROR(LoadStatusVerbs(file, *verbs, tables));
  ASSIGN_OR_RETURN(const toml::table* anaphora, file.SubTable(root, "anaphora"));
  if (anaphora != nullptr) RETURN_IF_ERROR(LoadAnaphora(file, *anaphora, tables));
  ASSIGN_OR_RETURN(const toml::table* hedges, file.SubTable(root, "hedges"));
  if (hedges != nullptr) RETURN_IF_ERROR(LoadHedgeWords(file, *hedges, false, tables));
  ASSIGN_OR_RETURN(const toml::table* sources, file.SubTable(root, "sources"));
  if (sources != nullptr) RETURN_IF_ERROR(LoadHedgeWords(file, *sources, true, tables));
  ASSIGN_OR_RETURN(const toml::table* time, file.SubTable(root, "time"));
  if (time != nullptr) RETURN_IF_ERROR(LoadTimeWords(file, *time, tables));
  ASSIGN_OR_RETURN(const toml::table* subject, file.SubTable(root, "subject"));
  if (subject != nullptr) RETURN_IF_ERROR(LoadSubjectWords(file, *subject, tables));
  ASSIGN_OR_RETURN(const toml::array* rules, file.Tables(root, "rule"));
  if (rules != nullptr) {
    for (const toml::node& node : *rules) {
      RETURN_IF_ERROR(LoadRule(file, *node.as_table(), tables));
    }
  }
  return Status::Ok();
}

int KindOrder(ClaimKind kind) {
  switch (kind) {
    case ClaimKind::kGpuCount: return 0;
    case ClaimKind::kMoney: return 1;
    case ClaimKind::kPercentage: return 2;
    case ClaimKind::kDate: return 3;
    case ClaimKind::kQuantity: return 4;
  }
  return 5;
}

using FileLoader = Status (*)(const FileContext&, const toml::table&,
                              ClaimRules::Tables*);

Status LoadFile(const fs::path& path, FileLoader loader,
                ClaimRules::Tables* tables, ClaimRules* rules) {
  ASSIGN_OR_RETURN(toml::table root, ParseToml(path));
  rules->files.push_back(path);
  return loader(FileContext(path), root, tables);
}

}  // namespace

StatusOr<ClaimRules> LoadClaimRules(const fs::path& rules_dir) {
  std::error_code error;
  if (!fs::is_directory(rules_dir, error)) {
    return NotFoundError(rules_dir.string() + ": no such rule directory");
  }
  ClaimRules rules;
  auto tables = std::make_shared<ClaimRules::Tables>();

  // Entities first: products and part_of links refer to them.
  ASSIGN_OR_RETURN(std::vector<fs::path> entity_files,
                   TomlFiles(rules_dir / "entities"));
  for (const fs::path& path : entity_files) {
    RETURN_IF_ERROR(LoadFile(path, LoadEntityFile, tables.get(), &rules));
  }
  for (const EntityEntry& entry : tables->entities) {
    if (!entry.part_of.empty() && tables->FindEntity(entry.part_of) < 0) {
      return InvalidArgumentError(entry.file + ":" + std::to_string(entry.line) +
                                  ": part_of \"" + entry.part_of + "\" of \"" +
                                  entry.name + "\" is not in the gazetteer");
    }
  }

  const fs::path products = rules_dir / "products.toml";
  if (!fs::is_regular_file(products, error)) {
    return NotFoundError(products.string() + ": no such rule file");
  }
  RETURN_IF_ERROR(LoadFile(products, LoadProductFile, tables.get(), &rules));

  ASSIGN_OR_RETURN(std::vector<fs::path> claim_files,
                   TomlFiles(rules_dir / "claims"));
  for (const fs::path& path : claim_files) {
    RETURN_IF_ERROR(LoadFile(path, LoadClaimFile, tables.get(), &rules));
  }
  std::stable_sort(tables->rules.begin(), tables->rules.end(),
                   [](const ClaimRule& a, const ClaimRule& b) {
                     return KindOrder(a.kind) < KindOrder(b.kind);
                   });
  rules.tables = std::move(tables);
  return rules;
}

std::map<std::string, std::string> EntityParents(const ClaimRules& rules) {
  std::map<std::string, std::string> parents;
  if (rules.tables == nullptr) return parents;
  for (const EntityEntry& entity : rules.tables->entities) {
    if (!entity.part_of.empty()) parents[entity.name] = entity.part_of;
  }
  return parents;
}

std::vector<GazetteerEntry> Gazetteer(const ClaimRules& rules) {
  std::vector<GazetteerEntry> entries;
  if (rules.tables == nullptr) return entries;
  for (const EntityEntry& entity : rules.tables->entities) {
    entries.push_back({entity.name, entity.type, entity.part_of, entity.aliases});
  }
  return entries;
}

}  // namespace newsclaim::extract
