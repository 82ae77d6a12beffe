// The one XML writer TwiML and JUnit are written with.
#include <catch2/catch.hpp>

#include "base/xml_writer.hpp"

using voiceops::XmlWriter;

TEST_CASE("xml writer: nesting, indentation, optional attributes, escaping", "[xml]") {
  XmlWriter w;
  w.start("suites");
  w.attribute("name", "a \"b\" & c");
  w.attribute("empty", "");
  w.attribute_if_set("left_out", "");
  w.attribute_if_set("unset", std::optional<int>());
  w.attribute_if_set("count", std::optional<int>(3));
  w.attribute_if_set("flag", std::optional<bool>(false));
  w.children();
  w.start("suite");
  w.children();
  w.start("case");
  w.attribute("message", "line one\nline two");
  w.empty();
  w.start("note");
  w.text("1 < 2 \x01");
  w.end();
  w.end();
  w.end();  // nothing left open: ignored
  CHECK(w.take() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<suites name=\"a &quot;b&quot; &amp; c\" empty=\"\" count=\"3\" flag=\"false\">\n"
        "  <suite>\n"
        "    <case message=\"line one&#10;line two\"/>\n"
        "    <note>1 &lt; 2 </note>\n"
        "  </suite>\n"
        "</suites>\n");
}
