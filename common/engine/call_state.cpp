#include "engine/call_state.hpp"

#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>

namespace voiceops::engine {
namespace {

constexpr int state_format = 1;
constexpr int max_nesting = 32;  // for skipping fields a newer version added

// MessagePack written straight from the state, byte for byte what nlohmann::json::to_msgpack
// made of the same fields (saved states stay readable both ways): keys sorted, the smallest
// encoding of every number and length. Twice the state per webhook made the DOM a hot spot.
class Packer {
 public:
  void map(std::size_t n) { header(n, 0x80, 15, 0xde, 0xdf); }
  void array(std::size_t n) { header(n, 0x90, 15, 0xdc, 0xdd); }
  void key(std::string_view text) { str(text); }
  void str(std::string_view text) {
    const std::size_t n = text.size();
    if (n <= 31) {
      byte(0xa0 | n);
    } else if (n <= 0xff) {
      byte(0xd9);
      big_endian(n, 1);
    } else {
      header(n, 0, 0, 0xda, 0xdb);
    }
    out_.append(text);
  }
  void boolean(bool value) { byte(value ? 0xc3 : 0xc2); }
  void integer(std::int64_t value) {
    if (value >= 0) {
      const auto u = static_cast<std::uint64_t>(value);
      if (u < 128) return byte(u);
      if (u <= 0xff) return tagged(0xcc, u, 1);
      if (u <= 0xffff) return tagged(0xcd, u, 2);
      if (u <= 0xffffffff) return tagged(0xce, u, 4);
      return tagged(0xcf, u, 8);
    }
    const auto bits = static_cast<std::uint64_t>(value);
    if (value >= -32) return byte(bits & 0xff);
    if (value >= std::numeric_limits<std::int8_t>::min()) return tagged(0xd0, bits, 1);
    if (value >= std::numeric_limits<std::int16_t>::min()) return tagged(0xd1, bits, 2);
    if (value >= std::numeric_limits<std::int32_t>::min()) return tagged(0xd2, bits, 4);
    tagged(0xd3, bits, 8);
  }
  std::string take() { return std::move(out_); }

 private:
  void byte(std::uint64_t value) { out_ += static_cast<char>(value & 0xff); }
  void big_endian(std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) byte(value >> (8 * i));
  }
  void tagged(std::uint8_t tag, std::uint64_t value, int bytes) {
    byte(tag);
    big_endian(value, bytes);
  }
  // A length: fix form up to `fix_max` (when `fix` is set), else 16 or 32 bits.
  void header(std::size_t n, std::uint8_t fix, std::size_t fix_max, std::uint8_t tag16,
              std::uint8_t tag32) {
    if (fix != 0 && n <= fix_max) return byte(fix | n);
    if (n <= 0xffff) return tagged(tag16, n, 2);
    tagged(tag32, n, 4);
  }

  std::string out_;
};

// Reads what Packer (or nlohmann) wrote; any malformed or truncated input is an error value.
class Unpacker {
 public:
  explicit Unpacker(std::string_view in) : in_(in) {}

  bool at_end() const { return pos_ == in_.size(); }

  std::optional<std::size_t> map() { return header(0x80, 0x8f, 0xde, 0xdf); }
  std::optional<std::size_t> array() { return header(0x90, 0x9f, 0xdc, 0xdd); }

  std::optional<std::string_view> str() {
    const auto tag = peek();
    if (!tag) return std::nullopt;
    std::uint64_t n = 0;
    if (*tag >= 0xa0 && *tag <= 0xbf) {
      ++pos_;
      n = *tag & 0x1f;
    } else if (*tag == 0xd9 || *tag == 0xda || *tag == 0xdb) {
      ++pos_;
      if (!big_endian(*tag == 0xd9 ? 1 : *tag == 0xda ? 2 : 4, n)) return std::nullopt;
    } else {
      return std::nullopt;
    }
    if (n > in_.size() - pos_) return std::nullopt;
    const std::string_view text = in_.substr(pos_, n);
    pos_ += n;
    return text;
  }

  std::optional<bool> boolean() {
    const auto tag = peek();
    if (!tag || (*tag != 0xc2 && *tag != 0xc3)) return std::nullopt;
    ++pos_;
    return *tag == 0xc3;
  }

