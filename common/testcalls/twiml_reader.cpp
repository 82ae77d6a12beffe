#include "testcalls/twiml_reader.hpp"

#include <pugixml.hpp>

#include <algorithm>

namespace voiceops::testcalls {
namespace {

std::string clip(std::string_view xml) {
  std::string out;
  for (char c : xml.substr(0, 300)) out += (c == '\n' || c == '\r') ? ' ' : c;
  return xml.size() > 300 ? out + "..." : out;
}

int bounded_int(const pugi::xml_attribute& attribute, int fallback, int low, int high) {
  if (!attribute) return fallback;
  return std::clamp(attribute.as_int(fallback), low, high);
}

}  // namespace

Result<std::vector<ReadVerb>, std::string> read_twiml(std::string_view xml) {
  pugi::xml_document document;
  const auto parsed =
      document.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return unexpected(std::string("not XML (") + parsed.description() + " at byte " +
                      std::to_string(parsed.offset) + "): " + clip(xml));
  }
  const pugi::xml_node response = document.child("Response");
  if (!response) return unexpected("no <Response> element: " + clip(xml));
  std::vector<ReadVerb> verbs;
  for (const pugi::xml_node verb : response.children()) {
    if (verb.type() != pugi::node_element) continue;
    const std::string_view name = verb.name();
    if (name == "Say") {
      verbs.push_back(ReadSay{verb.text().get()});
    } else if (name == "Pause") {
      verbs.push_back(ReadPause{bounded_int(verb.attribute("length"), 1, 0, 600)});
    } else if (name == "Gather") {
      ReadGather gather;
      gather.action = verb.attribute("action").value();
      gather.timeout_s = bounded_int(verb.attribute("timeout"), 5, 1, 600);
      for (const pugi::xml_node say : verb.children("Say")) {
        gather.prompt += (gather.prompt.empty() ? "" : " ") + std::string(say.text().get());
      }
      if (gather.action.empty()) return unexpected("<Gather> without an action: " + clip(xml));
      verbs.push_back(std::move(gather));
    } else if (name == "Dial") {
      ReadDial dial;
      const pugi::xml_node number = verb.child("Number");
      dial.number = number ? number.text().get() : verb.text().get();
      dial.screen_url = number.attribute("url").value();
      dial.action = verb.attribute("action").value();
      if (dial.number.empty()) return unexpected("<Dial> without a number: " + clip(xml));
      verbs.push_back(std::move(dial));
    } else if (name == "Redirect") {
      ReadRedirect redirect{verb.text().get()};
      if (redirect.url.empty()) return unexpected("<Redirect> without a URL: " + clip(xml));
      verbs.push_back(std::move(redirect));
    } else if (name == "Hangup") {
      verbs.push_back(ReadHangup{});
    } else {
      return unexpected("unknown verb <" + std::string(name) + ">: " + clip(xml));
    }
  }
  return verbs;
}

}  // namespace voiceops::testcalls
