#include "extract/claim_extractor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "base/hash.h"
#include "base/utf8.h"
#include "extract/claim_tables.h"
#include "extract/mention_parser.h"
#include "extract/sentences.h"
#include "extract/tokenizer.h"

namespace newsclaim::extract {

namespace {

using Tables = ClaimRules::Tables;

// ---- Characters --------------------------------------------------------------

bool IsJapaneseChar(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xFF66 && c <= 0xFF9F);
}

bool IsSpaceChar(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\u00A0';
}

bool IsAsciiLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Punctuation that ends a clause: a figure's context does not reach past it.
bool IsClauseBreak(char32_t c) {
  return c == U'、' || c == U'。' || c == U',' || c == U';' || c == U':' ||
         c == U'!' || c == U'?';
}

// True if `word` occurs in `text` at `pos` (false past the end).
bool StartsAt(std::u32string_view text, int64_t pos, std::u32string_view word) {
  if (pos < 0 || pos > static_cast<int64_t>(text.size())) return false;
  return text.substr(pos).substr(0, word.size()) == word;
}

// Days from 1970-01-01 of "YYYY-MM-DD" (civil calendar), or nullopt.
std::optional<int64_t> DaysOf(const std::string& date) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// A quarter, a half or a year: a period a figure can fall in ("in the second
// half of 2026"), where a month or a day dates an event ("in March").
bool SpansAQuarterOrMore(const DateRange& range) {
  std::optional<int64_t> start = DaysOf(range.start);
  std::optional<int64_t> end = DaysOf(range.end);
  return start && end && *end - *start + 1 >= 89;
}

// ---- One sentence, analysed ---------------------------------------------------

// An organization, government or country named in a sentence. Offsets are
// normalized code points of the sentence.
struct EntityRef {
  int64_t start = 0;
  int64_t end = 0;
  std::string name;  // canonical, resolved anaphor, or the surface
  std::string type;  // gazetteer type; "organization" when not listed
  int index = -1;    // gazetteer index, -1 when not listed
  bool maker = false;  // names a product's maker: NVIDIAのGPU, Nvidia H100
  bool anaphor = false;
  enum class Mark { kNone, kReceiver, kSupplier, kPartner, kOblique };
  Mark mark = Mark::kNone;
};

// A word that gives a status, at a position in the sentence.
struct StatusCue {
  int64_t start = 0;
  int64_t end = 0;
  ClaimStatus status = ClaimStatus::kNone;
  bool stop = false;  // a status verb in a form that states no status
  bool tense = false;  // read from tense (skipped by status = "explicit")
};

// A Japanese topic phrase (X は / X が / X では): the text from
// `start` to its marker at `marker`.
struct TopicPhrase {
  int64_t start = 0;
  int64_t marker = 0;
  // Per unmarked_only (index 0: any entity, 1: unmarked ones only): whether
  // the phrase holds a candidate entity, the nearest phrase at or before
  // this one that does (-1 if none), and its topic once computed.
  bool has_candidates[2] = {false, false};
  int nearest[2] = {-1, -1};
  std::optional<std::vector<const EntityRef*>> topic[2];
};

// What claim assembly asks of a sentence once per figure, computed on the
// first request and kept for the sentence's other figures. Without it one
// long sentence costs time cubic in its figures (each figure rescanned
// every topic phrase against every entity); see docs/hardening.md.
struct SentenceMemo {
  std::optional<std::vector<TopicPhrase>> topic_phrases;
  std::optional<std::vector<LexiconMatch>> supply_verbs;
  std::optional<std::string> supplier;
  std::optional<bool> grant_words;
  std::optional<std::vector<StatusCue>> cues[2];  // all; explicit only
  std::vector<int> clause_breaks_before;  // prefix counts over `folded`
  // Per mention: 0 not yet computed, 1 no relation, 2 + the relation.
  std::vector<int> date_relation;
};

struct Analysis {
  const Sentence* sentence = nullptr;
  std::u32string norm;
  std::u32string folded;
  bool ja = false;
  std::vector<MentionInfo> mentions;
  std::vector<EntityRef> entities;  // sorted by start
  std::vector<LexiconMatch> products;
  std::vector<LexiconMatch> gpu_words;
  std::vector<Token> tokens;  // only for Japanese sentences with a figure
  bool has_gpu = false;       // a GPU word or a GPU product
  bool boilerplate = false;   // in press-release boilerplate: no claims
  std::vector<int64_t> byte_of_cp;  // of sentence->text, for claim surfaces
  // Token indexes by normalized code point (norm.size() + 1 entries; empty
  // when there are no tokens): the first and the last token starting
  // there, and the first token covering it; -1 for none.
  std::vector<int> first_token_at;
  std::vector<int> last_token_at;
  std::vector<int> token_covering;
  mutable SentenceMemo memo;  // filled by the const assembly steps
};

// What earlier sentences of the article established.
struct ArticleContext {
  // Entities that were the topic or subject of a sentence, oldest first.
  std::vector<std::pair<std::string, std::string>> subjects;  // name, type
  std::vector<int> seen;  // gazetteer indexes named so far, oldest first
  // The supplier (and product) of the last supply deal about GPUs, and of
  // the last one about money (a subsidy, an investment).
  std::string gpu_supplier;
  std::string gpu_product;
  std::string money_supplier;
  bool previous_has_gpu = false;
  bool previous_has_gpu_claim = false;  // scratch for UpdateContext
  int sentences_since_gpu = 100;
};

// Subject and counterparty of one figure.
struct SubjectChoice {
  std::vector<std::string> subjects;  // more than one: a coordinated list
  std::string counterparty;
  bool list = false;  // subjects came from a coordinated list
};

// The hedges of a sentence and the source they credit (see [hedges] in
// rules/claims/words.toml).
struct Hedging {
  std::vector<std::string> hedges;  // as written (NFKC), in sentence order
  std::string attribution;
};

// Gazetteer types that grant subsidies rather than receive them.
bool IsGovernmentType(const std::string& type) {
  return type == "government" || type == "ministry" || type == "agency";
}

bool Overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  return a0 < b1 && b0 < a1;
}

// True if `word` is exactly a word of `lexicon`.
bool IsWord(const Lexicon& lexicon, std::u32string_view folded) {
  if (folded.empty()) return false;
  LexiconMatch match = lexicon.MatchAt(folded, folded, 0);
  return match.value >= 0 && match.end == static_cast<int64_t>(folded.size());
}

int64_t SkipSpaces(std::u32string_view text, int64_t pos) {
  while (pos < static_cast<int64_t>(text.size()) && IsSpaceChar(text[pos])) ++pos;
  return pos;
}

int64_t SkipSpacesBack(std::u32string_view text, int64_t pos) {
  while (pos > 0 && IsSpaceChar(text[pos - 1])) --pos;
  return pos;
}

// The ASCII word (letters, digits, ' and -) ending at `end`, skipping
// spaces before `end`; returns [start, end) of it, or an empty span.
std::pair<int64_t, int64_t> WordBefore(std::u32string_view folded, int64_t end) {
  end = SkipSpacesBack(folded, end);
  int64_t start = end;
  while (start > 0 && (IsAsciiLetter(folded[start - 1]) ||
                       IsAsciiDigit(folded[start - 1]) ||
                       folded[start - 1] == U'\'' || folded[start - 1] == U'-')) {
    --start;
  }
  return {start, end};
}

// Fills the token indexes of `a` from a->tokens.
void IndexTokens(Analysis* a) {
  const int64_t size = static_cast<int64_t>(a->norm.size()) + 1;
  a->first_token_at.assign(size, -1);
  a->last_token_at.assign(size, -1);
  a->token_covering.assign(size, -1);
  // Backwards, so that the first token wins where several qualify.
  for (int i = static_cast<int>(a->tokens.size()) - 1; i >= 0; --i) {
    const Token& token = a->tokens[i];
    if (token.cp_start >= 0 && token.cp_start < size) {
      a->first_token_at[token.cp_start] = i;
      if (a->last_token_at[token.cp_start] < 0) a->last_token_at[token.cp_start] = i;
    }
    const int64_t end = std::min(token.cp_end, size);
    for (int64_t pos = std::max<int64_t>(token.cp_start, 0); pos < end; ++pos) {
      a->token_covering[pos] = i;
    }
  }
}

// The entry of a token index at `pos`: -1 when out of range or the
// sentence has no tokens.
int TokenAt(const std::vector<int>& index, int64_t pos) {
  if (pos < 0 || pos >= static_cast<int64_t>(index.size())) return -1;
  return index[pos];
}

}  // namespace

// ---- The extractor ----------------------------------------------------------

struct ClaimExtractor::Impl {
  std::shared_ptr<const Tables> tables_owner;
  const Tables* tables = nullptr;
  MentionParser parser;
  SentenceSplitter splitter;
  Tokenizer tokenizer;
  ExtractTimings timings;

  Impl(std::shared_ptr<const Tables> owner, MentionParser p, SentenceSplitter s,
       Tokenizer t)
      : tables_owner(std::move(owner)),
        tables(tables_owner.get()),
        parser(std::move(p)),
        splitter(std::move(s)),
        tokenizer(std::move(t)) {}

  std::vector<Claim> Extract(const Article& article, std::string_view url,
                             std::vector<std::string>* warnings);

 private:
  std::optional<bool> BoilerplateHeading(const std::string& paragraph) const;
  Analysis Analyze(const Sentence& sentence, const Article& article,
                   const ArticleContext& context);
  void FindEntities(Analysis* a, const ArticleContext& context) const;
  void FindUnknownOrganizations(Analysis* a) const;
  void MarkEntities(Analysis* a) const;
  std::string ResolveAnaphor(int type, const ArticleContext& context) const;

  const ClaimRule* ChooseRule(const Analysis& a, const MentionInfo& info,
                              const ArticleContext& context) const;
  bool GpuAdjacent(const Analysis& a, const Mention& m, int window) const;
  bool IsGpuUnit(const std::string& unit) const;

