#pragma once
// Callers' and staff phone numbers are never shown or logged in full.
#include <string>
#include <string_view>

namespace voiceops {

// "+15125550161" -> "+1512555••61": enough to tell numbers apart, not enough to dial.
std::string mask_phone(std::string_view number);

// `text` with every run of seven or more digits (with a leading '+', if any) masked as a phone
// number: for messages from other systems that may quote a caller's number back.
std::string mask_numbers_in(std::string_view text);

}  // namespace voiceops
