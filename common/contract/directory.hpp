#pragma once
// The Ops line's staff directory (voiceops-directory(5)): people, their phones and roles, and
// their keypad PINs as salted hashes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/exit_status.hpp"
#include "contract/model.hpp"

namespace voiceops::contract {

struct Person {
  std::string id;
  SourceLocation where;  // the [[person]] header
  Text name, pin_hash;
  TextList phones, roles;
  bool shared_phone = false;
};

struct Directory {
  std::string file;
  std::vector<Person> people;
  const Person* person(std::string_view id) const;
};

struct DirectoryOutcome {
  std::optional<Directory> directory;
  ExitStatus status = ExitStatus::ok;
};

DirectoryOutcome parse_directory(std::string_view text, const std::string& file,
                                 Diagnostics& diagnostics);

// The staff directory an Ops line contract names, read relative to the contract's folder; none
// for a customer workflow or a directory that does not load (validation reports why).
std::optional<Directory> directory_of(const Contract& contract);

// Reads and parses a directory file; read errors become diagnostics too.
DirectoryOutcome load_directory(const std::string& file, Diagnostics& diagnostics);

}  // namespace voiceops::contract
