#pragma once
// What `voiceops testcalls run` writes: the console report, JSON for machines, JUnit XML for CI,
// and the five-call transcript pack (one Markdown file per call) for staff. Everything but the
// JUnit engine-time figures is byte-identical from run to run.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "contract/model.hpp"
#include "testcalls/runner.hpp"

namespace voiceops::testcalls {

struct ReportStyle {
  bool color = false;
  bool coverage = false;  // list which calls hit each escalation row
};

std::string text_report(const std::vector<PackReport>& packs, const ReportStyle& style);
nlohmann::json json_report(const std::vector<PackReport>& packs);
std::string junit_report(const std::vector<PackReport>& packs);
std::string transcript_markdown(const CallReport& call, const contract::Contract& contract);

// "1:02" for 62 seconds.
std::string format_duration(double seconds);

}  // namespace voiceops::testcalls
