#include "contract/check.hpp"

#include <filesystem>

#include "base/input_file.hpp"
#include "contract/directory.hpp"
#include "contract/parse.hpp"

namespace voiceops::contract {
namespace {

// Reads the lexicon files a contract names, relative to its folder, and adds their concepts.
// Their own problems are reported against their own files.
void load_lexicons(Contract& contract, const std::string& file, Diagnostics& diagnostics) {
  const std::filesystem::path folder = std::filesystem::path(file).parent_path();
  for (const Text& name : contract.lexicon_files) {
    const std::filesystem::path path = std::filesystem::path(name.value).is_absolute()
                                           ? std::filesystem::path(name.value)
                                           : folder / name.value;
    auto text = read_input_file(path.string());
    if (!text) {
      diagnostics.error(
          "lexicon-file", name.where,
          "cannot read the lexicon file '" + name.value + "': " + text.error().message,
          "lexicon_files are paths relative to the contract's folder");
      continue;
    }
    Diagnostics own(path.string());
    auto concepts = parse_lexicon(*text, path.string(), own);
    for (const Diagnostic& d : own.all()) diagnostics.add(d);
    if (!concepts) continue;
    for (Concept& c : *concepts) contract.concepts.push_back(std::move(c));
  }
}

}  // namespace

CheckedContract check_contract_text(std::string_view text, const std::string& file, bool strict,
                                    const ValidateOptions& options) {
  CheckedContract result{std::nullopt, Diagnostics(file), ExitStatus::ok};
  ParseOutcome parsed = parse_contract(text, file, result.diagnostics);
  if (parsed.is_staff_directory) {
    result.is_staff_directory = true;
    DirectoryOutcome directory = parse_directory(text, file, result.diagnostics);
    const bool failed = !directory.directory || (strict && result.diagnostics.warning_count() > 0);
    result.status = directory.status != ExitStatus::ok ? directory.status
                    : failed                           ? ExitStatus::check_failed
                                                       : ExitStatus::ok;
  } else if (parsed.status != ExitStatus::ok) {
    result.status = parsed.status;
  } else {
    load_lexicons(*parsed.contract, file, result.diagnostics);
    validate(*parsed.contract, result.diagnostics, options);
    const bool failed =
        result.diagnostics.has_errors() || (strict && result.diagnostics.warning_count() > 0);
    result.status = failed ? ExitStatus::check_failed : ExitStatus::ok;
    result.contract = std::move(parsed.contract);
  }
  result.diagnostics.sort();
  return result;
}

CheckedContract check_contract_file(const std::string& file, bool strict,
                                    const ValidateOptions& options) {
  auto text = read_input_file(file);
  if (!text) {
    CheckedContract result{std::nullopt, Diagnostics(file), text.error().status};
    const InputError& e = text.error();
    result.diagnostics.error(e.rule, e.where, e.message, e.hint);
    return result;
  }
  return check_contract_text(*text, file, strict, options);
}

}  // namespace voiceops::contract
