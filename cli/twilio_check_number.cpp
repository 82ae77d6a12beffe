// voiceops twilio check-number: whether the carrier account's numbers send their calls to
// voiceopsd as it expects. The numbers are read with the carrier's REST API and compared by
// ops/number_check; this file reads the options and prints.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "cli/terminal.hpp"
#include "connectors/twilio/rest_client.hpp"
#include "contract/validate.hpp"
#include "host/workflow_loader.hpp"
#include "ops/carrier_settings.hpp"
#include "ops/number_check.hpp"

namespace voiceops::cli {
namespace {

using nlohmann::json;
namespace twilio = connectors::twilio;

constexpr std::string_view console_path = "Phone Numbers > Manage > Active numbers > ";

struct CheckNumberOptions {
  std::vector<std::string> numbers;  // none: every number the contracts answer
  std::string format = "text";
};

// One number asked about: checked, or not on the account.
struct NumberReport {
  std::string phone_number;
  ops::NumberExpectation expected;
  std::optional<ops::NumberCheck> check;  // nullopt: not on the account
  bool ok() const { return check && check->ok(); }
};

ExitStatus rest_failed(const twilio::Error& error, const std::string& doing) {
  complain(doing + ": " + error.message, ops::rest_hint(error));
  return ops::rest_exit_status(error);
}

// The fallback TwiML to show beside a number whose fallback URL needs setting, when the
// operator has not said where it is hosted.
const ops::AnsweringWorkflow* twiml_to_host(const NumberReport& report) {
  if (!report.check || !report.expected.fallback_url.empty()) return nullptr;
  const auto& findings = report.check->findings;
  const bool fallback_wrong = std::any_of(findings.begin(), findings.end(), [](const auto& f) {
    return f.setting == "fallback_url" && f.verdict == ops::Verdict::wrong;
  });
  return fallback_wrong ? ops::fallback_workflow(report.expected) : nullptr;
}

std::string status_word(ops::Verdict verdict, const Style& style) {
  switch (verdict) {
    case ops::Verdict::ok: return style.green("ok    ");
    case ops::Verdict::wrong: return style.red("WRONG ");
    case ops::Verdict::advice: return style.yellow("advice");
  }
  return "WRONG ";
}

void print_not_on_account(const NumberReport& report, const std::string& account_sid,
                          const std::vector<std::string>& account_numbers) {
  std::printf("%s: not a number of the account %s\n", report.phone_number.c_str(),
              account_sid.c_str());
  std::printf(
      "  its calls never reach voiceopsd from this account: buy or port it in (console: Phone "
      "Numbers > Manage > Buy a number, or Port & Host), or correct [answers] numbers in the "
      "contract\n");
  if (account_numbers.empty()) {
    std::printf("  the account has no incoming numbers\n");
    return;
  }
  std::string list;
  for (const auto& number : account_numbers) list += (list.empty() ? "" : ", ") + number;
  std::printf("  the account's numbers: %s\n", list.c_str());
}

void print_check(const NumberReport& report, const Style& style) {
  const ops::NumberCheck& check = *report.check;
  const auto wrong = std::count_if(check.findings.begin(), check.findings.end(),
                                   [](const auto& f) { return f.verdict == ops::Verdict::wrong; });
  std::string heading = check.phone_number;
  if (!check.friendly_name.empty() && check.friendly_name != check.phone_number)
    heading += " \"" + check.friendly_name + "\"";
  if (!check.sid.empty()) heading += " (" + check.sid + ")";
  std::printf("%s: %s\n", style.bold(heading).c_str(),
              wrong == 0 ? style.green("sends its calls to voiceopsd").c_str()
                         : style.red(std::to_string(wrong) + " to fix").c_str());
  std::size_t width = 0;
  for (const auto& f : check.findings) width = std::max(width, f.label.size());
  for (const auto& f : check.findings) {
    std::printf("  %-*s  %s  %s\n", static_cast<int>(width), f.label.c_str(),
                status_word(f.verdict, style).c_str(), f.message.c_str());
  }
  std::vector<const ops::Finding*> to_click;
  for (const auto& f : check.findings)
    if (f.verdict != ops::Verdict::ok && !f.console.empty()) to_click.push_back(&f);
  if (!to_click.empty()) {
    std::printf("  In the carrier's console: %s%s > Configure > Voice Configuration:\n",
                std::string(console_path).c_str(), check.phone_number.c_str());
    for (const auto* f : to_click) std::printf("    %s\n", f->console.c_str());
    std::printf("    then \"Save configuration\"\n");
  }
  if (const auto* w = twiml_to_host(report)) {
    std::printf(
        "  The fallback TwiML to host, e.g. as a TwiML Bin (voiceops rollback plan "
        "--fallback-twiml --workflow %s);\n  then set [twilio] fallback_url to its URL:\n",
        w->id.c_str());
    std::string twiml = w->fallback_twiml;
    while (!twiml.empty() && twiml.back() == '\n') twiml.pop_back();
    std::size_t start = 0;
    while (start <= twiml.size()) {
      const std::size_t end = std::min(twiml.find('\n', start), twiml.size());
      std::printf("    %s\n", twiml.substr(start, end - start).c_str());
      start = end + 1;
    }
  }
}

json report_json(const NumberReport& report) {
  json j = {{"phone_number", report.phone_number},
            {"on_account", report.check.has_value()},
            {"ok", report.ok()}};
  json workflows = json::array();
  for (const auto& w : report.expected.workflows)
    workflows.push_back({{"id", w.id}, {"hours", w.hours}, {"forward_to", w.forward_to}});
  j["workflows"] = report.expected.contracts_loaded ? workflows : json();
  if (!report.check) return j;
  j["sid"] = report.check->sid;
  j["friendly_name"] = report.check->friendly_name;
  json findings = json::array();
  for (const auto& f : report.check->findings) {
    findings.push_back({{"setting", f.setting},
                        {"label", f.label},
                        {"status", ops::verdict_name(f.verdict)},
                        {"now", f.now},
                        {"expected", f.expected},
                        {"message", f.message},
                        {"console", f.console}});
  }
  j["findings"] = std::move(findings);
  const auto* w = ops::fallback_workflow(report.expected);
  j["fallback_workflow"] = w ? json(w->id) : json();
  j["fallback_twiml"] = w ? json(w->fallback_twiml) : json();
  return j;
}

// Usage: every NUMBER in E.164, each once.
Result<std::vector<std::string>, ExitStatus> numbers_given(const CheckNumberOptions& options) {
  std::vector<std::string> numbers;
  for (const auto& number : options.numbers) {
    if (!contract::is_e164(number)) {
      complain("'" + number + "' is not an E.164 number",
               "write it as the carrier lists it: + then the country code and number, no "
               "spaces, e.g. +15125550101");
      return unexpected(ExitStatus::usage);
    }
    if (std::find(numbers.begin(), numbers.end(), number) == numbers.end())
      numbers.push_back(number);
  }
  return numbers;
}

ExitStatus run_check_number(const CheckNumberOptions& options, const Context& context) {
  auto numbers = numbers_given(options);
  if (!numbers) return numbers.error();
  auto config = load_cli_config(context);
  if (!config) return config.error();
  const std::string file = config->file.empty() ? std::string("voiceops.toml") : config->file;

  bool configured = true;
  if (config->server.public_url.empty()) {
    complain(file + ": [server] public_url is not set: the URL the carrier must call is not known",
             "set it to voiceopsd's address as the carrier reaches it, e.g. public_url = "
             "\"https://voice.example.com\"; see voiceops.toml(5)");
    configured = false;
  }
  auto settings = ops::twilio_rest_settings(*config, config::process_environment());
  if (!settings) {
    complain(settings.error().message);
    configured = false;
  }
  if (!configured) return ExitStatus::config;

  auto loaded = host::load_workflows(config->contracts.paths);
  if (!loaded) {
    for (const auto& line : loaded.error()) std::fprintf(stderr, "%s\n", line.c_str());
    if (numbers->empty()) {
      complain("the contracts do not load, so the numbers they answer are not known",
               "fix them (voiceops contract validate), or name the numbers: voiceops twilio "
               "check-number +15125550101");
      return ExitStatus::config;
    }
    complain("the contracts do not load; checking the numbers without them");
  }
  const std::vector<calls::Workflow> none;
  const auto& workflows = loaded ? loaded->workflows : none;
  if (numbers->empty()) *numbers = ops::contract_numbers(workflows);
  if (numbers->empty()) {
    complain("the contracts of [contracts] paths answer no number",
             "list the agent's numbers in each contract's [answers] numbers");
    return ExitStatus::config;
  }

  auto client = twilio::RestClient::make(std::move(*settings));
  if (!client) return rest_failed(client.error(), "twilio");

  std::vector<NumberReport> reports;
  for (const auto& number : *numbers) {
    NumberReport report;
    report.phone_number = number;
    report.expected.public_url = config->server.public_url;
    report.expected.fallback_url = config->twilio.fallback_url;
    report.expected.contracts_loaded = loaded.has_value();
    report.expected.workflows = ops::workflows_answering(workflows, number);
    auto found = client->incoming_numbers(number);
    if (!found) return rest_failed(found.error(), "reading " + number + " from the carrier");
    // The carrier's filter matches digits anywhere in the number: keep the exact one.
    for (const auto& incoming : *found) {
      if (incoming.phone_number == number) {
        report.check = ops::check_number(incoming, report.expected);
        break;
      }
    }
    reports.push_back(std::move(report));
  }

  const bool all_ok =
      std::all_of(reports.begin(), reports.end(), [](const auto& r) { return r.ok(); });
  const ExitStatus status = all_ok ? ExitStatus::ok : ExitStatus::check_failed;
  const bool any_missing =
      std::any_of(reports.begin(), reports.end(), [](const auto& r) { return !r.check; });
  std::vector<std::string> account_numbers;
  if (any_missing) {
    auto all = client->incoming_numbers();
    if (!all) return rest_failed(all.error(), "reading the account's numbers from the carrier");
    for (const auto& incoming : *all) account_numbers.push_back(incoming.phone_number);
  }

  if (options.format == "json") {
    json out = {{"account_sid", client->account_sid()},
                {"public_url", config->server.public_url},
                {"ok", all_ok},
                {"status", to_int(status)}};
    out["fallback_url"] =
        config->twilio.fallback_url.empty() ? json() : json(config->twilio.fallback_url);
    out["numbers"] = json::array();
    for (const auto& report : reports) out["numbers"].push_back(report_json(report));
    if (any_missing) out["account_numbers"] = account_numbers;
    std::printf("%s\n", out.dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return status;
  }

  const Style style{color_enabled(stdout, context.no_color)};
  std::printf("Numbers of the account %s against %s\n\n", client->account_sid().c_str(),
              config->server.public_url.c_str());
  for (const auto& report : reports) {
    if (report.check)
      print_check(report, style);
    else
      print_not_on_account(report, client->account_sid(), account_numbers);
    std::printf("\n");
  }
  const auto bad =
      std::count_if(reports.begin(), reports.end(), [](const auto& r) { return !r.ok(); });
  if (bad == 0)
    std::printf("%s\n", style
                            .green(reports.size() == 1 ? "the number is set up"
                                                       : "all " + std::to_string(reports.size()) +
                                                             " numbers are set up")
                            .c_str());
  else
    std::printf("%s\n", style
                            .red(std::to_string(bad) + " of " + std::to_string(reports.size()) +
                                 (reports.size() == 1 ? " number" : " numbers") +
                                 " to fix; run this again after saving")
                            .c_str());
  return status;
}

}  // namespace

void add_twilio_check_number_command(CLI::App& twilio, Context& context) {
  auto options = std::make_shared<CheckNumberOptions>();
  auto* check = twilio.add_subcommand(
      "check-number",
      "Check that the carrier sends the numbers' calls to voiceopsd; exit 1 with what to set");
  check
      ->add_option("NUMBER", options->numbers,
                   "Numbers to check, E.164 (default: every number the contracts answer)")
      ->type_name("NUMBER");
  check->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  check->callback([&context, options] {
    context.action = [&context, options] { return run_check_number(*options, context); };
  });
}

}  // namespace voiceops::cli
