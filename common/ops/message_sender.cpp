#include "ops/message_sender.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "base/mask.hpp"
#include "base/utf8.hpp"

namespace voiceops::ops {
namespace {

using store::MessageFate;
using store::MessageItem;
using store::MessageOutcome;

// The carrier's limit on a text's body.
constexpr std::size_t max_text_chars = 1600;

}  // namespace

const connectors::twilio::Message* earlier_attempt(
    const std::vector<connectors::twilio::Message>& sent, const std::string& body,
    std::int64_t since) {
  for (const auto& message : sent) {
    if (message.body == body && message.status != "failed" && message.status != "undelivered" &&
        message.created_unix && *message.created_unix >= since - 60)
      return &message;
  }
  return nullptr;
}

std::int64_t message_backoff(int attempts, const MessagePolicy& policy, double random01,
                             std::optional<int> retry_after) {
  const double first = static_cast<double>(std::max<std::int64_t>(1, policy.first_delay.count()));
  const double most = static_cast<double>(std::max(policy.first_delay, policy.max_delay).count());
  const double full = std::min(most, first * std::pow(2.0, std::clamp(attempts - 1, 0, 30)));
  const auto wait = static_cast<std::int64_t>(std::ceil(full / 2 + full / 2 * random01));
  return std::max<std::int64_t>({1, wait, retry_after.value_or(0)});
}

store::NewMessage alert_message(const MessageItem& item, const std::string& error,
                                const std::vector<std::string>& alerts_to) {
  store::NewMessage alert;
  alert.call_id = item.call_id;
  alert.turn = item.id;  // about this message: a second failure of it is a second alert
  alert.purpose = "alert";
  alert.kind = "email";
  alert.destination = "alerts";
  alert.address = fmt::format("{}", fmt::join(alerts_to, ", "));
  alert.subject = "voiceops alert: a message to " +
                  (item.destination.empty() ? item.kind : item.destination) + " was not delivered";
  alert.body = alert_text(item, error);
  return alert;
}

std::string alert_text(const MessageItem& item, const std::string& error) {
  const std::string what = item.purpose == "page"     ? "An in-call text page"
                           : item.purpose == "notice" ? "A message for staff"
                                                      : "An alert";
  const std::string to = store::sent_as_text(item.kind) ? mask_phone(item.address) : item.address;
  std::string text = fmt::format("{} to {} ({}) was not delivered: {}.", what,
                                 item.destination.empty() ? item.kind : item.destination, to,
                                 mask_numbers_in(error));
  if (!item.call_id.empty()) text += fmt::format("\nCall: {}.", item.call_id);
  // The body is staff's summary, whose callback number staff need: the alert goes to staff too.
  text += "\nWhat it said: " + item.body;
  text +=
      "\nSomeone must pass this on now. See `voiceops messages list --state dead` and "
      "`voiceops messages retry`.";
  return text;
}

MessageSender::MessageSender(store::MessageQueue& queue, TextGateway* texts, MailGateway* mail,
                             MessageRouting routing, MessagePolicy policy, Random random)
    : queue_(queue),
      texts_(texts),
      mail_(mail),
      routing_(std::move(routing)),
      policy_(policy),
      random_(std::move(random)) {}

MessageRun MessageSender::run(std::int64_t now, std::stop_token stop) {
  MessageRun run;
  const auto started = std::chrono::steady_clock::now();
  for (; run.rounds < policy_.max_rounds && !stop.stop_requested(); ++run.rounds) {
    const std::int64_t round_now = now + std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::steady_clock::now() - started)
                                             .count();
    auto due = queue_.due_messages(round_now, policy_.batch, policy_.lease.count());
    if (!due) {
      run.store_error = due.error();
      return run;
    }
    if (due->empty()) break;
    std::vector<MessageOutcome> handed_back;
    for (const MessageItem& item : *due) {
      if (stop.stop_requested()) {
        // Handed back untried: due again at once for the next run.
        MessageOutcome back{.id = item.id, .fate = MessageFate::retry};
        back.next_attempt_at = round_now;
        back.uncertain = item.uncertain;
        back.counts_attempt = false;
        handed_back.push_back(back);
        continue;
      }
      // Each outcome is written as soon as it is known: the carrier's delivery report for a
      // text may come back within a second, and must find the text's id in the store.
      const MessageOutcome outcome = store::sent_as_text(item.kind)
                                         ? send_text(item, round_now, run)
                                         : send_mail(item, round_now, run);
      if (auto recorded = queue_.record_messages({outcome}, round_now); !recorded) {
        run.store_error = recorded.error();
        return run;  // the rest stay claimed, and uncertain: looked for when next due
      }
      raise_alerts({item}, {outcome}, round_now, run);
    }
    if (!handed_back.empty()) {
      if (auto recorded = queue_.record_messages(handed_back, round_now); !recorded)
        run.store_error = recorded.error();
      return run;
    }
    if (static_cast<int>(due->size()) < policy_.batch) {
      ++run.rounds;
      break;
    }
  }
  return run;
}

