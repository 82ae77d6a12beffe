#pragma once
// The lexicon rule group of contract validation: concepts well formed and defined once, and every
// reference to one (escalation rows, intents, question labels) naming a defined concept.
#include "base/diagnostic.hpp"
#include "contract/model.hpp"

namespace voiceops::contract {

void validate_lexicon(const Contract& contract, Diagnostics& diagnostics);

}  // namespace voiceops::contract
