#pragma once
// The contract parser's state and readers, shared by parse*.cpp: parse.cpp reads the frame
// (workflow, answers, hours), parse_flow.cpp questions, intents and steps, parse_escalation.cpp the
// escalation table and concepts, parse_policies.cpp destinations, systems, owners, recording,
// rollback, cost, identification, roles and the Odoo map.
#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include "base/input_file.hpp"
#include "base/spelling.hpp"
#include "base/toml_reader.hpp"
#include "contract/parse.hpp"

namespace voiceops::contract {

inline bool is_identifier(std::string_view id, bool allow_dash = false) {
  if (id.empty() || id.size() > 64 || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
  });
}

class ContractParser {
 public:
  ContractParser(const toml::table& root, Diagnostics& diagnostics)
      : root_(root), diagnostics_(diagnostics) {}

  Contract parse(const std::string& file);

 private:
  // Visits each sub-table of a table of named entries ([systems.<id>] and friends).
  template <typename Visit>
  void for_each_entry(TableReader& top, std::string_view key, bool required, Visit visit) {
    const toml::table* entries = top.table(key, required ? Need::required : Need::optional);
    if (!entries) return;
    if (required && entries->empty()) {
      diagnostics_.error("empty-field", location_of(entries->source()),
                         "[" + std::string(key) + "] has no entries",
                         "define at least one [" + std::string(key) + ".<id>] table");
    }
    for (const auto& [name, value] : *entries) {
      const std::string id(name.str());
      if (!is_identifier(id)) {
        diagnostics_.error("bad-identifier", location_of(name.source()),
                           "'" + id + "' is not a valid " + std::string(key) + " id",
                           "ids are lower_snake_case: a letter, then letters, digits or _");
      }
      if (const auto* t = value.as_table()) {
        visit(*t, id);
      } else {
        top.wrong_type(std::string(key) + "." + id, value, "a table",
                       "write it as a [" + std::string(key) + "." + id + "] section");
      }
    }
  }

  Text enum_text(TableReader& r, std::string_view key, Need need,
                 std::initializer_list<std::string_view> allowed, std::string fallback = {});

  Text enum_text(TableReader& r, std::string_view key, Need need,
                 std::span<const std::string_view> allowed, std::string fallback = {});

  // A kind spelled with one of its enum's words; `fallback` when absent or misspelled (reported).
  template <SpelledEnum E>
  Located<E> enum_value(TableReader& r, std::string_view key, Need need, E fallback) {
    std::vector<std::string_view> allowed;
    for (std::string_view word : spellings(E{})) {
      if (!word.empty()) allowed.push_back(word);
    }
    const Text text = enum_text(r, key, need, std::span<const std::string_view>(allowed));
    return {enum_from<E>(text.value).value_or(fallback), text.where};
  }

  Located<Hours> hours_value(TableReader& r, std::string_view key, Hours fallback,
                             bool allow_never);

  void identifier_list(const TextList& list, std::string_view what);

  void parse_workflow(const toml::table& t, Workflow& w);

  void parse_answers(const toml::table& t, Answers& a);

  static std::optional<int> parse_clock(std::string_view text);
  // "HH:MM-HH:MM", start before end: minutes after midnight, for [hours] and booking windows.
  static std::optional<std::pair<int, int>> parse_clock_range(std::string_view text);
  // "monday" ... "sunday", as [hours] and a booking's days name them; Monday is 0.
  static constexpr std::array<std::string_view, 7> day_names = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

  void parse_hours(const toml::table& t, BusinessHours& h);

  Destination parse_destination(const toml::table& t, std::string id);

  void parse_owners(const toml::table& t, Owners& o);

  System parse_system(const toml::table& t, std::string id);

  Question parse_question(const toml::table& t, std::string id);

  Intent parse_intent(const toml::table& t, std::string id);

  Step parse_step(const toml::table& t, std::string id);

  EscalationRow parse_escalation(const toml::table& t);

  // [concepts.<id>] tables, in a contract or a lexicon file (voiceops-contract(5), LEXICON).
 public:
  void parse_concepts(TableReader& top, const std::string& file, std::vector<Concept>& into);

 private:
  void parse_recording(const toml::table& t, Recording& rec);

  void parse_rollback(const toml::table& t, Rollback& rb);

  void parse_cost(const toml::table& t, CostModel& c);

  void parse_identification(const toml::table& t, Identification& id);

  Role parse_role(const toml::table& t, std::string id);

  void parse_odoo(const toml::table& t, OdooMapping& o);

  ToolCallMapping parse_tool_call(const toml::table& t, std::string call);
  void parse_arrival_windows(TableReader& r, const std::string& path, ToolCallMapping& mapping);

  const toml::table& root_;
  Diagnostics& diagnostics_;
};

}  // namespace voiceops::contract