  SubjectChoice ChooseSubject(const Analysis& a, const Mention& m,
                              ClaimKind kind, const ArticleContext& context) const;
  std::vector<const EntityRef*> TopicEntities(const Analysis& a, int64_t before,
                                              bool unmarked_only) const;
  const std::vector<TopicPhrase>& TopicPhrases(const Analysis& a) const;
  std::vector<const EntityRef*> ExtendList(const Analysis& a,
                                           const EntityRef* last) const;
  bool SupplyDeal(const Analysis& a, const Mention& m, std::string* receiver,
                  std::string* supplier) const;
  std::string SupplierOf(const Analysis& a) const;
  std::string FindSupplier(const Analysis& a) const;
  const std::vector<LexiconMatch>& SupplyVerbs(const Analysis& a) const;
  bool GrantWords(const Analysis& a) const;
  bool Related(const std::string& a, const std::string& b) const;

  std::string ChooseProduct(const Analysis& a, const Mention& m, ClaimKind kind,
                            const ArticleContext& context) const;
  std::optional<ClaimTime> ChooseTime(const Analysis& a, size_t mention_index) const;
  std::optional<TimeRelation> DateRelation(const Analysis& a,
                                           const MentionInfo& date) const;
  std::optional<TimeRelation> DateRelationOf(const Analysis& a, size_t index) const;
  ClaimStatus ChooseStatus(const Analysis& a, const Mention& m,
                           const ClaimRule& rule) const;
  std::vector<StatusCue> StatusCues(const Analysis& a) const;
  const std::vector<StatusCue>& SentenceCues(const Analysis& a, bool explicit_only) const;
  Hedging FindHedges(const Analysis& a) const;
  std::string SourceBefore(const Analysis& a, int64_t end) const;
  std::string SourceAfter(const Analysis& a, int64_t start) const;
  std::string SourceTopic(const Analysis& a, int64_t before) const;
  std::string NameIn(const Analysis& a, int64_t start, int64_t end) const;

  void UpdateContext(const Analysis& a, const std::vector<Claim>& claims,
                     ArticleContext* context) const;
};

StatusOr<ClaimExtractor> ClaimExtractor::Create(const RuleSet& rules) {
  if (rules.claims.tables == nullptr) {
    return InvalidArgumentError("claim rules are not loaded");
  }
  ASSIGN_OR_RETURN(MentionParser parser, MentionParser::Create(rules.numbers));
  ASSIGN_OR_RETURN(SentenceSplitter splitter, SentenceSplitter::Create());
  ASSIGN_OR_RETURN(Tokenizer tokenizer, Tokenizer::Create());
  return ClaimExtractor(std::make_unique<Impl>(
      rules.claims.tables, std::move(parser), std::move(splitter),
      std::move(tokenizer)));
}

ClaimExtractor::ClaimExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClaimExtractor::ClaimExtractor(ClaimExtractor&&) noexcept = default;
ClaimExtractor& ClaimExtractor::operator=(ClaimExtractor&&) noexcept = default;
ClaimExtractor::~ClaimExtractor() = default;

std::vector<Claim> ClaimExtractor::Extract(const Article& article,
                                           std::string_view url) {
  return impl_->Extract(article, url, nullptr);
}

std::vector<Claim> ClaimExtractor::Extract(const Article& article, std::string_view url,
                                           std::vector<std::string>* warnings) {
  return impl_->Extract(article, url, warnings);
}

const ExtractTimings& ClaimExtractor::timings() const { return impl_->timings; }

namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::vector<Claim> ClaimExtractor::Impl::Extract(const Article& article,
                                                 std::string_view url,
                                                 std::vector<std::string>* warnings) {
  std::vector<Claim> claims;
  ArticleContext context;
  const std::string published = article.published.substr(0, 10);
  const int64_t split_start = NowNs();
  const std::vector<Sentence> sentences = splitter.Split(article.text);
  timings.sentences_ns += NowNs() - split_start;
  timings.sentences += static_cast<int64_t>(sentences.size());
  std::vector<int> sentences_in_paragraph;
  for (const Sentence& sentence : sentences) {
    if (sentence.paragraph >= static_cast<int>(sentences_in_paragraph.size())) {
      sentences_in_paragraph.resize(sentence.paragraph + 1, 0);
    }
    ++sentences_in_paragraph[sentence.paragraph];
  }
  bool in_boilerplate = false;
  int64_t mentions_read = 0;  // past kMaxPageMentions: the limit was hit
  for (const Sentence& sentence : sentences) {
    if (mentions_read > kMaxPageMentions) break;
    if (sentences_in_paragraph[sentence.paragraph] == 1) {
      std::optional<bool> heading = BoilerplateHeading(sentence.normalized);
      if (heading) in_boilerplate = *heading;
    }
    Analysis a = Analyze(sentence, article, context);
    a.boilerplate = in_boilerplate;
    // Past kMaxPageMentions figures the rest of the page is not read.
    if (mentions_read + static_cast<int64_t>(a.mentions.size()) > kMaxPageMentions) {
      a.mentions.resize(kMaxPageMentions - mentions_read);
      if (warnings != nullptr) {
        const int64_t ignored_from =
            a.mentions.empty() ? sentence.cp_start
                               : sentence.ToArticleSpan(a.mentions.back().mention.end,
                                                        a.mentions.back().mention.end)
                                     .first;
        warnings->push_back("more than " + std::to_string(kMaxPageMentions) +
                            " figures: the text from code point " +
                            std::to_string(ignored_from) + " of " +
                            std::to_string(CodePointCount(article.text)) +
                            " was not read for claims");
      }
      mentions_read = kMaxPageMentions + 1;
    } else {
      mentions_read += static_cast<int64_t>(a.mentions.size());
    }
    std::vector<Claim> sentence_claims;
    std::optional<Hedging> hedging;  // found once, for the first claim
    for (size_t i = 0; i < a.mentions.size(); ++i) {
      const MentionInfo& info = a.mentions[i];
      const Mention& m = info.mention;
      const ClaimRule* rule = ChooseRule(a, info, context);
      if (rule == nullptr) continue;

      Claim claim;
      claim.kind = rule->kind;
      claim.rule = rule->id;
      int64_t figure_end = m.end;
      if (rule->kind == ClaimKind::kDate) {
        // The date alone: "2030年", not "2030年までに" (the deadline word
        // belongs to the figures the date bounds).
        for (LexiconMatch word = tables->time_after.MatchEndingAt(a.folded, a.norm, figure_end);
             word.value >= 0 && word.value != Tables::kDuringIfYear && word.start > m.start;
             word = tables->time_after.MatchEndingAt(a.folded, a.norm, figure_end)) {
          figure_end = word.start;
        }
      }
      int64_t figure_start = m.start;
      if (rule->kind == ClaimKind::kDate) {
        // ... and "fiscal 2030", not "by fiscal 2030".
        LexiconMatch word = tables->time_before.MatchAt(a.folded, a.norm, figure_start);
        if (word.value >= 0 && word.end < figure_end) {
          figure_start = SkipSpaces(a.folded, word.end);
        }
      }
      std::pair<int64_t, int64_t> span = sentence.ToArticleSpan(figure_start, figure_end);
      claim.start = span.first;
      claim.end = span.second;
      const int64_t local0 = span.first - sentence.cp_start;
      const int64_t local1 = span.second - sentence.cp_start;
      claim.text = sentence.text.substr(
          a.byte_of_cp[local0], a.byte_of_cp[local1] - a.byte_of_cp[local0]);
      claim.quote = sentence.text;
      claim.url = std::string(url);
      claim.title = article.title;
      claim.lang = a.ja ? "ja" : "en";
      claim.published = published;

      SubjectChoice subject;
      if (rule->kind == ClaimKind::kDate) {
        if (m.date) claim.time = ClaimTime{*m.date, TimeRelation::kOn};
      } else {
        claim.interval = m.interval;
        if (rule->unit == "{currency}") {
          claim.unit = m.currency;
        } else if (rule->unit == "{counter}") {
          claim.unit = m.unit;
        } else {
          claim.unit = rule->unit;
        }
        subject = ChooseSubject(a, m, rule->kind, context);
        claim.counterparty = subject.counterparty;
        claim.product = ChooseProduct(a, m, rule->kind, context);
        claim.time = ChooseTime(a, i);
        claim.status = ChooseStatus(a, m, *rule);
        if (claim.status == ClaimStatus::kNone && claim.time &&
            claim.time->relation == TimeRelation::kBy &&
            rule->status_from != ClaimRule::StatusFrom::kNone) {
          claim.status = ClaimStatus::kPlanned;  // a deadline is a plan
        }
      }

      if (!hedging) hedging = FindHedges(a);
      claim.hedges = hedging->hedges;
      claim.attribution = hedging->attribution;

      const std::string id_base = claim.url + ":" + std::to_string(claim.start) +
                                  ":" + std::to_string(claim.end) + ":" + claim.rule;
      if (m.distributive && subject.list && subject.subjects.size() > 1) {
        // それぞれ / each: the figure holds for every listed entity.
        for (const std::string& name : subject.subjects) {
          Claim copy = claim;
          copy.subject = name;
          copy.counterparty.clear();
          copy.id = HexHash64(id_base + ":" + name);
          sentence_claims.push_back(std::move(copy));
        }
        continue;
      }
      if (!subject.subjects.empty()) claim.subject = subject.subjects.front();
      claim.id = HexHash64(id_base);
      sentence_claims.push_back(std::move(claim));
    }
    UpdateContext(a, sentence_claims, &context);
    for (Claim& claim : sentence_claims) claims.push_back(std::move(claim));
  }
  return claims;
}

// For a one-sentence paragraph: nullopt when it is no heading (it ends in
// punctuation or is long), else whether it opens boilerplate.
std::optional<bool> ClaimExtractor::Impl::BoilerplateHeading(
    const std::string& paragraph) const {
  const std::u32string norm = DecodeUtf8(paragraph);
  if (norm.empty() || norm.size() > 60) return std::nullopt;
  static constexpr std::u32string_view kFinal = U".。!?！？:：";
  if (kFinal.find(norm.back()) != std::u32string_view::npos) return std::nullopt;
  const std::u32string folded = FoldCodePoints(norm);
  LexiconMatch match = tables->boilerplate_headings.MatchAt(folded, norm, 0);
  if (match.value < 0) return false;
  const int64_t n = static_cast<int64_t>(norm.size());
  if (match.end == n || !IsAsciiLetter(norm[match.end - 1])) return true;
  // "About AMD", not "About the deal".
  int64_t next = SkipSpaces(norm, match.end);
  return next > match.end && next < n && norm[next] >= U'A' && norm[next] <= U'Z' &&
         !StartsAt(norm, next, U"The ");
}

