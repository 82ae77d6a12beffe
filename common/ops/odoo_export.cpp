#include "ops/odoo_export.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "ops/call_record.hpp"

namespace voiceops::ops {
namespace {

using connectors::odoo::Error;
using connectors::odoo::ErrorKind;
using connectors::odoo::Json;

}  // namespace

std::optional<LoadVerdict> read_load_answer(const Json& answer, std::size_t rows) {
  if (!answer.is_object()) return std::nullopt;
  LoadVerdict verdict;
  if (const auto messages = answer.find("messages");
      messages != answer.end() && messages->is_array()) {
    for (const auto& message : *messages) {
      if (!message.is_object()) continue;
      const std::string type = message.value("type", std::string("error"));
      if (type != "error") continue;  // warnings do not stop a load
      std::string text = message.value("message", std::string("refused"));
      if (message.contains("field") && message["field"].is_string())
        text += " (field " + message["field"].get<std::string>() + ")";
      const auto record = message.find("record");
      if (record != message.end() && record->is_number_integer() &&
          record->get<std::int64_t>() >= 0 &&
          static_cast<std::size_t>(record->get<std::int64_t>()) < rows) {
        verdict.refused[static_cast<std::size_t>(record->get<std::int64_t>())] = text;
      } else {
        verdict.unplaced = text;
      }
    }
  }
  if (const auto ids = answer.find("ids"); ids != answer.end() && ids->is_array()) {
    for (const auto& id : *ids)
      verdict.ids.push_back(id.is_number_integer() ? id.get<std::int64_t>() : 0);
  }
  return verdict;
}

std::int64_t backoff_seconds(int attempts, const ExportPolicy& policy, double random01) {
  const double first = static_cast<double>(policy.first_delay.count());
  const double cap = static_cast<double>(policy.max_delay.count());
  const double full = std::min(cap, first * std::pow(2.0, std::max(0, attempts - 1)));
  const double jitter = std::clamp(random01, 0.0, 1.0) * full / 2;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(full - jitter));
}

OdooExporter::OdooExporter(store::Outbox& outbox, connectors::odoo::Client& odoo,
                           ExportPolicy policy, Random random)
    : outbox_(outbox), odoo_(odoo), policy_(policy), random_(std::move(random)) {}

ExportRun OdooExporter::run(std::int64_t now) {
  ExportRun run;
  while (run.batches < policy_.max_batches && send_batch(now, run)) {
  }
  return run;
}

bool OdooExporter::ensure_fields(ExportRun& run) {
  if (fields_) return true;
  ++run.requests;
  auto answer =
      odoo_.call(call_record_model, "fields_get", Json{{"attributes", Json::array({"type"})}});
  if (!answer) {
    run.error = std::move(answer.error());
    return false;
  }
  std::set<std::string, std::less<>> names;
  if (answer->is_object())
    for (const auto& [name, _] : answer->items()) names.insert(name);
  if (!names.contains("x_call_id")) {
    run.error = Error{ErrorKind::not_found,
                      "x_voiceops_call has no field x_call_id in Odoo: run voiceops export odoo "
                      "--setup",
                      {},
                      {},
                      0,
                      false};
    return false;
  }
  fields_ = std::move(names);
  return true;
}

Error OdooExporter::fail_batch(const std::vector<store::OutboxItem>& due, Error error,
                               std::int64_t now, ExportRun& run) {
  std::vector<store::OutboxFailure> failures;
  for (const auto& item : due) {
    const int attempts = item.attempts + 1;
    const bool dead = !connectors::odoo::transient(error) || attempts >= policy_.max_attempts;
    failures.push_back(
        {item.id, error.message, now + backoff_seconds(attempts, policy_, random_()), dead});
    ++(dead ? run.dead : run.failed);
  }
  if (auto recorded = outbox_.record({}, failures, now); !recorded)
    run.store_error = recorded.error();
  return error;
}

