#include "extract/rule_set.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "extract/claim_extractor.h"
#include "extract/claim_tables.h"
#include "extract/sentences.h"

namespace newsclaim::extract {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* env = std::getenv("NEWSCLAIM_SOURCE_DIR");
  return env != nullptr ? fs::path(env) : fs::path(NEWSCLAIM_SOURCE_DIR);
}

fs::path RealRules() { return SourceDir() / "rules"; }

// A fresh directory under the system temp dir, removed at the end.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("newsclaim_rules_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

  void Write(const std::string& relative, const std::string& text) const {
    fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

 private:
  fs::path path_;
};

// A minimal valid claims part: one entity, one product, one rule.
void WriteValidClaimRules(const TempDir& dir) {
  dir.Write("entities/a.toml",
            "# test\nentity = [\n"
            "  { name = \"NVIDIA\", type = \"company\", aliases = [\"エヌビディア\"] },\n"
            "]\n");
  dir.Write("products.toml",
            "# test\nproduct = [\n  { name = \"H100\", gpu = true, maker = \"NVIDIA\" },\n]\n");
  dir.Write("claims/rules.toml",
            "# test\n[[rule]]\nid = \"t.money\"\nkind = \"money\"\n"
            "mentions = [\"money\"]\nunit = \"{currency}\"\n"
            "examples = [{ text = \"1億円\" }]\nnon_examples = [\"5人\"]\n");
}

struct LoaderErrorCase {
  std::string name;
  std::string file;  // relative path written over the valid set
  std::string text;
  std::string expected_prefix;  // after the directory: "file:line: "
  std::string expected_words;   // part of the message
};

TEST(ClaimRulesTest, ReportsBadFilesWithFileAndLine) {
  const std::vector<LoaderErrorCase> cases = {
      {"unknown key", "entities/a.toml",
       "# x\nentity = [\n  { name = \"NVIDIA\", type = \"company\", colour = \"green\" },\n]\n",
       "entities/a.toml:3: ", "unknown key \"colour\""},
      {"alias of two canonicals", "entities/a.toml",
       "# x\nentity = [\n  { name = \"NVIDIA\", type = \"company\", aliases = [\"NV\"] },\n"
       "  { name = \"Nvision\", type = \"company\", aliases = [\"nv\"] },\n]\n",
       "entities/a.toml:4: ", "maps to both \"NVIDIA\" and \"Nvision\""},
      {"empty alias", "entities/a.toml",
       "# x\nentity = [\n  { name = \"NVIDIA\", type = \"company\", aliases = [\"\"] },\n]\n",
       "entities/a.toml:3: ", "alias is empty"},
      {"missing canonical", "entities/a.toml",
       "# x\nentity = [\n  { type = \"company\", aliases = [\"NV\"] },\n]\n",
       "entities/a.toml:3: ", "missing canonical name"},
      {"unknown type", "entities/a.toml",
       "# x\nentity = [\n\n  { name = \"NVIDIA\", type = \"chipmaker\" },\n]\n",
       "entities/a.toml:4: ", "unknown entity type \"chipmaker\""},
      {"unknown part_of", "entities/a.toml",
       "# x\nentity = [\n  { name = \"NVIDIA\", type = \"company\", part_of = \"Nowhere\" },\n]\n",
       "entities/a.toml:3: ", "part_of \"Nowhere\""},
      {"toml syntax", "entities/a.toml", "# x\nentity = [\n  { name = \"NVIDIA\" type },\n]\n",
       "entities/a.toml:3: ", ""},
      {"product maker not in gazetteer", "products.toml",
       "# x\nproduct = [\n  { name = \"MI300X\", gpu = true, maker = \"AMD\" },\n]\n",
       "products.toml:3: ", "maker \"AMD\""},
      {"rule without examples", "claims/rules.toml",
       "# x\n[[rule]]\nid = \"t.money\"\nkind = \"money\"\nmentions = [\"money\"]\n"
       "non_examples = [\"5人\"]\n",
       "claims/rules.toml:2: ", "has no examples"},
      {"rule with unknown kind", "claims/rules.toml",
       "# x\n[[rule]]\nid = \"t.x\"\nkind = \"gpus\"\nmentions = [\"count\"]\n"
       "examples = [{ text = \"a\" }]\nnon_examples = [\"b\"]\n",
       "claims/rules.toml:2: ", "unknown claim kind \"gpus\""},
      {"example with unknown key", "claims/rules.toml",
       "# x\n[[rule]]\nid = \"t.x\"\nkind = \"money\"\nmentions = [\"money\"]\n"
       "examples = [\n  { text = \"a\", valeu = 3 },\n]\nnon_examples = [\"b\"]\n",
       "claims/rules.toml:7: ", "unknown key \"valeu\""},
      {"status word with two meanings", "claims/words.toml",
       "# x\n[status]\nplanned = [\"予定\"]\ndelivered = [\"予定\"]\n",
       "claims/words.toml:4: ", "listed twice"},
  };
  for (const LoaderErrorCase& c : cases) {
    TempDir dir;
    WriteValidClaimRules(dir);
    dir.Write(c.file, c.text);
    StatusOr<ClaimRules> rules = LoadClaimRules(dir.path());
    ASSERT_FALSE(rules.ok()) << c.name;
    EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument) << c.name;
    const std::string prefix = (dir.path() / c.expected_prefix).string();
    EXPECT_EQ(rules.status().message().substr(0, prefix.size()), prefix)
        << c.name << ": " << rules.status().message();
    EXPECT_NE(rules.status().message().find(c.expected_words), std::string::npos)
        << c.name << ": " << rules.status().message();
  }
}

