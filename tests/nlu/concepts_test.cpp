// Concepts by word forms, number ranges and references, and the scope of a mention
// (nlu/concepts.hpp, nlu/scope.hpp, nlu/word_forms.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "nlu/concepts.hpp"
#include "nlu/scope.hpp"
#include "nlu/word_forms.hpp"

using namespace voiceops::nlu;

namespace {

Lexicon compiled(const std::vector<ConceptSource>& sources) {
  WordForms forms;
  auto lexicon = Lexicon::compile(sources, forms);
  REQUIRE(lexicon);
  return std::move(*lexicon);
}

// The polarity of the first hit of `concept_id`, or "none".
std::string heard(const Lexicon& lexicon, const std::string& concept_id, const std::string& said) {
  WordForms forms;
  const Heard h(said, forms);
  for (const ConceptHit& hit : lexicon.find(h)) {
    if (hit.concept_id == concept_id) {
      return std::string(hit.near ? "near " : "") + std::string(to_string(hit.scope.polarity));
    }
  }
  return "none";
}

const std::vector<ConceptSource> gas = {
    {"gas_word", {"gas", "propane"}, {}, {"gas furnace", "gas water heater", "gas bill"}, {}},
    {"smell_word", {"smell", "odor", "stink"}, {}, {}, {}},
    {"gas_smell",
     {"@smell_word @gas_word", "@gas_word @smell_word", "rotten egg", "@gas_word leak"},
     {{"@smell_word"}, {"@gas_word", "egg"}},
     {},
     {}},
};

}  // namespace

TEST_CASE("word forms: stems, irregular forms and dropped g's meet", "[nlu][concepts]") {
  WordForms forms;
  CHECK(forms.lemma("smelling") == forms.lemma("smell"));
  CHECK(forms.lemma("smelt") == forms.lemma("smell"));
  CHECK(forms.lemma("fell") == forms.lemma("fall"));
  CHECK(forms.lemma("children") == forms.lemma("child"));
  CHECK(forms.lemma("dizziness") == forms.lemma("dizzy"));
  CHECK(forms.lemma("dad's") == forms.lemma("dad"));
  CHECK(forms.lemma("blowin") == forms.lemma("blowing"));
  CHECK(forms.lemma("512") == "512");
}

TEST_CASE("terms match by word form, with small words between", "[nlu][concepts]") {
  const Lexicon lexicon = compiled(gas);
  CHECK(heard(lexicon, "gas_smell", "i smell gas") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "it smells kind of like propane in here") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "we smelt gas by the stove") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "there's a rotten eggs smell") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "i think we have a gas leak") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "the furnace is making a noise") == "none");
}

TEST_CASE("except keeps equipment names out; near words only suggest", "[nlu][concepts]") {
  const Lexicon lexicon = compiled(gas);
  CHECK(heard(lexicon, "gas_smell", "our gas furnace quit") == "none");
  CHECK(heard(lexicon, "gas_smell", "the gas water heater is fine but there's a weird smell") ==
        "none");  // "but" parts the sentence, and the heater is equipment
  CHECK(heard(lexicon, "gas_smell", "there's a smell and i wonder about the propane") ==
        "near affirmed");
}

TEST_CASE("scope: denied, hedged, supposed, asked for, past", "[nlu][scope]") {
  const Lexicon lexicon = compiled(gas);
  CHECK(heard(lexicon, "gas_smell", "no gas smell or anything") == "negated");
  CHECK(heard(lexicon, "gas_smell", "it doesn't smell like gas") == "negated");
  CHECK(heard(lexicon, "gas_smell", "no, it smells like gas") == "affirmed");
  CHECK(heard(lexicon, "gas_smell", "maybe it smells like gas") == "hedged");
  CHECK(heard(lexicon, "gas_smell", "i don't know if that's a gas smell") == "hedged");
  CHECK(heard(lexicon, "gas_smell", "if it starts to smell like gas what do i do") ==
        "hypothetical");
  CHECK(heard(lexicon, "gas_smell", "we had a gas leak last year") == "historical");
  CHECK(heard(lexicon, "gas_smell", "no gas smell but the furnace won't start") == "negated");
}

TEST_CASE("numbers in a range and references between concepts", "[nlu][concepts]") {
  const Lexicon lexicon = compiled({
      {"relative", {"dad", "mom", "she", "he"}, {}, {}, {}},
      {"vulnerable", {"@relative is #65-120", "#65-120 year old", "#1-52 week old"}, {}, {}, {}},
  });
  CHECK(heard(lexicon, "vulnerable", "my dad's eighty nine and he lives with us") == "affirmed");
  CHECK(heard(lexicon, "vulnerable", "my 92 year old mother") == "affirmed");
  CHECK(heard(lexicon, "vulnerable", "the baby is three weeks old") == "affirmed");
  CHECK(heard(lexicon, "vulnerable", "we have a three week old") == "affirmed");
  CHECK(heard(lexicon, "vulnerable", "it's eighty nine in the bedroom") == "none");
  CHECK(heard(lexicon, "vulnerable", "my dad is fifty") == "none");
}

TEST_CASE("unless explains a mention away in its sentence", "[nlu][concepts]") {
  const Lexicon lexicon = compiled({
      {"alarm", {"detector beeping", "alarm going off"}, {}, {}, {"battery", "old"}},
  });
  CHECK(heard(lexicon, "alarm", "the alarm is going off") == "affirmed");
  CHECK(heard(lexicon, "alarm", "the detector keeps beeping i think the battery is low") ==
        "negated");
  CHECK(heard(lexicon, "alarm", "the detector is beeping and it's not the battery") == "affirmed");
}

TEST_CASE("a lexicon with a mistake says which concept", "[nlu][concepts]") {
  WordForms forms;
  auto unknown = Lexicon::compile({{"a", {"@nowhere"}, {}, {}, {}}}, forms);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().find("concept 'a'") != std::string::npos);
  auto loop = Lexicon::compile({{"a", {"@b"}, {}, {}, {}}, {"b", {"@a"}, {}, {}, {}}}, forms);
  REQUIRE_FALSE(loop);
  CHECK(loop.error().find("refers back") != std::string::npos);
  auto bad_number = Lexicon::compile({{"a", {"#9-1 year"}, {}, {}, {}}}, forms);
  REQUIRE_FALSE(bad_number);
  CHECK(bad_number.error().find("#LOW-HIGH") != std::string::npos);
}

TEST_CASE("any utterance, however odd, is matched without trouble", "[nlu][concepts]") {
  const Lexicon lexicon = compiled(gas);
  WordForms forms;
  const std::string long_one(10 * 1024, 'a');
  for (const std::string& said :
       {std::string(), std::string("   "), long_one, std::string("\xff\xfe gas \xc3"),
        std::string("1 2 3 4 5 6 7 8 9 0"), std::string("um uh er hmm")}) {
    const Heard h(said, forms);
    CHECK_NOTHROW(lexicon.find(h));
  }
}