bool OdooExporter::send_batch(std::int64_t now, ExportRun& run) {
  auto due = outbox_.due(now, policy_.batch_size);
  if (!due) {
    run.store_error = due.error();
    return false;
  }
  if (due->empty()) return false;
  ++run.batches;
  if (!ensure_fields(run)) {
    fail_batch(*due, *run.error, now, run);
    return false;
  }
  std::vector<std::string> ids;
  for (const auto& item : *due) ids.push_back(item.call_id);
  auto calls = outbox_.calls_for(ids);
  if (!calls) {
    run.store_error = calls.error();
    return false;
  }
  // A row whose call is gone from the store has nothing to send.
  std::vector<store::OutboxItem> sending;
  std::vector<store::OutboxFailure> gone;
  for (const auto& item : *due) {
    const bool found = std::any_of(calls->begin(), calls->end(),
                                   [&](const auto& call) { return call.call.id == item.call_id; });
    if (found) {
      sending.push_back(item);
    } else {
      gone.push_back({item.id, "the call is not in the store", now, true});
      ++run.dead;
    }
  }
  const std::vector<std::string> columns = load_columns(*fields_);
  Json data = Json::array();
  for (const auto& item : sending) {
    for (const auto& call : *calls) {
      if (call.call.id == item.call_id) {
        data.push_back(load_row(call, columns));
        break;
      }
    }
  }
  if (!gone.empty()) {
    if (auto recorded = outbox_.record({}, gone, now); !recorded) {
      run.store_error = recorded.error();
      return false;
    }
  }
  if (sending.empty()) return true;

  ++run.requests;
  auto answer = odoo_.call(call_record_model, "load", Json{{"fields", columns}, {"data", data}});
  // A refusal raised for the whole request names no row: send the rows one by one, so only the
  // one Odoo refuses becomes a dead letter.
  if (!answer && answer.error().kind == ErrorKind::validation && sending.size() > 1)
    return send_one_by_one(sending, columns, data, now, run);
  if (!answer) {
    // Odoo may have lost the model's fields (a reinstall): ask again next time.
    if (answer.error().kind == ErrorKind::validation || answer.error().kind == ErrorKind::not_found)
      fields_.reset();
    run.error = fail_batch(sending, std::move(answer.error()), now, run);
    return false;
  }
  auto verdict = read_load_answer(*answer, sending.size());
  if (!verdict) {
    run.error = fail_batch(
        sending,
        Error{ErrorKind::malformed, "load's answer is not {ids, messages}", {}, {}, 200, true}, now,
        run);
    return false;
  }
  if (verdict->refused.empty() && verdict->unplaced.empty() &&
      verdict->ids.size() == sending.size()) {
    std::vector<store::OutboxSent> sent;
    for (std::size_t i = 0; i < sending.size(); ++i)
      sent.push_back(
          {sending[i].id, verdict->ids[i] > 0 ? std::optional(verdict->ids[i]) : std::nullopt});
    if (auto recorded = outbox_.record(sent, {}, now); !recorded) {
      run.store_error = recorded.error();
      return false;
    }
    run.sent += static_cast<int>(sent.size());
    return true;
  }
  // load is one transaction: nothing went in. Rows Odoo named are dead letters with its message;
  // the others go again in the next batch, uncounted. A refusal naming no row fails them all.
  if (verdict->refused.empty()) {
    run.error = fail_batch(
        sending,
        Error{ErrorKind::validation,
              "Odoo refused the batch: " +
                  (verdict->unplaced.empty() ? std::string("no ids returned") : verdict->unplaced),
              {},
              {},
              200,
              false},
        now, run);
    return false;
  }
  std::vector<store::OutboxFailure> refused;
  for (const auto& [index, message] : verdict->refused) {
    refused.push_back({sending[index].id, "Odoo refused the record: " + message, now, true});
    ++run.dead;
  }
  run.error = Error{ErrorKind::validation, refused.front().error, {}, {}, 200, false};
  if (auto recorded = outbox_.record({}, refused, now); !recorded) {
    run.store_error = recorded.error();
    return false;
  }
  return true;
}

bool OdooExporter::send_one_by_one(const std::vector<store::OutboxItem>& sending,
                                   const std::vector<std::string>& columns, const Json& data,
                                   std::int64_t now, ExportRun& run) {
  for (std::size_t i = 0; i < sending.size(); ++i) {
    ++run.requests;
    auto answer = odoo_.call(call_record_model, "load",
                             Json{{"fields", columns}, {"data", Json::array({data[i]})}});
    std::optional<LoadVerdict> verdict;
    if (answer) verdict = read_load_answer(*answer, 1);
    const bool sent = verdict && verdict->refused.empty() && verdict->unplaced.empty() &&
                      verdict->ids.size() == 1;
    Result<bool, std::string> recorded = true;
    if (sent) {
      recorded = outbox_.record(
          {{sending[i].id, verdict->ids[0] > 0 ? std::optional(verdict->ids[0]) : std::nullopt}},
          {}, now);
      ++run.sent;
    } else if (!answer && answer.error().kind != ErrorKind::validation) {
      // Odoo failed otherwise (down, slow): the rest of the batch waits its turn.
      run.error = fail_batch({sending.begin() + static_cast<std::ptrdiff_t>(i), sending.end()},
                             std::move(answer.error()), now, run);
      return false;
    } else {
      std::string why = !answer                                ? answer.error().message
                        : verdict && !verdict->refused.empty() ? verdict->refused.begin()->second
                        : verdict                              ? verdict->unplaced
                                  : std::string("load's answer is not {ids, messages}");
      run.error =
          Error{ErrorKind::validation, "Odoo refused the record: " + why, {}, {}, 200, false};
      recorded = outbox_.record({}, {{sending[i].id, run.error->message, now, true}}, now);
      ++run.dead;
    }
    if (!recorded) {
      run.store_error = recorded.error();
      return false;
    }
  }
  return true;
}

}  // namespace voiceops::ops
