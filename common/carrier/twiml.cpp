#include "carrier/twiml.hpp"

#include "base/xml_writer.hpp"

namespace voiceops::carrier {
namespace {

void write(XmlWriter& w, const TwimlSay& say) {
  w.start("Say");
  w.attribute_if_set("voice", say.options.voice);
  w.attribute_if_set("language", say.options.language);
  w.text(say.text);
}

void write(XmlWriter& w, const TwimlPause& pause) {
  w.start("Pause");
  w.attribute_if_set("length", std::optional<int>(pause.length));
  w.empty();
}

void write(XmlWriter& w, const TwimlGather& gather) {
  const GatherOptions& o = gather.options();
  w.start("Gather");
  w.attribute_if_set("input", o.input);
  w.attribute_if_set("action", o.action);
  w.attribute_if_set("method", o.method);
  w.attribute_if_set("timeout", o.timeout);
  w.attribute_if_set("speechTimeout", o.speech_timeout);
  w.attribute_if_set("hints", o.hints);
  w.attribute_if_set("language", o.language);
  w.attribute_if_set("numDigits", o.num_digits);
  w.attribute_if_set("actionOnEmptyResult", o.action_on_empty_result);
  w.attribute_if_set("bargeIn", o.barge_in);
  if (gather.children().empty()) {
    w.empty();
    return;
  }
  w.children();
  for (const auto& child : gather.children())
    std::visit([&](const auto& c) { write(w, c); }, child);
  w.end();
}

void write(XmlWriter& w, const TwimlDial& dial) {
  const DialOptions& o = dial.options;
  w.start("Dial");
  w.attribute_if_set("action", o.action);
  w.attribute_if_set("method", o.method);
  w.attribute_if_set("timeout", o.timeout);
  w.attribute_if_set("callerId", o.caller_id);
  w.children();
  w.start("Number");
  w.attribute_if_set("url", dial.number_options.url);
  w.attribute_if_set("method", dial.number_options.method);
  w.text(dial.number);
  w.end();
}

void write(XmlWriter& w, const TwimlRedirect& redirect) {
  w.start("Redirect");
  w.attribute_if_set("method", redirect.method);
  w.text(redirect.url);
}

void write(XmlWriter& w, const TwimlHangup&) {
  w.start("Hangup");
  w.empty();
}

}  // namespace

TwimlGather& TwimlGather::say(std::string_view text, const SayOptions& options) {
  children_.emplace_back(TwimlSay{std::string(text), options});
  return *this;
}

TwimlGather& TwimlGather::pause(int length_seconds) {
  children_.emplace_back(TwimlPause{length_seconds});
  return *this;
}

TwimlResponse& TwimlResponse::say(std::string_view text, const SayOptions& options) {
  verbs_.emplace_back(TwimlSay{std::string(text), options});
  return *this;
}

TwimlGather& TwimlResponse::gather(GatherOptions options) {
  return std::get<TwimlGather>(verbs_.emplace_back(TwimlGather(std::move(options))));
}

TwimlResponse& TwimlResponse::dial(std::string_view number, const DialOptions& options,
                                   const NumberOptions& number_options) {
  verbs_.emplace_back(TwimlDial{std::string(number), options, number_options});
  return *this;
}

TwimlResponse& TwimlResponse::redirect(std::string_view url, std::string_view method) {
  verbs_.emplace_back(TwimlRedirect{std::string(url), std::string(method)});
  return *this;
}

TwimlResponse& TwimlResponse::hangup() {
  verbs_.emplace_back(TwimlHangup{});
  return *this;
}

TwimlResponse& TwimlResponse::pause(int length_seconds) {
  verbs_.emplace_back(TwimlPause{length_seconds});
  return *this;
}

std::string TwimlResponse::str() const {
  XmlWriter w;
  w.start("Response");
  if (verbs_.empty()) {
    w.empty();
    return w.take();
  }
  w.children();
  for (const TwimlVerb& verb : verbs_) std::visit([&](const auto& v) { write(w, v); }, verb);
  w.end();
  return w.take();
}

}  // namespace voiceops::carrier