TEST(ClaimRulesTest, LoadsAValidSetAndListsItsFiles) {
  TempDir dir;
  WriteValidClaimRules(dir);
  StatusOr<ClaimRules> rules = LoadClaimRules(dir.path());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules->files.size(), 3u);
  ASSERT_NE(rules->tables, nullptr);
  EXPECT_EQ(rules->tables->entities.size(), 1u);
  EXPECT_EQ(rules->tables->products.size(), 1u);
  ASSERT_EQ(rules->tables->rules.size(), 1u);
  EXPECT_EQ(rules->tables->rules[0].id, "t.money");
}

TEST(ClaimRulesTest, MissingDirectoryIsNotFound) {
  StatusOr<ClaimRules> rules = LoadClaimRules("/nonexistent/newsclaim/rules");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kNotFound);
  StatusOr<RuleSet> set = LoadRuleSet("/nonexistent/newsclaim/rules");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kNotFound);
}

TEST(ClaimRulesTest, GazetteerMatchesAliasesCaseAndWidthInsensitively) {
  TempDir dir;
  WriteValidClaimRules(dir);
  StatusOr<ClaimRules> rules = LoadClaimRules(dir.path());
  ASSERT_TRUE(rules.ok());
  const Lexicon& lexicon = rules->tables->entity_lexicon;
  struct Case {
    std::u32string text;  // already NFKC
    int64_t start;        // -1: no match
    int64_t end;
  };
  const Case cases[] = {
      {U"nvidiaは", 0, 6},      {U"米エヌビディアの", 1, 7},
      {U"NVIDIAs chips", 0, 6}, {U"GeNVIDIAx", -1, -1},
      {U"NVIDIA2基", 0, 6},     {U"エヌビディアン", -1, -1},
  };
  for (const Case& c : cases) {
    std::u32string folded = FoldCodePoints(c.text);
    std::vector<LexiconMatch> matches = lexicon.FindAll(folded, c.text);
    if (c.start < 0) {
      EXPECT_TRUE(matches.empty());
      continue;
    }
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_EQ(matches[0].start, c.start);
    EXPECT_EQ(matches[0].end, c.end);
  }
}

// ---- The real rules/ ------------------------------------------------------------

TEST(RuleSetTest, LoadsTheRealRulesWithAStableFingerprint) {
  StatusOr<RuleSet> first = LoadRuleSet(RealRules());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  StatusOr<RuleSet> second = LoadRuleSet(RealRules());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(std::regex_match(first->fingerprint, std::regex("[0-9a-f]{16}")));
  EXPECT_EQ(first->fingerprint, second->fingerprint);
  EXPECT_FALSE(first->numbers.files.empty());
  EXPECT_FALSE(first->claims.files.empty());
}

TEST(RuleSetTest, FingerprintChangesWhenARuleFileChanges) {
  TempDir dir;
  fs::copy(RealRules(), dir.path(), fs::copy_options::recursive);
  StatusOr<RuleSet> before = LoadRuleSet(dir.path());
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  std::ofstream(dir.path() / "products.toml", std::ios::app) << "# an edit\n";
  StatusOr<RuleSet> after = LoadRuleSet(dir.path());
  ASSERT_TRUE(after.ok());
  EXPECT_NE(before->fingerprint, after->fingerprint);
}

