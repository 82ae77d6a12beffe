#include "carrier/twiml.hpp"

#include "base/utf8.hpp"

namespace voiceops::carrier {
namespace {

class XmlWriter {
 public:
  void open(std::string_view name, int depth) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += '<';
    out_ += name;
  }
  void attribute(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += xml_escape(value, true);
    out_ += '"';
  }
  void attribute(std::string_view name, const std::optional<int>& value) {
    if (value) attribute(name, std::to_string(*value));
  }
  void attribute(std::string_view name, const std::optional<bool>& value) {
    if (value) attribute(name, std::string_view(*value ? "true" : "false"));
  }
  void end_empty() { out_ += "/>\n"; }
  void end_open_line() { out_ += ">\n"; }
  // Text content inline: <Say ...>text</Say>
  void text_and_close(std::string_view text, std::string_view name) {
    out_ += '>';
    out_ += xml_escape(text);
    close(name, 0);
  }
  void close(std::string_view name, int depth) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  std::string take() { return std::move(out_); }
  std::string& raw() { return out_; }

 private:
  std::string out_;
};

void write(XmlWriter& w, const TwimlSay& say, int depth) {
  w.open("Say", depth);
  w.attribute("voice", say.options.voice);
  w.attribute("language", say.options.language);
  w.text_and_close(say.text, "Say");
}

void write(XmlWriter& w, const TwimlPause& pause, int depth) {
  w.open("Pause", depth);
  w.attribute("length", std::optional<int>(pause.length));
  w.end_empty();
}

void write(XmlWriter& w, const TwimlGather& gather, int depth) {
  const GatherOptions& o = gather.options();
  w.open("Gather", depth);
  w.attribute("input", o.input);
  w.attribute("action", o.action);
  w.attribute("method", o.method);
  w.attribute("timeout", o.timeout);
  w.attribute("speechTimeout", o.speech_timeout);
  w.attribute("hints", o.hints);
  w.attribute("numDigits", o.num_digits);
  w.attribute("actionOnEmptyResult", o.action_on_empty_result);
  w.attribute("bargeIn", o.barge_in);
  if (gather.children().empty()) {
    w.end_empty();
    return;
  }
  w.end_open_line();
  for (const auto& child : gather.children())
    std::visit([&](const auto& c) { write(w, c, depth + 1); }, child);
  w.close("Gather", depth);
}

void write(XmlWriter& w, const TwimlDial& dial, int depth) {
  const DialOptions& o = dial.options;
  w.open("Dial", depth);
  w.attribute("action", o.action);
  w.attribute("method", o.method);
  w.attribute("timeout", o.timeout);
  w.attribute("callerId", o.caller_id);
  w.end_open_line();
  w.open("Number", depth + 1);
  w.text_and_close(dial.number, "Number");
  w.close("Dial", depth);
}

void write(XmlWriter& w, const TwimlRedirect& redirect, int depth) {
  w.open("Redirect", depth);
  w.attribute("method", redirect.method);
  w.text_and_close(redirect.url, "Redirect");
}

void write(XmlWriter& w, const TwimlHangup&, int depth) {
  w.open("Hangup", depth);
  w.end_empty();
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

TwimlResponse& TwimlResponse::dial(std::string_view number, const DialOptions& options) {
  verbs_.emplace_back(TwimlDial{std::string(number), options});
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
  w.raw() = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (verbs_.empty()) {
    w.raw() += "<Response/>\n";
    return w.take();
  }
  w.raw() += "<Response>\n";
  for (const TwimlVerb& verb : verbs_) std::visit([&](const auto& v) { write(w, v, 1); }, verb);
  w.raw() += "</Response>\n";
  return w.take();
}

}  // namespace voiceops::carrier
