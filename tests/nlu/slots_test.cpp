#define CATCH_CONFIG_ENABLE_OPTIONAL_STRINGMAKER
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "nlu/nlu.hpp"

using namespace voiceops::nlu;

namespace {
constexpr std::string_view kCallerId = "+15125550100";
}

TEST_CASE("extract_phone reads spoken and typed North American numbers", "[nlu][slots][phone]") {
  CHECK(extract_phone("five one two, five five five, zero one four two") == "+15125550142");
  CHECK(extract_phone("512 555 0142") == "+15125550142");
  CHECK(extract_phone("(512) 555-0142") == "+15125550142");
  CHECK(extract_phone("512.555.0142") == "+15125550142");
  CHECK(extract_phone("5125550142") == "+15125550142");
  CHECK(extract_phone("my number is five one two five five five oh one four two") ==
        "+15125550142");
  CHECK(extract_phone("five twelve five five five oh one forty two") == "+15125550142");
  CHECK(extract_phone("five one two triple five oh one four two") == "+15125550142");
  CHECK(extract_phone("five one two double five five zero one double four") == "+15125550144");
  // With the country code.
  CHECK(extract_phone("one five one two five five five zero one four two") == "+15125550142");
  CHECK(extract_phone("1 512 555 0142") == "+15125550142");
  CHECK(extract_phone("+15125550142") == "+15125550142");
}

TEST_CASE("extract_phone keeps E.164 numbers given with a plus", "[nlu][slots][phone]") {
  CHECK(extract_phone("+44 20 7946 0958") == "+442079460958");
  CHECK(extract_phone("plus four four two zero seven nine four six zero nine five eight") ==
        "+442079460958");
  CHECK(extract_phone("+1 512 555 0142") == "+15125550142");
  CHECK_FALSE(extract_phone("+44 20").has_value());
}

TEST_CASE("extract_phone rejects what is not a whole number", "[nlu][slots][phone]") {
  CHECK_FALSE(extract_phone("555 0142").has_value());
  CHECK_FALSE(extract_phone("five five five oh one four two").has_value());
  CHECK_FALSE(extract_phone("twenty four").has_value());
  CHECK_FALSE(extract_phone("").has_value());
  CHECK_FALSE(extract_phone("i don't know my number").has_value());
  // Eleven digits not starting with 1 and no plus: not a US number.
  CHECK_FALSE(extract_phone("5 5 1 2 5 5 5 0 1 4 2").has_value());
  // Area codes and exchanges never start with 0 or 1.
  CHECK_FALSE(extract_phone("123 456 7890").has_value());
  CHECK_FALSE(extract_phone("512 155 0142").has_value());
}

TEST_CASE("extract_phone joins parts and takes the last number given", "[nlu][slots][phone]") {
  CHECK(extract_phone("area code 512 and then 555 0142") == "+15125550142");
  CHECK(extract_phone("512 555 0100, no sorry, 512 555 0142") == "+15125550142");
  // A trailing time is not part of the number.
  CHECK(extract_phone("call me at 512 555 0142 after 5") == "+15125550142");
  // Hundreds said as a group of digits.
  CHECK(extract_phone("one eight hundred five five five one two one two") == "+18005551212");
  CHECK(extract_phone("eight hundred five five five one two one two") == "+18005551212");
  CHECK(extract_phone("512 555 0142 and my zip is 78701") == "+15125550142");
}

TEST_CASE("extract_phone answers 'this number' with the caller ID", "[nlu][slots][phone]") {
  CHECK(extract_phone("this number's fine", kCallerId) == "+15125550100");
  CHECK(extract_phone("call me back on the one i'm calling from", kCallerId) == "+15125550100");
  CHECK(extract_phone("the number i'm calling from", kCallerId) == "+15125550100");
  CHECK(extract_phone("just use this number", kCallerId) == "+15125550100");
  CHECK(extract_phone("same number", kCallerId) == "+15125550100");
  CHECK(extract_phone("this phone is fine", "5125550100") == "+15125550100");
  // Digits said win over the pointer.
  CHECK(extract_phone("not this one, 512 555 0142", kCallerId) == "+15125550142");
  // Pointing elsewhere, or nothing to point at.
  CHECK_FALSE(extract_phone("not the one i'm calling from", kCallerId).has_value());
  CHECK_FALSE(extract_phone("use a different number than this one", kCallerId).has_value());
  CHECK_FALSE(extract_phone("this number's fine").has_value());
  CHECK_FALSE(extract_phone("this number's fine", "anonymous").has_value());
  CHECK_FALSE(extract_phone("my cell", kCallerId).has_value());
}