MessageOutcome MessageSender::send_unkept(const MessageItem& item, std::int64_t now,
                                          MessageRun& run) {
  return store::sent_as_text(item.kind) ? send_text(item, now, run) : send_mail(item, now, run);
}

MessageOutcome MessageSender::retry_or_die(const MessageItem& item, MessageOutcome outcome,
                                           std::optional<int> retry_after, std::int64_t now) {
  const int attempts = item.attempts + 1;
  if (attempts >= policy_.max_attempts) {
    outcome.fate = MessageFate::dead;
    outcome.error = fmt::format("gave up after {} attempts: {}", attempts, outcome.error);
    return outcome;
  }
  outcome.fate = MessageFate::retry;
  outcome.next_attempt_at = now + message_backoff(attempts, policy_, random_(), retry_after);
  return outcome;
}

MessageOutcome MessageSender::send_text(const MessageItem& item, std::int64_t now,
                                        MessageRun& run) {
  namespace twilio = connectors::twilio;
  MessageOutcome outcome{.id = item.id, .channel = "sms", .recipient = item.address};
  outcome.uncertain = item.uncertain;
  if (!texts_) {
    outcome.fate = MessageFate::unrouted;
    outcome.error = "texts are not set up: [twilio] account_sid is not configured";
    ++run.unrouted;
    ++run.texts_unrouted;
    return outcome;
  }
  if (item.suppressed) {
    outcome.fate = MessageFate::suppressed;
    outcome.error = "the recipient opted out of texts (21610); an operator must clear it";
    ++run.texts_suppressed;
    return outcome;
  }
  const std::string body(utf8_first_chars(item.body, max_text_chars));
  // The last attempt may have sent it: look before sending again.
  if (item.uncertain) {
    auto sent = texts_->sent_to(item.address, item.created_at);
    if (!sent) {
      outcome.error = "looking for an earlier attempt: " + sent.error().message;
      run.last_error = outcome.error;
      ++run.retried;
      return retry_or_die(item, outcome, sent.error().retry_after_s, now);
    }
    if (const twilio::Message* same = earlier_attempt(*sent, body, item.created_at)) {
      outcome.fate = MessageFate::sent;
      outcome.remote_id = same->sid;
      outcome.uncertain = false;
      ++run.texts_sent;
      ++run.found_sent;
      return outcome;
    }
  }
  twilio::OutgoingSms sms;
  sms.to = item.address;
  sms.body = body;
  sms.messaging_service_sid = routing_.messaging_service_sid;
  sms.from = routing_.sms_from.empty() ? item.sender : routing_.sms_from;
  sms.status_callback = routing_.status_callback;
  if (sms.messaging_service_sid.empty() && sms.from.empty()) {
    outcome.fate = MessageFate::dead;
    outcome.error = "no number to text from: set [twilio] sms_from or messaging_service_sid";
    ++run.texts_failed;
    ++run.dead;
    return outcome;
  }
  auto sent = texts_->send(sms);
  if (sent) {
    outcome.fate = MessageFate::sent;
    outcome.remote_id = sent->sid;
    outcome.uncertain = false;
    ++run.texts_sent;
    return outcome;
  }
  const twilio::Error& error = sent.error();
  outcome.error = error.message;
  outcome.code = error.code;
  run.last_error = error.message;
  outcome.uncertain = item.uncertain || error.ambiguous;
  if (error.kind == twilio::ErrorKind::rejected) {
    outcome.fate = MessageFate::dead;
    outcome.suppress_recipient = error.code == twilio::recipient_opted_out;
    ++run.texts_failed;
    ++run.dead;
    return outcome;
  }
  ++run.retried;
  outcome = retry_or_die(item, outcome, error.retry_after_s, now);
  if (outcome.fate == MessageFate::dead) {
    ++run.texts_failed;
    ++run.dead;
  }
  return outcome;
}

