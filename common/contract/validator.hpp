#pragma once
// The contract validator's state and rule groups, shared by validate*.cpp: each file holds one
// group of rules (flow graph, escalation, hours and policies, the Ops line); validate.cpp runs
// them.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include "base/spelling.hpp"
#include "base/words.hpp"
#include "contract/directory.hpp"
#include "contract/promises.hpp"
#include "contract/validate.hpp"
#include "contract/validate_lexicon.hpp"

namespace voiceops::contract {

inline constexpr std::array<std::string_view, 5> standard_triggers = {
    "asks_for_person", "safety", "tool_failure", "out_of_scope", "high_value_lead"};

inline constexpr std::array<std::string_view, 12> ops_odoo_fields = {
    "user_id",      "role",        "call_type",         "energy_level",
    "blocker_flag", "primary_kpi", "kpi_action",        "coach_template_used",
    "commitment",   "job_id",      "completion_status", "duration"};

inline constexpr std::array<std::string_view, 12> known_roles = {
    "owner",           "ops_director",   "service_manager",
    "install_manager", "office_manager", "technician",
    "installer",       "dispatch",       "csr",
    "accounting",      "warehouse",      "it"};

// Which parts of the week a setting covers: business hours, after hours, or both.
struct HourSet {
  bool business = false, after = false;
  static HourSet of(Hours hours) {
    switch (hours) {
      case Hours::always: return {true, true};
      case Hours::business_hours: return {true, false};
      case Hours::after_hours: return {false, true};
      case Hours::never: return {false, false};
    }
    return {};
  }
  HourSet operator&(HourSet other) const {
    return {business && other.business, after && other.after};
  }
  bool covers(HourSet other) const {
    return (business || !other.business) && (after || !other.after);
  }
  bool empty() const { return !business && !after; }
};

// Keeps the graph walks (and their recursion) bounded on hostile input.
inline constexpr std::size_t max_steps = 1000;

class Validator {
 public:
  Validator(const Contract& contract, Diagnostics& diagnostics, const ValidateOptions& options)
      : c_(contract), d_(diagnostics), options_(options) {}
  void run();

 private:
  void check_intents();

  template <typename Items>
  static std::vector<std::string> ids_of(const Items& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item.id);
    return ids;
  }
  static std::string suggest(std::string_view word, const std::vector<std::string>& candidates,
                             std::string fallback);
  static std::string suggest(std::string_view word, const TextList& candidates,
                             std::string fallback);
  void check_systems();
  bool touched(std::string_view system) const;
  void check_number(const Text& number, std::string_view what);
  void check_destination_ref(const Text& ref, std::string_view what);
  void check_destinations_and_numbers();

  // the flow graph
  void check_steps();
  void check_step_target(const Step& step);
  // Reports missing or undefined successors; false when the step's way on is broken.
  bool check_successors(const Step& step);
  bool check_branch(const Step& step);
  void check_questions();

  // escalation
  void check_escalation();
  void check_staffing(const EscalationRow& row, const Text& destination_ref, const Text& promise,
                      HourSet applies);

  // the agent's voice (validate_voice.cpp)
  void check_voice();

  // hours, rollback, Odoo
  void check_time_zone();
  void check_rollback();
  void check_odoo();
  void check_tool_calls();
  // How an operation of [tool_calls] uses each group of keys: model, values, domain, and the
  // booking window's keys (day, window, windows, capacity, days).
  enum class KeyUse { never, optional, required };
  struct OperationKeys {
    KeyUse model, values, domain, window;
  };
  static const OperationKeys* keys_of(std::string_view operation);
  void check_operation_keys(const ToolCallMapping& mapping, const std::string& path,
                            const OperationKeys& keys);
  void check_domain_shape(const ToolCallMapping& mapping, const std::string& path);
  void check_text_keys(const ToolCallMapping& mapping, const std::string& path);
  void check_window_keys(
      const ToolCallMapping& mapping, const std::string& path,
      const std::function<void(const Text&, const std::string&)>& check_template);

  // the Ops line
  void check_ops_line();
  void check_directory();

  const Contract& c_;
  Diagnostics& d_;
  const ValidateOptions& options_;
  std::set<std::string> reachable_;
};

}  // namespace voiceops::contract
