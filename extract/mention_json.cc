// MENTION objects and parse --jsonl lines, with nlohmann::ordered_json so
// keys come out in the contract's order.
#include "extract/mention_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "extract/date_math.h"

namespace newsclaim::extract {

namespace {

using Json = nlohmann::ordered_json;

// Integral values become JSON integers so they print without ".0".
Json Number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 9.0e18) {
    return Json(static_cast<int64_t>(value));
  }
  if (!std::isfinite(value)) return Json(nullptr);
  return Json(value);
}

Json Optional(const std::optional<double>& value) {
  return value ? Number(*value) : Json(nullptr);
}

Json MentionObject(const Mention& m, bool deadline, bool vague) {
  Json j;
  j["kind"] = std::string(MentionKindName(m.kind));
  j["text"] = m.text;
  j["start"] = m.start;
  j["end"] = m.end;
  j["value"] = Optional(m.interval.value);
  j["low"] = Optional(m.interval.low);
  j["high"] = Optional(m.interval.high);
  j["low_inclusive"] = m.interval.low_inclusive;
  j["high_inclusive"] = m.interval.high_inclusive;
  j["qualifier"] = std::string(QualifierName(m.interval.qualifier));
  j["unit"] = m.unit.empty() ? Json(nullptr) : Json(m.unit);
  j["currency"] = m.currency.empty() ? Json(nullptr) : Json(m.currency);
  if (m.date) {
    j["date"] = Json{{"start", m.date->start}, {"end", m.date->end}};
  } else {
    j["date"] = nullptr;
  }
  if (m.equivalent_of) j["equivalent_of"] = *m.equivalent_of;
  if (m.distributive) j["distributive"] = true;
  if (deadline) j["deadline"] = true;
  if (vague) j["vague"] = true;
  return j;
}

std::string Dump(const Json& j) {
  // Invalid UTF-8 in the input text is replaced, never thrown on.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorLine(const Json& id, std::string_view message) {
  Json j;
  j["id"] = id;
  j["error"] = std::string(message);
  return Dump(j);
}

}  // namespace

std::string FormatJsonNumber(double value) { return Dump(Number(value)); }

std::string MentionToJson(const MentionInfo& mention) {
  return Dump(MentionObject(mention.mention, mention.deadline, mention.vague));
}

std::string MentionsToJsonLine(std::string_view id_json,
                               const std::vector<MentionInfo>& mentions) {
  std::string out = "{\"id\":";
  out += id_json.empty() ? std::string_view("null") : id_json;
  out += ",\"mentions\":[";
  for (size_t i = 0; i < mentions.size(); ++i) {
    if (i > 0) out += ',';
    out += MentionToJson(mentions[i]);
  }
  out += "]}";
  return out;
}

std::string MentionsToJsonLine(std::string_view id_json, const std::vector<Mention>& mentions) {
  std::vector<MentionInfo> infos;
  infos.reserve(mentions.size());
  for (const Mention& m : mentions) {
    MentionInfo info;
    info.mention = m;
    infos.push_back(std::move(info));
  }
  return MentionsToJsonLine(id_json, infos);
}

std::string AnswerJsonlLine(std::string_view request_line, const MentionParser& parser,
                            const ParseOptions& defaults) {
  Json request = Json::parse(request_line.begin(), request_line.end(), nullptr,
                             /*allow_exceptions=*/false);
  if (request.is_discarded()) return ErrorLine(nullptr, "request is not valid JSON");
  if (!request.is_object()) return ErrorLine(nullptr, "request is not a JSON object");
  Json id = request.contains("id") ? request["id"] : Json(nullptr);
  auto text = request.find("text");
  if (text == request.end() || !text->is_string()) {
    return ErrorLine(id, "request has no string \"text\"");
  }
  ParseOptions options = defaults;
  if (auto lang = request.find("lang"); lang != request.end() && !lang->is_null()) {
    if (!lang->is_string()) return ErrorLine(id, "\"lang\" must be \"ja\", \"en\" or \"auto\"");
    const std::string& l = lang->get_ref<const std::string&>();
    if (l == "ja") options.lang = Lang::kJa;
    else if (l == "en") options.lang = Lang::kEn;
    else if (l == "auto") options.lang = Lang::kAuto;
    else return ErrorLine(id, "\"lang\" must be \"ja\", \"en\" or \"auto\"");
  }
  if (auto ref = request.find("ref"); ref != request.end() && !ref->is_null()) {
    if (!ref->is_string() || !ParseIsoDate(ref->get_ref<const std::string&>())) {
      return ErrorLine(id, "\"ref\" must be \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM:SS\"");
    }
    options.ref = ref->get<std::string>();
  }
  const std::string& body = text->get_ref<const std::string&>();
  return MentionsToJsonLine(Dump(id), parser.ParseDetailed(body, options));
}

}  // namespace newsclaim::extract