MessageOutcome MessageSender::send_mail(const MessageItem& item, std::int64_t now,
                                        MessageRun& run) {
  namespace mailgun = connectors::mailgun;
  const bool alert = item.purpose == "alert";
  const std::vector<std::string>& to = alert ? routing_.alerts_to : routing_.summaries_to;
  MessageOutcome outcome{
      .id = item.id, .channel = "email", .recipient = fmt::format("{}", fmt::join(to, ", "))};
  if (!mail_ || to.empty() || routing_.email_from.empty()) {
    outcome.fate = MessageFate::unrouted;
    outcome.error = !mail_  ? "email is not set up: [email] domain is not configured"
                    : alert ? "no [email] alerts_to to send alerts to"
                            : "no [email] summaries_to to send staff summaries to";
    ++run.unrouted;
    ++run.emails_unrouted;
    return outcome;
  }
  mailgun::Mail mail;
  mail.from = routing_.email_from;
  mail.to = to;
  mail.subject = !item.subject.empty() ? item.subject
                 : alert               ? "voiceops alert: a message was not delivered"
                                       : "voiceops: message for " + item.destination;
  mail.text = item.body;
  mail.reference = std::to_string(item.id);
  auto sent = mail_->send(mail);
  if (sent) {
    outcome.fate = MessageFate::sent;
    outcome.remote_id = *sent;
    ++run.emails_sent;
    return outcome;
  }
  const mailgun::Error& error = sent.error();
  outcome.error = error.message;
  run.last_error = error.message;
  outcome.uncertain = item.uncertain || error.ambiguous;
  if (error.kind == mailgun::ErrorKind::rejected) {
    outcome.fate = MessageFate::dead;
    ++run.emails_failed;
    ++run.dead;
    return outcome;
  }
  ++run.retried;
  outcome = retry_or_die(item, outcome, error.retry_after_s, now);
  if (outcome.fate == MessageFate::dead) {
    ++run.emails_failed;
    ++run.dead;
  }
  return outcome;
}

void MessageSender::raise_alerts(const std::vector<MessageItem>& items,
                                 const std::vector<MessageOutcome>& outcomes, std::int64_t now,
                                 MessageRun& run) {
  for (std::size_t i = 0; i < items.size() && i < outcomes.size(); ++i) {
    const MessageOutcome& outcome = outcomes[i];
    const bool failed = outcome.fate == MessageFate::dead ||
                        outcome.fate == MessageFate::suppressed ||
                        (outcome.fate == MessageFate::unrouted && items[i].purpose != "notice");
    // A staff summary with nowhere to go is not news on every call; a page or an alert is.
    if (!failed && !(outcome.fate == MessageFate::unrouted && store::sent_as_text(items[i].kind)))
      continue;
    run.alerts.push_back({items[i], outcome.error});
    if (items[i].purpose == "alert") continue;  // an alert about an alert would loop
    const store::NewMessage alert = alert_message(items[i], outcome.error, routing_.alerts_to);
    if (auto added = queue_.add_message(alert, now); !added) run.store_error = added.error();
  }
}

}  // namespace voiceops::ops