// ---- Analysis of one sentence ------------------------------------------------

Analysis ClaimExtractor::Impl::Analyze(const Sentence& sentence,
                                       const Article& article,
                                       const ArticleContext& context) {
  Analysis a;
  a.sentence = &sentence;
  a.norm = DecodeUtf8(sentence.normalized);
  a.folded = FoldCodePoints(a.norm);
  a.ja = std::any_of(a.norm.begin(), a.norm.end(), IsJapaneseChar);
  a.byte_of_cp = CodePointByteOffsets(sentence.text);

  ParseOptions options;
  options.lang = a.ja ? Lang::kJa : Lang::kEn;
  options.ref = article.published;
  options.skip_furniture = true;
  a.products = tables->product_lexicon.FindAll(a.folded, a.norm);
  for (const LexiconMatch& word : tables->gpu_words.FindAll(a.folded, a.norm)) {
    bool inside_product = std::any_of(
        a.products.begin(), a.products.end(), [&](const LexiconMatch& p) {
          return Overlaps(word.start, word.end, p.start, p.end);
        });
    if (!inside_product) a.gpu_words.push_back(word);
  }
  // The figure parser does not start a number right after a letter, so
  // "GPU26万枚" would hide its figure. Parse a copy in which the letter
  // before such a figure is a space: one code point for one, so offsets
  // hold, and names and GPU words are still read from the real text.
  std::u32string parse_text = a.norm;
  for (const LexiconMatch& word : a.gpu_words) {
    if (word.end < static_cast<int64_t>(parse_text.size()) &&
        IsAsciiDigit(parse_text[word.end]) && IsAsciiLetter(parse_text[word.end - 1])) {
      parse_text[word.end - 1] = U' ';
    }
  }
  const int64_t figures_start = NowNs();
  a.mentions = parser.ParseDetailed(EncodeUtf8(parse_text), options);
  timings.figures_ns += NowNs() - figures_start;
  a.has_gpu = !a.gpu_words.empty() ||
              std::any_of(a.products.begin(), a.products.end(),
                          [&](const LexiconMatch& p) {
                            return tables->products[p.value].gpu;
                          });

  // Morphemes only where a figure may become a claim: MeCab is the most
  // expensive step, and most sentences hold no figure.
  bool has_figure = std::any_of(
      a.mentions.begin(), a.mentions.end(), [](const MentionInfo& info) {
        return info.mention.kind != MentionKind::kNumber &&
               info.mention.kind != MentionKind::kOrdinal &&
               !info.mention.equivalent_of;
      });
  if (a.ja && has_figure) {
    const int64_t tokenize_start = NowNs();
    StatusOr<std::vector<Token>> tokens = tokenizer.Tokenize(sentence.normalized);
    if (tokens.ok()) a.tokens = std::move(tokens).value();
    timings.tokenize_ns += NowNs() - tokenize_start;
    ++timings.tokenized;
  }
  if (!a.tokens.empty()) IndexTokens(&a);
  FindEntities(&a, context);
  return a;
}

void ClaimExtractor::Impl::FindEntities(Analysis* a,
                                        const ArticleContext& context) const {
  for (const LexiconMatch& match : tables->entity_lexicon.FindAll(a->folded, a->norm)) {
    EntityRef ref;
    ref.start = match.start;
    ref.end = match.end;
    ref.index = match.value;
    ref.name = tables->entities[match.value].name;
    ref.type = tables->entities[match.value].type;
    // Absorb a legal suffix ("Samsung Electronics Co., Ltd.", "NVIDIA株式会社").
    int64_t after = SkipSpaces(a->folded, ref.end);
    LexiconMatch suffix = tables->legal_suffixes.MatchAt(a->folded, a->norm, after);
    if (suffix.value >= 0) ref.end = suffix.end;
    LexiconMatch prefix = tables->legal_suffixes.MatchEndingAt(
        a->folded, a->norm, SkipSpacesBack(a->folded, ref.start));
    if (prefix.value >= 0) ref.start = prefix.start;
    a->entities.push_back(std::move(ref));
  }
  for (const LexiconMatch& match : tables->anaphora.FindAll(a->folded, a->norm)) {
    bool inside = std::any_of(a->entities.begin(), a->entities.end(),
                              [&](const EntityRef& e) {
                                return Overlaps(match.start, match.end, e.start, e.end);
                              });
    if (inside) continue;
    // An organization named earlier in the same sentence comes first
    // ("OpenAI's chief executive said the company has committed...").
    std::string name;
    if (match.value == Tables::kCompany) {
      for (const EntityRef& e : a->entities) {
        if (e.end <= match.start && !e.maker && !e.anaphor &&
            (e.type == "company" || e.type == "group")) {
          name = e.name;
        }
      }
    }
    if (name.empty()) name = ResolveAnaphor(match.value, context);
    if (name.empty()) continue;
    EntityRef ref;
    ref.start = match.start;
    ref.end = match.end;
    ref.name = name;
    ref.index = tables->FindEntity(name);
    ref.type = ref.index >= 0 ? tables->entities[ref.index].type : "organization";
    ref.anaphor = true;
    a->entities.push_back(std::move(ref));
  }
  FindUnknownOrganizations(a);
  std::sort(a->entities.begin(), a->entities.end(),
            [](const EntityRef& x, const EntityRef& y) { return x.start < y.start; });
  MarkEntities(a);
}

// Organizations missing from the gazetteer: MeCab's 固有名詞・組織 in
// Japanese, and capitalized phrases ending in an organization word
// ("Colossus Networks Inc.") in English. The surface, without legal
// suffixes, becomes the name.
void ClaimExtractor::Impl::FindUnknownOrganizations(Analysis* a) const {
  auto covered = [&](int64_t start, int64_t end) {
    for (const EntityRef& e : a->entities) {
      if (Overlaps(start, end, e.start, e.end)) return true;
    }
    for (const LexiconMatch& p : a->products) {
      if (Overlaps(start, end, p.start, p.end)) return true;
    }
    for (const LexiconMatch& g : a->gpu_words) {
      if (Overlaps(start, end, g.start, g.end)) return true;
    }
    return false;
  };
  std::vector<EntityRef> found;
  auto add = [&](int64_t start, int64_t end) {
    // Drop legal suffixes on either side.
    LexiconMatch suffix = tables->legal_suffixes.MatchEndingAt(a->folded, a->norm, end);
    if (suffix.value >= 0 && suffix.start > start) end = SkipSpacesBack(a->folded, suffix.start);
    LexiconMatch prefix = tables->legal_suffixes.MatchAt(a->folded, a->norm, start);
    if (prefix.value >= 0 && prefix.end < end) start = SkipSpaces(a->folded, prefix.end);
    if (end - start < 2 || covered(start, end)) return;
    if (IsWord(tables->subject.non_organizations, a->folded.substr(start, end - start))) {
      return;
    }
    EntityRef ref;
    ref.start = start;
    ref.end = end;
    ref.name = EncodeUtf8(a->norm.substr(start, end - start));
    ref.type = "organization";
    found.push_back(std::move(ref));
  };
  if (a->ja) {
    for (size_t i = 0; i < a->tokens.size();) {
      const Token& token = a->tokens[i];
      bool organization = token.pos1 == "固有名詞" && token.pos2 == "組織";
      // IPADIC tags unknown Latin words as organizations too often.
      bool latin_only = std::all_of(token.surface.begin(), token.surface.end(),
                                    [](char c) { return (c & 0x80) == 0; });
      if (!organization || latin_only) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < a->tokens.size() && a->tokens[j].pos == "名詞" &&
             (a->tokens[j].pos2 == "組織" || a->tokens[j].pos1 == "接尾") &&
             a->tokens[j].cp_start == a->tokens[j - 1].cp_end) {
        ++j;
      }
      add(token.cp_start, a->tokens[j - 1].cp_end);
      i = j;
    }
  } else {
    const int64_t n = static_cast<int64_t>(a->norm.size());
    int64_t i = 0;
    while (i < n) {
      bool word_start = (i == 0 || !IsAsciiLetter(a->norm[i - 1])) &&
                        a->norm[i] >= U'A' && a->norm[i] <= U'Z';
      if (!word_start) {
        ++i;
        continue;
      }
      // A run of capitalized words separated by single spaces.
      int64_t start = i;
      int64_t end = i;
      int64_t last_word_start = i;
      int64_t j = i;
      while (j < n && a->norm[j] >= U'A' && a->norm[j] <= U'Z') {
        int64_t k = j;
        while (k < n && (IsAsciiLetter(a->norm[k]) || IsAsciiDigit(a->norm[k]) ||
                         a->norm[k] == U'.' || a->norm[k] == U'&')) {
          ++k;
        }
        last_word_start = j;
        end = k;
        if (k + 1 < n && a->norm[k] == U' ' && a->norm[k + 1] >= U'A' &&
            a->norm[k + 1] <= U'Z') {
          j = k + 1;
        } else {
          break;
        }
      }
      int64_t head_end = end;
      while (head_end > last_word_start && a->norm[head_end - 1] == U'.') --head_end;
      std::u32string_view head(a->folded.data() + last_word_start,
                               head_end - last_word_start);
      bool org = last_word_start > start &&
                 (IsWord(tables->subject.org_heads, head) ||
                  IsWord(tables->subject.org_heads,
                         std::u32string_view(a->folded.data() + last_word_start,
                                             end - last_word_start)));
      if (org) {
        // "The" opens a sentence, not a name.
        if (StartsAt(a->folded, start, U"the ")) start += 4;
        add(start, end);
      }
      i = std::max(end, i + 1);
    }
  }
  for (EntityRef& ref : found) a->entities.push_back(std::move(ref));
}

