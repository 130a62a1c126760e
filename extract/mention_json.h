// extract/mention_json.h
// The `newsclaim parse` wire format (docs/contract.md, "parse: request and
// answer lines"): mentions as MENTION objects, and one request line in, one
// answer line out for `parse --jsonl`. No JSON library in this header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/claim.h"
#include "extract/mention_parser.h"

namespace newsclaim::extract {

// A JSON number as the contract prints it: integral values without ".0" or
// exponent (260000, 12600000000000), others as the shortest text that reads
// back to the same double (3.5, 0.1).
std::string FormatJsonNumber(double value);

// One MENTION object: kind, text, start, end, value, low, high,
// low_inclusive, high_inclusive, qualifier, unit, currency, date, then
// equivalent_of and distributive when set, "deadline": true for deadlines
// and "vague": true for vague magnitudes (extensions of the contract).
std::string MentionToJson(const MentionInfo& mention);

// `{"id":<id_json>,"mentions":[...]}`. `id_json` is already JSON ("\"a1\"",
// 7 or null) and is copied as given.
std::string MentionsToJsonLine(std::string_view id_json,
                               const std::vector<MentionInfo>& mentions);
std::string MentionsToJsonLine(std::string_view id_json,
                               const std::vector<Mention>& mentions);

// Answers one request line {"id":..,"text":..,"lang":..,"ref":..}. `lang`
// and `ref` default to `defaults` when absent. A malformed line (not JSON,
// not an object, no string "text", a bad lang or ref) gets
// {"id":<id or null>,"error":"message"} so that a stream can go on.
// Never returns a line with a newline in it.
std::string AnswerJsonlLine(std::string_view request_line, const MentionParser& parser,
                            const ParseOptions& defaults = {});

}  // namespace newsclaim::extract