TEST_CASE("extract_name ends a name where contact details begin", "[nlu][slots][name]") {
  CHECK(extract_name("hector salinas, five one two five five five zero one seven zero") ==
        "Hector Salinas");
  CHECK(extract_name("hector salinas five one two five five five") == "Hector Salinas");
  CHECK(extract_name("gary lindholm call me at seven three seven") == "Gary Lindholm");
  // A lead-in is no name: "real quick, do you know ...".
  CHECK_FALSE(extract_name("hey real quick do you know when the next order goes in").has_value());
}

TEST_CASE("extract_name takes a spelling announced after the name", "[nlu][slots][name]") {
  CHECK(extract_name("gloria vance, that's v a n c e") == "Gloria Vance");
  CHECK(extract_name("gloria vance that's v a n c e") == "Gloria Vance");
  CHECK(extract_name("ken harbor spelled h a r p e r") == "Ken Harper");
  CHECK(extract_name("it's siobhan, that's s i o b h a n") == "Siobhan");
}

TEST_CASE("extract_name strips introductions and title-cases", "[nlu][slots][name]") {
  CHECK(extract_name("my name is maria lopez") == "Maria Lopez");
  CHECK(extract_name("this is tom reyes at 40 birch") == "Tom Reyes");
  CHECK(extract_name("it's dana") == "Dana");
  CHECK(extract_name("i'm dana") == "Dana");
  CHECK(extract_name("name's bob") == "Bob");
  CHECK(extract_name("yeah hi, this is dee, i'm on rob's phone") == "Dee");
  CHECK(extract_name("i'm calling about my furnace, my name is tom") == "Tom");
  CHECK(extract_name("the name is garcia") == "Garcia");
  CHECK(extract_name("this is sterling") == "Sterling");
  CHECK(extract_name("you can call me liz") == "Liz");
  CHECK(extract_name("maria lopez") == "Maria Lopez");
  CHECK(extract_name("Maria Lopez.") == "Maria Lopez");
  CHECK(extract_name("dana here") == "Dana");
  CHECK(extract_name("john f kennedy") == "John F Kennedy");
  // Starting again after a pause.
  CHECK(extract_name("it's maria, maria lopez") == "Maria Lopez");
  CHECK(extract_name("my name is tom, tom reyes") == "Tom Reyes");
  CHECK(extract_name("yeah it's ray castillo") == "Ray Castillo");
}

TEST_CASE("extract_name stops where the name ends", "[nlu][slots][name]") {
  CHECK(extract_name("it's tom reyes at 40 birch and it's the furnace") == "Tom Reyes");
  CHECK(extract_name("tom reyes at 40 birch") == "Tom Reyes");
  CHECK(extract_name("it's maria and the heat is out") == "Maria");
  CHECK(extract_name("this is tom calling about the furnace") == "Tom");
  CHECK(extract_name("my name is dana from 12 oak street") == "Dana");
}

TEST_CASE("extract_name joins spelled letters", "[nlu][slots][name]") {
  CHECK(extract_name("it's dana k o w a l s k i") == "Dana Kowalski");
  CHECK(extract_name("k o w a l s k i") == "Kowalski");
  CHECK(extract_name("K-O-W-A-L-S-K-I") == "Kowalski");
  CHECK(extract_name("s i o b h a n") == "Siobhan");
  CHECK(extract_name("my name is a n n a") == "Anna");
  CHECK(extract_name("it's dana, d a n a") == "Dana");
  CHECK(extract_name("o n e i double l") == "Oneill");
  CHECK(extract_name("k oh w a l s k i") == "Kowalski");
  CHECK(extract_name("i said kowalski, with a k") == "Kowalski");
}

TEST_CASE("extract_name handles apostrophes and prefixes", "[nlu][slots][name]") {
  CHECK(extract_name("o'neill") == "O'Neill");
  CHECK(extract_name("it's siobhan o'neill") == "Siobhan O'Neill");
  CHECK(extract_name("d'angelo") == "D'Angelo");
  CHECK(extract_name("mcdonald") == "McDonald");
  // The recogniser's "oh neil" for O'Neil.
  CHECK(extract_name("it's shivon oh neil") == "Shivon O'Neil");
}

