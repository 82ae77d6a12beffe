#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "nlu/nlu.hpp"

using voiceops::nlu::normalize;
using voiceops::nlu::tokens;

TEST_CASE("normalize lower-cases, drops punctuation and collapses whitespace", "[nlu][normalize]") {
  CHECK(normalize("  Hello,   THERE!  ") == "hello there");
  CHECK(normalize("Is it?  Yes.") == "is it yes");
  CHECK(normalize("") == "");
  CHECK(normalize("?!...") == "");
  CHECK(normalize("(512) 555-0142") == "512 555 0142");
  CHECK(normalize("\"quoted\" words") == "quoted words");
}

TEST_CASE("normalize keeps punctuation inside numbers only", "[nlu][normalize]") {
  CHECK(normalize("at 7:30, please") == "at 7:30 please");
  CHECK(normalize("it's 3.5 degrees.") == "it is 3.5 degrees");
  CHECK(normalize("1,200 square feet") == "1200 square feet");
  CHECK(normalize("three, four, five") == "three four five");
  CHECK(normalize("7:30pm") == "7:30 pm");
  CHECK(normalize("9am") == "9 am");
  CHECK(normalize("at 3 p.m.") == "at 3 pm");
  CHECK(normalize("the 21st") == "the 21st");
  CHECK(normalize("apartment 4b") == "apartment 4b");
  CHECK(normalize("apartment 4a") == "apartment 4a");
  CHECK(normalize("9:30a") == "9:30 am");
  CHECK(normalize("+1 512") == "plus 1 512");
  CHECK(normalize("tom & jerry") == "tom and jerry");
}

TEST_CASE("normalize expands contractions", "[nlu][normalize]") {
  CHECK(normalize("it's cold") == "it is cold");
  CHECK(normalize("I can't hear") == "i can not hear");
  CHECK(normalize("I'm here") == "i am here");
  CHECK(normalize("we won't") == "we will not");
  CHECK(normalize("it doesn't work, isn't on, didn't start") ==
        "it does not work is not on did not start");
  CHECK(normalize("they're here, we've got it, i'll wait, i'd like that") ==
        "they are here we have got it i will wait i would like that");
  CHECK(normalize("name's bob, that's all, what's up, there's gas") ==
        "name is bob that is all what is up there is gas");
  CHECK(normalize("let's go") == "let us go");
  // Curly apostrophes from some recognisers.
  CHECK(normalize("it\xE2\x80\x99s fine") == "it is fine");
  // Without the apostrophe.
  CHECK(normalize("dont know, im cold, thats it") == "do not know i am cold that is it");
  CHECK(normalize("gonna wanna ok alright") == "going to want to okay all right");
}

TEST_CASE("normalize keeps possessives and names with apostrophes", "[nlu][normalize]") {
  CHECK(normalize("I'm on Rob's phone") == "i am on rob's phone");
  CHECK(normalize("my husband's number") == "my husband's number");
  CHECK(normalize("Siobhan O'Neill") == "siobhan o'neill");
  CHECK(normalize("at three o'clock") == "at three o'clock");
  CHECK(normalize("'quoted'") == "quoted");
}

TEST_CASE("normalize reads 's as is or has where a possessive cannot be", "[nlu][normalize]") {
  CHECK(normalize("the heat's out") == "the heat is out");
  CHECK(normalize("afternoon's fine") == "afternoon is fine");
  CHECK(normalize("this number's fine") == "this number is fine");
  CHECK(normalize("my dad's eighty nine") == "my dad is eighty nine");
  CHECK(normalize("the ac's not cooling") == "the ac is not cooling");
  CHECK(normalize("the ac's making a noise") == "the ac is making a noise");
  CHECK(normalize("nobody's dizzy") == "nobody is dizzy");
  CHECK(normalize("no one's home") == "no one is home");
  CHECK(normalize("it's been an hour") == "it has been an hour");
  CHECK(normalize("the furnace's been acting up") == "the furnace has been acting up");
  CHECK(normalize("he's got it") == "he has got it");
  CHECK(normalize("i'd better go") == "i had better go");
  CHECK(normalize("i'd like that") == "i would like that");
  // Possessives stay.
  CHECK(normalize("rob's phone") == "rob's phone");
  CHECK(normalize("the closet's door") == "the closet's door");
}

