#include <catch2/catch.hpp>

#include <filesystem>

#include "base/xml_escape.hpp"
#include "carrier/twiml.hpp"
#include "support/process.hpp"

using namespace voiceops::carrier;
using voiceops::xml_escape;

TEST_CASE("twiml: every verb, attributes in a fixed order", "[twiml]") {
  TwimlResponse r;
  r.say("Thanks for calling Oak Street Heating.", {.voice = "Polly.Joanna", .language = "en-US"});
  auto& g = r.gather({.input = "speech dtmf",
                      .action = "/twilio/gather?call=1&step=2",
                      .method = "POST",
                      .timeout = 5,
                      .speech_timeout = "auto",
                      .hints = "furnace, AC, water heater",
                      .num_digits = 1,
                      .action_on_empty_result = true,
                      .barge_in = false});
  r.pause(2);
  // The gather reference survives verbs added after it.
  g.say("What is the service address?")
      .pause(1)
      .say("Or press 1 for the office.", {.voice = "alice"});
  r.dial("+15125550101", {.action = "/twilio/dial", .timeout = 20, .caller_id = "+15125550100"});
  r.redirect("/twilio/voice", "POST");
  r.hangup();
  CHECK(r.str() == R"(<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="Polly.Joanna" language="en-US">Thanks for calling Oak Street Heating.</Say>
  <Gather input="speech dtmf" action="/twilio/gather?call=1&amp;step=2" method="POST" timeout="5" speechTimeout="auto" hints="furnace, AC, water heater" numDigits="1" actionOnEmptyResult="true" bargeIn="false">
    <Say>What is the service address?</Say>
    <Pause length="1"/>
    <Say voice="alice">Or press 1 for the office.</Say>
  </Gather>
  <Pause length="2"/>
  <Dial action="/twilio/dial" timeout="20" callerId="+15125550100">
    <Number>+15125550101</Number>
  </Dial>
  <Redirect method="POST">/twilio/voice</Redirect>
  <Hangup/>
</Response>
)");
  CHECK(r.str() == r.str());  // deterministic
}

TEST_CASE("twiml: a number screened before it is put through", "[twiml]") {
  TwimlResponse r;
  r.dial("+15125550150", {.action = "/twilio/dial", .method = "POST", .timeout = 25},
         {.url = "/twilio/screen?destination=oncall_tech&x=1", .method = "POST"});
  CHECK(r.str() == R"(<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Dial action="/twilio/dial" method="POST" timeout="25">
    <Number url="/twilio/screen?destination=oncall_tech&amp;x=1" method="POST">+15125550150</Number>
  </Dial>
</Response>
)");
}

TEST_CASE("twiml: minimal forms", "[twiml]") {
  CHECK(TwimlResponse().str() == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>\n");
  TwimlResponse r;
  r.gather();
  r.redirect("/next");
  r.say("");
  CHECK(r.str() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n  <Gather/>\n"
        "  <Redirect>/next</Redirect>\n  <Say></Say>\n</Response>\n");
}

TEST_CASE("twiml: escaping and characters XML cannot carry", "[twiml]") {
  CHECK(xml_escape("Tom & Jerry's <\"AC\">") == "Tom &amp; Jerry&apos;s &lt;&quot;AC&quot;&gt;");
  CHECK(xml_escape("a\tb\nc\rd\x01"
                   "e\x1f\x7f"
                   "f") == "a\tb\ncdef");
  CHECK(xml_escape("a\tb\nc", true) == "a&#9;b&#10;c");
  CHECK(xml_escape("caf\xc3\xa9 \xf0\x9f\x93\x9e \xe2\x82\xac") ==
        "caf\xc3\xa9 \xf0\x9f\x93\x9e \xe2\x82\xac");
  CHECK(xml_escape("bad\xff\xc3 byte\xc2\x85 \xef\xbf\xbe\xef\xbf\xbf.") == "bad byte .");
  CHECK(xml_escape(std::string("nul\0here", 8)) == "nulhere");

  TwimlResponse r;
  r.say("Say \"hi\" & <bye>\x07", {.voice = "a\"b<c>&'d"});
  r.redirect("/x?a=1&b='2'");
  CHECK(r.str().find("<Say voice=\"a&quot;b&lt;c&gt;&amp;&apos;d\">Say &quot;hi&quot; &amp; "
                     "&lt;bye&gt;</Say>") != std::string::npos);
  CHECK(r.str().find("<Redirect>/x?a=1&amp;b=&apos;2&apos;</Redirect>") != std::string::npos);
}

// The carrier's Python library builds the same responses; both documents must be the same XML
// tree (tags, attributes, text), parsed by Python's own XML parser.
TEST_CASE("twiml: the same tree as the carrier's Python library builds", "[twiml][python]") {
  const char* python = "/usr/bin/python3";
  INFO("needs /usr/bin/python3 with python3-twilio (scripts/setup-debian.sh installs it)");
  REQUIRE(std::filesystem::exists(python));
  TwimlResponse r;
  r.say("Caf\xc3\xa9 & <co> \"quoted\" 'single'", {.voice = "Polly.Joanna", .language = "en-US"});
  auto& g = r.gather({.input = "speech dtmf",
                      .action = "/twilio/gather?a=1&b=2",
                      .method = "POST",
                      .timeout = 4,
                      .speech_timeout = "auto",
                      .hints = "yes, no",
                      .num_digits = 1,
                      .action_on_empty_result = true,
                      .barge_in = true});
  g.say("Press 1.").pause(2);
  r.dial("+15125550101", {.action = "/twilio/dial", .timeout = 20, .caller_id = "+15125550100"},
         {.url = "/twilio/screen?destination=oncall_tech", .method = "POST"});
  r.redirect("/twilio/voice", "POST");
  r.pause(3);
  r.hangup();
  const std::string script = R"PY(
import sys
import xml.etree.ElementTree as ET
from twilio.twiml.voice_response import VoiceResponse
r = VoiceResponse()
r.say("Caf\u00e9 & <co> \"quoted\" 'single'", voice="Polly.Joanna", language="en-US")
g = r.gather(input="speech dtmf", action="/twilio/gather?a=1&b=2", method="POST", timeout=4,
             speech_timeout="auto", hints="yes, no", num_digits=1,
             action_on_empty_result=True, barge_in=True)
g.say("Press 1.")
g.pause(length=2)
d = r.dial(action="/twilio/dial", timeout=20, caller_id="+15125550100")
d.number("+15125550101", url="/twilio/screen?destination=oncall_tech", method="POST")
r.redirect("/twilio/voice", method="POST")
r.pause(length=3)
r.hangup()
def canon(e):
    text = e.text or ""
    return (e.tag, sorted(e.attrib.items()), text if len(e) == 0 else text.strip(),
            [canon(c) for c in e])
ours = canon(ET.fromstring(sys.stdin.buffer.read()))
theirs = canon(ET.fromstring(str(r).encode("utf-8")))
if ours != theirs:
    print("ours:  ", ours)
    print("theirs:", theirs)
    sys.exit(1)
)PY";
  const auto result = voiceops::testing::run_process({python, "-c", script}, r.str());
  INFO(result.out << result.err);
  CHECK(result.status == 0);
}
