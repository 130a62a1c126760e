#include "crawler/crawl_config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "crawler/url.h"

namespace newsclaim::crawler {
namespace {

namespace fs = std::filesystem;

// Keys a source may set for itself; the top level may set them too, as
// defaults for every source.
constexpr std::string_view kSourceDefaultKeys[] = {
    "allow",           "deny",           "max_depth",  "max_pages",
    "delay_ms",        "max_connections", "per_host_connections",
    "recrawl_interval"};
constexpr std::string_view kSourceOnlyKeys[] = {"name", "enabled", "start", "feeds",
                                                "sitemaps"};
constexpr std::string_view kTopOnlyKeys[] = {
    "user_agent", "robots_token", "warc_dir",    "connect_timeout_ms",
    "timeout_ms", "max_body_bytes", "max_retries", "source"};

template <size_t N>
bool Contains(const std::string_view (&keys)[N], std::string_view key) {
  return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

// Reads values out of one parsed file, turning every problem into
// "PATH:LINE: message" at the offending node.
class Reader {
 public:
  explicit Reader(const fs::path& path) : path_(path.string()) {}

  Status Error(const toml::node& node, std::string_view message) const {
    return Error(static_cast<int>(node.source().begin.line), message);
  }
  Status Error(int line, std::string_view message) const {
    return InvalidArgumentError(path_ + ":" + std::to_string(std::max(line, 1)) + ": " +
                                std::string(message));
  }

  StatusOr<std::optional<std::string>> String(const toml::table& table, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<std::string>();
    const auto* value = node->as_string();
    if (value == nullptr) return Error(*node, std::string(key) + " must be a string");
    return std::optional<std::string>(value->get());
  }

  StatusOr<std::optional<int64_t>> Integer(const toml::table& table, std::string_view key,
                                           int64_t low, int64_t high) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<int64_t>();
    const auto* value = node->as_integer();
    if (value == nullptr) return Error(*node, std::string(key) + " must be an integer");
    const int64_t number = value->get();
    if (number < low || number > high) {
      return Error(*node, std::string(key) + " must be between " + std::to_string(low) +
                              " and " + std::to_string(high) + ", not " +
                              std::to_string(number));
    }
    return std::optional<int64_t>(number);
  }

  StatusOr<std::optional<bool>> Boolean(const toml::table& table, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<bool>();
    const auto* value = node->as_boolean();
    if (value == nullptr) return Error(*node, std::string(key) + " must be true or false");
    return std::optional<bool>(value->get());
  }

  // An array of non-empty strings (a single string is taken as a list of one).
  StatusOr<std::optional<std::vector<std::string>>> Strings(const toml::table& table,
                                                           std::string_view key) {
    using Result = std::optional<std::vector<std::string>>;
    const toml::node* node = table.get(key);
    if (node == nullptr) return Result();
    std::vector<std::string> out;
    if (const auto* single = node->as_string()) {
      if (single->get().empty()) return Error(*node, std::string(key) + " must not be empty");
      out.push_back(single->get());
      return Result(std::move(out));
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) return Error(*node, std::string(key) + " must be an array of strings");
    for (const toml::node& item : *array) {
      const auto* text = item.as_string();
      if (text == nullptr) return Error(item, std::string(key) + " must hold only strings");
      if (text->get().empty()) return Error(item, std::string(key) + " holds an empty string");
      out.push_back(text->get());
    }
    return Result(std::move(out));
  }

  // An array of absolute http(s) URLs.
  StatusOr<std::vector<std::string>> Urls(const toml::table& table, std::string_view key) {
    ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> urls, Strings(table, key));
    if (!urls) return std::vector<std::string>();
    const toml::node* node = table.get(key);
    for (size_t i = 0; i < urls->size(); ++i) {
      if (!ParseUrl((*urls)[i])) {
        const toml::array* array = node->as_array();
        const toml::node& at = array != nullptr ? *array->get(i) : *node;
        return Error(at, std::string(key) + ": not an absolute http(s) URL: \"" + (*urls)[i] +
                             "\"");
      }
    }
    return std::move(*urls);
  }