// Flags each entity as a maker (NVIDIAのGPU, Nvidia H100) and records the
// case particle after it (ja) or the preposition before it (en).
void ClaimExtractor::Impl::MarkEntities(Analysis* a) const {
  const SubjectWords& words = tables->subject;
  for (EntityRef& e : a->entities) {
    for (const LexiconMatch& p : a->products) {
      if (Overlaps(e.start, e.end, p.start, p.end)) e.maker = true;
    }
    // Skip joiners and opening quotes: エヌビディア製の「H200」, NVIDIA's "B200".
    int64_t pos = SkipSpaces(a->folded, e.end);
    for (bool moved = true; moved;) {
      moved = false;
      for (std::u32string_view joiner :
           {std::u32string_view(U"の"), std::u32string_view(U"製"),
            std::u32string_view(U"'s"), std::u32string_view(U"「"),
            std::u32string_view(U"『"), std::u32string_view(U"\""),
            std::u32string_view(U"“")}) {
        if (StartsAt(a->folded, pos, joiner)) {
          pos = SkipSpaces(a->folded, pos + static_cast<int64_t>(joiner.size()));
          moved = true;
        }
      }
    }
    for (const LexiconMatch& p : a->products) {
      if (p.start == pos) e.maker = true;
    }
    for (const LexiconMatch& g : a->gpu_words) {
      if (g.start == pos) e.maker = true;
    }
    if (a->ja) {
      auto particle_at = [&](int64_t at) {
        if (a->tokens.empty()) return true;
        const int token = TokenAt(a->first_token_at, at);
        return token >= 0 && a->tokens[token].pos == "助詞";
      };
      if (words.partner_markers.MatchAt(a->folded, a->norm, e.end).value >= 0) {
        e.mark = EntityRef::Mark::kPartner;
      } else if (words.supplier_markers.MatchAt(a->folded, a->norm, e.end).value >= 0 &&
                 particle_at(e.end)) {
        e.mark = EntityRef::Mark::kSupplier;
      } else if (words.receiver_markers.MatchAt(a->folded, a->norm, e.end).value >= 0 &&
                 (particle_at(e.end) || StartsAt(a->folded, e.end, U"向"))) {
        e.mark = EntityRef::Mark::kReceiver;
      }
    } else {
      std::pair<int64_t, int64_t> word = WordBefore(a->folded, e.start);
      std::u32string_view w(a->folded.data() + word.first, word.second - word.first);
      if (w == U"the") {
        word = WordBefore(a->folded, word.first);
        w = std::u32string_view(a->folded.data() + word.first, word.second - word.first);
      }
      // Inside an indefinite noun phrase ("a former Sharp plant") a name
      // is a modifier, never the subject.
      std::pair<int64_t, int64_t> before = WordBefore(a->folded, word.first);
      std::u32string_view w2(a->folded.data() + before.first, before.second - before.first);
      if (w == U"a" || w == U"an" || w2 == U"a" || w2 == U"an") {
        e.mark = EntityRef::Mark::kOblique;
      } else if (IsWord(words.partner_preps, w)) {
        e.mark = EntityRef::Mark::kPartner;
      } else if (IsWord(words.supplier_preps, w)) {
        e.mark = EntityRef::Mark::kSupplier;
      } else if (IsWord(words.receiver_preps, w)) {
        e.mark = EntityRef::Mark::kReceiver;
      } else if (IsWord(words.oblique_preps, w)) {
        e.mark = EntityRef::Mark::kOblique;
      }
    }
  }
  // Coordinated entities share the mark of the first: "between SoftBank
  // Group and OpenAI", "to Samsung and SK".
  if (!a->ja) {
    for (size_t i = 1; i < a->entities.size(); ++i) {
      EntityRef& e = a->entities[i];
      if (e.mark != EntityRef::Mark::kNone) continue;
      std::vector<const EntityRef*> list = ExtendList(*a, &e);
      if (list.size() > 1) e.mark = list.front()->mark;
    }
  }
}

std::string ClaimExtractor::Impl::ResolveAnaphor(int type,
                                                 const ArticleContext& context) const {
  if (type == Tables::kCompany) {
    for (auto it = context.subjects.rbegin(); it != context.subjects.rend(); ++it) {
      if (it->second == "company" || it->second == "group" ||
          it->second == "organization") {
        return it->first;
      }
    }
    return "";
  }
  for (auto it = context.seen.rbegin(); it != context.seen.rend(); ++it) {
    const EntityEntry& entry = tables->entities[*it];
    if (type == Tables::kMinistry) {
      if (entry.type == "ministry") return entry.name;
      continue;
    }
    if (entry.type == "government") return entry.name;
    // A ministry or agency stands for its government.
    std::string parent = entry.part_of;
    for (int depth = 0; !parent.empty() && depth < 4; ++depth) {
      int index = tables->FindEntity(parent);
      if (index < 0) break;
      if (tables->entities[index].type == "government") return parent;
      parent = tables->entities[index].part_of;
    }
  }
  return "";
}

// ---- Kind --------------------------------------------------------------------

bool ClaimExtractor::Impl::IsGpuUnit(const std::string& unit) const {
  std::u32string folded = DecodeUtf8(FoldForMatch(unit));
  if (IsWord(tables->gpu_words, folded)) return true;
  LexiconMatch product = tables->product_lexicon.MatchAt(folded, folded, 0);
  const int64_t size = static_cast<int64_t>(folded.size());
  // A plural product name counts too: "12,000 of the GB300s".
  return product.value >= 0 &&
         (product.end == size || (product.end == size - 1 && folded.back() == U's')) &&
         tables->products[product.value].gpu;
}

// A GPU word or GPU product within `window` of the figure: code points of
// filler in Japanese (26万枚のGPU, GPUを26万枚), words in English (13,000
// Blackwell GPUs). Entity and product names cost nothing; a clause break,
// another number or (ja) a content noun ends the search.
bool ClaimExtractor::Impl::GpuAdjacent(const Analysis& a, const Mention& m,
                                       int window) const {
  auto is_gpu_product = [&](const LexiconMatch& p) { return tables->products[p.value].gpu; };
  for (const LexiconMatch& g : a.gpu_words) {
    if (Overlaps(g.start, g.end, m.start, m.end)) return true;
  }
  for (const LexiconMatch& p : a.products) {
    if (is_gpu_product(p) && Overlaps(p.start, p.end, m.start, m.end)) return true;
  }
  auto content_noun_at = [&](int64_t pos) {
    const int index = TokenAt(a.token_covering, pos);
    if (index < 0) return false;
    const Token& token = a.tokens[index];
    return token.pos == "名詞" &&
           (token.pos1 == "一般" || token.pos1 == "固有名詞" || token.pos1 == "サ変接続");
  };
  auto skip_name = [&](int64_t pos, bool forward) -> int64_t {
    for (const EntityRef& e : a.entities) {
      if (forward ? e.start == pos : e.end == pos) return forward ? e.end : e.start;
    }
    for (const LexiconMatch& p : a.products) {
      if (forward ? p.start == pos : p.end == pos) return forward ? p.end : p.start;
    }
    return -1;
  };
  const int64_t n = static_cast<int64_t>(a.norm.size());
  // "208億個のトランジスタ": a figure followed by の and another noun counts
  // that noun, whatever GPU word stands before it.
  if (a.ja && StartsAt(a.folded, m.end, U"の") && content_noun_at(m.end + 1)) {
    bool gpu_next = std::any_of(a.gpu_words.begin(), a.gpu_words.end(),
                                [&](const LexiconMatch& g) { return g.start == m.end + 1; }) ||
                    std::any_of(a.products.begin(), a.products.end(),
                                [&](const LexiconMatch& p) { return p.start == m.end + 1; }) ||
                    std::any_of(a.entities.begin(), a.entities.end(),
                                [&](const EntityRef& e) { return e.start == m.end + 1; });
    if (!gpu_next) return false;
  }
  // Forward from the end of the figure.
  {
    int cost = 0;
    int64_t pos = m.end;
    while (pos < n && cost <= window) {
      if (IsSpaceChar(a.norm[pos])) {
        ++pos;
        continue;
      }
      for (const LexiconMatch& g : a.gpu_words) {
        if (g.start == pos) return true;
      }
      for (const LexiconMatch& p : a.products) {
        if (p.start == pos && is_gpu_product(p)) {
          // "13,000 H100 accelerators": the product may qualify a GPU word.
          return true;
        }
      }
      int64_t skipped = skip_name(pos, true);
      if (skipped > pos) {
        pos = skipped;
        continue;
      }
      char32_t c = a.norm[pos];
      if (IsClauseBreak(c) || IsAsciiDigit(c)) break;
      if (a.ja) {
        if (content_noun_at(pos)) break;
        ++cost;
        ++pos;
      } else {
        ++cost;
        while (pos < n && !IsSpaceChar(a.norm[pos])) ++pos;
      }
    }
  }
  // Backward from the start of the figure (GPU26万枚, GPUを26万枚).
  if (a.ja) {
    int cost = 0;
    int64_t pos = m.start;
    while (pos > 0 && cost <= window) {
      for (const LexiconMatch& g : a.gpu_words) {
        if (g.end == pos) return true;
      }
      for (const LexiconMatch& p : a.products) {
        if (p.end == pos && is_gpu_product(p)) return true;
      }
      int64_t skipped = skip_name(pos, false);
      if (skipped >= 0 && skipped < pos) {
        pos = skipped;
        continue;
      }
      char32_t c = a.norm[pos - 1];
      if (IsClauseBreak(c) || IsAsciiDigit(c) || content_noun_at(pos - 1)) break;
      if (!IsSpaceChar(c)) ++cost;
      --pos;
    }
  }
  return false;
}

