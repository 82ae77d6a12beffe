#pragma once
// TwiML, the XML the carrier reads to know what to do with a call. A small builder for the verbs
// voiceops uses; output is deterministic (attributes in a fixed order, only those set) and
// escaped, with characters XML cannot carry removed.
//
//   TwimlResponse r;
//   r.say("Thanks for calling.", {.voice = "Polly.Joanna", .language = "en-US"});
//   auto& g = r.gather({.input = "speech dtmf", .action = "/twilio/gather", .timeout = 5});
//   g.say("What is your address?");
//   r.redirect("/twilio/voice");
//   std::string xml = r.str();
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace voiceops::carrier {

struct SayOptions {
  std::string voice;     // e.g. "Polly.Joanna"; empty: not set
  std::string language;  // e.g. "en-US"; empty: not set
};

struct GatherOptions {
  std::string input;   // "dtmf", "speech" or "speech dtmf"; empty: the carrier's default (dtmf)
  std::string action;  // callback URL
  std::string method;  // "POST" or "GET"
  std::optional<int> timeout;     // seconds of silence before giving up (carrier default 5)
  std::string speech_timeout;     // "auto" or seconds
  std::string hints;              // comma-separated words and phrases
  std::string language;           // what speech is recognised as, e.g. "es-MX"; empty: en-US
  std::optional<int> num_digits;  // keypad digits to wait for
  std::optional<bool> action_on_empty_result;  // call back on silence too
  std::optional<bool> barge_in;                // stop the prompt when the caller speaks
};

struct DialOptions {
  std::string action;          // callback URL with the transfer result
  std::string method;          // "POST" or "GET"
  std::optional<int> timeout;  // seconds to let the number ring
  std::string caller_id;       // E.164 number shown to the callee
};

// The <Number> a <Dial> rings.
struct NumberOptions {
  // TwiML the carrier fetches when the callee answers and plays to them alone, before the two
  // are connected (call screening); empty: connected at once.
  std::string url;
  std::string method;  // for `url`: "POST" or "GET"
};

struct TwimlSay {
  std::string text;
  SayOptions options;
};
struct TwimlPause {
  int length = 1;  // seconds
};

// A <Gather>: what it says or waits for while listening.
class TwimlGather {
 public:
  explicit TwimlGather(GatherOptions options) : options_(std::move(options)) {}
  TwimlGather& say(std::string_view text, const SayOptions& options = {});
  TwimlGather& pause(int length_seconds = 1);

  const GatherOptions& options() const { return options_; }
  const std::vector<std::variant<TwimlSay, TwimlPause>>& children() const { return children_; }

 private:
  GatherOptions options_;
  std::vector<std::variant<TwimlSay, TwimlPause>> children_;
};

struct TwimlDial {
  std::string number;
  DialOptions options;
  NumberOptions number_options;
};
struct TwimlRedirect {
  std::string url;
  std::string method;
};
struct TwimlHangup {};

using TwimlVerb =
    std::variant<TwimlSay, TwimlGather, TwimlDial, TwimlRedirect, TwimlHangup, TwimlPause>;

class TwimlResponse {
 public:
  TwimlResponse& say(std::string_view text, const SayOptions& options = {});
  // The returned reference stays valid while the response lives, whatever is added after it.
  TwimlGather& gather(GatherOptions options = {});
  TwimlResponse& dial(std::string_view number, const DialOptions& options = {},
                      const NumberOptions& number_options = {});
  TwimlResponse& redirect(std::string_view url, std::string_view method = {});
  TwimlResponse& hangup();
  TwimlResponse& pause(int length_seconds = 1);

  const std::deque<TwimlVerb>& verbs() const { return verbs_; }

  // `<?xml version="1.0" encoding="UTF-8"?>` and the <Response>, on one line each.
  std::string str() const;

 private:
  std::deque<TwimlVerb> verbs_;  // a deque: references to its elements survive push_back
};

}  // namespace voiceops::carrier