  // A duration string ("6h") or integer seconds.
  StatusOr<std::optional<int64_t>> Duration(const toml::table& table, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::optional<int64_t>();
    if (const auto* seconds = node->as_integer()) {
      if (seconds->get() < 0) return Error(*node, std::string(key) + " must not be negative");
      return std::optional<int64_t>(seconds->get());
    }
    const auto* text = node->as_string();
    if (text == nullptr) {
      return Error(*node, std::string(key) + " must be a duration such as \"6h\" or seconds");
    }
    StatusOr<int64_t> parsed = ParseDurationSeconds(text->get());
    if (!parsed.ok()) return Error(*node, std::string(key) + ": " + parsed.status().message());
    return std::optional<int64_t>(*parsed);
  }

  Status CheckKeys(const toml::table& table, bool top_level) {
    for (const auto& [key, node] : table) {
      const std::string_view name = key.str();
      const bool known = Contains(kSourceDefaultKeys, name) ||
                         (top_level ? Contains(kTopOnlyKeys, name) : Contains(kSourceOnlyKeys, name));
      if (known) continue;
      std::string message = "unknown key \"" + std::string(name) + "\"";
      if (top_level && Contains(kSourceOnlyKeys, name)) {
        message += " (it belongs in a [[source]])";
      } else if (!top_level && Contains(kTopOnlyKeys, name)) {
        message += " (it can only be set at the top level)";
      }
      return Error(static_cast<int>(key.source().begin.line), message);
    }
    return Status::Ok();
  }

  // Keys a source shares with the top level: read into `source`, which
  // holds the top-level values on entry.
  Status ReadSourceSettings(const toml::table& table, SourceConfig& source,
                            bool join_deny) {
    ASSIGN_OR_RETURN(auto allow, Strings(table, "allow"));
    if (allow) source.allow = std::move(*allow);
    ASSIGN_OR_RETURN(auto deny, Strings(table, "deny"));
    if (deny) {
      if (!join_deny) source.deny.clear();
      source.deny.insert(source.deny.end(), deny->begin(), deny->end());
    }
    ASSIGN_OR_RETURN(auto depth, Integer(table, "max_depth", 0, 100));
    if (depth) source.max_depth = static_cast<int>(*depth);
    ASSIGN_OR_RETURN(auto pages, Integer(table, "max_pages", 1, 100'000'000));
    if (pages) source.max_pages = static_cast<int>(*pages);
    ASSIGN_OR_RETURN(auto delay, Integer(table, "delay_ms", 0, 3'600'000));
    if (delay) source.delay_ms = *delay;
    ASSIGN_OR_RETURN(auto connections, Integer(table, "max_connections", 1, 256));
    if (connections) source.max_connections = static_cast<int>(*connections);
    ASSIGN_OR_RETURN(auto per_host, Integer(table, "per_host_connections", 1, 64));
    if (per_host) source.per_host_connections = static_cast<int>(*per_host);
    ASSIGN_OR_RETURN(auto interval, Duration(table, "recrawl_interval"));
    if (interval) source.recrawl_interval_s = *interval;
    return Status::Ok();
  }

 private:
  std::string path_;
};

bool IsValidSourceName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

StatusOr<SourceConfig> ReadSource(Reader& reader, const toml::table& table,
                                  const SourceConfig& defaults) {
  const int line = static_cast<int>(table.source().begin.line);
  RETURN_IF_ERROR(reader.CheckKeys(table, /*top_level=*/false));
  SourceConfig source = defaults;
  source.line = line;
  ASSIGN_OR_RETURN(std::optional<std::string> name, reader.String(table, "name"));
  if (!name) return reader.Error(line, "source has no name");
  if (!IsValidSourceName(*name)) {
    return reader.Error(*table.get("name"),
                        "source name \"" + *name +
                            "\" must be 1-64 letters, digits, '.', '_' or '-'");
  }
  source.name = *name;
  ASSIGN_OR_RETURN(std::optional<bool> enabled, reader.Boolean(table, "enabled"));
  source.enabled = enabled.value_or(true);
  ASSIGN_OR_RETURN(source.start, reader.Urls(table, "start"));
  ASSIGN_OR_RETURN(source.feeds, reader.Urls(table, "feeds"));
  ASSIGN_OR_RETURN(source.sitemaps, reader.Urls(table, "sitemaps"));
  if (source.start.empty() && source.feeds.empty() && source.sitemaps.empty()) {
    return reader.Error(line, "source \"" + source.name +
                                  "\" has nothing to crawl: give start, feeds or sitemaps");
  }
  RETURN_IF_ERROR(reader.ReadSourceSettings(table, source, /*join_deny=*/true));
  return source;
}

}  // namespace

