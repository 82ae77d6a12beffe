#include "carrier/transfer_screen.hpp"

#include "carrier/form.hpp"
#include "carrier/twiml.hpp"

namespace voiceops::carrier {
namespace {

SayOptions say_options(const calls::Voice& voice) {
  return {voice.name, voice.language};
}

std::string with_destination(std::string_view path, std::string_view destination) {
  return std::string(path) + "?destination=" + encode_form_component(destination);
}

}  // namespace

std::string screen_url(std::string_view destination) {
  return with_destination(screen_path, destination);
}

std::string screen_twiml(const calls::TransferScreen& screen, std::string_view destination) {
  TwimlResponse twiml;
  const SayOptions voice = say_options(screen.voice);
  if (!screen.waiting) {
    twiml.say("Sorry, the caller is no longer on the line. Goodbye.", voice);
    twiml.hangup();
    return twiml.str();
  }
  GatherOptions options;
  options.input = "dtmf";
  options.action = with_destination(screen_answer_path, destination);
  options.method = "POST";
  options.timeout = screen_answer_timeout_s;
  options.num_digits = 1;
  twiml.gather(options)
      .say(screen.summary.empty() ? "A caller is waiting for you." : screen.summary, voice)
      .say("Press 1 to take this call.", voice);
  // No key (a voicemail greeting never presses one): the staff leg ends, the caller's transfer
  // counts as not taken.
  twiml.say("No key was pressed. Goodbye.", voice);
  twiml.hangup();
  return twiml.str();
}

std::string screen_answer_twiml(const calls::TransferScreen& screen, bool accept_key) {
  TwimlResponse twiml;
  if (accept_key && screen.waiting) return twiml.str();  // an empty <Response/>: put through
  if (accept_key)
    twiml.say("Sorry, the caller is no longer on the line. Goodbye.", say_options(screen.voice));
  twiml.hangup();
  return twiml.str();
}

std::string screen_failure_twiml(bool accept_key) {
  TwimlResponse twiml;
  if (accept_key) return twiml.str();
  twiml.say("Sorry, this call cannot be put through. Goodbye.");
  twiml.hangup();
  return twiml.str();
}

}  // namespace voiceops::carrier
