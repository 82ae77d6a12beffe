#pragma once
// `voiceops testcalls new`: a starting five-call pack for a contract, one call of each kind,
// scripted by walking the contract's first intent the way a cooperative caller would.
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "contract/directory.hpp"
#include "contract/model.hpp"

namespace voiceops::testcalls {

struct ScaffoldFile {
  std::string name;  // "pack.toml", "01-happy-path.toml", ...
  std::string text;
};

// `contract_path_from_pack` is how pack.toml names the contract (relative to the pack folder).
// `directory` (Ops line only, may be null) supplies a caller the line recognises.
Result<std::vector<ScaffoldFile>, std::string> scaffold_pack(
    const contract::Contract& contract, const contract::Directory* directory,
    const std::string& contract_path_from_pack);

}  // namespace voiceops::testcalls
