#pragma once
// Starter contracts for `voiceops contract init`; each one validates as shipped.
#include <string_view>
#include <vector>

namespace voiceops::contract {

struct ContractTemplate {
  std::string_view name;
  std::string_view text;
};

const std::vector<ContractTemplate>& contract_templates();
const ContractTemplate* find_template(std::string_view name);

}  // namespace voiceops::contract