const ClaimRule* ClaimExtractor::Impl::ChooseRule(
    const Analysis& a, const MentionInfo& info,
    const ArticleContext& context) const {
  const Mention& m = info.mention;
  if (m.equivalent_of) return nullptr;  // a conversion, not a second amount
  if (info.vague) return nullptr;  // 数万基, "tens of thousands": no figure to record
  if (a.boilerplate) return nullptr;
  // A figure inside a name is no figure ("RTX PRO 6000", "G42").
  for (const LexiconMatch& p : a.products) {
    if (Overlaps(p.start, p.end, m.start, m.end) &&
        !(m.start <= p.start && p.end <= m.end)) {
      return nullptr;
    }
  }
  for (const EntityRef& e : a.entities) {
    if (Overlaps(e.start, e.end, m.start, m.end) &&
        !(m.start <= e.start && e.end <= m.end)) {
      return nullptr;
    }
  }
  const std::u32string unit = DecodeUtf8(FoldForMatch(m.unit));
  const std::string unit_utf8 = EncodeUtf8(unit);
  for (const ClaimRule& rule : tables->rules) {
    if ((rule.lang == "ja" && !a.ja) || (rule.lang == "en" && a.ja)) continue;
    if (std::find(rule.mentions.begin(), rule.mentions.end(), m.kind) ==
        rule.mentions.end()) {
      continue;
    }
    if (!rule.units.empty() &&
        std::find(rule.units.begin(), rule.units.end(), unit_utf8) == rule.units.end()) {
      continue;
    }
    if (std::find(rule.not_units.begin(), rule.not_units.end(), unit_utf8) !=
        rule.not_units.end()) {
      continue;
    }
    int64_t after = SkipSpaces(a.folded, m.end);
    bool disqualified = false;
    for (const std::u32string& word : rule.not_followed_by) {
      if (StartsAt(a.folded, after, word)) disqualified = true;
    }
    // A word that ends right before the figure, whole: "the 2", not "lathe 2".
    const int64_t before = SkipSpacesBack(a.folded, m.start);
    for (const std::u32string& word : rule.not_preceded_by) {
      const int64_t start = before - static_cast<int64_t>(word.size());
      if (start >= 0 && StartsAt(a.folded, start, word) &&
          !(IsAsciiLetter(word.front()) && start > 0 && IsAsciiLetter(a.folded[start - 1]))) {
        disqualified = true;
      }
    }
    if (disqualified) continue;
    bool accepted = false;
    switch (rule.gpu_context) {
      case GpuContext::kNone:
        accepted = true;
        break;
      case GpuContext::kUnit:
        accepted = !m.unit.empty() && IsGpuUnit(m.unit);
        break;
      case GpuContext::kAdjacent:
        // "6 gigawatts of AMD GPUs", "300 servers with GPUs": a figure
        // that counts its own noun counts that noun, not the GPUs nearby.
        accepted = GpuAdjacent(a, m, rule.window) &&
                   (a.ja || !rule.units.empty() || m.unit.empty() || IsGpuUnit(m.unit));
        break;
      case GpuContext::kTopic:
        accepted = a.has_gpu || (rule.previous_sentence && context.previous_has_gpu);
        break;
    }
    if (accepted) return &rule;
  }
  return nullptr;
}

// ---- Subject and counterparty --------------------------------------------------

bool ClaimExtractor::Impl::Related(const std::string& a, const std::string& b) const {
  if (a == b) return true;
  auto ancestors = [&](const std::string& name) {
    std::vector<std::string> chain{name};
    for (int depth = 0; depth < 4; ++depth) {
      int index = tables->FindEntity(chain.back());
      if (index < 0 || tables->entities[index].part_of.empty()) break;
      chain.push_back(tables->entities[index].part_of);
    }
    return chain;
  };
  std::vector<std::string> up_a = ancestors(a);
  std::vector<std::string> up_b = ancestors(b);
  return std::find(up_a.begin(), up_a.end(), b) != up_a.end() ||
         std::find(up_b.begin(), up_b.end(), a) != up_b.end();
}

// Entities coordinated with `last` before it (サムスン電子、SKグループ、現代自動車グループ;
// Samsung, SK Group and Hyundai), in text order, ending with `last`.
std::vector<const EntityRef*> ClaimExtractor::Impl::ExtendList(
    const Analysis& a, const EntityRef* last) const {
  // Built backwards (the last entity first), reversed at the end.
  std::vector<const EntityRef*> backwards{last};
  size_t index = last - a.entities.data();
  while (index > 0) {
    const EntityRef& previous = a.entities[index - 1];
    const EntityRef& current = *backwards.back();
    if (previous.maker || previous.end > current.start) break;
    std::u32string gap(a.folded.substr(previous.end, current.start - previous.end));
    gap.erase(std::remove_if(gap.begin(), gap.end(), IsSpaceChar), gap.end());
    // An alias in brackets right after its entity: アマゾン・ウェブ・サービス（AWS）.
    if ((gap == U"(" || gap.empty()) && previous.name == current.name) {
      backwards.back() = &previous;
      --index;
      continue;
    }
    if (!IsWord(tables->subject.list_separators, gap) && gap != U",and") break;
    backwards.push_back(&previous);
    --index;
  }
  // Drop repeated names (an alias in brackets after its entity), keeping
  // the first in text order.
  std::vector<const EntityRef*> unique;
  std::set<std::string_view> names;
  for (auto it = backwards.rbegin(); it != backwards.rend(); ++it) {
    if (names.insert((*it)->name).second) unique.push_back(*it);
  }
  return unique;
}

// The topic phrases of a Japanese sentence, in text order. A phrase runs
// back from its particle to the previous clause break or particle.
const std::vector<TopicPhrase>& ClaimExtractor::Impl::TopicPhrases(
    const Analysis& a) const {
  if (a.memo.topic_phrases) return *a.memo.topic_phrases;
  const Lexicon& markers = tables->subject.topic_markers;
  std::vector<TopicPhrase> phrases;
  int64_t phrase_start = 0;
  int depth = 0;  // inside （...） or 「...」 a comma ends no phrase
  size_t next_entity = 0;  // entities are sorted by start
  int64_t named_until = 0;  // the furthest end of an entity starting so far
  for (int64_t pos = 0; pos < static_cast<int64_t>(a.folded.size()); ++pos) {
    char32_t c = a.folded[pos];
    if (c == U'(' || c == U'「' || c == U'『') ++depth;
    if ((c == U')' || c == U'」' || c == U'』') && depth > 0) --depth;
    if (depth > 0) continue;
    if (IsClauseBreak(c)) {
      phrase_start = pos + 1;
      continue;
    }
    LexiconMatch marker = markers.MatchAt(a.folded, a.norm, pos);
    if (marker.value < 0) continue;
    for (; next_entity < a.entities.size() && a.entities[next_entity].start <= pos;
         ++next_entity) {
      named_until = std::max(named_until, a.entities[next_entity].end);
    }
    const bool inside_name = named_until > pos;
    bool particle = a.tokens.empty();
    const int token = TokenAt(a.last_token_at, pos);
    if (token >= 0) particle = a.tokens[token].pos == "助詞";
    if (inside_name || !particle) continue;
    TopicPhrase phrase;
    phrase.start = phrase_start;
    phrase.marker = pos;
    phrases.push_back(std::move(phrase));
    phrase_start = marker.end;
    pos = marker.end - 1;
  }
  // Which phrases hold a candidate: an entity inside the phrase that names
  // no product's maker (and, for unmarked_only, carries no case mark).
  for (size_t i = 0; i < phrases.size(); ++i) {
    TopicPhrase& phrase = phrases[i];
    auto first = std::lower_bound(
        a.entities.begin(), a.entities.end(), phrase.start,
        [](const EntityRef& e, int64_t start) { return e.start < start; });
    for (auto e = first; e != a.entities.end() && e->start <= phrase.marker; ++e) {
      if (e->end > phrase.marker || e->maker) continue;
      phrase.has_candidates[0] = true;
      if (e->mark == EntityRef::Mark::kNone) phrase.has_candidates[1] = true;
    }
    for (int k = 0; k < 2; ++k) {
      phrase.nearest[k] = phrase.has_candidates[k] ? static_cast<int>(i)
                          : i > 0                  ? phrases[i - 1].nearest[k]
                                                   : -1;
    }
  }
  a.memo.topic_phrases = std::move(phrases);
  return *a.memo.topic_phrases;
}

// Japanese: the entities of the nearest topic phrase (X は / X が / X では)
// before `before` that names one (see TopicPhrases).
std::vector<const EntityRef*> ClaimExtractor::Impl::TopicEntities(
    const Analysis& a, int64_t before, bool unmarked_only) const {
  const std::vector<TopicPhrase>& phrases = TopicPhrases(a);
  // The last phrase whose marker starts at or before `before`.
  auto after = std::upper_bound(
      phrases.begin(), phrases.end(), before,
      [](int64_t at, const TopicPhrase& phrase) { return at < phrase.marker; });
  if (after == phrases.begin()) return {};
  const int k = unmarked_only ? 1 : 0;
  const int nearest = std::prev(after)->nearest[k];
  if (nearest < 0) return {};
  TopicPhrase& phrase = (*a.memo.topic_phrases)[nearest];
  if (phrase.topic[k]) return *phrase.topic[k];
  std::vector<const EntityRef*> candidates;
  auto first = std::lower_bound(
      a.entities.begin(), a.entities.end(), phrase.start,
      [](const EntityRef& e, int64_t start) { return e.start < start; });
  for (auto e = first; e != a.entities.end() && e->start <= phrase.marker; ++e) {
    if (e->end > phrase.marker || e->maker) continue;
    if (unmarked_only && e->mark != EntityRef::Mark::kNone) continue;
    candidates.push_back(&*e);
  }
  // The head of the phrase is its first entity that is not a possessor
  // (韓国のNAVERクラウドは -> NAVER Cloud), else its first entity
  // (サムスン電子の李会長は); coordinated entities extend it (AとBは).
  size_t head = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (tables->subject.possessive_markers.MatchAt(a.folded, a.norm, candidates[i]->end)
            .value < 0) {
      head = i;
      break;
    }
  }
  const EntityRef* last = candidates[head];
  for (size_t i = head + 1; i < candidates.size(); ++i) {
    if (ExtendList(a, candidates[i]).front()->name != candidates[head]->name) break;
    last = candidates[i];
  }
  phrase.topic[k] = ExtendList(a, last);
  return *phrase.topic[k];
}

// X が Y に N を供給 / X supplies N to Y: the receiver is the subject.
bool ClaimExtractor::Impl::SupplyDeal(const Analysis& a, const Mention& m,
                                      std::string* receiver,
                                      std::string* supplier) const {
  const std::vector<LexiconMatch>& verbs = SupplyVerbs(a);
  if (verbs.empty()) return false;
  const EntityRef* to = nullptr;
  if (a.ja) {
    for (const EntityRef& e : a.entities) {
      if (e.mark == EntityRef::Mark::kReceiver && !e.maker && e.end <= m.start) to = &e;
    }
  } else {
    // The verb nearest before the figure, then "to/for Y" after it.
    const LexiconMatch* verb = nullptr;
    for (const LexiconMatch& v : verbs) {
      if (v.end <= m.start) verb = &v;
    }
    if (verb == nullptr) return false;
    for (const EntityRef& e : a.entities) {
      if (e.start >= verb->end && e.mark == EntityRef::Mark::kReceiver && !e.maker) {
        to = &e;
        break;
      }
    }
  }
  if (to == nullptr) return false;
  *receiver = to->name;
  *supplier = SupplierOf(a);
  if (*supplier == *receiver) supplier->clear();
  return true;
}

