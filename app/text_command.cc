// app/text_command.cc
// `newsclaim text FILE_OR_URL`: the main article text of one page, with
// boilerplate removed; `--format json` adds its metadata.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "crawler/charset.h"
#include "crawler/fetcher.h"
#include "extract/html_article.h"

namespace newsclaim::app {
namespace {

struct TextFlags {
  std::string source;
  std::string format = "text";
};

struct RawDocument {
  std::string url;
  std::string bytes;
  std::string content_type;
};

StatusOr<RawDocument> ReadSource(const std::string& source) {
  if (source.starts_with("http://") || source.starts_with("https://")) {
    ASSIGN_OR_RETURN(std::unique_ptr<crawler::CurlFetcher> fetcher,
                     crawler::CurlFetcher::Create({}));
    crawler::FetchRequest request;
    request.url = source;
    crawler::FetchResponse response = fetcher->Fetch(request);
    if (!response.error.empty()) return IoError(source + ": " + response.error);
    if (response.http_status < 200 || response.http_status > 299) {
      return IoError(source + ": HTTP " + std::to_string(response.http_status));
    }
    return RawDocument{response.final_url, std::move(response.body),
                       response.content_type};
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(source));
  return RawDocument{
      "file://" + std::filesystem::absolute(source).lexically_normal().string(),
      std::move(bytes), ""};
}

int RunText(const TextFlags& flags) {
  StatusOr<RawDocument> raw = ReadSource(flags.source);
  if (!raw.ok()) {
    LogError(raw.status().message());
    return kExitSomeInputsFailed;
  }
  StatusOr<crawler::DecodedDocument> decoded =
      crawler::DecodeDocument(raw->bytes, raw->content_type);
  if (!decoded.ok()) {
    LogError(flags.source + ": " + decoded.status().message());
    return kExitSomeInputsFailed;
  }
  Article article = extract::ExtractArticle(decoded->utf8, raw->url);

  if (flags.format == "text") {
    std::cout << article.text << '\n';
    return kExitOk;
  }
  auto or_null = [](const std::string& value) {
    return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
  };
  nlohmann::json json = {
      {"url", raw->url},
      {"title", or_null(article.title)},
      {"published", or_null(article.published)},
      {"modified", or_null(article.modified)},
      {"author", or_null(article.author)},
      {"site_name", or_null(article.site_name)},
      {"lang", or_null(article.lang)},
      {"charset", decoded->charset},
      {"canonical", or_null(article.canonical_url)},
      {"text", article.text},
  };
  std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return kExitOk;
}

}  // namespace

void AddTextCommand(CLI::App& root, const GlobalOptions&, CommandRun& run) {
  auto flags = std::make_shared<TextFlags>();
  CLI::App* command = root.add_subcommand(
      "text", "Print the main article text of one page (file or URL), boilerplate removed.");
  command->add_option("source", flags->source, "An HTML file or an http(s) URL")
      ->required()
      ->type_name("FILE_OR_URL");
  command->add_option("--format", flags->format, "text, or json with title, dates, author, lang, charset")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  command->callback([flags, &run] { run = [flags] { return RunText(*flags); }; });
}

}  // namespace newsclaim::app
