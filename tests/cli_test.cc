// The command line as scripts see it: help, exit codes, configuration
// errors, the parse stream. Runs the real build/newsclaim.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace newsclaim::testing {
namespace {

using ::testing::HasSubstr;

const char* const kCommands[] = {"crawl", "ingest",    "extract", "text",   "parse",
                                 "query", "conflicts", "report",  "review", "eval"};

TEST(CliTest, HelpListsEveryCommand) {
  ProcessResult result = RunProcess({NewsclaimBinary(), "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* command : kCommands) EXPECT_THAT(result.out, HasSubstr(command));
  EXPECT_THAT(result.out, HasSubstr("--db"));
}

TEST(CliTest, EveryCommandHasHelp) {
  for (const char* command : kCommands) {
    ProcessResult result = RunProcess({NewsclaimBinary(), command, "--help"});
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_THAT(result.out, HasSubstr(command)) << command;
    EXPECT_GT(result.out.size(), 80u) << command << " help is too thin";
  }
}

TEST(CliTest, UnknownFlagIsAUsageError) {
  ProcessResult result = RunProcess({NewsclaimBinary(), "query", "--no-such-flag"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--no-such-flag"));
}

TEST(CliTest, MissingCommandIsAUsageError) {
  ProcessResult result = RunProcess({NewsclaimBinary()});
  EXPECT_EQ(result.exit_code, 2);
}

TEST(CliTest, AMissingCrawlConfigIsAConfigurationErrorNamingTheFile) {
  TempDir dir;
  const std::string config = dir.path() + "/crawl.toml";
  ProcessResult result =
      RunProcess({NewsclaimBinary(), "--db", dir.path() + "/x.db", "crawl", "--config", config});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/x.db"));
}

// Copies the real rules/ and appends a broken line to one file.
std::string BrokenRulesCopy(const TempDir& dir, std::string* broken_file) {
  const std::filesystem::path rules = std::filesystem::path(dir.path()) / "rules";
  std::filesystem::copy(SourceDir() + "/rules", rules, std::filesystem::copy_options::recursive);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(rules)) {
    if (entry.path().extension() == ".toml") {
      *broken_file = entry.path().filename().string();
      std::ofstream(entry.path(), std::ios::app) << "\n[[this is = not toml\n";
      break;
    }
  }
  return rules.string();
}

TEST(CliTest, BadRuleFileStopsTheRunBeforeAnyPageIsTouched) {
  TempDir dir;
  std::string broken_file;
  const std::string rules = BrokenRulesCopy(dir, &broken_file);
  ASSERT_FALSE(broken_file.empty());
  const std::string db = dir.path() + "/claims.db";

  ProcessResult result = RunProcess({NewsclaimBinary(), "--db", db, "--rules", rules,
                                     "ingest", SourceDir() + "/corpus/site"});
  EXPECT_EQ(result.exit_code, 2);
  // file:line: message, naming the broken file.
  EXPECT_THAT(result.err, ::testing::ContainsRegex(broken_file + ":[0-9]+: "));
  EXPECT_FALSE(std::filesystem::exists(db)) << "the database was touched";
}

TEST(CliTest, ParseJsonlAnswersEachLineInOrderAndSurvivesABadLine) {
  const std::string input =
      R"({"id": "a", "text": "韓国に26万枚のGPUを供給する", "lang": "ja"})" "\n"
      "this is not json\n"
      R"({"id": "b", "text": "more than 50,000 GPUs by 2027", "lang": "en"})" "\n";
  ProcessResult result = RunProcess({NewsclaimBinary(), "parse", "--jsonl"}, input);
  EXPECT_EQ(result.exit_code, 0) << result.err;

  std::istringstream lines(result.out);
  std::vector<nlohmann::json> answers;
  for (std::string line; std::getline(lines, line);) {
    answers.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(answers.size(), 3u) << result.out;
  EXPECT_EQ(answers[0]["id"], "a");
  EXPECT_TRUE(answers[1].contains("error"));
  EXPECT_EQ(answers[2]["id"], "b");

  const nlohmann::json& count = answers[0]["mentions"][0];
  EXPECT_EQ(count["kind"], "count");
  EXPECT_EQ(count["text"], "26万枚");
  EXPECT_EQ(count["start"], 3);
  EXPECT_EQ(count["end"], 7);
  EXPECT_EQ(count["value"], 260000);

  bool found_lower_bound = false;
  for (const nlohmann::json& mention : answers[2]["mentions"]) {
    if (mention["kind"] == "count") {
      found_lower_bound = true;
      EXPECT_EQ(mention["low"], 50000);
      EXPECT_EQ(mention["low_inclusive"], false);
      EXPECT_EQ(mention["qualifier"], "more_than");
    }
  }
  EXPECT_TRUE(found_lower_bound) << result.out;
}

TEST(CliTest, IngestOfAMissingPathIsRecordedAndExitsOne) {
  TempDir dir;
  const std::string db = dir.path() + "/claims.db";
  ProcessResult result = RunProcess(
      {NewsclaimBinary(), "--db", db, "ingest", dir.path() + "/no-such-folder"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no-such-folder"));
}

TEST(CliTest, UnreadableDatabaseIsAConfigurationError) {
  TempDir dir;
  const std::string not_a_db = dir.path() + "/garbage.db";
  std::ofstream(not_a_db) << std::string(4096, 'x');
  ProcessResult result = RunProcess({NewsclaimBinary(), "--db", not_a_db, "query"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("garbage.db"));
}

}  // namespace
}  // namespace newsclaim::testing