const std::vector<LexiconMatch>& ClaimExtractor::Impl::SupplyVerbs(
    const Analysis& a) const {
  if (!a.memo.supply_verbs) {
    a.memo.supply_verbs = tables->subject.supply_verbs.FindAll(a.folded, a.norm);
  }
  return *a.memo.supply_verbs;
}

// The giving side of a sentence with a supply verb (see FindSupplier),
// found once per sentence.
std::string ClaimExtractor::Impl::SupplierOf(const Analysis& a) const {
  if (!a.memo.supplier) a.memo.supplier = FindSupplier(a);
  return *a.memo.supplier;
}

// An entity marked から / from, else the topic (ja) or the subject before
// the verb (en).
std::string ClaimExtractor::Impl::FindSupplier(const Analysis& a) const {
  for (const EntityRef& e : a.entities) {
    if (e.mark == EntityRef::Mark::kSupplier && !e.anaphor) return e.name;
  }
  if (a.ja) {
    std::vector<const EntityRef*> topic =
        TopicEntities(a, static_cast<int64_t>(a.norm.size()), true);
    if (!topic.empty()) return topic.front()->name;
    return "";
  }
  const std::vector<LexiconMatch>& verbs = SupplyVerbs(a);
  if (verbs.empty()) return "";
  for (auto it = a.entities.rbegin(); it != a.entities.rend(); ++it) {
    if (it->end <= verbs.front().start && !it->maker &&
        it->mark == EntityRef::Mark::kNone) {
      return it->name;
    }
  }
  return "";
}

bool ClaimExtractor::Impl::GrantWords(const Analysis& a) const {
  if (!a.memo.grant_words) {
    a.memo.grant_words = !tables->subject.grant_words.FindAll(a.folded, a.norm).empty();
  }
  return *a.memo.grant_words;
}

SubjectChoice ClaimExtractor::Impl::ChooseSubject(
    const Analysis& a, const Mention& m, ClaimKind kind,
    const ArticleContext& context) const {
  SubjectChoice choice;
  std::string receiver;
  std::string supplier;
  const EntityRef* head = nullptr;
  std::vector<const EntityRef*> list;

  // 1. A supply deal: the receiver is the subject, the supplier the counterparty.
  if (SupplyDeal(a, m, &receiver, &supplier)) {
    choice.subjects.push_back(receiver);
    choice.counterparty = supplier;
  }
  // 2. A possessive right at the figure: サムスン電子の5万基; 62% of CoreWeave's.
  if (choice.subjects.empty()) {
    for (const EntityRef& e : a.entities) {
      if (e.maker) continue;
      if (a.ja) {
        int64_t pos = e.end;
        LexiconMatch marker =
            tables->subject.possessive_markers.MatchAt(a.folded, a.norm, pos);
        // A list before の is what the figure counts (A、B、Cの3社), not
        // its owner.
        if (marker.value >= 0 && SkipSpaces(a.folded, marker.end) == m.start &&
            ExtendList(a, &e).size() == 1) {
          head = &e;
        }
        // The receiver of a figure directed at it: さくらインターネットへの
        // 最大501億円, 韓国向けの26万枚.
        for (std::u32string_view directed : {std::u32string_view(U"への"),
                                             std::u32string_view(U"向けの"),
                                             std::u32string_view(U"向け")}) {
          if (StartsAt(a.folded, pos, directed) &&
              SkipSpaces(a.folded, pos + static_cast<int64_t>(directed.size())) == m.start) {
            head = &e;
          }
        }
      } else {
        int64_t pos = SkipSpaces(a.folded, m.end);
        // The receiver of a figure directed at it: "the initial 1 GW for
        // OpenAI" (English for 向けの).
        if (StartsAt(a.folded, pos, U"for ")) {
          int64_t at = SkipSpaces(a.folded, pos + 4);
          if (StartsAt(a.folded, at, U"the ")) at += 4;
          if (e.start == at) head = &e;
          continue;
        }
        if (!StartsAt(a.folded, pos, U"of ")) continue;
        pos = SkipSpaces(a.folded, pos + 3);
        if (StartsAt(a.folded, pos, U"the ")) pos += 4;
        if (e.start == pos && StartsAt(a.folded, e.end, U"'s")) head = &e;
      }
    }
    if (head != nullptr) list = {head};
  }
  // 3. The topic (ja) or the grammatical subject (en) before the figure.
  if (choice.subjects.empty() && head == nullptr) {
    if (a.ja) {
      list = TopicEntities(a, m.start, true);
      if (list.empty()) list = TopicEntities(a, m.start, false);
    } else {
      for (auto it = a.entities.rbegin(); it != a.entities.rend(); ++it) {
        if (it->end <= m.start && !it->maker && it->mark == EntityRef::Mark::kNone) {
          list = ExtendList(a, &*it);
          break;
        }
      }
    }
  }
  // 4. The nearest entity before the figure. In Japanese only a focused
  // one (最も大きいのはXで、): an entity elsewhere in a clause without a
  // topic is rarely what the figure is about (Xの助成を活用し、投資額は...).
  if (choice.subjects.empty() && list.empty()) {
    for (auto it = a.entities.rbegin(); it != a.entities.rend(); ++it) {
      if (it->end > m.start || it->maker) continue;
      if (a.ja && !(StartsAt(a.folded, it->end, U"で、") ||
                    StartsAt(a.folded, it->end, U"で,"))) {
        continue;
      }
      list = {&*it};
      break;
    }
  }
  // A government that grants money to someone (政府はRapidusに対して…支援):
  // the receiver is the subject and the government the counterparty. An
  // equity investment (出資) keeps the investor as the subject.
  if (choice.subjects.empty() && head == nullptr && kind == ClaimKind::kMoney &&
      list.size() == 1 && IsGovernmentType(list.front()->type) &&
      GrantWords(a)) {
    for (const EntityRef& e : a.entities) {
      if (e.mark == EntityRef::Mark::kReceiver && !e.maker && e.end <= m.start &&
          !IsGovernmentType(e.type) && e.type != "country") {
        choice.subjects.push_back(e.name);
        choice.counterparty = list.front()->name;
        break;
      }
    }
  }
  if (choice.subjects.empty()) {
    for (const EntityRef* e : list) choice.subjects.push_back(e->name);
    choice.list = list.size() > 1;
  }
  if (choice.subjects.empty()) {
    // A figure in a sentence whose topic is a product, with no organization
    // before the figure, describes the product (B200は…208 billion
    // transistors; "The MI450 delivers 30%"). A product the figure counts
    // or that follows it (500台超のDGX B200システム, B300を…250台) does not.
    bool entity_before = std::any_of(a.entities.begin(), a.entities.end(),
                                     [&](const EntityRef& e) { return e.end <= m.start; });
    bool product_topic = std::any_of(a.products.begin(), a.products.end(),
                                     [&](const LexiconMatch& p) {
      if (p.end > m.start) return false;
      if (!a.ja) return true;
      return tables->subject.topic_markers.MatchAt(a.folded, a.norm, p.end).value >= 0;
    });
    bool about_product = product_topic && !entity_before &&
                         (kind == ClaimKind::kQuantity || kind == ClaimKind::kPercentage);
    // 5. Else the last topic of the article.
    if (!about_product && !context.subjects.empty()) {
      choice.subjects.push_back(context.subjects.back().first);
    }
  }
  if (choice.subjects.empty()) return choice;
  const std::string& subject = choice.subjects.front();

  // Counterparty: the second of a coordinated pair (SKグループとAWSは), an
  // entity marked から / との / に (from / with / to), another organization
  // in the sentence, or the supplier of the article's deal.
  auto usable = [&](const std::string& name) {
    return !name.empty() && !Related(name, subject);
  };
  if (choice.counterparty.empty() && choice.list && !m.distributive) {
    choice.counterparty = choice.subjects[1];
    choice.subjects.resize(1);
    choice.list = false;
  }
  if (choice.counterparty.empty()) {
    for (EntityRef::Mark mark : {EntityRef::Mark::kSupplier, EntityRef::Mark::kPartner,
                                 EntityRef::Mark::kReceiver}) {
      for (const EntityRef& e : a.entities) {
        if (choice.counterparty.empty() && e.mark == mark &&
            (!e.maker || kind == ClaimKind::kGpuCount) && usable(e.name)) {
          choice.counterparty = e.name;
        }
      }
    }
  }
  if (choice.counterparty.empty()) {
    for (const EntityRef& e : a.entities) {
      if (e.type == "country" || e.anaphor ||
          (e.maker && kind != ClaimKind::kGpuCount)) {
        continue;
      }
      if (usable(e.name)) {
        choice.counterparty = e.name;
        break;
      }
    }
  }
  if (choice.counterparty.empty()) {
    const std::string& deal = kind == ClaimKind::kGpuCount ? context.gpu_supplier
                              : kind == ClaimKind::kMoney  ? context.money_supplier
                                                           : std::string();
    if (usable(deal)) choice.counterparty = deal;
  }
  return choice;
}

// ---- Product, time, status ----------------------------------------------------

std::string ClaimExtractor::Impl::ChooseProduct(const Analysis& a, const Mention& m,
                                                ClaimKind kind,
                                                const ArticleContext& context) const {
  if (kind != ClaimKind::kGpuCount && kind != ClaimKind::kQuantity) return "";
  const LexiconMatch* best = nullptr;
  int64_t best_distance = 0;
  for (const LexiconMatch& p : a.products) {
    if (kind == ClaimKind::kGpuCount && !tables->products[p.value].gpu) continue;
    int64_t distance = p.end <= m.start ? m.start - p.end
                       : p.start >= m.end ? p.start - m.end
                                          : 0;
    if (best == nullptr || distance < best_distance) {
      best = &p;
      best_distance = distance;
    }
  }
  if (best != nullptr) return tables->products[best->value].name;
  return kind == ClaimKind::kGpuCount ? context.gpu_product : "";
}

