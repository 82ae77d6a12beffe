#pragma once
// One call that does what `voiceops contract validate` does for one file: read, parse, validate.
#include <optional>
#include <string>

#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"
#include "contract/model.hpp"
#include "contract/validate.hpp"

namespace voiceops::contract {

struct CheckedContract {
  std::optional<Contract> contract;
  Diagnostics diagnostics;
  // ok, check_failed (errors; or warnings when strict), or the input's own failure status.
  ExitStatus status = ExitStatus::ok;
  bool is_staff_directory = false;  // checked as a voiceops-directory(5) file instead
};

CheckedContract check_contract_file(const std::string& file, bool strict,
                                    const ValidateOptions& options = {});
CheckedContract check_contract_text(std::string_view text, const std::string& file, bool strict,
                                    const ValidateOptions& options = {});

}  // namespace voiceops::contract
