#pragma once
// Starter contracts for `voiceops contract init`; each one validates as shipped. A template that
// names lexicon files the project ships (lexicon_files = ["lexicon/hvac.toml"]) is given with the
// lexicon's concepts written into it, so the file `contract init` writes stands alone.
#include <string_view>
#include <vector>

namespace voiceops::contract {

struct ContractTemplate {
  std::string_view name;
  std::string_view text;
};

const std::vector<ContractTemplate>& contract_templates();
const ContractTemplate* find_template(std::string_view name);

// The embedded files as they are (generated from the source tree at build time).
const std::vector<ContractTemplate>& embedded_templates();
const std::vector<ContractTemplate>& embedded_lexicons();

}  // namespace voiceops::contract
