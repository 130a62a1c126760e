// app/ingest_command.cc
// `newsclaim ingest PATH...`: local HTML, plain text and Markdown files (or
// folders of them) become pages, then claims, exactly as crawled pages do.
#include <algorithm>
#include <memory>

#include "app/commands.h"
#include "app/page_pipeline.h"
#include "base/hash.h"
#include "crawler/charset.h"
#include "extract/markdown.h"

namespace newsclaim::app {
namespace {

struct IngestFlags {
  std::vector<std::string> paths;
};

enum class FileKind { kHtml, kMarkdown, kText, kWarc, kOther };

FileKind KindOf(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends_with = [&name](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends_with(".html") || ends_with(".htm") || ends_with(".xhtml")) return FileKind::kHtml;
  if (extract::IsMarkdownName(name)) return FileKind::kMarkdown;
  if (ends_with(".txt") || ends_with(".text")) return FileKind::kText;
  if (ends_with(".warc") || ends_with(".warc.gz") || ends_with(".arc.gz")) return FileKind::kWarc;
  return FileKind::kOther;
}

// Every file under `paths`, folders walked in name order so runs repeat.
std::vector<std::filesystem::path> ListInputs(const std::vector<std::string>& paths,
                                              PagePipeline& pipeline) {
  std::vector<std::filesystem::path> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> found;
      for (auto it = std::filesystem::recursive_directory_iterator(path, error);
           !error && it != std::filesystem::recursive_directory_iterator();
           it.increment(error)) {
        if (it->is_regular_file(error) && KindOf(it->path()) != FileKind::kOther) {
          found.push_back(it->path());
        }
      }
      if (error) {
        (void)pipeline.RecordFailure(path, "ingest", "cannot list: " + error.message());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(path, error)) {
      files.emplace_back(path);
    } else {
      (void)pipeline.RecordFailure(path, "ingest", "no such file or directory");
    }
  }
  return files;
}

// Stores one file. Returns an error only when the store fails.
Status IngestFile(const std::filesystem::path& path, PagePipeline& pipeline) {
  const std::string url = "file://" + std::filesystem::absolute(path).lexically_normal().string();
  const FileKind kind = KindOf(path);
  if (kind == FileKind::kWarc) {
    return pipeline.RecordFailure(url, "ingest", "WARC ingest is not implemented yet");
  }
  StatusOr<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return pipeline.RecordFailure(url, "ingest", bytes.status().message());

  Page page;
  page.url = url;
  page.requested_url = url;
  page.fetched_at = UtcNow();
  page.content_hash = HexHash64(*bytes);
  ASSIGN_OR_RETURN(std::optional<store::Validators> previous,
                   pipeline.db().FindValidators(url));
  if (previous && previous->content_hash == page.content_hash) {
    ++pipeline.tally().unchanged;
    return pipeline.db().TouchPage(url);
  }

  StatusOr<crawler::DecodedDocument> decoded =
      crawler::DecodeDocument(*bytes, kind == FileKind::kHtml ? "text/html" : "text/plain");
  if (!decoded.ok()) return pipeline.RecordFailure(url, "decode", decoded.status().message());
  page.charset = decoded->charset;
  if (kind == FileKind::kHtml) {
    page.content_type = "text/html";
    page.html = std::move(decoded->utf8);
  } else if (kind == FileKind::kMarkdown) {
    // Stored as the HTML the article reader sees, so `extract --all` reads
    // it again without the file.
    page.content_type = "text/markdown";
    page.html = extract::MarkdownToHtml(decoded->utf8);
  } else {
    page.content_type = "text/plain";
    page.html = extract::PlainTextToHtml(decoded->utf8);
  }
  return pipeline.Process(page).status();
}

int RunIngest(const IngestFlags& flags, const GlobalOptions& globals) {
  StatusOr<std::unique_ptr<PagePipeline>> created = PagePipeline::Create(globals);
  if (!created.ok()) return ReportFatal(created.status());
  PagePipeline& pipeline = **created;

  const std::vector<std::filesystem::path> files = ListInputs(flags.paths, pipeline);
  for (size_t i = 0; i < files.size(); ++i) {
    Status stored = IngestFile(files[i], pipeline);
    if (!stored.ok()) return ReportFatal(stored.WithContext(files[i].string()));
    if ((i + 1) % 100 == 0) {
      LogInfo("ingest: " + std::to_string(i + 1) + "/" + std::to_string(files.size()) + " files");
    }
  }

  StatusOr<store::ReconcileStats> reconciled = pipeline.Reconcile();
  if (!reconciled.ok()) return ReportFatal(reconciled.status());
  const PipelineTally& tally = pipeline.tally();
  LogInfo("ingest: " + std::to_string(files.size()) + " files, " +
          std::to_string(tally.pages) + " pages stored (" + std::to_string(tally.claims) +
          " claims), " + std::to_string(tally.unchanged) + " unchanged, " +
          std::to_string(tally.failures) + " failed; " +
          std::to_string(reconciled->conflicts) + " conflicts");
  return tally.failures > 0 ? kExitSomeInputsFailed : kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& root, const GlobalOptions& globals, CommandRun& run) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* command = root.add_subcommand(
      "ingest",
      "Add local files or folders (HTML, plain text, Markdown) as pages and "
      "extract their claims. Unchanged files are skipped on a second run.");
  command->add_option("paths", flags->paths, "Files or folders")->required()->type_name("PATH");
  command->callback([flags, &globals, &run] {
    run = [flags, &globals] { return RunIngest(*flags, globals); };
  });
}

}  // namespace newsclaim::app
