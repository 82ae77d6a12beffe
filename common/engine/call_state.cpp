#include "engine/call_state.hpp"

#include "engine/msgpack.hpp"

#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

namespace voiceops::engine {
namespace {

using msgpack::Packer;
using msgpack::Unpacker;

constexpr int state_format = 1;

}  // namespace

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::identify: return "identify";
    case Phase::identify_pin: return "identify_pin";
    case Phase::choose_intent: return "choose_intent";
    case Phase::ask: return "ask";
    case Phase::confirm: return "confirm";
    case Phase::tool: return "tool";
    case Phase::transfer: return "transfer";
    case Phase::ended: return "ended";
    case Phase::safety_check: return "safety_check";
    case Phase::take_message: return "take_message";
  }
  return "unknown";
}

std::string serialize(const CallState& s) {
  Packer p;
  p.map(43);
  // Keys in bytewise order, as a JSON object keeps them.
  p.key("ah"), p.boolean(s.after_hours);
  p.key("at"), p.integer(s.attempts);
  p.key("cg"), p.array(s.confirm_group.size());
  for (const auto& slot : s.confirm_group) p.str(slot);
  p.key("cl"), p.integer(s.clarifications);
  p.key("cn"), p.array(s.concepts_heard.size());
  for (const auto& concept_id : s.concepts_heard) p.str(concept_id);
  p.key("es"), p.array(s.escalations.size());
  for (int row : s.escalations) p.integer(row);
  p.key("ev"), p.str(s.event);
  p.key("ew"), p.str(s.escalation_words);
  p.key("fp"), p.boolean(s.flags_pending);
  p.key("from"), p.str(s.from);
  p.key("hc"), p.integer(s.held_confidence_milli);
  p.key("hp"), p.integer(s.held_phase);
  p.key("hq"), p.str(s.held_prompt);
  p.key("ht"), p.str(s.held_text);
  p.key("id"), p.str(s.call_id);
  p.key("in"), p.str(s.intent);
  p.key("lp"), p.str(s.last_prompt);
  p.key("lpc"), p.boolean(s.last_prompt_is_confirmation);
  p.key("mg"), p.str(s.message);
  p.key("mp"), p.str(s.message_part);
  p.key("mr"), p.integer(s.message_row);
  p.key("oc"), p.integer(s.outcome ? static_cast<int>(*s.outcome) : -1);
  p.key("oos"), p.str(s.out_of_scope_topic);
  p.key("ph"), p.integer(static_cast<int>(s.phase));
  p.key("pid"), p.str(s.person_id);
  p.key("pn"), p.str(s.person_name);
  p.key("rc"), p.map(s.records.size());
  for (const auto& [model, id] : s.records) p.key(model), p.integer(id);
  p.key("sl"), p.map(s.slots.size());
  for (const auto& [name, slot] : s.slots) {  // std::map: already in bytewise order
    p.key(name);
    p.array(3);
    p.str(slot.value);
    p.boolean(slot.confirmed);
    p.str(slot.asked_at);
  }
  p.key("sr"), p.integer(s.safety_row);
  p.key("st"), p.str(s.step);
  p.key("t0"), p.integer(s.started_at);
  p.key("td"), p.str(s.transfer_destination);
  p.key("tf"), p.array(s.tool_failures.size());
  for (const auto& failure : s.tool_failures) p.str(failure);
  p.key("to"), p.str(s.to);
  p.key("tr"), p.integer(s.transfer_row);
  p.key("ts"), p.str(s.transfer_summary);
  p.key("tu"), p.integer(s.turns);
  p.key("tx"), p.str(s.transfer_result);
  p.key("uc"), p.integer(s.spoken_characters);
  p.key("us"), p.integer(s.speech_requests);
  p.key("v"), p.integer(state_format);
  p.key("wf"), p.str(s.workflow);
  p.key("wt"), p.str(s.last_webhook_token);
  return p.take();
}

// A key of up to four bytes as one integer (longer keys are none of ours: 0).
constexpr std::uint32_t key_code(std::string_view key) {
  if (key.empty() || key.size() > 4) return 0;
  std::uint32_t code = 0;
  for (const char c : key) code = (code << 8) | static_cast<unsigned char>(c);
  return code;
}

