// app/query_command.cc
// `newsclaim query`: the stored claims, filtered, for people (table) or
// programs (jsonl, csv).
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/claim_json.h"

namespace newsclaim::app {
namespace {

struct QueryFlags {
  store::ClaimFilter filter;
  std::string format = "table";
};

int RunQuery(const QueryFlags& flags, const GlobalOptions& globals) {
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());
  StatusOr<std::vector<Claim>> claims = db->QueryClaims(flags.filter);
  if (!claims.ok()) return ReportFatal(claims.status());

  if (flags.format == "jsonl") {
    for (const Claim& claim : *claims) std::cout << store::ClaimToJsonLine(claim) << '\n';
  } else if (flags.format == "csv") {
    std::cout << store::ClaimsToCsv(*claims);
  } else {
    std::cout << store::ClaimsToTable(*claims);
  }
  LogDebug(std::to_string(claims->size()) + " claims");
  return kExitOk;
}

}  // namespace

void AddQueryCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* command = root.add_subcommand(
      "query", "List stored claims: kind, subject, figure, time, source and quote.");
  command->add_option("--kind", flags->filter.kind, "gpu_count, money, date, percentage or quantity")
      ->check(CLI::IsMember({"gpu_count", "money", "date", "percentage", "quantity"}));
  command->add_option("--subject", flags->filter.subject,
                      "Canonical subject, e.g. 'South Korea' (aliases are not expanded)");
  command->add_option("--since", flags->filter.since, "Claims whose time ends on or after DATE")
      ->type_name("YYYY-MM-DD");
  command->add_option("--until", flags->filter.until, "Claims whose time starts on or before DATE")
      ->type_name("YYYY-MM-DD");
  command->add_option("--url", flags->filter.url, "Claims from this page URL");
  command->add_option("--format", flags->format, "table for people; jsonl or csv for programs")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunQuery(*flags, globals); };
  });
}

}  // namespace newsclaim::app
