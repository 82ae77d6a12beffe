#include "base/mask.hpp"

#include <algorithm>

namespace voiceops {

std::string mask_phone(std::string_view number) {
  if (number.size() <= 4) return std::string(number.size(), '*');
  const std::size_t keep_front = std::min<std::size_t>(number.size() - 4, 8);
  std::string out(number.substr(0, keep_front));
  for (std::size_t i = keep_front; i + 2 < number.size(); ++i) out += "\u2022";
  out += number.substr(number.size() - 2);
  return out;
}

}  // namespace voiceops
