#pragma once
// Cross-reference and policy checks of a parsed contract (voiceops-contract(5), VALIDATION).
#include <filesystem>

#include "base/carrier_ids.hpp"
#include "base/diagnostic.hpp"
#include "contract/model.hpp"

namespace voiceops::contract {

struct ValidateOptions {
  // Where IANA time zone files live; $TZDIR or /usr/share/zoneinfo by default.
  std::filesystem::path zoneinfo_dir;
};

// Adds every finding to `diagnostics`. Files the contract refers to (the Ops line's staff
// directory) are read relative to the contract's folder and reported under their own name.
void validate(const Contract& contract, Diagnostics& diagnostics,
              const ValidateOptions& options = {});

// Estimated length of one call through `intent` along its longest acyclic successful path.
struct CallLengthEstimate {
  int words = 0;
  int answer_seconds = 0;
  double seconds() const { return words * 60.0 / 150.0 + answer_seconds; }
  bool reaches_success = false;
};
CallLengthEstimate estimate_call_length(const Contract& contract, const Intent& intent);

using voiceops::is_e164;  // base/carrier_ids.hpp
bool promises_immediate_contact(std::string_view promise);

}  // namespace voiceops::contract
