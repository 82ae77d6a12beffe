#pragma once
// The MessagePack subset a call state is saved in (call_state.cpp): maps, arrays, strings,
// integers and booleans, written and read without a DOM. Internal to the engine.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace voiceops::engine::msgpack {

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

}  // namespace voiceops::engine::msgpack
