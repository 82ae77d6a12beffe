#include "base/xml_escape.hpp"

#include "base/utf8.hpp"

namespace voiceops {

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      ++i;
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\t': out += attribute ? "&#9;" : "\t"; break;
        case '\n': out += attribute ? "&#10;" : "\n"; break;
        default:
          if (byte >= 0x20 && byte != 0x7F) out += c;  // other control characters: dropped
      }
      continue;
    }
    const Utf8Char decoded = decode_utf8_at(text, i);
    if (decoded.length == 0) {  // not UTF-8: dropped
      ++i;
      continue;
    }
    const bool c1_control = decoded.code_point >= 0x80 && decoded.code_point <= 0x9F;
    if (!c1_control && decoded.code_point != 0xFFFE && decoded.code_point != 0xFFFF)
      out.append(text.substr(i, decoded.length));
    i += decoded.length;
  }
  return out;
}

}  // namespace voiceops
