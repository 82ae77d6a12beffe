#pragma once
// The message sender's gateways on the real services: texts through the carrier's REST client,
// emails through Mailgun's. Each holds one client, so one gateway per thread.
#include "connectors/mailgun/mail_client.hpp"
#include "connectors/twilio/rest_client.hpp"
#include "ops/message_sender.hpp"

namespace voiceops::ops {

class CarrierTextGateway final : public TextGateway {
 public:
  explicit CarrierTextGateway(connectors::twilio::RestClient client) : client_(std::move(client)) {}
  Result<connectors::twilio::Message, connectors::twilio::Error> send(
      const connectors::twilio::OutgoingSms& sms) override {
    return client_.send_message(sms);
  }
  Result<std::vector<connectors::twilio::Message>, connectors::twilio::Error> sent_to(
      const std::string& to, std::int64_t since) override {
    return client_.find_messages(to, since);
  }

 private:
  connectors::twilio::RestClient client_;
};

class MailgunGateway final : public MailGateway {
 public:
  explicit MailgunGateway(connectors::mailgun::MailClient client) : client_(std::move(client)) {}
  Result<std::string, connectors::mailgun::Error> send(
      const connectors::mailgun::Mail& mail) override {
    return client_.send(mail);
  }

 private:
  connectors::mailgun::MailClient client_;
};

}  // namespace voiceops::ops
