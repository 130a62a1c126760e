#include "store/claim_json.h"

#include <cmath>
#include <cstdint>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "store/json_internal.h"

namespace newsclaim::store {
namespace {

using nlohmann::json;

json NullIfEmpty(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

std::string OptionalString(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return "";
  if (!it->is_string()) return std::string("\x01") + field;  // flagged below
  return it->get<std::string>();
}

// Display width in terminal columns: East Asian wide characters count 2.
int DisplayWidth(std::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = Utf8SequenceLength(lead);
    // Three- and four-byte sequences are mostly CJK, kana and full-width forms.
    width += length >= 3 ? 2 : 1;
    i += length;
  }
  return width;
}

// Cuts `text` to at most `columns` display columns, adding "…" when cut.
std::string Fit(std::string_view text, int columns) {
  if (DisplayWidth(text) <= columns) return std::string(text);
  std::string out;
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    const int length = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    const int w = length >= 3 ? 2 : 1;
    if (width + w > columns - 1) break;
    out.append(text.substr(i, length));
    width += w;
    i += length;
  }
  return out + "…";
}

std::string Pad(std::string_view text, int columns) {
  std::string out = Fit(text, columns);
  const int width = DisplayWidth(out);
  if (width < columns) out.append(columns - width, ' ');
  return out;
}

std::string CsvField(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string NumberText(const std::optional<double>& value) {
  if (!value) return "";
  return internal::NumberJson(*value).dump();
}

std::string TimeCell(const std::optional<ClaimTime>& time) {
  if (!time) return "";
  std::string cell(TimeRelationName(time->relation));
  cell += " ";
  cell += time->range.start == time->range.end ? time->range.start
                                               : time->range.start + ".." + time->range.end;
  return cell;
}

}  // namespace

namespace internal {

json NumberJson(double value) {
  // Integral figures print as integers ("260000", not "260000.0").
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    return json(static_cast<int64_t>(value));
  }
  return json(value);
}

json ClaimJson(const Claim& claim) {
  const bool is_date = claim.kind == ClaimKind::kDate;
  const Interval& in = claim.interval;
  auto number = [&](const std::optional<double>& v) {
    return is_date || !v ? json(nullptr) : NumberJson(*v);
  };
  json object = json::object();
  object["id"] = claim.id;
  object["kind"] = std::string(ClaimKindName(claim.kind));
  object["subject"] = NullIfEmpty(claim.subject);
  object["counterparty"] = NullIfEmpty(claim.counterparty);
  object["product"] = NullIfEmpty(claim.product);
  object["value"] = number(in.value);
  object["low"] = number(in.low);
  object["high"] = number(in.high);
  object["low_inclusive"] = in.low_inclusive;
  object["high_inclusive"] = in.high_inclusive;
  object["qualifier"] = std::string(QualifierName(in.qualifier));
  object["unit"] = claim.unit;
  if (claim.time) {
    object["time"] = {{"start", claim.time->range.start},
                      {"end", claim.time->range.end},
                      {"relation", std::string(TimeRelationName(claim.time->relation))}};
  } else {
    object["time"] = nullptr;
  }
  object["status"] = NullIfEmpty(std::string(ClaimStatusName(claim.status)));
  object["hedges"] = claim.hedges;
  object["attribution"] = NullIfEmpty(claim.attribution);
  object["published"] = NullIfEmpty(claim.published);
  object["url"] = claim.url;
  object["title"] = claim.title;
  object["lang"] = claim.lang;
  object["text"] = claim.text;
  object["quote"] = claim.quote;
  object["rule"] = claim.rule;
  return object;
}

json ConflictJson(const Conflict& conflict) {
  json object = json::object();
  object["id"] = conflict.id;
  object["class"] = conflict.conflict_class;
  object["severity"] = conflict.severity;
  object["status"] = conflict.status;
  object["subject"] = conflict.subject;
  object["kind"] = std::string(ClaimKindName(conflict.kind));
  object["key"] = conflict.key;
  object["explanation"] = conflict.explanation;
  object["preferred"] = NullIfEmpty(conflict.preferred_claim_id);
  json claims = json::array();
  for (const Claim& claim : conflict.claims) claims.push_back(ClaimJson(claim));
  object["claims"] = std::move(claims);
  return object;
}

std::string Dump(const json& value, int indent) {
  // Replace invalid UTF-8 rather than throw: page text is not ours to trust.
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace internal

std::string ClaimToJson(const Claim& claim, int indent) {
  return internal::Dump(internal::ClaimJson(claim), indent);
}

std::string ClaimToJsonLine(const Claim& claim) { return ClaimToJson(claim, -1); }

namespace {

StatusOr<Claim> ParseClaimObject(const json& object);

}  // namespace

StatusOr<Claim> ClaimFromJson(const std::string& text) {
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    return InvalidArgumentError("claim JSON: not a JSON object");
  }
  try {
    return ParseClaimObject(object);
  } catch (const json::exception& error) {
    return InvalidArgumentError(std::string("claim JSON: ") + error.what());
  }
}

namespace {

StatusOr<Claim> ParseClaimObject(const json& object) {
  Claim claim;
  auto string_field = [&](const char* name, std::string& out) -> Status {
    out = OptionalString(object, name);
    if (!out.empty() && out[0] == '\x01') return InvalidArgumentError(std::string("claim JSON: field ") + name + " is not a string");
    return Status::Ok();
  };
  auto number_field = [&](const char* name, std::optional<double>& out) -> Status {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return Status::Ok();
    if (!it->is_number()) return InvalidArgumentError(std::string("claim JSON: field ") + name + " is not a number");
    out = it->get<double>();
    return Status::Ok();
  };
  std::string kind, qualifier, status;
  RETURN_IF_ERROR(string_field("id", claim.id));
  RETURN_IF_ERROR(string_field("kind", kind));
  std::optional<ClaimKind> parsed_kind = ParseClaimKind(kind);
  if (!parsed_kind) return InvalidArgumentError("claim JSON: unknown kind '" + kind + "'");
  claim.kind = *parsed_kind;
  RETURN_IF_ERROR(string_field("subject", claim.subject));
  RETURN_IF_ERROR(string_field("counterparty", claim.counterparty));
  RETURN_IF_ERROR(string_field("product", claim.product));
  RETURN_IF_ERROR(number_field("value", claim.interval.value));
  RETURN_IF_ERROR(number_field("low", claim.interval.low));
  RETURN_IF_ERROR(number_field("high", claim.interval.high));
  if (auto it = object.find("low_inclusive"); it != object.end() && it->is_boolean()) {
    claim.interval.low_inclusive = it->get<bool>();
  }
  if (auto it = object.find("high_inclusive"); it != object.end() && it->is_boolean()) {
    claim.interval.high_inclusive = it->get<bool>();
  }
  RETURN_IF_ERROR(string_field("qualifier", qualifier));
  if (!qualifier.empty()) {
    std::optional<Qualifier> parsed = ParseQualifier(qualifier);
    if (!parsed) return InvalidArgumentError("claim JSON: unknown qualifier '" + qualifier + "'");
    claim.interval.qualifier = *parsed;
  }
  RETURN_IF_ERROR(string_field("unit", claim.unit));
  if (auto it = object.find("time"); it != object.end() && !it->is_null()) {
    if (!it->is_object()) return InvalidArgumentError("claim JSON: field time is not an object");
    ClaimTime time;
    time.range.start = it->value("start", "");
    time.range.end = it->value("end", "");
    const std::string relation = it->value("relation", "on");
    std::optional<TimeRelation> parsed = ParseTimeRelation(relation);
    if (!parsed) return InvalidArgumentError("claim JSON: unknown time relation '" + relation + "'");
    time.relation = *parsed;
    claim.time = time;
  }
  RETURN_IF_ERROR(string_field("status", status));
  std::optional<ClaimStatus> parsed_status = ParseClaimStatus(status);
  if (!parsed_status) return InvalidArgumentError("claim JSON: unknown status '" + status + "'");
  claim.status = *parsed_status;
  if (auto it = object.find("hedges"); it != object.end() && !it->is_null()) {
    if (!it->is_array()) return InvalidArgumentError("claim JSON: field hedges is not an array");
    for (const json& hedge : *it) {
      if (!hedge.is_string()) {
        return InvalidArgumentError("claim JSON: field hedges holds a non-string");
      }
      claim.hedges.push_back(hedge.get<std::string>());
    }
  }
  RETURN_IF_ERROR(string_field("attribution", claim.attribution));
  RETURN_IF_ERROR(string_field("published", claim.published));
  RETURN_IF_ERROR(string_field("url", claim.url));
  RETURN_IF_ERROR(string_field("title", claim.title));
  RETURN_IF_ERROR(string_field("lang", claim.lang));
  RETURN_IF_ERROR(string_field("text", claim.text));
  RETURN_IF_ERROR(string_field("quote", claim.quote));
  RETURN_IF_ERROR(string_field("rule", claim.rule));
  return claim;
}

}  // namespace

std::string ConflictsToJson(const std::vector<Conflict>& conflicts) {
  json array = json::array();
  for (const Conflict& conflict : conflicts) array.push_back(internal::ConflictJson(conflict));
  return internal::Dump(json{{"conflicts", std::move(array)}}, -1);
}

namespace {

// The hedges in one CSV cell: "according to; reportedly".
std::string JoinHedges(const std::vector<std::string>& hedges) {
  std::string joined;
  for (const std::string& hedge : hedges) {
    if (!joined.empty()) joined += "; ";
    joined += hedge;
  }
  return joined;
}

}  // namespace

std::string ClaimsToCsv(const std::vector<Claim>& claims) {
  static constexpr const char* kHeader =
      "id,kind,subject,counterparty,product,value,low,high,low_inclusive,high_inclusive,"
      "qualifier,unit,time_start,time_end,time_relation,status,published,url,title,lang,"
      "text,quote,rule,hedges,attribution\r\n";
  std::string out = kHeader;
  for (const Claim& claim : claims) {
    const bool is_date = claim.kind == ClaimKind::kDate;
    const std::vector<std::string> fields = {
        claim.id,
        std::string(ClaimKindName(claim.kind)),
        claim.subject,
        claim.counterparty,
        claim.product,
        is_date ? "" : NumberText(claim.interval.value),
        is_date ? "" : NumberText(claim.interval.low),
        is_date ? "" : NumberText(claim.interval.high),
        claim.interval.low_inclusive ? "true" : "false",
        claim.interval.high_inclusive ? "true" : "false",
        std::string(QualifierName(claim.interval.qualifier)),
        claim.unit,
        claim.time ? claim.time->range.start : "",
        claim.time ? claim.time->range.end : "",
        claim.time ? std::string(TimeRelationName(claim.time->relation)) : "",
        std::string(ClaimStatusName(claim.status)),
        claim.published,
        claim.url,
        claim.title,
        claim.lang,
        claim.text,
        claim.quote,
        claim.rule,
        JoinHedges(claim.hedges),
        claim.attribution,
    };
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(fields[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string ClaimsToTable(const std::vector<Claim>& claims) {
  std::ostringstream out;
  out << Pad("KIND", 10) << " " << Pad("SUBJECT", 22) << " " << Pad("FIGURE", 16) << " "
      << Pad("TIME", 26) << " " << Pad("PUBLISHED", 10) << " SOURCE\n";
  for (const Claim& claim : claims) {
    std::string figure = claim.text;
    if (figure.empty() && claim.interval.value) figure = NumberText(claim.interval.value);
    out << Pad(ClaimKindName(claim.kind), 10) << " "
        << Pad(claim.subject.empty() ? "-" : claim.subject, 22) << " " << Pad(figure, 16) << " "
        << Pad(claim.time ? TimeCell(claim.time) : "-", 26) << " "
        << Pad(claim.published.empty() ? "-" : claim.published, 10) << " "
        << (claim.title.empty() ? claim.url : Fit(claim.title, 40) + " <" + claim.url + ">")
        << "\n";
  }
  out << claims.size() << (claims.size() == 1 ? " claim\n" : " claims\n");
  return out.str();
}

std::string ConflictsToTable(const std::vector<Conflict>& conflicts) {
  std::ostringstream out;
  for (const Conflict& conflict : conflicts) {
    out << conflict.id << "  " << conflict.conflict_class << " (" << conflict.severity << ", "
        << conflict.status << ")  " << conflict.key << "\n";
    for (const Claim& claim : conflict.claims) {
      out << "  " << (claim.id == conflict.preferred_claim_id ? "* " : "  ")
          << Pad(claim.text.empty() ? NumberText(claim.interval.value) : claim.text, 18) << " "
          << Pad(claim.time ? TimeCell(claim.time) : "", 24) << " "
          << Pad(claim.published.empty() ? "-" : claim.published, 10) << " "
          << (claim.title.empty() ? claim.url : Fit(claim.title, 40) + " <" + claim.url + ">")
          << "  [" << claim.id << "]\n";
    }
    out << "  " << conflict.explanation << "\n\n";
  }
  out << conflicts.size() << (conflicts.size() == 1 ? " conflict\n" : " conflicts\n");
  return out.str();
}

}  // namespace newsclaim::store
