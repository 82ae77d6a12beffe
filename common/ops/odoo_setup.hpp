#pragma once
// `voiceops export odoo --setup` and `--check`: make x_voiceops_call in an Odoo database (model,
// fields, access rows, through ir.model, ir.model.fields and ir.model.access; what exists is left
// as it is, so it is safe to run again), and check that the configured user may do everything the
// contracts and the export will ask of Odoo.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "connectors/odoo/odoo_client.hpp"
#include "contract/model.hpp"

namespace voiceops::ops {

struct SetupStep {
  std::string what;    // "field x_call_id (char)"
  std::string result;  // created, present, skipped
  std::string detail;  // why skipped
};

// Creates what is missing; stops at the first error Odoo gives (what was done stays done).
Result<std::vector<SetupStep>, connectors::odoo::Error> set_up_call_model(
    connectors::odoo::Client& odoo);

// A right the Odoo user needs: `operation` (read, create, write) on `model`, and why.
struct NeededRight {
  std::string model, operation, reason;
};

// What the export and the contracts' tool steps need: a step with a [tool_calls] mapping by its
// operation (book: read, create, and unlink to take a booking back; move: read and write; ...),
// one without by its name (call = "odoo.<model>.<operation>").
std::vector<NeededRight> rights_needed(const std::vector<std::string>& tool_names,
                                       const std::vector<contract::ToolCallMapping>& mappings);

struct CheckLine {
  std::string what;
  bool ok = false;
  std::string detail;
};

// Asks Odoo, right by right, and x_voiceops_call's fields; errors that stop every check (an
// unreachable Odoo, a refused key) are returned as such.
Result<std::vector<CheckLine>, connectors::odoo::Error> check_rights(
    connectors::odoo::Client& odoo, const std::vector<NeededRight>& rights);

}  // namespace voiceops::ops
