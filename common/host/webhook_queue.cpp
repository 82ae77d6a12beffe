// Webhooks on their way through the DaemonCore: one call's webhooks one at a time, the turn
// prepared, handed to the store's writer, and answered only once committed (or with the human
// fallback when it could not be); status callbacks the store could not take, kept and replayed.
#include "host/daemon_core.hpp"

#include <fmt/format.h>

#include "calls/scripted_tools.hpp"
#include "carrier/form.hpp"
#include "host/core_helpers.hpp"
#include "host/live_systems.hpp"

namespace voiceops::host {

void DaemonCore::handle_webhook(carrier::HttpRequest request, Respond respond) {
  auto form = carrier::decode_form(request.body);  // once: the handler is given it too
  std::string call_id;
  if (form) {
    if (const std::string* sid = carrier::find_param(*form, "CallSid")) call_id = *sid;
  }
  if (!call_id.empty()) {
    std::lock_guard lock(busy_calls_mutex_);
    auto [waiting, first] = busy_calls_.try_emplace(call_id);
    if (!first) {
      waiting->second.push_back([this, request = std::move(request), respond = std::move(respond),
                                 form = std::move(form), call_id]() mutable {
        run_webhook(std::move(request), form, std::move(respond), call_id);
      });
      return;
    }
  }
  run_webhook(std::move(request), form, std::move(respond), call_id);
}

// Prepares the answer (engine, tool calls) here, then hands the turn to the store's writer; the
// answer goes out from the writer's thread once the turn is committed. Whatever fails, the
// caller gets an answer and the call's next webhook is let through.
void DaemonCore::run_webhook(carrier::HttpRequest request, const WebhookForm& form, Respond respond,
                             const std::string& call_id) {
  const auto began = std::chrono::steady_clock::now();
  std::shared_ptr<carrier::Webhooks> webhooks = webhooks_.load();
  Answer answer;
  std::vector<calls::StoreWrite> writes;
  try {
    if (form && carrier::find_param(*form, carrier::scripted_integrations_param)) {
      answer.headers.push_back({"X-Voiceops-Scripted-Integrations",
                                config_.testing.scripted_integrations ? "honoured" : "ignored"});
    }
    carrier::Prepared prepared = webhooks->prepare(request, form);
    answer.response = std::move(prepared.response);
    writes = std::move(prepared.writes);
    if (answer.response.status >= 500) {
      writes.clear();
      answer.response = webhooks->fallback_answer(request, calls::FallbackReason::internal_error,
                                                  "a 5xx from the handler");
    }
  } catch (const std::exception& e) {
    writes.clear();
    try {
      log_.error(
          fmt::format("call {}: {} failed: {}", short_id(call_id), request.path(), e.what()));
      answer.response = webhooks->fallback_answer(request, calls::FallbackReason::internal_error,
                                                  "an exception (logged above)");
    } catch (...) {
      answer.response = static_apology();
    }
  } catch (...) {
    writes.clear();
    answer.response = static_apology();
  }
  // Shared, so the answer still goes out if handing the writes to the store fails.
  auto send = std::make_shared<std::function<void(Answer)>>(
      [this, respond = std::move(respond), call_id, began,
       endpoint = std::string(request.path())](Answer answer) mutable {
        try {
          metrics_.webhook(endpoint, answer.response.status,
                           std::chrono::steady_clock::now() - began);
          respond(std::move(answer));
        } catch (...) {
          // Out of memory: the connection times out, but the call's next webhooks must not wait
          // behind this one forever.
        }
        call_answered(call_id);
      });
  if (writes.empty()) return (*send)(std::move(answer));
  const bool status_callback = request.path() == "/twilio/status";
  try {
    auto params = std::make_shared<carrier::FormParams>(form ? *form : carrier::FormParams{});
    auto pending = std::make_shared<Answer>(std::move(answer));
    store_->commit(std::move(writes), [this, webhooks, send, pending, params, status_callback](
                                          std::vector<calls::StoreWrite> committed,
                                          std::vector<calls::WriteResult> results) {
      std::string failure;
      for (const auto& result : results)
        if (!result && failure.empty()) failure = result.error();
      try {
        if (failure.empty()) {
          webhooks->committed(committed, results);
          return (*send)(std::move(*pending));
        }
        // Every answer follows its commit: a turn that is not in the store is not answered as
        // if it were, nor told to staff. What did go in is told; what did not is counted.
        std::vector<calls::StoreWrite> kept, done;
        std::vector<calls::WriteResult> done_results;
        for (std::size_t i = 0; i < committed.size() && i < results.size(); ++i) {
          if (results[i]) {
            done.push_back(std::move(committed[i]));
            done_results.push_back(results[i]);
          } else {
            const std::string id = calls::call_id_of(committed[i]);
            if (const auto* turn = std::get_if<calls::TurnRecord>(&committed[i])) {
              // Staff are still told of a turn that was not kept (a safety page above all):
              // a possible emergency is never dropped. A status callback's are told on replay.
              if (!status_callback) {
                for (const engine::Notify& notice : turn->notices)
                  messages_->notify(turn->state, notice, /*kept=*/false);
              }
            }
            on_event(
                {calls::Observation::Kind::store_error, id, std::string(), results[i].error()});
            kept.push_back(std::move(committed[i]));
          }
        }
        if (!done.empty()) webhooks->committed(done, done_results);
        if (status_callback) {
          // The carrier is told to retry; meanwhile the writes that failed are kept, and their
          // staff notices go out when they are written.
          keep_for_replay(std::move(kept));
          Answer retry;
          retry.response = text_response(503, "the store is not writable; retry\n");
          retry.headers.push_back({"Retry-After", "5"});
          return (*send)(std::move(retry));
        }
        Answer fallback;
        fallback.response =
            webhooks->fallback_answer(*params, calls::FallbackReason::store_error, failure);
        return (*send)(std::move(fallback));
      } catch (...) {
        Answer apology;
        apology.response = static_apology();
        return (*send)(std::move(apology));
      }
    });
  } catch (...) {
    // Out of memory queueing the turn: nothing was committed, so no normal answer either.
    Answer apology;
    apology.response = static_apology();
    (*send)(std::move(apology));
  }
}

void DaemonCore::keep_for_replay(std::vector<calls::StoreWrite> writes) {
  std::lock_guard lock(kept_mutex_);
  if (kept_.size() >= max_kept) {
    log_.error(fmt::format("{} status callbacks are waiting for the store; dropping the oldest",
                           kept_.size()));
    kept_.erase(kept_.begin());
  }
  kept_.push_back(std::move(writes));
  // The store may have healed between the failure and now: then nothing would replay these.
  if (store_->health().writable()) replay_kept_later();
}

// Replays on the next webhook thread rather than inside the writer's callback that kept them.
void DaemonCore::replay_kept_later() {
  if (post_) {
    post_([this] { replay_kept(); });
  } else {
    replay_kept();
  }
}

// Writes kept while the store was faulted go in once it takes writes again; any that fail
// again are kept again. A repeated status (the carrier retried meanwhile) changes nothing.
void DaemonCore::replay_kept() {
  std::vector<std::vector<calls::StoreWrite>> kept;
  {
    std::lock_guard lock(kept_mutex_);
    kept.swap(kept_);
  }
  if (kept.empty()) return;
  log_.notice(
      fmt::format("writing {} status callback(s) kept while the store was faulted", kept.size()));
  std::shared_ptr<carrier::Webhooks> webhooks = webhooks_.load();
  for (auto& writes : kept) {
    store_->commit(std::move(writes), [this, webhooks](std::vector<calls::StoreWrite> committed,
                                                       std::vector<calls::WriteResult> results) {
      std::vector<calls::StoreWrite> again, done;
      std::vector<calls::WriteResult> done_results;
      for (std::size_t i = 0; i < committed.size() && i < results.size(); ++i) {
        if (results[i]) {
          done.push_back(std::move(committed[i]));
          done_results.push_back(results[i]);
        } else {
          again.push_back(std::move(committed[i]));
        }
      }
      try {
        if (!done.empty()) webhooks->committed(done, done_results);
      } catch (...) {
      }
      if (!again.empty()) {
        std::lock_guard lock(kept_mutex_);
        kept_.push_back(std::move(again));  // a later heal, or the next sweep, tries again
      }
    });
  }
}

void DaemonCore::drop_waiting() {
  std::lock_guard lock(busy_calls_mutex_);
  busy_calls_.clear();
}

// The call's webhook was answered: the next one waiting for this call, if any, runs now.
void DaemonCore::call_answered(const std::string& call_id) {
  if (call_id.empty()) return;
  std::function<void()> next;
  {
    std::lock_guard lock(busy_calls_mutex_);
    auto waiting = busy_calls_.find(call_id);
    if (waiting == busy_calls_.end()) return;
    if (waiting->second.empty()) {
      busy_calls_.erase(waiting);
      return;
    }
    next = std::move(waiting->second.front());
    waiting->second.erase(waiting->second.begin());
  }
  if (post_) {
    post_(std::move(next));
  } else {
    next();
  }
}
}  // namespace voiceops::host
