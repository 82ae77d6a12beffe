#include "contract/templates.hpp"

namespace voiceops::contract {

const ContractTemplate* find_template(std::string_view name) {
  for (const ContractTemplate& t : contract_templates()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace voiceops::contract