TEST_CASE("extract_name refuses what is not a name", "[nlu][slots][name]") {
  for (const char* text : {"",
                           "yeah",
                           "okay",
                           "1234",
                           "my name is 1234",
                           "it's the furnace",
                           "the furnace is broken",
                           "i'm freezing",
                           "i'm calling about the heat",
                           "no",
                           "twelve oak street",
                           "sounds good",
                           "call me back at 5",
                           "cool",
                           "tuesday",
                           "it is",
                           "my name is",
                           "um uh",
                           "this is getting ridiculous",
                           "i'm not sure",
                           "it kicks on for like two minutes and shuts off",
                           "it's under my husband's number five one two five five five zero",
                           "uh both i guess the heating and the ac",
                           "none",
                           "it clicks and clicks and then nothing happens",
                           "the drain pan under it is full and water's dripping",
                           "uh hang on you know what can i just talk to a representative",
                           "it's doing it again",
                           "it's time for our annual maintenance",
                           "test every capacitor before i close up the unit"}) {
    INFO(text);
    CHECK_FALSE(extract_name(text).has_value());
  }
}

TEST_CASE("extract_address reads house numbers and street names", "[nlu][slots][address]") {
  CHECK(extract_address("twelve oak street") == "12 Oak Street");
  CHECK(extract_address("forty one oh six elm") == "4106 Elm");
  CHECK(extract_address("it's tom reyes at 40 birch and it's the furnace") == "40 Birch");
  CHECK(extract_address("i live at 415 north main street apartment 2b") ==
        "415 North Main Street, Apartment 2B");
  CHECK(extract_address("1200 west oak avenue, unit 4") == "1200 West Oak Avenue, Unit 4");
  CHECK(extract_address("one hundred twenty first street") == "100 21st Street");
  CHECK(extract_address("40 north street") == "40 North Street");
  CHECK(extract_address("twenty four oh nine court street") == "2409 Court Street");
  CHECK(extract_address("six eighteen pecan street") == "618 Pecan Street");
  CHECK(extract_address("two twenty five rainey street") == "225 Rainey Street");
  CHECK(extract_address("it's tom at 7 elm") == "7 Elm");
  // A street named with its suffix wins over an earlier bare number and word.
  CHECK(extract_address("it's 3 floors up at 12 oak street") == "12 Oak Street");
}

TEST_CASE("extract_address keeps the unit letter and the city", "[nlu][slots][address]") {
  CHECK(extract_address("forty one oh six elm street in round rock") ==
        "4106 Elm Street, Round Rock");
  CHECK(extract_address("one twenty three main street apartment four b austin") ==
        "123 Main Street, Apartment 4B, Austin");
  CHECK(extract_address("fifteen oh five west anderson lane in round rock") ==
        "1505 West Anderson Lane, Round Rock");
  CHECK(extract_address("40 birch in austin") == "40 Birch, Austin");
  CHECK(extract_address("12 oak street, apt number 3, pflugerville") ==
        "12 Oak Street, Apt 3, Pflugerville");
  CHECK(extract_address("12 oak street apartment a") == "12 Oak Street, Apartment A");
  // Words after the street that are not a city.
  CHECK(extract_address("12 oak street in the back") == "12 Oak Street");
  CHECK(extract_address("12 oak street thanks") == "12 Oak Street");
  CHECK(extract_address("12 oak street it's the furnace") == "12 Oak Street");
  CHECK(extract_address("it's 21 oak street, oh and my name's dana") == "21 Oak Street");
  CHECK(
      extract_address("the heater in apartment four b at one twenty three main street in austin") ==
      "123 Main Street, Apartment 4B, Austin");
  CHECK(extract_address("no it's twenty one, twenty one oak hollow") == "21 Oak Hollow");
  CHECK(extract_address("twenty one twenty one oak hollow") == "2121 Oak Hollow");
  CHECK(extract_address("21 oak street um the side gate") == "21 Oak Street");
  CHECK(extract_address("21 oak street also there's a dog") == "21 Oak Street");
}

TEST_CASE("extract_address ignores numbers that are not house numbers", "[nlu][slots][address]") {
  for (const char* text :
       {"it's eighty nine in the bedroom", "my dad's eighty nine and the heat's out",
        "same address as last time", "it's been 3 days", "my number is 512 555 0142",
        "come at 3 tomorrow", "at 5 pm", "i have 2 kids", "oak street", "", "40 north",
        "yep gave them two options", "no we're one tech short this afternoon",
        "about a three two guys are out", "a four well a three really",
        "restock truck four before i leave"}) {
    INFO(text);
    CHECK_FALSE(extract_address(text).has_value());
  }
}