std::optional<TimeRelation> ClaimExtractor::Impl::DateRelation(
    const Analysis& a, const MentionInfo& date) const {
  if (!date.mention.date) return std::nullopt;
  if (date.deadline) return TimeRelation::kBy;
  auto resolve = [&](int value) -> std::optional<TimeRelation> {
    if (value == Tables::kDuringIfYear) {
      if (SpansAQuarterOrMore(*date.mention.date)) return TimeRelation::kDuring;
      return std::nullopt;
    }
    return static_cast<TimeRelation>(value);
  };
  // Words after the date (2027年までに, 2024年度に); also inside its surface.
  const Mention& m = date.mention;
  for (int64_t pos = m.start + 1; pos <= m.end; ++pos) {
    LexiconMatch inside = tables->time_after.MatchAt(a.folded, a.norm, pos);
    if (inside.value >= 0 && inside.value != Tables::kDuringIfYear && pos < m.end &&
        inside.end <= m.end) {
      return resolve(inside.value);
    }
  }
  LexiconMatch after = tables->time_after.MatchAt(a.folded, a.norm, m.end);
  if (after.value >= 0) return resolve(after.value);
  // Words before it (by 2027, in 2024, during the second half of 2026).
  int64_t end = SkipSpacesBack(a.folded, m.start);
  if (end >= 4 && StartsAt(a.folded, end - 3, U"the")) {
    end = SkipSpacesBack(a.folded, end - 3);
  }
  LexiconMatch before = tables->time_before.MatchEndingAt(a.folded, a.norm, end);
  if (before.value >= 0) return resolve(before.value);
  return std::nullopt;
}

std::optional<TimeRelation> ClaimExtractor::Impl::DateRelationOf(
    const Analysis& a, size_t index) const {
  std::vector<int>& known = a.memo.date_relation;
  if (known.empty()) known.assign(a.mentions.size(), 0);
  if (known[index] == 0) {
    std::optional<TimeRelation> relation = DateRelation(a, a.mentions[index]);
    known[index] = relation ? 2 + static_cast<int>(*relation) : 1;
  }
  if (known[index] == 1) return std::nullopt;
  return static_cast<TimeRelation>(known[index] - 2);
}

std::optional<ClaimTime> ClaimExtractor::Impl::ChooseTime(const Analysis& a,
                                                          size_t mention_index) const {
  const Mention& m = a.mentions[mention_index].mention;
  std::vector<int>& breaks = a.memo.clause_breaks_before;
  if (breaks.empty()) {
    // breaks[k]: the clause breaks among the first k code points.
    breaks.assign(a.folded.size() + 1, 0);
    for (size_t pos = 0; pos < a.folded.size(); ++pos) {
      breaks[pos + 1] = breaks[pos] + (IsClauseBreak(a.folded[pos]) ? 1 : 0);
    }
  }
  std::optional<ClaimTime> best;
  int64_t best_distance = 0;
  for (size_t i = 0; i < a.mentions.size(); ++i) {
    const MentionInfo& info = a.mentions[i];
    if (i == mention_index || info.mention.kind != MentionKind::kDate) continue;
    std::optional<TimeRelation> relation = DateRelationOf(a, i);
    if (!relation) continue;
    const Mention& d = info.mention;
    int64_t gap_start = d.end <= m.start ? d.end : m.end;
    int64_t gap_end = d.end <= m.start ? m.start : d.start;
    const std::vector<int>& breaks = a.memo.clause_breaks_before;
    bool clause_break = gap_start < gap_end && breaks[gap_end] > breaks[gap_start];
    // "2024年度に20%": a period only bounds a figure in its own clause.
    if (*relation == TimeRelation::kDuring && clause_break) continue;
    int64_t distance = d.end <= m.start ? m.start - d.end : d.start - m.end;
    // Japanese puts the time before what it bounds: a date after the
    // figure belongs to a later predicate (2,000基になることが、11月4日までに...).
    if (a.ja && d.start >= m.end) distance += 1000;
    if (!best || distance < best_distance) {
      best = ClaimTime{*d.date, *relation};
      best_distance = distance;
    }
  }
  return best;
}

std::vector<StatusCue> ClaimExtractor::Impl::StatusCues(const Analysis& a) const {
  std::vector<StatusCue> cues;
  for (const LexiconMatch& match : tables->status_words.FindAll(a.folded, a.norm)) {
    cues.push_back({match.start, match.end, static_cast<ClaimStatus>(match.value)});
  }
  for (const LexiconMatch& match : tables->planned_en.FindAll(a.folded, a.norm)) {
    StatusCue cue{match.start, match.end, ClaimStatus::kPlanned};
    cue.tense = true;
    cues.push_back(cue);
  }
  // Japanese verbs: the tense of the verb chain after the stem.
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    const Token& token = a.tokens[i];
    size_t stem_end = 0;
    if (token.pos == "動詞" && IsWord(tables->status_verbs_ja, DecodeUtf8(token.base))) {
      stem_end = i + 1;
    } else if (token.pos == "名詞" && token.pos1 == "サ変接続" &&
               IsWord(tables->status_verbs_ja, DecodeUtf8(token.surface)) &&
               i + 1 < a.tokens.size() && a.tokens[i + 1].pos == "動詞" &&
               a.tokens[i + 1].base == "する") {
      stem_end = i + 2;
    } else {
      continue;
    }
    bool past = false;
    bool progressive = false;
    for (size_t j = stem_end; j < a.tokens.size(); ++j) {
      const Token& next = a.tokens[j];
      bool auxiliary = next.pos == "助動詞" ||
                       (next.pos == "動詞" && (next.pos1 == "接尾" || next.pos1 == "非自立")) ||
                       (next.pos == "助詞" && next.pos1 == "接続助詞" &&
                        (next.surface == "て" || next.surface == "で"));
      if (!auxiliary) break;
      if (next.base == "た") past = true;
      if ((next.base == "いる" || next.base == "おる") && j > stem_end &&
          (a.tokens[j - 1].surface == "て" || a.tokens[j - 1].surface == "で")) {
        progressive = true;
      }
    }
    std::u32string stem = DecodeUtf8(token.pos == "動詞" ? token.base : token.surface);
    StatusCue cue{token.cp_start, a.tokens[stem_end - 1].cp_end, ClaimStatus::kNone};
    cue.tense = true;
    if (progressive) {
      if (IsWord(tables->progressive_operational_ja, stem)) {
        cue.status = ClaimStatus::kOperational;
      } else {
        cue.stop = true;
      }
    } else if (past) {
      if (IsWord(tables->past_delivered_ja, stem)) {
        cue.status = ClaimStatus::kDelivered;
      } else {
        cue.stop = true;
      }
    } else {
      cue.status = ClaimStatus::kPlanned;
    }
    cues.push_back(cue);
  }
  std::sort(cues.begin(), cues.end(), [](const StatusCue& x, const StatusCue& y) {
    return x.start != y.start ? x.start < y.start : x.end > y.end;
  });
  return cues;
}

namespace {

// The words between an English figure and a status word after it make the
// figure the subject of that word: at most the figure's own noun and a
// "for"/"of" phrase of up to two words, then a form of "to be" and adverbs
// ("GB300s are now", "for OpenAI would now"), nothing that opens another
// clause. A modal ("would", `tense`) needs no form of "to be".
bool IsSubjectBridge(std::u32string_view gap, bool tense) {
  static constexpr std::u32string_view kCopulas[] = {U"are", U"is", U"were", U"was", U"been"};
  static constexpr std::u32string_view kFillers[] = {U"now", U"already", U"fully", U"all",
                                                     U"have", U"has", U"being"};
  auto is_word = [](std::u32string_view w) {
    return std::all_of(w.begin(), w.end(), [](char32_t c) {
      return IsAsciiLetter(c) || IsAsciiDigit(c) || c == U'-';
    });
  };
  bool copula = false;
  int words = 0, nouns = 0, phrase = -1;  // words left in a "for"/"of" phrase
  size_t i = 0;
  while (i < gap.size()) {
    if (gap[i] == U' ') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < gap.size() && gap[end] != U' ') ++end;
    std::u32string_view w = gap.substr(i, end - i);
    i = end;
    if (++words > 6 || !is_word(w)) return false;
    if (std::find(std::begin(kCopulas), std::end(kCopulas), w) != std::end(kCopulas)) {
      copula = true;
      phrase = 0;
    } else if (std::find(std::begin(kFillers), std::end(kFillers), w) != std::end(kFillers)) {
      continue;
    } else if (copula) {
      return false;
    } else if (phrase < 0 && (w == U"for" || w == U"of")) {
      phrase = 2;
    } else if (phrase > 0) {
      --phrase;
    } else if (phrase < 0 && nouns == 0) {
      ++nouns;  // the counted noun: "GB300s", "GPUs"
    } else {
      return false;
    }
  }
  return copula || (tense && phrase != 2);
}

}  // namespace

// The status cues of a sentence, all or only the explicit ones (no tense),
// found once per sentence.
const std::vector<StatusCue>& ClaimExtractor::Impl::SentenceCues(
    const Analysis& a, bool explicit_only) const {
  std::optional<std::vector<StatusCue>>& cues = a.memo.cues[explicit_only ? 1 : 0];
  if (!cues) {
    cues = StatusCues(a);
    if (explicit_only) {
      cues->erase(std::remove_if(cues->begin(), cues->end(),
                                 [](const StatusCue& cue) { return cue.tense; }),
                  cues->end());
    }
  }
  return *cues;
}

// Japanese: the first cue after the figure (its predicate: a word before it
// belongs to another clause). English: the nearest cue before the figure
// ("will deploy").
ClaimStatus ClaimExtractor::Impl::ChooseStatus(const Analysis& a, const Mention& m,
                                               const ClaimRule& rule) const {
  if (rule.status_from == ClaimRule::StatusFrom::kNone) return ClaimStatus::kNone;
  const std::vector<StatusCue>& cues =
      SentenceCues(a, rule.status_from == ClaimRule::StatusFrom::kExplicit);
  if (a.ja) {
    for (const StatusCue& cue : cues) {
      if (cue.start >= m.end) return cue.stop ? ClaimStatus::kNone : cue.status;
    }
    return ClaimStatus::kNone;
  }
  // A figure that is the subject of its clause takes the predicate after
  // it: "its first 18,000 GB300s are now operational".
  for (const StatusCue& cue : cues) {
    if (cue.start < m.end) continue;
    if (!cue.stop && IsSubjectBridge(std::u32string_view(a.folded).substr(m.end, cue.start - m.end),
                                     cue.tense)) {
      return cue.status;
    }
    break;
  }
  for (auto it = cues.rbegin(); it != cues.rend(); ++it) {
    if (it->end <= m.start) return it->stop ? ClaimStatus::kNone : it->status;
  }
  return ClaimStatus::kNone;
}

