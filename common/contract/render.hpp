#pragma once
// `voiceops contract show`: the contract as readable tables, Markdown, or JSON.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "contract/model.hpp"

namespace voiceops::contract {

enum class ShowFormat { text, markdown, json };

std::string render_contract(const Contract& contract, ShowFormat format, bool color);
nlohmann::json contract_to_json(const Contract& contract);

}  // namespace voiceops::contract
