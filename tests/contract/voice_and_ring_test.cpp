// The keys that shape how the line sounds and rings: [answers] voice and language, and a
// destination's dial_timeout_s; good values and bad ones, with their diagnostics.
#include <catch2/catch.hpp>

#include <fstream>

#include "contract/check.hpp"
#include "support/corpus.hpp"

using namespace voiceops;
using namespace voiceops::contract;

namespace {

std::string minimal() {
  std::ifstream in(testing::source_dir() + "/tests/contract/fixtures/valid/minimal.toml",
                   std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The minimal contract with `lines` added at the end of its [answers] table.
CheckedContract with_answers(const std::string& lines) {
  return check_contract_text(replace_once(minimal(), "\n[hours]", lines + "\n\n[hours]"),
                             "voice.toml", true);
}

// The minimal contract with `lines` added to its destination `id`.
CheckedContract with_destination(const std::string& id, const std::string& lines) {
  return check_contract_text(replace_once(minimal(), "[destinations." + id + "]\n",
                                          "[destinations." + id + "]\n" + lines + "\n"),
                             "ring.toml", true);
}

// The one diagnostic of a contract that should have exactly one.
Diagnostic only(const CheckedContract& checked) {
  for (const auto& d : checked.diagnostics.all())
    UNSCOPED_INFO(d.where.line << ":" << d.where.column << " " << d.rule << " " << d.message);
  REQUIRE(checked.diagnostics.all().size() == 1);
  return checked.diagnostics.all().front();
}

}  // namespace

TEST_CASE("voice and language: the carrier's voices and BCP 47 tags", "[contract][voice]") {
  for (const char* good :
       {"voice = \"man\"", "voice = \"woman\"", "voice = \"alice\"", "voice = \"Polly.Joanna\"",
        "voice = \"Polly.Joanna-Neural\"", "voice = \"Polly.Matthew-Generative\"",
        "voice = \"Google.en-US-Neural2-F\"", "voice = \"Google.en-US-Chirp3-HD-Aoede\"",
        "voice = \"Polly.Joanna\"\nlanguage = \"en-US\"", "language = \"es-MX\"",
        "voice = \"Google.en-GB-Standard-A\"\nlanguage = \"en-gb\"", "language = \"cmn-CN\""}) {
    INFO(good);
    const CheckedContract checked = with_answers(good);
    for (const auto& d : checked.diagnostics.all()) UNSCOPED_INFO(d.message);
    CHECK(checked.diagnostics.all().empty());
    CHECK(checked.status == ExitStatus::ok);
  }
  const CheckedContract chosen = with_answers("voice = \"Polly.Joanna\"\nlanguage = \"en-US\"");
  REQUIRE(chosen.contract);
  REQUIRE(chosen.contract->answers.voice);
  CHECK(chosen.contract->answers.voice->value == "Polly.Joanna");
  CHECK(chosen.contract->answers.language->value == "en-US");
  const CheckedContract plain = check_contract_text(minimal(), "plain.toml", true);
  REQUIRE(plain.contract);
  CHECK_FALSE(plain.contract->answers.voice);  // today's default: the carrier's voice
  CHECK_FALSE(plain.contract->answers.language);
}

TEST_CASE("a voice the carrier does not know is named, with what to write instead",
          "[contract][voice]") {
  const Diagnostic unknown = only(with_answers("voice = \"Joanna\""));
  CHECK(unknown.rule == "bad-value");
  CHECK(unknown.severity == Severity::error);
  CHECK(unknown.message == "answers.voice \"Joanna\" is not a voice the carrier's <Say> knows");
  CHECK(unknown.hint ==
        "use \"man\", \"woman\", \"alice\", an Amazon Polly voice such as \"Polly.Joanna\", or "
        "a Google voice such as \"Google.en-US-Neural2-F\"; leave it out for the carrier's "
        "default");
  CHECK(only(with_answers("voice = \"Woman\"")).hint == "did you mean \"woman\"?");
  CHECK(only(with_answers("voice = \"polly.Joanna\"")).hint ==
        "the carrier spells the prefix \"Polly.\" or \"Google.\", capitalised");
  CHECK(only(with_answers("voice = \"Polly.joanna\"")).hint ==
        "an Amazon Polly voice id starts with a capital letter: \"Polly.Joanna\", "
        "\"Polly.Joanna-Neural\"");
  CHECK(only(with_answers("voice = \"Google.Neural2\"")).hint ==
        "a Google voice's name starts with its locale: \"Google.en-US-Neural2-F\"");
  CHECK(only(with_answers("voice = \"\"")).rule == "bad-value");
  CHECK(only(with_answers("voice = 3")).rule == "wrong-type");
}

TEST_CASE("a language that is no tag, or not the Google voice's, is refused", "[contract][voice]") {
  for (const char* bad : {"english", "EN-US", "en_US", "e", "en-", "en-US-"}) {
    INFO(bad);
    const Diagnostic d = only(with_answers(std::string("language = \"") + bad + "\""));
    CHECK(d.rule == "bad-value");
    CHECK(d.message == "answers.language \"" + std::string(bad) + "\" is not a language tag");
    CHECK(d.hint == "write the language and region as BCP 47 does, e.g. \"en-US\" or \"es-MX\"");
  }
  const CheckedContract mismatch =
      with_answers("voice = \"Google.en-US-Neural2-F\"\nlanguage = \"es-MX\"");
  const Diagnostic d = only(mismatch);
  CHECK(d.message ==
        "answers.voice \"Google.en-US-Neural2-F\" speaks en-US, but answers.language is \"es-MX\"");
  CHECK(d.hint == "set language = \"en-US\", or choose a voice for es-MX");
  CHECK(mismatch.status == ExitStatus::check_failed);
}

TEST_CASE("dial_timeout_s: how long a transfer rings, 5 to 600 s", "[contract][ring]") {
  const CheckedContract plain = check_contract_text(minimal(), "plain.toml", true);
  REQUIRE(plain.contract);
  CHECK(plain.contract->destination("on_call")->dial_timeout_s.value == 20);  // as before
  for (int seconds : {5, 25, 600}) {
    const CheckedContract checked =
        with_destination("on_call", "dial_timeout_s = " + std::to_string(seconds));
    CHECK(checked.diagnostics.all().empty());
    REQUIRE(checked.contract);
    CHECK(checked.contract->destination("on_call")->dial_timeout_s.value == seconds);
  }
  for (int seconds : {0, 4, 601, -20}) {
    INFO(seconds);
    const Diagnostic d =
        only(with_destination("on_call", "dial_timeout_s = " + std::to_string(seconds)));
    CHECK(d.rule == "bad-value");
    CHECK(d.message ==
          "destinations.on_call.dial_timeout_s is " + std::to_string(seconds) + ", outside 5–600");
    CHECK(d.hint == "use a value from 5 to 600");
  }
  const Diagnostic text = only(with_destination("on_call", "dial_timeout_s = \"25\""));
  CHECK(text.rule == "wrong-type");
  const Diagnostic fractional = only(with_destination("on_call", "dial_timeout_s = 25.5"));
  CHECK(fractional.rule == "wrong-type");
}

TEST_CASE("dial_timeout_s on a destination nobody dials is a mistake", "[contract][ring]") {
  const std::string queue = replace_once(
      minimal(), "[destinations.office]\nkind = \"phone\"\nnumber = \"+15125550101\"",
      "[destinations.office]\nkind = \"queue\"\nqueue = \"office\"\ndial_timeout_s = 30");
  const CheckedContract checked = check_contract_text(queue, "queue.toml", true);
  const Diagnostic* found = nullptr;
  for (const auto& d : checked.diagnostics.all())
    if (d.message.find("dial_timeout_s") != std::string::npos) found = &d;
  REQUIRE(found);
  CHECK(found->rule == "bad-value");
  CHECK(found->message ==
        "destinations.office.dial_timeout_s does not apply to a queue destination");
  CHECK(found->hint == "remove it: only phone and voicemail destinations are dialled");
  CHECK(found->where.line == 40);
  CHECK(found->where.column == 1);
}