// ---- Hedges and attributions --------------------------------------------------

namespace {

// True if only closing punctuation and spaces follow `pos`: the end of the
// sentence for sentence_final hedges (…という。).
bool AtSentenceEnd(std::u32string_view text, int64_t pos) {
  static constexpr std::u32string_view kClosers = U"。．.!?！？」』)）\"”'’ \u3000";
  for (; pos < static_cast<int64_t>(text.size()); ++pos) {
    if (kClosers.find(text[pos]) == std::u32string_view::npos) return false;
  }
  return true;
}

// English words that end a source phrase: "…, which it said", "as he told".
bool IsSourceStopWord(std::u32string_view word) {
  static constexpr std::u32string_view kWords[] = {
      U"and", U"as", U"but", U"had", U"has", U"have", U"he", U"i", U"is", U"it",
      U"its", U"she", U"that", U"they", U"this", U"was", U"we", U"were", U"which",
      U"while", U"who", U"you"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

bool IsSourceWordChar(char32_t c) {
  return IsAsciiLetter(c) || IsAsciiDigit(c) || c == U'\'' || c == U'-' ||
         c == U'.' || c == U'&' || c == U'’';
}

}  // namespace

Hedging ClaimExtractor::Impl::FindHedges(const Analysis& a) const {
  Hedging result;
  for (const LexiconMatch& match : tables->hedge_words.FindAll(a.folded, a.norm)) {
    if ((match.value & Tables::kSentenceFinal) != 0 && !AtSentenceEnd(a.norm, match.end)) {
      continue;
    }
    if ((match.value & Tables::kCreditOnly) == 0) {
      std::string surface = EncodeUtf8(a.norm.substr(match.start, match.end - match.start));
      if (std::find(result.hedges.begin(), result.hedges.end(), surface) ==
          result.hedges.end()) {
        result.hedges.push_back(std::move(surface));
      }
    }
    if (!result.attribution.empty()) continue;
    switch (match.value & Tables::kSourceAtMask) {
      case Tables::kSourceBefore:
        result.attribution = SourceBefore(a, match.start);
        // "…, said Jensen Huang": the speaker may follow the verb.
        if (result.attribution.empty() && !a.ja) {
          result.attribution = SourceAfter(a, match.end);
        }
        break;
      case Tables::kSourceAfter:
        result.attribution = SourceAfter(a, match.end);
        break;
      case Tables::kSourceTopic:
        result.attribution = SourceTopic(a, match.start);
        break;
      default:
        break;
    }
  }
  return result;
}

// The first entity inside [start, end) that stands as a word of its own
// (NVIDIA chief executive…, NVIDIAの発表; not the 日本 of 日本経済新聞),
// else the text of the span itself.
std::string ClaimExtractor::Impl::NameIn(const Analysis& a, int64_t start,
                                         int64_t end) const {
  for (const EntityRef& e : a.entities) {
    if (e.start < start || e.end > end || e.maker) continue;
    if (e.end == end || IsSpaceChar(a.norm[e.end]) || StartsAt(a.folded, e.end, U"の") ||
        StartsAt(a.folded, e.end, U"'s") || StartsAt(a.folded, e.end, U"’s")) {
      return e.name;
    }
  }
  return EncodeUtf8(a.norm.substr(start, end - start));
}

// The source right before `end`: a noun phrase of up to three nouns joined
// by の in Japanese (複数の関係者, ロイター通信), up to six words in English
// (people familiar with the matter).
std::string ClaimExtractor::Impl::SourceBefore(const Analysis& a, int64_t end) const {
  end = SkipSpacesBack(a.folded, end);
  for (const EntityRef& e : a.entities) {
    if (e.end == end && !e.maker) return e.name;
  }
  if (a.ja) {
    int last = -1;
    for (size_t i = 0; i < a.tokens.size(); ++i) {
      if (a.tokens[i].cp_end == end) last = static_cast<int>(i);
    }
    if (last < 0) return "";
    auto noun = [&](const Token& t) {
      return (t.pos == "名詞" && t.pos1 != "代名詞" && t.pos1 != "数" &&
              t.pos1 != "非自立") ||
             t.pos == "接頭詞";
    };
    int first = last + 1;
    int joins = 0;
    for (int i = last; i >= 0; --i) {
      const Token& t = a.tokens[i];
      if (noun(t)) {
        first = i;
      } else if (t.surface == "の" && first == i + 1 && i > 0 && noun(a.tokens[i - 1]) &&
                 ++joins <= 2) {
        continue;
      } else {
        break;
      }
      if (a.tokens[last].cp_end - t.cp_start > 24) break;
    }
    if (first > last) return "";
    return NameIn(a, a.tokens[first].cp_start, a.tokens[last].cp_end);
  }
  int64_t start = end;
  for (int words = 0; words < 6; ++words) {
    int64_t word_end = SkipSpacesBack(a.folded, start);
    int64_t word_start = word_end;
    while (word_start > 0 && IsSourceWordChar(a.folded[word_start - 1])) --word_start;
    if (word_start == word_end ||
        IsSourceStopWord(std::u32string_view(a.folded).substr(word_start, word_end - word_start))) {
      break;
    }
    start = word_start;
  }
  if (start == end) return "";
  return NameIn(a, start, end);
}

// The source right after `start`: "according to Reuters", "said Jensen
// Huang, …": up to six words, to the next punctuation or clause word.
std::string ClaimExtractor::Impl::SourceAfter(const Analysis& a, int64_t start) const {
  start = SkipSpaces(a.folded, start);
  for (const EntityRef& e : a.entities) {
    if (e.start == start && !e.maker) return e.name;
  }
  const int64_t n = static_cast<int64_t>(a.folded.size());
  int64_t end = start;
  for (int words = 0; words < 6; ++words) {
    int64_t word_start = SkipSpaces(a.folded, end);
    int64_t word_end = word_start;
    while (word_end < n && IsSourceWordChar(a.folded[word_end])) ++word_end;
    // A trailing full stop ends the sentence, not an abbreviation.
    int64_t text_end = word_end;
    if (text_end == n || (text_end > word_start && a.folded[text_end - 1] == U'.' &&
                          SkipSpaces(a.folded, text_end) == n)) {
      while (text_end > word_start && a.folded[text_end - 1] == U'.') --text_end;
    }
    if (text_end == word_start ||
        IsSourceStopWord(std::u32string_view(a.folded).substr(word_start, text_end - word_start))) {
      break;
    }
    end = text_end;
    if (text_end != word_end) break;
  }
  if (end == start) return "";
  return NameIn(a, start, end);
}

// The topic of a Japanese sentence before `before`: the noun phrase marked
// by the first は or が (日経新聞は…と報じた).
std::string ClaimExtractor::Impl::SourceTopic(const Analysis& a, int64_t before) const {
  for (const Token& t : a.tokens) {
    if (t.cp_start >= before) break;
    if (t.pos == "助詞" && (t.surface == "は" || t.surface == "が")) {
      return SourceBefore(a, t.cp_start);
    }
  }
  return "";
}

// ---- Context for later sentences ------------------------------------------------

void ClaimExtractor::Impl::UpdateContext(const Analysis& a,
                                         const std::vector<Claim>& claims,
                                         ArticleContext* context) const {
  context->previous_has_gpu_claim = false;
  for (const EntityRef& e : a.entities) {
    if (!e.maker && e.index >= 0) context->seen.push_back(e.index);
  }
  // The sentence's topic: Xは (ja), or its first plain entity (en).
  std::vector<const EntityRef*> topic;
  if (a.ja) {
    topic = TopicEntities(a, static_cast<int64_t>(a.norm.size()), true);
  } else {
    for (const EntityRef& e : a.entities) {
      if (!e.maker && e.mark == EntityRef::Mark::kNone) {
        topic = {&e};
        break;
      }
    }
  }
  // Only sentence topics, not every claim subject: "the company" and a
  // figure without a subject refer to what the text is about.
  for (const EntityRef* e : topic) context->subjects.emplace_back(e->name, e->type);
  for (const Claim& claim : claims) {
    if (claim.kind == ClaimKind::kGpuCount) context->previous_has_gpu_claim = true;
  }
  // A supply deal sets the supplier (and product) later figures refer to:
  // a supply verb with its supplier (the topic in Japanese; in English only
  // with a receiver, since "X will deploy GPUs" names no supplier), or a
  // receive verb with a から / from supplier. Money deals need a supply verb
  // ("buys from" names a seller, not a funder).
  const SubjectWords& words = tables->subject;
  bool supply_verb = !SupplyVerbs(a).empty();
  bool receive_verb = !words.receive_verbs.FindAll(a.folded, a.norm).empty();
  std::string supplier;
  if (supply_verb) {
    if (a.ja) {
      supplier = SupplierOf(a);
    } else {
      std::string receiver;
      Mention end_of_sentence;
      end_of_sentence.start = end_of_sentence.end = static_cast<int64_t>(a.norm.size());
      if (!SupplyDeal(a, end_of_sentence, &receiver, &supplier)) supplier.clear();
    }
  }
  if (supplier.empty() && (supply_verb || (receive_verb && a.has_gpu))) {
    for (const EntityRef& e : a.entities) {
      if (e.mark == EntityRef::Mark::kSupplier && !e.anaphor) {
        supplier = e.name;
        break;
      }
    }
  }
  if (!supplier.empty() && a.has_gpu) {
    context->gpu_supplier = supplier;
    for (const LexiconMatch& p : a.products) {
      if (tables->products[p.value].gpu) {
        context->gpu_product = tables->products[p.value].name;
        break;
      }
    }
  } else if (!supplier.empty() && supply_verb) {
    context->money_supplier = supplier;
  }
  // The GPU topic carries over a run of GPU counts ("サムスン電子：5万枚。
  // SKグループ：5万枚以上。") and up to two sentences without a count.
  bool has_count = std::any_of(a.mentions.begin(), a.mentions.end(), [](const MentionInfo& i) {
    return i.mention.kind == MentionKind::kCount;
  });
  if (a.has_gpu || context->previous_has_gpu_claim) {
    context->sentences_since_gpu = 0;
  } else if (has_count) {
    context->sentences_since_gpu = 100;
  } else {
    ++context->sentences_since_gpu;
  }
  context->previous_has_gpu = context->sentences_since_gpu <= 2;
  context->previous_has_gpu_claim = false;
}

}  // namespace newsclaim::extract
