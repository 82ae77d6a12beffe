#pragma once
// Live tool calls to Odoo: a contract's [tool_calls] entry (voiceops-contract(5)) carried out
// for one call, within the step's time. `create` makes one record per call and step through
// `load` with the external ID voiceops.call_<CallSid>_<step>, so a retry after a timeout or a
// dropped connection updates what the first attempt made; `find` reads one record by a domain;
// `update` writes to the record the call found. For bookings, `availability` counts the records
// in the caller's arrival window against its capacity, `book` makes one there and `move` moves the
// record found there, each undone when the window turns out full once written (so two callers
// racing for the last place never both get it). `outbox` leaves the call's own record to the
// export. Templates take the call's answers and facts, and {partner_id}: the res.partner with
// the caller's number, looked up once per call.
// Thread-safe: each call borrows a client of its own from a pool, so slow Odoo answers to one
// call never wait behind another's.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "connectors/odoo/odoo_client.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"
#include "ops/call_template.hpp"

namespace voiceops::ops {

class OdooTools {
 public:
  // At most `max_waiting` calls wait on Odoo at once; another fails at once (its on_error path),
  // so a hanging Odoo cannot take every thread that answers webhooks, safety calls' included.
  OdooTools(connectors::odoo::Settings settings, int max_waiting);

  // Carries out `mapping` for `call` within `budget` (connecting included). `hours` are the
  // contract's: a booking's windows are in its time zone, on the days it opens.
  engine::ToolResult run(const contract::ToolCallMapping& mapping,
                         const contract::BusinessHours& hours, const engine::CallState& call,
                         const std::string& summary, std::chrono::milliseconds budget);

 private:
  using Client = connectors::odoo::Client;
  using Clock = std::chrono::steady_clock;
  struct Lease;  // a client borrowed from the pool, given back when done
  Lease borrow();
  void give_back(std::unique_ptr<Client> client);

  // One tool call under way: what it asks, of whom, by when, and what it has made or found.
  struct Job {
    Client& odoo;
    const contract::ToolCallMapping& mapping;
    const contract::BusinessHours& hours;
    const engine::CallState& call;
    const std::string& summary;
    Clock::time_point deadline;
    std::vector<engine::ToolRecord> records;
    // The time to the deadline, never under 1 ms (libcurl reads 0 as no limit at all).
    std::chrono::milliseconds left() const;
    engine::ToolResult ok(std::string detail) const;
    engine::ToolResult failed(std::string detail) const;
    engine::ToolResult failed(const connectors::odoo::Error& error) const;
  };
  // The call's value for a template's {name}; looks the caller's partner up when one names it.
  std::string value_of(Job& job, std::string_view name);
  std::string filled(Job& job, std::string_view text);

  // odoo_tools.cpp: records.
  engine::ToolResult create(Job& job);
  engine::ToolResult find(Job& job);
  engine::ToolResult update(Job& job);
  // odoo_booking.cpp: visits in arrival windows.
  engine::ToolResult availability(Job& job);
  engine::ToolResult book(Job& job);
  engine::ToolResult move(Job& job);

  // The record of the call's own, made through `load` under its external ID with the mapping's
  // values and `extra` columns; its id, or the failure to answer with.
  Result<std::int64_t, engine::ToolResult> load_one(
      Job& job, const std::vector<std::pair<std::string, std::string>>& extra);
  // `values` written to record `id` of the mapping's model, each typed by the model's fields.
  Result<bool, engine::ToolResult> write_one(
      Job& job, std::int64_t id, const std::vector<std::pair<std::string, std::string>>& values);
  // How many records of the mapping's model fill the window from `start` to `stop` (Odoo's UTC
  // datetimes), leaving `left_out` aside (a record that is moving), up to capacity + 1; or the
  // failure to answer with.
  Result<std::int64_t, engine::ToolResult> count_in_window(Job& job, const std::string& start,
                                                           const std::string& stop,
                                                           std::optional<std::int64_t> left_out);
  // The mapping's domain with the call's values in its templates; a template the call has no
  // value for fails (a leaf on an empty value would match everything, or nothing).
  Result<connectors::odoo::Json, engine::ToolResult> domain_of(Job& job);
  // The record of the mapping's model the call found or made earlier, if any.
  std::optional<std::int64_t> held_record(const Job& job) const;

  std::optional<std::int64_t> partner_of(Job& job);
  // The fields `model` has, with their types (asked once per model; nullopt when Odoo would not
  // say, and asked again next time).
  struct Fields {
    std::map<std::string, std::string> types;  // name -> "char", "many2one", ...
    bool has(std::string_view name) const;
    bool is(std::string_view name, std::string_view type) const;
  };
  std::optional<Fields> fields_of(Job& job, const std::string& model);

  connectors::odoo::Settings settings_;
  const int max_waiting_;
  std::mutex mutex_;  // guards waiting_, idle_, fields_ and partners_
  int waiting_ = 0;
  std::vector<std::unique_ptr<Client>> idle_;
  std::map<std::string, Fields> fields_;                         // by model
  std::map<std::string, std::optional<std::int64_t>> partners_;  // call id -> partner
};

}  // namespace voiceops::ops
