// app/query_command.cc
// `newsclaim query`: the stored claims, filtered, for people (table) or
// programs (jsonl, csv). The contract's filters (--kind, --subject, --since,
// --until, --url) run in SQL; the extras (--product, --lang, --site, ...)
// refine the result.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <tuple>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "store/claim_json.h"
#include "store/report.h"

namespace newsclaim::app {
namespace {

struct QueryFlags {
  store::ClaimFilter filter;
  store::ClaimRefinement refinement;
  std::string format = "table";
  int limit = 0;
  int width = 0;
};

// The terminal's width for the table: --width, the terminal stdout is, or
// $COLUMNS; 160 when output goes to a file or pipe.
int TableWidth(int flag) {
  if (flag > 0) return flag;
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && std::atoi(columns) > 0) {
    return std::atoi(columns);
  }
  return 160;
}

// A day for --since/--until: YYYY-MM-DD, or YYYY-MM / YYYY meaning their
// first day (since) or last day (until). Dates compare as text, so the
// last day of any month can be written as day 31.
StatusOr<std::string> NormalizeDate(const std::string& flag, const std::string& text,
                                    bool is_end) {
  if (text.empty()) return text;
  auto digits = [&](size_t from, size_t count) {
    for (size_t i = from; i < from + count; ++i) {
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  const bool year = digits(0, 4);
  if (year && text.size() == 4) return text + (is_end ? "-12-31" : "-01-01");
  const bool month = year && text.size() >= 7 && text[4] == '-' && digits(5, 2) &&
                     text.substr(5, 2) >= "01" && text.substr(5, 2) <= "12";
  if (month && text.size() == 7) return text + (is_end ? "-31" : "-01");
  if (month && text.size() == 10 && text[7] == '-' && digits(8, 2) &&
      text.substr(8, 2) >= "01" && text.substr(8, 2) <= "31") {
    return text;
  }
  return InvalidArgumentError(flag + ": expected YYYY-MM-DD, YYYY-MM or YYYY, got '" + text +
                              "'");
}

int RunQuery(QueryFlags flags, const GlobalOptions& globals) {
  // Step 1: validate the dates before touching the database.
  for (auto [name, field, is_end] :
       {std::tuple{"--since", &flags.filter.since, false},
        std::tuple{"--until", &flags.filter.until, true},
        std::tuple{"--published-since", &flags.refinement.published_since, false},
        std::tuple{"--published-until", &flags.refinement.published_until, true}}) {
    StatusOr<std::string> date = NormalizeDate(name, *field, is_end);
    if (!date.ok()) return ReportFatal(date.status());
    *field = *date;
  }
  StatusOr<store::Database> db = OpenDatabase(globals);
  if (!db.ok()) return ReportFatal(db.status());

  // Step 2: an alias or another spelling of a subject finds its canonical name.
  if (!flags.filter.subject.empty()) {
    StatusOr<std::optional<std::string>> canonical =
        store::ResolveSubjectAlias(db->path(), flags.filter.subject);
    if (!canonical.ok()) return ReportFatal(canonical.status());
    if (*canonical && **canonical != flags.filter.subject) {
      LogDebug("subject '" + flags.filter.subject + "' is " + **canonical);
      flags.filter.subject = **canonical;
    }
  }

  // Step 3: the contract's filters in SQL, then the extras.
  StatusOr<std::vector<Claim>> queried = db->QueryClaims(flags.filter);
  if (!queried.ok()) return ReportFatal(queried.status());
  std::vector<Claim> claims;
  for (Claim& claim : *queried) {
    if (!store::MatchesRefinement(claim, flags.refinement)) continue;
    claims.push_back(std::move(claim));
    if (flags.limit > 0 && static_cast<int>(claims.size()) >= flags.limit) break;
  }

  // Step 4: print.
  if (flags.format == "jsonl") {
    for (const Claim& claim : claims) std::cout << store::ClaimToJsonLine(claim) << '\n';
  } else if (flags.format == "csv") {
    std::cout << store::ClaimsToCsv(claims);
  } else {
    std::cout << store::ClaimsTable(claims, TableWidth(flags.width));
  }
  LogDebug(std::to_string(claims.size()) + " claims");
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
                      "Subject: its canonical name or any alias of the gazetteer "
                      "(e.g. 'South Korea', '韓国', 'samsung')");
  command->add_option("--since", flags->filter.since,
                      "Claims whose time (or page date, when the claim has none) ends on or "
                      "after DATE")
      ->type_name("DATE");
  command->add_option("--until", flags->filter.until,
                      "Claims whose time (or page date) starts on or before DATE")
      ->type_name("DATE");
  command->add_option("--url", flags->filter.url, "Claims from this page URL (or its canonical URL)");
  command->add_option("--site", flags->refinement.site,
                      "Claims from pages of this host or its subdomains, e.g. nikkei.com");
  command->add_option("--product", flags->refinement.product, "e.g. Blackwell, H200");
  command->add_option("--lang", flags->refinement.lang, "Page language")
      ->check(CLI::IsMember({"ja", "en"}));
  command->add_option("--status", flags->refinement.status, "The claim's stage")
      ->check(CLI::IsMember({"announced", "planned", "delivered", "operational", "none"}));
  command->add_option("--counterparty", flags->refinement.counterparty,
                      "The other party of the deal, e.g. NVIDIA");
  command->add_option("--contains", flags->refinement.contains,
                      "Text in the quote, the figure or the page title (ASCII case ignored)")
      ->type_name("TEXT");
  command->add_option("--rule", flags->refinement.rule, "Claims of rules whose id starts with this")
      ->type_name("PREFIX");
  command->add_option("--published-since", flags->refinement.published_since,
                      "Pages published on or after DATE")
      ->type_name("DATE");
  command->add_option("--published-until", flags->refinement.published_until,
                      "Pages published on or before DATE")
      ->type_name("DATE");
  command->add_option("--limit", flags->limit, "At most N claims (0: all)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--width", flags->width,
                      "Table width in columns (default: the terminal's, else 160)")
      ->check(CLI::PositiveNumber);
  command->add_option("--format", flags->format, "table for people; jsonl or csv for programs")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  command->footer(
      "DATE is YYYY-MM-DD, YYYY-MM or YYYY. A claim's time is its figure's date range; "
      "--since 2027 --until 2027 lists the figures that hold in 2027.");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunQuery(*flags, globals); };
  });
}

}  // namespace newsclaim::app