std::vector<std::string> SourceConfig::Seeds() const {
  std::vector<std::string> seeds;
  std::set<std::string> seen;
  for (const auto* list : {&start, &feeds, &sitemaps}) {
    for (const std::string& url : *list) {
      if (seen.insert(url).second) seeds.push_back(url);
    }
  }
  return seeds;
}

StatusOr<CrawlConfig> ParseCrawlConfig(std::string_view text, const fs::path& path) {
  Reader reader(path);
  toml::table root;
  try {
    root = toml::parse(text, path.string());
  } catch (const toml::parse_error& error) {
    return reader.Error(static_cast<int>(error.source().begin.line),
                        std::string(error.description()));
  }
  RETURN_IF_ERROR(reader.CheckKeys(root, /*top_level=*/true));

  CrawlConfig config;
  config.path = path;
  ASSIGN_OR_RETURN(std::optional<std::string> user_agent, reader.String(root, "user_agent"));
  if (user_agent) {
    Status valid = ValidateUserAgent(*user_agent);
    if (!valid.ok()) return reader.Error(*root.get("user_agent"), valid.message());
    config.user_agent = *user_agent;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> token, reader.String(root, "robots_token"));
  if (token) {
    if (token->empty() || token->find_first_of(" \t/") != std::string::npos) {
      return reader.Error(*root.get("robots_token"),
                          "robots_token must be one word without spaces or '/'");
    }
    config.robots_token = *token;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> warc_dir, reader.String(root, "warc_dir"));
  if (warc_dir) {
    if (warc_dir->empty()) return reader.Error(*root.get("warc_dir"), "warc_dir is empty");
    fs::path dir(*warc_dir);
    config.warc_dir = dir.is_absolute() ? dir : fs::absolute(path).parent_path() / dir;
  }
  ASSIGN_OR_RETURN(auto connect_timeout, reader.Integer(root, "connect_timeout_ms", 1, 600'000));
  if (connect_timeout) config.connect_timeout_ms = *connect_timeout;
  ASSIGN_OR_RETURN(auto timeout, reader.Integer(root, "timeout_ms", 1, 3'600'000));
  if (timeout) config.timeout_ms = *timeout;
  ASSIGN_OR_RETURN(auto body, reader.Integer(root, "max_body_bytes", 1,
                                             std::numeric_limits<int32_t>::max()));
  if (body) config.max_body_bytes = static_cast<size_t>(*body);
  ASSIGN_OR_RETURN(auto retries, reader.Integer(root, "max_retries", 0, 20));
  if (retries) config.max_retries = static_cast<int>(*retries);

  SourceConfig defaults;
  RETURN_IF_ERROR(reader.ReadSourceSettings(root, defaults, /*join_deny=*/false));

  const toml::node* sources = root.get("source");
  const toml::array* array = sources != nullptr ? sources->as_array() : nullptr;
  if (sources != nullptr && (array == nullptr || !array->is_array_of_tables())) {
    return reader.Error(*sources, "source must be an array of tables: write [[source]]");
  }
  if (array == nullptr || array->empty()) {
    return reader.Error(1, "no sources: add at least one [[source]] with a name and start, "
                           "feeds or sitemaps");
  }
  std::set<std::string> names;
  for (const toml::node& node : *array) {
    ASSIGN_OR_RETURN(SourceConfig source, ReadSource(reader, *node.as_table(), defaults));
    if (!names.insert(source.name).second) {
      return reader.Error(source.line, "duplicate source name \"" + source.name + "\"");
    }
    config.sources.push_back(std::move(source));
  }
  return config;
}

StatusOr<CrawlConfig> LoadCrawlConfig(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path.string() + ": cannot read the crawl config");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError(path.string() + ": cannot read the crawl config");
  return ParseCrawlConfig(text.str(), path);
}

void ApplyOverrides(const CrawlOverrides& overrides, CrawlConfig& config) {
  if (overrides.user_agent) config.user_agent = *overrides.user_agent;
  if (overrides.warc_dir) config.warc_dir = fs::absolute(*overrides.warc_dir);
  for (SourceConfig& source : config.sources) {
    if (overrides.max_depth) source.max_depth = *overrides.max_depth;
    if (overrides.max_pages) source.max_pages = *overrides.max_pages;
    if (overrides.delay_ms) source.delay_ms = *overrides.delay_ms;
    if (overrides.max_connections) source.max_connections = *overrides.max_connections;
    if (overrides.per_host_connections) {
      source.per_host_connections = *overrides.per_host_connections;
    }
  }
}

Status ValidateUserAgent(std::string_view user_agent) {
  if (user_agent.empty()) return InvalidArgumentError("user agent is empty");
  for (unsigned char c : user_agent) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgumentError("user agent contains a control character");
    }
  }
  const size_t token = RobotsToken(user_agent).size();
  if (token == 0 || (token < user_agent.size() && user_agent[token] != '/' &&
                     user_agent[token] != ' ')) {
    return InvalidArgumentError("user agent must start with a product name, e.g. \"mybot/1.0\"");
  }
  for (std::string_view scheme : {"https://", "http://", "mailto:"}) {
    const size_t at = user_agent.find(scheme);
    if (at == std::string_view::npos) continue;
    const size_t end = user_agent.find_first_of(" );", at);
    const size_t length = (end == std::string_view::npos ? user_agent.size() : end) - at;
    if (length > scheme.size() + 2) return Status::Ok();
  }
  return InvalidArgumentError(
      "user agent \"" + std::string(user_agent) +
      "\" has no contact URL; include one so site operators can reach you, e.g. "
      "\"mybot/1.0 (+https://example.org/crawler)\"");
}

