#pragma once
// Contract file → Contract model. Structural problems (syntax, unknown keys, types, missing or
// empty required keys, bad enum values) are reported here; cross-references are checked by
// validate().
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"
#include "contract/model.hpp"

namespace voiceops::contract {

struct ParseOutcome {
  std::optional<Contract> contract;    // present unless the file could not be read as a contract
  ExitStatus status = ExitStatus::ok;  // data_error etc. when the file is unusable as input
  // The file is an Ops line staff directory ([[person]] rows, no [workflow]), not a contract.
  bool is_staff_directory = false;
};

// Parses contract text already read from `file`.
ParseOutcome parse_contract(std::string_view text, const std::string& file,
                            Diagnostics& diagnostics);

// A lexicon file (voiceops-contract(5), LEXICON): schema_version, a description and
// [concepts.<id>] tables. Nothing when it cannot be read as one.
std::optional<std::vector<Concept>> parse_lexicon(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics);

}  // namespace voiceops::contract