TEST_CASE("normalize removes fillers", "[nlu][normalize]") {
  CHECK(normalize("yeah um so the thing upstairs uh it just quit on us like an hour ago") ==
        "yeah so the thing upstairs it just quit on us an hour ago");
  CHECK(normalize("er, erm, hmm, the furnace") == "the furnace");
  CHECK(normalize("umm") == "");
  CHECK(normalize("it's, you know, really cold") == "it is really cold");
  // "you know" as a question is not a filler.
  CHECK(normalize("do you know when") == "do you know when");
  CHECK(normalize("if you know the code") == "if you know the code");
}

// Decision: "like" is kept by default (a verb or a preposition) and dropped only in filler-ish
// surroundings: opening the utterance or a clause, after a filler or discourse word, before a
// pause, or hedging a quantity ("like an hour ago", "like 60 degrees"). A perception verb, a
// subject or "would" before it always keeps it.
TEST_CASE("normalize drops 'like' only where it is a filler", "[nlu][normalize]") {
  CHECK(normalize("it smells like gas") == "it smells like gas");
  CHECK(normalize("it smells like a rotten egg") == "it smells like a rotten egg");
  CHECK(normalize("sounds like a bang") == "sounds like a bang");
  CHECK(normalize("doesn't smell like anything weird") == "does not smell like anything weird");
  CHECK(normalize("i like the morning") == "i like the morning");
  CHECK(normalize("i'd like a technician") == "i would like a technician");
  CHECK(normalize("something like that") == "something like that");
  CHECK(normalize("like, the furnace stopped") == "the furnace stopped");
  CHECK(normalize("so like it stopped") == "so it stopped");
  CHECK(normalize("um like it stopped") == "it stopped");
  CHECK(normalize("it's like 60 degrees in here") == "it is 60 degrees in here");
  CHECK(normalize("there's like no heat") == "there is no heat");
  CHECK(normalize("it's making noise, like") == "it is making noise");
}

TEST_CASE("normalize turns agreement hums into single tokens", "[nlu][normalize]") {
  CHECK(normalize("Mm-hmm.") == "mm-hmm");
  CHECK(normalize("mhm") == "mm-hmm");
  CHECK(normalize("mm hmm") == "mm-hmm");
  CHECK(normalize("uh-huh") == "uh-huh");
  CHECK(normalize("uh huh") == "uh-huh");
  CHECK(normalize("uh-uh") == "uh-uh");
  // Two hesitations are not a "no".
  CHECK(normalize("uh uh") == "");
}

TEST_CASE("normalize splits hyphenated words and approximations", "[nlu][normalize]") {
  CHECK(normalize("twenty-one") == "twenty one");
  CHECK(normalize("four-ish") == "four ish");
  CHECK(normalize("fourish") == "four ish");
  CHECK(normalize("4ish") == "4 ish");
  CHECK(normalize("k-o-w-a-l-s-k-i") == "k o w a l s k i");
  CHECK(normalize("english") == "english");
  CHECK(normalize("it stopped - then started") == "it stopped then started");
}

TEST_CASE("normalize keeps number words and is idempotent", "[nlu][normalize]") {
  CHECK(normalize("Forty One oh six Elm") == "forty one oh six elm");
  for (const char* text : {"yeah um so the thing upstairs uh it just quit on us like an hour ago",
                           "it's dana k o w a l s k i", "no, not the ninth, the nineteenth",
                           "I'd like a tech at 7:30pm"}) {
    const std::string once = normalize(text);
    CHECK(normalize(once) == once);
  }
}

TEST_CASE("tokens splits normalised text on whitespace", "[nlu][normalize]") {
  CHECK(tokens("it is dana") == std::vector<std::string>{"it", "is", "dana"});
  CHECK(tokens("  a   b ") == std::vector<std::string>{"a", "b"});
  CHECK(tokens("").empty());
  CHECK(tokens(normalize("It's 7:30")) == std::vector<std::string>{"it", "is", "7:30"});
}
