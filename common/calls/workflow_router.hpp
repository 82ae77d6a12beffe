#pragma once
// Which workflow answers a call: the number called and, for contracts that answer only in or
// out of business hours, the time. One dialogue per loaded workflow.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "contract/directory.hpp"
#include "contract/model.hpp"
#include "engine/dialogue.hpp"

namespace voiceops::calls {

struct Workflow {
  std::shared_ptr<const contract::Contract> contract;
  std::shared_ptr<const contract::Directory> directory;  // Ops line only
};

class WorkflowRouter {
 public:
  explicit WorkflowRouter(std::vector<Workflow> workflows);

  // The workflow answering `to` at `now`: one for those hours first, else one answering always.
  const Workflow* select(const std::string& to, std::chrono::sys_seconds now) const;
  // Any workflow answering `to`, whatever the hours (a call begun under the other hours' one).
  const Workflow* any_for(const std::string& to) const;
  // The workflow a call runs under, by its id; null after a reload dropped it.
  const Workflow* of(const engine::CallState& state) const;
  const engine::Dialogue& dialogue(const Workflow& workflow) const;
  const std::vector<Workflow>& workflows() const { return workflows_; }

 private:
  std::vector<Workflow> workflows_;
  std::vector<std::unique_ptr<engine::Dialogue>> dialogues_;  // one per workflow, same order
};

}  // namespace voiceops::calls
