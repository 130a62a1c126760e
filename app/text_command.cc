// app/text_command.cc
// `newsclaim text FILE_OR_URL`: the main article text of one page, with
// boilerplate removed; `--format json` adds its metadata.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "crawler/charset.h"
#include "crawler/fetcher.h"
#include "extract/html_article.h"
#include "extract/markdown.h"

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
  std::string name = source;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string content_type;
  if (extract::IsMarkdownName(name)) {
    content_type = "text/markdown";
  } else if (name.ends_with(".txt") || name.ends_with(".text")) {
    content_type = "text/plain";
  }
  return RawDocument{
      "file://" + std::filesystem::absolute(source).lexically_normal().string(),
      std::move(bytes), content_type};
}

// The HTML the article reader sees: Markdown and plain text are converted
// (front matter gives title and dates), anything else is read as HTML.
std::string AsHtml(std::string utf8, std::string_view content_type) {
  if (extract::IsMarkdownMediaType(content_type)) return extract::MarkdownToHtml(utf8);
  std::string_view type = content_type.substr(0, content_type.find(';'));
  if (type == "text/plain") return extract::PlainTextToHtml(utf8);
  return utf8;
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
  Article article =
      extract::ExtractArticle(AsHtml(std::move(decoded->utf8), raw->content_type), raw->url);

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
  command->add_option("source", flags->source, "An HTML, Markdown (.md) or plain text (.txt) file, or an http(s) URL")
      ->required()
      ->type_name("FILE_OR_URL");
  command->add_option("--format", flags->format, "text, or json with title, dates, author, lang, charset")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  command->callback([flags, &run] { run = [flags] { return RunText(*flags); }; });
}

}  // namespace newsclaim::app