  std::optional<std::int64_t> integer() {
    const auto tag = peek();
    if (!tag) return std::nullopt;
    const std::uint8_t t = *tag;
    if (t <= 0x7f || t >= 0xe0) {
      ++pos_;
      return static_cast<std::int8_t>(t);
    }
    int bytes = 0;
    bool is_signed = false;
    switch (t) {
      case 0xcc: bytes = 1; break;
      case 0xcd: bytes = 2; break;
      case 0xce: bytes = 4; break;
      case 0xcf: bytes = 8; break;
      case 0xd0: bytes = 1, is_signed = true; break;
      case 0xd1: bytes = 2, is_signed = true; break;
      case 0xd2: bytes = 4, is_signed = true; break;
      case 0xd3: bytes = 8, is_signed = true; break;
      default: return std::nullopt;
    }
    ++pos_;
    std::uint64_t bits = 0;
    if (!big_endian(bytes, bits)) return std::nullopt;
    if (!is_signed) {
      if (bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
      return static_cast<std::int64_t>(bits);
    }
    const int shift = 64 - 8 * bytes;  // sign-extend
    return static_cast<std::int64_t>(bits << shift) >> shift;
  }

  // Skips one value of any kind, for fields this version does not know.
  bool skip(int depth = 0) {
    const auto tag = peek();
    if (!tag || depth > max_nesting) return false;
    const std::uint8_t t = *tag;
    if (t <= 0x7f || t >= 0xe0 || (t >= 0xcc && t <= 0xd3)) return integer().has_value();
    if (t == 0xc0 || t == 0xc2 || t == 0xc3) return ++pos_, true;
    if ((t >= 0xa0 && t <= 0xbf) || (t >= 0xd9 && t <= 0xdb)) return str().has_value();
    if (t == 0xca || t == 0xcb) return advance(1 + (t == 0xca ? 4 : 8));
    if ((t >= 0x90 && t <= 0x9f) || t == 0xdc || t == 0xdd) {
      const auto n = array();
      if (!n) return false;
      for (std::size_t i = 0; i < *n; ++i)
        if (!skip(depth + 1)) return false;
      return true;
    }
    if ((t >= 0x80 && t <= 0x8f) || t == 0xde || t == 0xdf) {
      const auto n = map();
      if (!n) return false;
      for (std::size_t i = 0; i < 2 * *n; ++i)
        if (!skip(depth + 1)) return false;
      return true;
    }
    return false;  // binary and extension types are never written
  }

 private:
  std::optional<std::uint8_t> peek() const {
    if (pos_ >= in_.size()) return std::nullopt;
    return static_cast<std::uint8_t>(in_[pos_]);
  }
  bool advance(std::size_t n) {
    if (n > in_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  bool big_endian(int bytes, std::uint64_t& value) {
    if (static_cast<std::size_t>(bytes) > in_.size() - pos_) return false;
    value = 0;
    for (int i = 0; i < bytes; ++i) value = value << 8 | static_cast<std::uint8_t>(in_[pos_++]);
    return true;
  }
  std::optional<std::size_t> header(std::uint8_t fix_min, std::uint8_t fix_max, std::uint8_t tag16,
                                    std::uint8_t tag32) {
    const auto tag = peek();
    if (!tag) return std::nullopt;
    if (*tag >= fix_min && *tag <= fix_max) {
      ++pos_;
      return *tag & 0x0f;
    }
    if (*tag != tag16 && *tag != tag32) return std::nullopt;
    ++pos_;
    std::uint64_t n = 0;
    if (!big_endian(*tag == tag16 ? 2 : 4, n)) return std::nullopt;
    // Every element takes at least a byte: a count beyond the input is damage, not a reason
    // to reserve memory.
    if (n > in_.size() - pos_) return std::nullopt;
    return static_cast<std::size_t>(n);
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string serialize(const CallState& s) {
  Packer p;
  p.map(38);
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
  p.key("tu"), p.integer(s.turns);
  p.key("tx"), p.str(s.transfer_result);
  p.key("v"), p.integer(state_format);
  p.key("wf"), p.str(s.workflow);
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
