#include "contract/promises.hpp"

#include "nlu/concepts.hpp"

namespace voiceops::contract {
namespace {

// Built in, not contract words: what counts as a promise of contact is the validator's policy.
const std::vector<nlu::ConceptSource>& promise_concepts() {
  static const std::vector<nlu::ConceptSource> sources = {
      {"contact",
       {"call",
        "call back",
        "callback",
        "text",
        "reach",
        "get back",
        "get hold",
        "contact",
        "connect",
        "transfer",
        "put you through",
        "hear from",
        "be in touch",
        "respond",
        "reply",
        "send someone",
        "send a technician",
        "dispatch",
        "return your call",
        "come out",
        "follow up",
        "pick up",
        "someone will",
        "be there",
        "on the way",
        "on their way",
        "get back to you",
        "get back with you",
        "reach out",
        "reach out to you",
        "reach you",
        "be in touch with you",
        "get in touch",
        "follow up with you"},
       {},
       {},
       {}},
      {"soon",
       {"right away",
        "right now",
        "immediately",
        "asap",
        "a s a p",
        "as soon as possible",
        "as soon as we can",
        "as soon as they can",
        "shortly",
        "soon",
        "in a moment",
        "momentarily",
        "any minute",
        "in a few minutes",
        "in a minute",
        "within minutes",
        "within #1-180 minute",
        "in #1-180 minute",
        "in under #1-180 minute",
        "in about #1-180 minute",
        "in around #1-180 minute",
        "within about #1-180 minute",
        "within the hour",
        "within an hour",
        "in an hour",
        "within #1-12 hour",
        "in #1-12 hour",
        "tonight",
        "this evening",
        "this afternoon",
        "later today",
        "later tonight",
        "straight away",
        "promptly",
        "quickly",
        "in no time",
        "right back",
        "now"},
       {},
       {"right now i", "for now", "now that", "until now", "by now"},
       {}},
      {"tomorrow", {"tomorrow", "tomorrow morning", "tomorrow afternoon"}, {}, {}, {}},
      {"soon_contact", {"@contact @soon", "@soon @contact"}, {}, {}, {}},
      {"tomorrow_contact", {"@contact @tomorrow", "@tomorrow @contact"}, {}, {}, {}},
  };
  return sources;
}

const nlu::Lexicon& promise_lexicon() {
  static const nlu::Lexicon lexicon = [] {
    nlu::WordForms forms;
    auto compiled = nlu::Lexicon::compile(promise_concepts(), forms);
    return compiled ? std::move(*compiled) : nlu::Lexicon{};
  }();
  return lexicon;
}

std::optional<std::string> promised(std::string_view promise, std::string_view concept_id) {
  nlu::WordForms forms;
  const nlu::Heard heard(promise, forms);
  for (const nlu::ConceptHit& hit : promise_lexicon().find(heard)) {
    // A promise names its time plainly: denied ("we can't call you tonight") or supposed
    // ("if you don't hear from us soon") words promise nothing.
    if (hit.concept_id == concept_id && hit.affirmed()) return hit.words;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> soon_contact_promise(std::string_view promise) {
  return promised(promise, "soon_contact");
}

std::optional<std::string> tomorrow_contact_promise(std::string_view promise) {
  return promised(promise, "tomorrow_contact");
}

}  // namespace voiceops::contract