TEST_CASE("extract_yes_no reads yes and no and their variants", "[nlu][slots][yesno]") {
  for (const char* text : {"yes",          "yeah",
                           "yep",          "yup",
                           "sure",         "correct",
                           "that's right", "right",
                           "exactly",      "absolutely",
                           "of course",    "uh-huh",
                           "mm-hmm",       "okay yes that's right",
                           "yes it is",    "i think so",
                           "sounds good",  "that works",
                           "go ahead",     "no problem",
                           "yes please",   "it is",
                           "i do",         "okay",
                           "definitely"}) {
    INFO(text);
    CHECK(extract_yes_no(text) == YesNo::yes);
  }
  for (const char* text :
       {"no", "nope", "nah", "not really", "no it isn't", "uh-uh", "that's not right",
        "that's wrong", "incorrect", "absolutely not", "i don't think so", "never", "not at all",
        "it isn't", "i don't", "not okay", "no, not the ninth, the nineteenth", "not yet"}) {
    INFO(text);
    CHECK(extract_yes_no(text) == YesNo::no);
  }
}

TEST_CASE("extract_yes_no gives nothing when the caller is unsure or says neither",
          "[nlu][slots][yesno]") {
  for (const char* text : {"", "i don't know", "i know", "nothing", "maybe", "i'm not sure",
                           "not sure", "no idea", "the furnace", "right now the heat is off",
                           "good morning", "never mind", "noisy", "knowing"}) {
    INFO(text);
    CHECK_FALSE(extract_yes_no(text).has_value());
  }
}

TEST_CASE("extract_yes_no: the first answer wins unless turned round at once",
          "[nlu][slots][yesno]") {
  // Reassurance after a no is still a no; a negated hazard after a yes is still a yes.
  CHECK(extract_yes_no("no we're fine") == YesNo::no);
  CHECK(extract_yes_no("no we're fine it's just me and my husband") == YesNo::no);
  CHECK(extract_yes_no("no no it doesn't smell like gas or anything we're all fine") == YesNo::no);
  CHECK(extract_yes_no("no that's okay just cancel it") == YesNo::no);
  CHECK(extract_yes_no("yep diagnosis done no gas leak") == YesNo::yes);
  CHECK(extract_yes_no("yes, no problem") == YesNo::yes);
  // Turned round at once, or corrected.
  CHECK(extract_yes_no("yeah no") == YesNo::no);
  CHECK(extract_yes_no("okay no") == YesNo::no);
  CHECK(extract_yes_no("no, wait, yes") == YesNo::yes);
  CHECK(extract_yes_no("no sorry yes") == YesNo::yes);
  CHECK(extract_yes_no("please don't") == YesNo::no);
}

TEST_CASE("extract_scale: the last number in range wins", "[nlu][slots][scale]") {
  CHECK(extract_scale("four-ish") == 4);
  CHECK(extract_scale("fourish") == 4);
  CHECK(extract_scale("4ish") == 4);
  CHECK(extract_scale("dragging today, a two") == 2);
  CHECK(extract_scale("between two and three, say two") == 2);
  CHECK(extract_scale("a four, well, a three really") == 3);
  CHECK(extract_scale("five") == 5);
  CHECK(extract_scale("3") == 3);
  CHECK(extract_scale("i'd say a one") == 1);
  CHECK(extract_scale("two or three") == 3);
  CHECK(extract_scale("not a four, a three") == 3);
  CHECK(extract_scale("a four not a five") == 4);
  CHECK(extract_scale("solid four") == 4);
  CHECK(extract_scale("about a three") == 3);
  CHECK(extract_scale("three, no, four") == 4);
}

TEST_CASE("extract_scale: counts and digit strings are not ratings", "[nlu][slots][scale]") {
  CHECK(extract_scale("about a three two guys are out") == 3);
  CHECK(extract_scale("a four, two techs are out") == 4);
  CHECK_FALSE(extract_scale("it kicks on for like two minutes").has_value());
  CHECK_FALSE(extract_scale("i've got like four years doing installs").has_value());
  CHECK_FALSE(extract_scale("yep gave them three options").has_value());
  CHECK_FALSE(extract_scale("five one two five five five zero one four two").has_value());
  CHECK_FALSE(extract_scale("two six oh one eight").has_value());
}

TEST_CASE("extract_scale ignores the scale itself and numbers out of range",
          "[nlu][slots][scale]") {
  CHECK(extract_scale("a 3 out of 5") == 3);
  CHECK(extract_scale("on a scale of 1 to 5 i'm a 4") == 4);
  CHECK(extract_scale("eight out of ten", 1, 10) == 8);
  CHECK(extract_scale("ten", 1, 10) == 10);
  CHECK(extract_scale("zero", 0, 10) == 0);
  CHECK_FALSE(extract_scale("twenty").has_value());
  CHECK_FALSE(extract_scale("ten").has_value());
  CHECK_FALSE(extract_scale("zero").has_value());
  CHECK_FALSE(extract_scale("the one on the left").has_value());
  CHECK_FALSE(extract_scale("pretty tired").has_value());
  CHECK_FALSE(extract_scale("").has_value());
}

