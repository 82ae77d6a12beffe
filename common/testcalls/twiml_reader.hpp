#pragma once
// Reading TwiML the way the carrier does, for the test-pack runner: the verbs of a <Response>, in
// order. Anything the runner cannot follow is an error that quotes the problem, never a crash.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"

namespace voiceops::testcalls {

struct ReadSay {
  std::string text;
};
struct ReadPause {
  int seconds = 1;
};
struct ReadGather {
  std::string action;
  std::string prompt;  // the text of its <Say> children
  int timeout_s = 5;
};
struct ReadDial {
  std::string number, action;
  std::string screen_url;  // <Number url>: played to the callee once they answer
};
struct ReadRedirect {
  std::string url;
};
struct ReadHangup {};

using ReadVerb = std::variant<ReadSay, ReadPause, ReadGather, ReadDial, ReadRedirect, ReadHangup>;

// Errors: not XML, no <Response>, an unknown verb, a Gather/Redirect without a target, a Dial
// without a number.
Result<std::vector<ReadVerb>, std::string> read_twiml(std::string_view xml);

}  // namespace voiceops::testcalls