std::string RobotsToken(std::string_view user_agent) {
  // RFC 9309 section 2.2.1: the product token is [a-zA-Z_-]+.
  size_t end = 0;
  while (end < user_agent.size()) {
    const char c = user_agent[end];
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '-')) break;
    ++end;
  }
  return std::string(user_agent.substr(0, end));
}

StatusOr<int64_t> ParseDurationSeconds(std::string_view text) {
  if (text == "0") return 0;
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 9 || digits + 1 != text.size()) {
    return InvalidArgumentError("\"" + std::string(text) +
                                "\" is not a duration such as 90s, 30m, 6h, 1d or 1w");
  }
  const int64_t number = std::stoll(std::string(text.substr(0, digits)));
  switch (text.back()) {
    case 's': return number;
    case 'm': return number * 60;
    case 'h': return number * 3600;
    case 'd': return number * 86400;
    case 'w': return number * 7 * 86400;
    default:
      return InvalidArgumentError("\"" + std::string(text) +
                                  "\": unknown unit; use s, m, h, d or w");
  }
}

DueCheck CheckDue(int64_t interval_s, std::optional<int64_t> last_started_unix,
                  int64_t now_unix) {
  if (interval_s <= 0 || !last_started_unix) return {};
  const int64_t grace = std::min<int64_t>(interval_s / 20, 300);
  const int64_t due_at = *last_started_unix + interval_s - grace;
  if (now_unix >= due_at) return {};
  return {false, due_at - now_unix};
}

std::string FormatDuration(int64_t seconds) {
  if (seconds < 60) return std::to_string(std::max<int64_t>(seconds, 0)) + "s";
  struct Unit {
    int64_t size;
    const char* name;
  };
  constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (size_t i = 0; i + 1 < std::size(kUnits); ++i) {
    if (seconds >= kUnits[i].size) {
      std::string out = std::to_string(seconds / kUnits[i].size) + kUnits[i].name;
      const int64_t rest = (seconds % kUnits[i].size) / kUnits[i + 1].size;
      if (rest > 0) out += " " + std::to_string(rest) + kUnits[i + 1].name;
      return out;
    }
  }
  return std::to_string(seconds) + "s";
}

}  // namespace newsclaim::crawler
