#pragma once
// Live tool calls to Odoo: a contract's [tool_calls] entry (voiceops-contract(5)) carried out
// for one call, within the step's time. `create` makes one record per call and call name
// through `load` with the external ID voiceops.call_<CallSid>_<call>, so a retry after a timeout
// or a dropped connection updates what the first attempt made; `find` reads one record by a
// domain; `outbox` leaves the call's own record to the export. Templates take the call's answers
// and facts, and {partner_id}: the res.partner with the caller's number, looked up once per call.
// Thread-safe: each call borrows a client of its own from a pool, so slow Odoo answers to one
// call never wait behind another's.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/odoo/odoo_client.hpp"
#include "contract/model.hpp"
#include "engine/call_state.hpp"
#include "engine/events.hpp"

namespace voiceops::ops {

// The text of `text` with each {name} replaced by `lookup(name)`.
std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& lookup);

class OdooTools {
 public:
  // At most `max_waiting` calls wait on Odoo at once; another fails at once (its on_error path),
  // so a hanging Odoo cannot take every thread that answers webhooks, safety calls' included.
  OdooTools(connectors::odoo::Settings settings, int max_waiting);

  // Carries out `mapping` for `call` within `budget` (connecting included).
  engine::ToolResult run(const contract::ToolCallMapping& mapping, const engine::CallState& call,
                         const std::string& summary, std::chrono::milliseconds budget);

 private:
  using Client = connectors::odoo::Client;
  struct Lease;  // a client borrowed from the pool, given back when done
  Lease borrow();
  void give_back(std::unique_ptr<Client> client);

  engine::ToolResult create(Client& odoo, const contract::ToolCallMapping& mapping,
                            const engine::CallState& call, const std::string& summary,
                            std::chrono::steady_clock::time_point deadline);
  engine::ToolResult find(Client& odoo, const contract::ToolCallMapping& mapping,
                          const engine::CallState& call, const std::string& summary,
                          std::chrono::steady_clock::time_point deadline);
  // The call's values for templates; looks the caller's partner up when a template names it.
  std::function<std::string(std::string_view)> values_of(
      Client& odoo, const engine::CallState& call, const std::string& summary,
      std::chrono::steady_clock::time_point deadline, std::vector<engine::ToolRecord>& found);
  std::optional<std::int64_t> partner_of(Client& odoo, const engine::CallState& call,
                                         std::chrono::steady_clock::time_point deadline);
  // The fields `model` has, and which of them are many-to-one (asked once per model; nullopt
  // when Odoo would not say, and asked again next time).
  struct Fields {
    std::vector<std::string> names, many2one;
    bool has(std::string_view name) const;
  };
  std::optional<Fields> fields_of(Client& odoo, const std::string& model,
                                  std::chrono::steady_clock::time_point deadline);

  connectors::odoo::Settings settings_;
  const int max_waiting_;
  std::mutex mutex_;  // guards waiting_, idle_, fields_ and partners_
  int waiting_ = 0;
  std::vector<std::unique_ptr<Client>> idle_;
  std::map<std::string, Fields> fields_;                         // by model
  std::map<std::string, std::optional<std::int64_t>> partners_;  // call id -> partner
};

}  // namespace voiceops::ops