TEST_CASE("extract_choice finds the last choice mentioned", "[nlu][slots][choice]") {
  const std::vector<Choice> equipment = {{"furnace", {"heater", "heat", "heating"}},
                                         {"water heater", {"hot water"}},
                                         {"air conditioner", {"ac", "a c", "cooling"}}};
  CHECK(extract_choice("it's the furnace", equipment) == "furnace");
  CHECK(extract_choice("the heat's out", equipment) == "furnace");
  CHECK(extract_choice("we have no heat", equipment) == "furnace");
  CHECK(extract_choice("no hot water", equipment) == "water heater");
  CHECK(extract_choice("the AC", equipment) == "air conditioner");
  CHECK(extract_choice("the heaters", equipment) == "furnace");
  // The longer phrase at the same place: "water heater" is not the furnace's "heater".
  CHECK(extract_choice("the gas water heater is leaking", equipment) == "water heater");
  // The last mentioned wins; rejected options do not count.
  CHECK(extract_choice("the furnace, no wait, the water heater", equipment) == "water heater");
  CHECK(extract_choice("it's the furnace, not the water heater", equipment) == "furnace");
  CHECK(extract_choice("not the ac, the furnace", equipment) == "furnace");
  CHECK(extract_choice("the ac instead of the furnace", equipment) == "air conditioner");
  // Whole words only.
  CHECK_FALSE(extract_choice("my coach called", equipment).has_value());
  CHECK_FALSE(extract_choice("something else", equipment).has_value());
  CHECK_FALSE(extract_choice("not the ac", equipment).has_value());
  CHECK_FALSE(extract_choice("the furnace", {}).has_value());
}

TEST_CASE("extract_choice: two choices named together are 'both'", "[nlu][slots][choice]") {
  const std::vector<Choice> systems = {
      {"heating", {"furnace", "heater", "the heat", "heating system"}},
      {"cooling", {"ac", "a c", "air conditioner", "air conditioning", "the air"}},
      {"both", {"heating and cooling", "the whole system", "everything", "all of it"}}};
  CHECK(extract_choice("uh both i guess the heating and the ac", systems) == "both");
  CHECK(extract_choice("the heating and the ac", systems) == "both");
  CHECK(extract_choice("the furnace plus the ac", systems) == "both");
  CHECK(extract_choice("both", systems) == "both");
  CHECK(extract_choice("the whole system", systems) == "both");
  CHECK(extract_choice("just the heating", systems) == "heating");
  CHECK(extract_choice("not both just the heating", systems) == "heating");
  CHECK(extract_choice("heating, no, cooling", systems) == "cooling");
  // Without a "both" choice the last one named wins.
  const std::vector<Choice> two = {{"heating", {}}, {"cooling", {}}};
  CHECK(extract_choice("heating and cooling", two) == "cooling");
}

TEST_CASE("extract_digits reads digits spoken one by one or keyed", "[nlu][slots][digits]") {
  CHECK(extract_digits("26018") == "26018");
  CHECK(extract_digits("two six oh one eight") == "26018");
  CHECK(extract_digits("job number two six zero one eight") == "26018");
  CHECK(extract_digits("twenty six oh eighteen") == "26018");
  CHECK(extract_digits("my pin is one two three four", 4) == "1234");
  CHECK(extract_digits("double oh seven") == "007");
  CHECK(extract_digits("job number 26018 for unit 4") == "26018");
  CHECK_FALSE(extract_digits("nothing").has_value());
  CHECK_FALSE(extract_digits("").has_value());
  CHECK_FALSE(extract_digits("one two three", 5).has_value());
}

TEST_CASE("extract_digits: a correction inside the utterance wins", "[nlu][slots][digits]") {
  CHECK(extract_digits("job two six oh eight one, no, two six oh one eight") == "26018");
  CHECK(extract_digits("job two six oh eight one, no, two six oh one eight", 5) == "26018");
  CHECK(extract_digits("two six oh eight one sorry two six oh one eight") == "26018");
  CHECK(extract_digits("it's 26018 not 26081") == "26018");
  CHECK(extract_digits("26081 i mean 26018") == "26018");
  // Two tries without a marker, split where the caller paused.
  CHECK(extract_digits("two six oh eight one, two six oh one eight", 5) == "26018");
  // A marker with no digits after it changes nothing.
  CHECK(extract_digits("two six oh one eight, no wait, that's right") == "26018");
}