TEST(RuleSetTest, LoadsARuleFileOfExactlyTheSizeLimitAndRejectsOneByteMore) {
  TempDir dir;
  fs::copy(RealRules(), dir.path(), fs::copy_options::recursive);
  const fs::path products = dir.path() / "products.toml";
  // Pad with comment lines up to the limit exactly.
  {
    std::ofstream out(products, std::ios::app);
    std::uintmax_t size = fs::file_size(products);
    ASSERT_LT(size, kMaxRuleFileBytes);
    out << "\n";
    ++size;
    while (size < kMaxRuleFileBytes) {
      const std::uintmax_t line = std::min<std::uintmax_t>(kMaxRuleFileBytes - size, 100);
      out << "#" << std::string(line - 1, 'x');
      size += line;
      if (size < kMaxRuleFileBytes) {
        out << "\n";
        ++size;
      }
    }
  }
  ASSERT_EQ(fs::file_size(products), kMaxRuleFileBytes);
  StatusOr<RuleSet> at_limit = LoadRuleSet(dir.path());
  EXPECT_TRUE(at_limit.ok()) << at_limit.status().ToString();

  std::ofstream(products, std::ios::app) << "x";
  StatusOr<RuleSet> past_limit = LoadRuleSet(dir.path());
  ASSERT_FALSE(past_limit.ok());
  EXPECT_EQ(past_limit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(past_limit.status().message().rfind(products.string() + ": ", 0), 0u)
      << past_limit.status().message();
  EXPECT_NE(past_limit.status().message().find("larger than the limit of 1048576"),
            std::string::npos)
      << past_limit.status().message();
}

TEST(ClaimRulesTest, RejectsARegexPatternAsAnUnknownKey) {
  // Rule data is matched as words and mention kinds, never compiled as a
  // regex, so no rule file can hand the engine a catastrophic pattern.
  TempDir dir;
  WriteValidClaimRules(dir);
  dir.Write("claims/rules.toml",
            "# x\n[[rule]]\nid = \"t.money\"\nkind = \"money\"\nmentions = [\"money\"]\n"
            "pattern = '(a+)+$'\nexamples = [{ text = \"1億円\" }]\nnon_examples = [\"5人\"]\n");
  StatusOr<ClaimRules> rules = LoadClaimRules(dir.path());
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rules.status().message().find("claims/rules.toml:6: unknown key \"pattern\""),
            std::string::npos)
      << rules.status().message();
}

TEST(RuleSetTest, GazetteerHasTheCanonicalNamesTheContractUses) {
  StatusOr<ClaimRules> rules = LoadClaimRules(RealRules());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const ClaimRules::Tables& tables = *rules->tables;
  EXPECT_GE(tables.entities.size(), 150u);
  for (const char* name :
       {"NVIDIA", "Samsung Electronics", "SK Group", "SK hynix", "SK Telecom",
        "Hyundai Motor Group", "NAVER", "NAVER Cloud", "Kakao", "KT", "LG U+",
        "LG Group", "NHN Cloud", "Government of South Korea", "South Korea",
        "Government of Japan", "Japan", "Ministry of Economy, Trade and Industry",
        "SoftBank", "KDDI", "Sakura Internet", "HIREZO", "Microsoft", "Google",
        "Amazon Web Services", "Meta", "OpenAI", "xAI", "Oracle", "CoreWeave",
        "AMD", "Intel", "TSMC", "United States", "China", "Taiwan"}) {
    EXPECT_GE(tables.FindEntity(name), 0) << name;
  }
  // Aliases from the issue resolve to their canonical names.
  const std::pair<std::u32string, std::string> aliases[] = {
      {U"エヌビディア", "NVIDIA"},       {U"サムスン", "Samsung Electronics"},
      {U"SKT", "SK Telecom"},            {U"ヒョンデ", "Hyundai Motor Group"},
      {U"ネイバークラウド", "NAVER Cloud"}, {U"韓国政府", "Government of South Korea"},
      {U"経産省", "Ministry of Economy, Trade and Industry"},
      {U"ハイレゾ", "HIREZO"},            {U"AWS", "Amazon Web Services"},
      {U"アマゾン ウェブ サービス", "Amazon Web Services"},
  };
  for (const auto& [alias, canonical] : aliases) {
    LexiconMatch match =
        tables.entity_lexicon.MatchAt(FoldCodePoints(alias), alias, 0);
    ASSERT_GE(match.value, 0) << canonical;
    EXPECT_EQ(tables.entities[match.value].name, canonical);
  }
}

