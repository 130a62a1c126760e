// fuzz/mention_parser_fuzzer.cc
// extract/mention_parser.h with the shipped rules/numbers: numerals, kanji
// multipliers, qualifiers, counters, money, percentages, dates (eras,
// fiscal years, relative dates). The first input byte picks the language
// and whether a reference date is given; the rest is the text. Checked:
// mentions are in text order, non-overlapping, inside the text, and their
// surface is the text between their offsets; intervals are ordered; a
// conversion points at another mention of the list.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"
#include "extract/mention_parser.h"
#include "extract/number_rules.h"
#include "fuzz/fuzz_support.h"

namespace {

// Sentences are short; a long input only slows the search down.
constexpr size_t kMaxInputBytes = 4096;

const newsclaim::extract::MentionParser& Parser() {
  static const newsclaim::extract::MentionParser* parser = [] {
    using namespace newsclaim;
    StatusOr<extract::NumberRules> rules = extract::LoadNumberRules(fuzz::SourceDir() / "rules");
    if (!rules.ok()) {
      std::fprintf(stderr, "mention_parser_fuzzer: %s\n", rules.status().ToString().c_str());
      std::abort();
    }
    StatusOr<extract::MentionParser> created = extract::MentionParser::Create(*rules);
    if (!created.ok()) {
      std::fprintf(stderr, "mention_parser_fuzzer: %s\n", created.status().ToString().c_str());
      std::abort();
    }
    return new extract::MentionParser(std::move(created).value());
  }();
  return *parser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsclaim;
  if (size == 0 || size > kMaxInputBytes) return 0;
  const unsigned char selector = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  extract::ParseOptions options;
  options.lang = selector % 3 == 0   ? extract::Lang::kAuto
                 : selector % 3 == 1 ? extract::Lang::kJa
                                     : extract::Lang::kEn;
  if (selector & 0x4) options.ref = (selector & 0x8) ? "2025-11-03T09:30:00" : "2016-02-29";
  options.skip_furniture = (selector & 0x10) != 0;

  const std::vector<extract::MentionInfo> mentions = Parser().ParseDetailed(text, options);
  const int64_t length = CodePointCount(text);
  int64_t previous_end = 0;
  for (size_t i = 0; i < mentions.size(); ++i) {
    const Mention& mention = mentions[i].mention;
    FUZZ_CHECK(mention.start >= previous_end);
    FUZZ_CHECK(mention.start < mention.end);
    FUZZ_CHECK(mention.end <= length);
    previous_end = mention.end;
    const int64_t begin_byte = ByteOffsetOfCodePoint(text, mention.start);
    const int64_t end_byte = ByteOffsetOfCodePoint(text, mention.end);
    FUZZ_CHECK(mention.text == text.substr(begin_byte, end_byte - begin_byte));
    const Interval& interval = mention.interval;
    if (interval.low && interval.high) FUZZ_CHECK(*interval.low <= *interval.high);
    if (interval.value) FUZZ_CHECK(!std::isnan(*interval.value));
    if (mention.equivalent_of) {
      FUZZ_CHECK(*mention.equivalent_of >= 0 &&
                 static_cast<size_t>(*mention.equivalent_of) < mentions.size() &&
                 static_cast<size_t>(*mention.equivalent_of) != i);
    }
    if (mention.date) FUZZ_CHECK(mention.date->start <= mention.date->end);
  }

  // Parse is ParseDetailed without the extras.
  const std::vector<Mention> plain = Parser().Parse(text, options);
  FUZZ_CHECK(plain.size() == mentions.size());
  return 0;
}