Result<CallState, std::string> deserialize(std::string_view blob) {
  // A blob that is not one whole map is not a call state at all.
  Unpacker whole(blob);
  if (!Unpacker(blob).map() || !whole.skip() || !whole.at_end())
    return unexpected(std::string("not a call state"));
  Unpacker in(blob);
  const std::size_t fields = *in.map();
  CallState s;
  std::optional<std::int64_t> version;
  std::string missing;
  // Required fields, in the order of `names`.
  static constexpr std::string_view names[] = {"wf", "id", "from", "to", "t0",  "ah", "ph", "in",
                                               "st", "at", "cl",   "lp", "lpc", "sl", "es", "tr",
                                               "td", "tf", "pid",  "pn", "tu",  "oc", "ev"};
  static constexpr auto name_codes = [] {
    std::array<std::uint32_t, std::size(names)> codes{};
    for (std::size_t i = 0; i < std::size(names); ++i) codes[i] = key_code(names[i]);
    return codes;
  }();
  bool seen[std::size(names)] = {};
  std::optional<std::string> damage;
  auto bad = [&](std::string_view key) {
    if (!damage) damage = "damaged call state: field '" + std::string(key) + "' has the wrong type";
    return false;
  };
  auto read_string = [&](std::string_view key, std::string& into) {
    auto v = in.str();
    if (!v) return bad(key);
    into.assign(v->data(), v->size());
    return true;
  };
  auto read_int = [&](std::string_view key, auto& into) {
    auto v = in.integer();
    if (!v) return bad(key);
    into = static_cast<std::remove_reference_t<decltype(into)>>(*v);
    return true;
  };
  auto read_bool = [&](std::string_view key, bool& into) {
    auto v = in.boolean();
    if (!v) return bad(key);
    into = *v;
    return true;
  };
  int phase = 0, outcome = -1;
  for (std::size_t f = 0; f < fields && !damage; ++f) {
    auto key = in.str();
    if (!key) return unexpected(std::string("damaged call state: a key is not a string"));
    const std::string_view k = *key;
    // Keys are at most four letters: compared as one integer, not as strings.
    const std::uint32_t code = key_code(k);
    for (std::size_t i = 0; i < std::size(names); ++i)
      if (name_codes[i] == code) seen[i] = true;
    bool ok = true;
    switch (code) {
      case key_code("v"): {
        std::int64_t v = 0;
        ok = read_int(k, v);
        version = v;
        break;
      }
      case key_code("wf"): {
        ok = read_string(k, s.workflow);
        break;
      }
      case key_code("id"): {
        ok = read_string(k, s.call_id);
        break;
      }
      case key_code("from"): {
        ok = read_string(k, s.from);
        break;
      }
      case key_code("to"): {
        ok = read_string(k, s.to);
        break;
      }
      case key_code("t0"): {
        ok = read_int(k, s.started_at);
        break;
      }
      case key_code("ah"): {
        ok = read_bool(k, s.after_hours);
        break;
      }
      case key_code("ph"): {
        ok = read_int(k, phase);
        break;
      }
      case key_code("in"): {
        ok = read_string(k, s.intent);
        break;
      }
      case key_code("st"): {
        ok = read_string(k, s.step);
        break;
      }
      case key_code("at"): {
        ok = read_int(k, s.attempts);
        break;
      }
      case key_code("cl"): {
        ok = read_int(k, s.clarifications);
        break;
      }
      case key_code("lp"): {
        ok = read_string(k, s.last_prompt);
        break;
      }
      case key_code("lpc"): {
        ok = read_bool(k, s.last_prompt_is_confirmation);
        break;
      }
      case key_code("sl"): {
        auto n = in.map();
        if (!n) ok = bad(k);
        for (std::size_t i = 0; ok && n && i < *n; ++i) {
          auto name = in.str();
          auto items = in.array();
          if (!name || !items || *items < 2) {
            ok = bad(k);
            break;
          }
          SlotValue slot;
          ok = read_string(k, slot.value) && read_bool(k, slot.confirmed) &&
               (*items < 3 || read_string(k, slot.asked_at));
          for (std::size_t extra = 3; ok && extra < *items; ++extra) ok = in.skip() || bad(k);
          s.slots[std::string(*name)] = std::move(slot);
        }
        break;
      }
      case key_code("rc"): {
        auto n = in.map();
        if (!n) ok = bad(k);
        for (std::size_t i = 0; ok && n && i < *n; ++i) {
          auto model = in.str();
          std::int64_t id = 0;
          ok = (model || bad(k)) && read_int(k, id);
          if (ok) s.records[std::string(*model)] = id;
        }
        break;
      }
      case key_code("es"): {
        auto n = in.array();
        if (!n) ok = bad(k);
        for (std::size_t i = 0; ok && n && i < *n; ++i) {
          int row = 0;
          ok = read_int(k, row);
          s.escalations.push_back(row);
        }
        break;
      }
      case key_code("ew"): {
        ok = read_string(k, s.escalation_words);
        break;
      }
      case key_code("oos"): {
        ok = read_string(k, s.out_of_scope_topic);
        break;
      }
      case key_code("fp"): {
        ok = read_bool(k, s.flags_pending);
        break;
      }
      case key_code("tr"): {
        ok = read_int(k, s.transfer_row);
        break;
      }
      case key_code("td"): {
        ok = read_string(k, s.transfer_destination);
        break;
      }
      case key_code("tf"): {
        auto n = in.array();
        if (!n) ok = bad(k);
        for (std::size_t i = 0; ok && n && i < *n; ++i) {
          std::string failure;
          ok = read_string(k, failure);
          s.tool_failures.push_back(std::move(failure));
        }
        break;
      }
      case key_code("pid"): {
        ok = read_string(k, s.person_id);
        break;
      }
      case key_code("pn"): {
        ok = read_string(k, s.person_name);
        break;
      }
      case key_code("tu"): {
        ok = read_int(k, s.turns);
        break;
      }
      case key_code("oc"): {
        ok = read_int(k, outcome);
        break;
      }
      case key_code("ev"): {
        ok = read_string(k, s.event);
        break;
      }
      case key_code("cg"):
      case key_code("cn"): {
        auto n = in.array();
        if (!n) ok = bad(k);
        auto& list = code == key_code("cg") ? s.confirm_group : s.concepts_heard;
        for (std::size_t i = 0; ok && n && i < *n; ++i) {
          std::string item;
          ok = read_string(k, item);
          list.push_back(std::move(item));
        }
        break;
      }
      case key_code("tx"): {
        ok = read_string(k, s.transfer_result);
        break;
      }
      case key_code("ts"): {
        ok = read_string(k, s.transfer_summary);
        break;
      }
      case key_code("ht"): {
        ok = read_string(k, s.held_text);
        break;
      }
      case key_code("hc"): {
        ok = read_int(k, s.held_confidence_milli);
        break;
      }
      case key_code("hp"): {
        ok = read_int(k, s.held_phase);
        break;
      }
      case key_code("hq"): {
        ok = read_string(k, s.held_prompt);
        break;
      }
      case key_code("mg"): {
        ok = read_string(k, s.message);
        break;
      }
      case key_code("mp"): {
        ok = read_string(k, s.message_part);
        break;
      }
      case key_code("wt"): {
        ok = read_string(k, s.last_webhook_token);
        break;
      }
      case key_code("us"): {
        ok = read_int(k, s.speech_requests);
        break;
      }
      case key_code("uc"): {
        ok = read_int(k, s.spoken_characters);
        break;
      }
      case key_code("mr"): {
        ok = read_int(k, s.message_row);
        break;
      }
      case key_code("sr"): {
        ok = read_int(k, s.safety_row);
        break;
      }
      default: {
        ok = in.skip() || bad(k);  // a field a newer version added
        break;
      }
    }
    if (!ok) break;
  }
  if (version ? *version != state_format : !damage) {
    return unexpected("call state format " + std::to_string(version.value_or(0)) + " is not " +
                      std::to_string(state_format));
  }
  if (damage) return unexpected(*damage);
  for (std::size_t i = 0; i < std::size(names); ++i) {
    if (!seen[i]) return unexpected("damaged call state: no field '" + std::string(names[i]) + "'");
  }
  if (phase < 0 || phase > static_cast<int>(Phase::take_message))
    return unexpected(std::string("bad phase"));
  s.phase = static_cast<Phase>(phase);
  if (outcome > static_cast<int>(Outcome::abandoned)) return unexpected(std::string("bad outcome"));
  if (outcome >= 0) s.outcome = static_cast<Outcome>(outcome);
  return s;
}

}  // namespace voiceops::engine