TEST(RuleSetTest, GazetteerListsEveryEntityOfTheCorpus) {
  const fs::path tsv = SourceDir() / "corpus" / "gold" / "entities.tsv";
  std::ifstream in(tsv);
  if (!in) GTEST_SKIP() << tsv << " is missing: no corpus to check against";
  StatusOr<ClaimRules> rules = LoadClaimRules(RealRules());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const ClaimRules::Tables& tables = *rules->tables;
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    const std::string canonical = line.substr(0, tab);
    EXPECT_GE(tables.FindEntity(canonical), 0) << canonical;
    std::stringstream aliases(line.substr(tab + 1));
    std::string alias;
    while (std::getline(aliases, alias, '|')) {
      std::u32string text = DecodeUtf8(NormalizeNfkc(alias));
      std::vector<LexiconMatch> matches =
          tables.entity_lexicon.FindAll(FoldCodePoints(text), text);
      // The alias names the entity, perhaps after a prefix such as 米.
      bool found = std::any_of(matches.begin(), matches.end(), [&](const LexiconMatch& m) {
        return tables.entities[m.value].name == canonical;
      });
      EXPECT_TRUE(found) << alias << " -> " << canonical;
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// Every list in rules/entities and rules/products.toml is sorted by name,
// one entry per line, so diffs stay reviewable.
TEST(RuleSetTest, EntityAndProductFilesAreSortedOneEntryPerLine) {
  std::vector<fs::path> files{RealRules() / "products.toml"};
  for (const auto& entry : fs::directory_iterator(RealRules() / "entities")) {
    files.push_back(entry.path());
  }
  const std::regex name_re("^  \\{ name = \"([^\"]+)\"");
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line.rfind("# ", 0), 0u) << file << " must start with a comment";
    std::vector<std::string> names;
    std::smatch match;
    while (std::getline(in, line)) {
      if (std::regex_search(line, match, name_re)) {
        std::string name = match[1];
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        names.push_back(name);
      }
    }
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << file;
  }
}

// Runs every claim rule's examples and non_examples through the real
// extractor: each example must yield `count` claims from that rule with the
// fields it lists; no non-example may yield a claim from it.
TEST(RuleSetTest, EveryClaimRuleExampleHolds) {
  StatusOr<RuleSet> rules = LoadRuleSet(RealRules());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  StatusOr<ClaimExtractor> extractor = ClaimExtractor::Create(*rules);
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  int examples = 0;
  for (const ClaimRule& rule : rules->claims.tables->rules) {
    const std::string where = rule.file + ":" + std::to_string(rule.line) + " " + rule.id;
    for (const RuleExample& example : rule.examples) {
      Article article;
      article.text = example.text;
      article.published = "2025-11-01";
      std::vector<Claim> claims = extractor->Extract(article, "https://example.test/");
      std::vector<Claim> mine;
      for (const Claim& claim : claims) {
        if (claim.rule == rule.id) mine.push_back(claim);
      }
      const std::string at = where + " example line " + std::to_string(example.line) +
                             ": " + example.text;
      ASSERT_EQ(static_cast<int>(mine.size()), example.count) << at;
      const Claim& claim = mine.front();
      ++examples;
      if (!example.surface.empty()) {
        EXPECT_EQ(claim.text, example.surface) << at;
      }
      if (example.value) {
        ASSERT_TRUE(claim.interval.value.has_value()) << at;
        EXPECT_DOUBLE_EQ(*claim.interval.value, *example.value) << at;
      }
      if (example.low) {
        ASSERT_TRUE(claim.interval.low.has_value()) << at;
        EXPECT_DOUBLE_EQ(*claim.interval.low, *example.low) << at;
      }
      if (example.high) {
        ASSERT_TRUE(claim.interval.high.has_value()) << at;
        EXPECT_DOUBLE_EQ(*claim.interval.high, *example.high) << at;
      }
      if (!example.qualifier.empty()) {
        EXPECT_EQ(QualifierName(claim.interval.qualifier), example.qualifier) << at;
      }
      if (!example.unit.empty()) {
        EXPECT_EQ(claim.unit, example.unit) << at;
      }
      if (example.subject) {
        EXPECT_EQ(claim.subject, *example.subject) << at;
      }
      if (!example.counterparty.empty()) {
        EXPECT_EQ(claim.counterparty, example.counterparty) << at;
      }
      if (!example.product.empty()) {
        EXPECT_EQ(claim.product, example.product) << at;
      }
      if (!example.time.empty()) {
        ASSERT_TRUE(claim.time.has_value()) << at;
        EXPECT_EQ(claim.time->range.start + ".." + claim.time->range.end, example.time)
            << at;
      }
      if (!example.relation.empty()) {
        ASSERT_TRUE(claim.time.has_value()) << at;
        EXPECT_EQ(TimeRelationName(claim.time->relation), example.relation) << at;
      }
      if (!example.status.empty()) {
        EXPECT_EQ(ClaimStatusName(claim.status), example.status) << at;
      }
    }
    for (const std::string& text : rule.non_examples) {
      Article article;
      article.text = text;
      article.published = "2025-11-01";
      for (const Claim& claim : extractor->Extract(article, "https://example.test/")) {
        EXPECT_NE(claim.rule, rule.id) << where << " non-example: " << text;
      }
    }
  }
  EXPECT_GT(examples, 10);
}

}  // namespace
}  // namespace newsclaim::extract
