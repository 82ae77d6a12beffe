#pragma once
// The one XML writer for the documents voiceops writes (TwiML, JUnit): elements indented two
// spaces a level, attributes in the order given, text escaped by xml_escape (so the output is
// always well-formed), a text-only element on one line, an empty one as <name .../>.
//
//   XmlWriter w;                                  <?xml version="1.0" encoding="UTF-8"?>
//   w.start("Response"); w.children();            <Response>
//   w.start("Say"); w.attribute("voice", v);        <Say voice="...">Hello</Say>
//   w.text("Hello");                              </Response>
//   w.end();
//
// (pugixml, which reads TwiML in the test player, writes "<a />" and would change every byte
// of the JUnit files CI tools already parse.)
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace voiceops {

class XmlWriter {
 public:
  XmlWriter();  // begins with the XML declaration

  // Opens `<name` at the current depth; attributes follow, then exactly one of empty(),
  // children() or text().
  void start(std::string_view name);
  void attribute(std::string_view name, std::string_view value);
  // The same, left out when there is no value (an empty text, an unset number or flag).
  void attribute_if_set(std::string_view name, std::string_view value);
  void attribute_if_set(std::string_view name, const char* value) {
    attribute_if_set(name, std::string_view(value));  // not the flag overload a pointer fits
  }
  void attribute_if_set(std::string_view name, const std::optional<int>& value);
  void attribute_if_set(std::string_view name, const std::optional<bool>& value);
  void empty();                      // "/>": the element is complete
  void children();                   // ">": elements follow, then end()
  void text(std::string_view text);  // ">text</name>": the element is complete
  void end();                        // "</name>" of the innermost element opened by children()

  std::string take() { return std::move(out_); }

 private:
  void indent();

  std::string out_;
  std::vector<std::string> open_;  // elements with children, innermost last
  std::string started_;            // the element whose start tag is being written
};

}  // namespace voiceops
