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

// How long the fields x_voiceops_call has are trusted: a --setup run after Helpdesk was
// installed adds x_ticket_id, and the export starts sending it within the hour.
constexpr auto fields_kept_for = std::chrono::hours(1);

std::string text_at(const Json& object, const char* key, std::string fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Error malformed(std::string message) {
  return Error{ErrorKind::malformed, std::move(message), {}, {}, 200, true};
}

}  // namespace

std::optional<LoadVerdict> read_load_answer(const Json& answer, std::size_t rows) {
  if (!answer.is_object()) return std::nullopt;
  LoadVerdict verdict;
  if (const auto messages = answer.find("messages");
      messages != answer.end() && messages->is_array()) {
    for (const auto& message : *messages) {
      if (!message.is_object()) continue;
      if (text_at(message, "type", "error") != "error") continue;  // warnings do not stop a load
      std::string text = text_at(message, "message", "refused");
      if (const std::string field = text_at(message, "field", ""); !field.empty())
        text += " (field " + field + ")";
      const auto record = message.find("record");
      if (record != message.end() && record->is_number_integer() &&
          record->get<std::int64_t>() >= 0 &&
          static_cast<std::uint64_t>(record->get<std::int64_t>()) < rows) {
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

bool all_created(const LoadVerdict& verdict, std::size_t rows) {
  return verdict.refused.empty() && verdict.unplaced.empty() && verdict.ids.size() == rows &&
         std::all_of(verdict.ids.begin(), verdict.ids.end(),
                     [](std::int64_t id) { return id > 0; });
}

std::int64_t backoff_seconds(int attempts, const ExportPolicy& policy, double random01) {
  const double first = static_cast<double>(policy.first_delay.count());
  const double cap = static_cast<double>(policy.max_delay.count());
  const double full = std::min(cap, first * std::pow(2.0, std::clamp(attempts - 1, 0, 62)));
  const double jitter = std::clamp(random01, 0.0, 1.0) * full / 2;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(full - jitter));
}

OdooExporter::OdooExporter(store::Outbox& outbox, connectors::odoo::Client& odoo,
                           ExportPolicy policy, Random random)
    : outbox_(outbox), odoo_(odoo), policy_(policy), random_(std::move(random)) {}

ExportRun OdooExporter::run(std::int64_t now, std::stop_token stop) {
  ExportRun run;
  stop_ = std::move(stop);
  run_now_ = now;
  run_started_ = std::chrono::steady_clock::now();
  while (run.batches < policy_.max_batches && !stop_.stop_requested() && send_batch(run)) {
  }
  return run;
}

bool OdooExporter::ensure_fields(ExportRun& run) {
  const auto now = std::chrono::steady_clock::now();
  if (fields_ && now - fields_at_ < fields_kept_for) return true;
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
  fields_at_ = now;
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

bool OdooExporter::record_sent(const std::vector<store::OutboxItem>& sending,
                               const LoadVerdict& verdict, std::int64_t now, ExportRun& run) {
  std::vector<store::OutboxSent> sent;
  for (std::size_t i = 0; i < sending.size(); ++i) sent.push_back({sending[i].id, verdict.ids[i]});
  if (auto recorded = outbox_.record(sent, {}, now); !recorded) {
    run.store_error = recorded.error();  // the rows stay pending: the next send is an update
    return false;
  }
  run.sent += static_cast<int>(sent.size());
  return true;
}

bool OdooExporter::send_batch(ExportRun& run) {
  const std::int64_t now = clock_now();  // a run of many batches takes a while
  auto due = outbox_.due(now, policy_.batch_size, lease_seconds());
  if (!due) {
    run.store_error = due.error();
    return false;
  }
  if (due->empty()) return false;
  ++run.batches;
  if (!ensure_fields(run)) {
    if (run.error->kind != ErrorKind::not_found) {  // Odoo down: an attempt like any other
      fail_batch(*due, *run.error, now, run);
      return false;
    }
    // x_voiceops_call is not set up yet: the rows wait, their attempts uncounted, so a backlog
    // from before --setup runs never becomes dead letters.
    std::vector<std::int64_t> ids;
    for (const auto& item : *due) ids.push_back(item.id);
    if (auto released = outbox_.release(ids, now + policy_.first_delay.count()); !released)
      run.store_error = released.error();
    run.failed += static_cast<int>(ids.size());
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
  const std::vector<std::string> columns = load_columns(*fields_);
  Json data = Json::array();
  for (const auto& item : *due) {
    const auto call = std::find_if(calls->begin(), calls->end(),
                                   [&](const auto& c) { return c.call.id == item.call_id; });
    if (call == calls->end()) {
      gone.push_back({item.id, "the call is not in the store", now, true});
      ++run.dead;
      continue;
    }
    sending.push_back(item);
    data.push_back(load_row(*call, columns));
  }
  if (!gone.empty()) {
    if (auto recorded = outbox_.record({}, gone, now); !recorded) {
      run.store_error = recorded.error();
      return false;
    }
  }
  if (sending.empty()) return true;

  ++run.requests;
  auto answer = odoo_.call(call_record_model, "load", load_arguments(columns, data));
  if (!answer) {
    // Odoo may have lost the model's fields (a reinstall): ask again next time.
    if (answer.error().kind == ErrorKind::validation || answer.error().kind == ErrorKind::not_found)
      fields_.reset();
    // A refusal raised for the whole request names no row: the rows go one by one, so only the
    // one Odoo refuses becomes a dead letter.
    if (answer.error().kind == ErrorKind::validation && sending.size() > 1)
      return send_one_by_one(sending, columns, data, now, run);
    run.error = fail_batch(sending, std::move(answer.error()), now, run);
    return false;
  }
  const auto verdict = read_load_answer(*answer, sending.size());
  if (verdict && all_created(*verdict, sending.size()))
    return record_sent(sending, *verdict, now, run);
  // load is one transaction: nothing went in. A message pinned to rows makes those rows dead
  // letters (the others go again in the next batch, uncounted); one naming no row is narrowed
  // down row by row; an answer that is not load's is Odoo (or a proxy) misbehaving: try later.
  if (!verdict || (verdict->refused.empty() && verdict->unplaced.empty())) {
    run.error = fail_batch(sending,
                           malformed("load's answer is not {ids, messages} with an id "
                                     "per call"),
                           now, run);
    return false;
  }
  if (verdict->refused.empty()) {
    if (sending.size() > 1) return send_one_by_one(sending, columns, data, now, run);
    run.error = fail_batch(sending,
                           Error{ErrorKind::validation,
                                 "Odoo refused the record: " + verdict->unplaced,
                                 {},
                                 {},
                                 200,
                                 false},
                           now, run);
    return false;
  }
  std::vector<store::OutboxFailure> refused;
  std::vector<std::int64_t> blameless;
  for (std::size_t i = 0; i < sending.size(); ++i) {
    const auto message = verdict->refused.find(i);
    if (message == verdict->refused.end()) {
      blameless.push_back(sending[i].id);
      continue;
    }
    refused.push_back({sending[i].id, "Odoo refused the record: " + message->second, now, true});
    ++run.dead;
  }
  run.error = Error{ErrorKind::validation, refused.front().error, {}, {}, 200, false};
  auto recorded = outbox_.record({}, refused, now);
  if (recorded) recorded = outbox_.release(blameless, now);
  if (!recorded) {
    run.store_error = recorded.error();
    return false;
  }
  return true;
}

bool OdooExporter::send_one_by_one(const std::vector<store::OutboxItem>& sending,
                                   const std::vector<std::string>& columns, const Json& data,
                                   std::int64_t now, ExportRun& run) {
  for (std::size_t i = 0; i < sending.size(); ++i) {
    const std::vector<store::OutboxItem> one = {sending[i]};
    if (stop_.stop_requested()) return false;  // the rest stays due, leased for a moment
    // Each row's lease is renewed before its own request: a batch narrowed row by row takes
    // longer than the one lease taken for it.
    if (auto held = outbox_.release({sending[i].id}, clock_now() + lease_seconds()); !held) {
      run.store_error = held.error();
      return false;
    }
    ++run.requests;
    auto answer =
        odoo_.call(call_record_model, "load", load_arguments(columns, Json::array({data[i]})));
    std::optional<LoadVerdict> verdict;
    if (answer) verdict = read_load_answer(*answer, 1);
    if (verdict && all_created(*verdict, 1)) {
      if (!record_sent(one, *verdict, now, run)) return false;
      continue;
    }
    const bool refused = answer
                             ? verdict && (!verdict->refused.empty() || !verdict->unplaced.empty())
                             : answer.error().kind == ErrorKind::validation;
    if (!refused) {
      // Odoo failed otherwise (down, slow, not answering as Odoo): the rest waits its turn.
      Error error = answer ? malformed("load's answer is not {ids, messages} with an id")
                           : std::move(answer.error());
      run.error = fail_batch({sending.begin() + static_cast<std::ptrdiff_t>(i), sending.end()},
                             std::move(error), now, run);
      return false;
    }
    std::string why = !answer                     ? answer.error().message
                      : !verdict->refused.empty() ? verdict->refused.begin()->second
                                                  : verdict->unplaced;
    run.error = Error{ErrorKind::validation, "Odoo refused the record: " + why, {}, {}, 200, false};
    if (auto recorded = outbox_.record({}, {{sending[i].id, run.error->message, now, true}}, now);
        !recorded) {
      run.store_error = recorded.error();
      return false;
    }
    ++run.dead;
  }
  return true;
}

std::int64_t OdooExporter::clock_now() const {
  return run_now_ + std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::steady_clock::now() - run_started_)
                        .count();
}

std::int64_t OdooExporter::lease_seconds() const {
  // Long enough for a batch to be sent and answered; a process killed mid-send frees its rows
  // this soon after.
  return std::max<std::int64_t>(5, 2 * odoo_.settings().http.total_timeout.count() / 1000 + 1);
}

}  // namespace voiceops::ops
