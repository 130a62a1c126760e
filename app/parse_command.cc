// app/parse_command.cc
// `newsclaim parse`: the figures in a text, as the contract's mention
// objects. With --jsonl it streams: one request per stdin line, one answer
// per line, in order; a malformed line gets an error answer and the stream
// goes on.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "extract/mention_json.h"
#include "extract/mention_parser.h"

namespace newsclaim::app {
namespace {

struct ParseFlags {
  std::string text;
  std::string lang = "auto";
  std::string ref;
  bool jsonl = false;
};

int RunParse(const ParseFlags& flags, const GlobalOptions& globals) {
  StatusOr<extract::NumberRules> rules = extract::LoadNumberRules(globals.rules_dir);
  if (!rules.ok()) return ReportFatal(Status(StatusCode::kInvalidArgument, rules.status().message()));
  StatusOr<extract::MentionParser> parser = extract::MentionParser::Create(*rules);
  if (!parser.ok()) return ReportFatal(parser.status());

  if (!flags.jsonl) {
    if (flags.text.empty()) {
      return ReportFatal(InvalidArgumentError("parse needs TEXT, or --jsonl to read requests from stdin"));
    }
    // One request through the same path as the stream, so both answer alike.
    nlohmann::json request = {{"id", "1"}, {"text", flags.text}, {"lang", flags.lang}};
    if (!flags.ref.empty()) request["ref"] = flags.ref;
    std::cout << extract::AnswerJsonlLine(request.dump(), *parser) << '\n';
    return kExitOk;
  }

  // --lang and --ref apply to stream requests that do not set their own.
  extract::ParseOptions defaults;
  defaults.lang = flags.lang == "ja"   ? extract::Lang::kJa
                  : flags.lang == "en" ? extract::Lang::kEn
                                       : extract::Lang::kAuto;
  defaults.ref = flags.ref;
  std::ios::sync_with_stdio(false);
  for (std::string line; std::getline(std::cin, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::cout << extract::AnswerJsonlLine(line, *parser, defaults) << '\n';
    // Answers go out as they are made, so a caller can pipeline requests.
    std::cout.flush();
  }
  return kExitOk;
}

}  // namespace

void AddParseCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<ParseFlags>();
  CLI::App* command = root.add_subcommand(
      "parse",
      "Find numbers, counts, money, percentages and dates in TEXT and print them "
      "as mentions (JSON) with code point spans, values and intervals. With "
      "--jsonl, answer one JSON request per stdin line: "
      "{\"id\": …, \"text\": …, \"lang\": \"ja|en|auto\", \"ref\": \"2025-11-01\"}.");
  command->add_option("text", flags->text, "The text to read")->type_name("TEXT");
  command->add_option("--lang", flags->lang, "Language of TEXT")
      ->capture_default_str()
      ->check(CLI::IsMember({"ja", "en", "auto"}));
  command->add_option("--ref", flags->ref,
                      "The moment relative dates resolve against (the article's publication time)")
      ->type_name("DATETIME");
  command->add_flag("--jsonl", flags->jsonl, "Stream requests from stdin, one JSON object per line");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunParse(*flags, globals); };
  });
}

}  // namespace newsclaim::app
