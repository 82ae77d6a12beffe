// voiceops testcalls run|new: five-call test packs.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "contract/check.hpp"
#include "contract/directory.hpp"
#include "testcalls/pack.hpp"
#include "testcalls/report_writers.hpp"
#include "testcalls/runner.hpp"
#include "testcalls/scaffold.hpp"
#include "testcalls/target.hpp"

namespace voiceops::cli {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  std::vector<std::string> packs;
  std::string junit, transcripts, format = "text";
  bool coverage = false;
  std::string target;      // a running voiceopsd, http://host:port; empty: in-process
  std::string public_url;  // what that daemon signs against; default: target
};

void print_diagnostic_list(const std::vector<Diagnostic>& list, const Style& style) {
  for (const Diagnostic& d : list) {
    Diagnostics one(d.file);
    one.add(d);
    print_diagnostics(one, style, stderr);
  }
}

// Everything a loaded pack needs alive while it runs.
struct LoadedPack {
  testcalls::Pack pack;
  contract::CheckedContract contract;
  std::optional<contract::Directory> directory;
};

ExitStatus write_output(const std::string& path, const std::string& text) {
  if (const fs::path parent = fs::path(path).parent_path(); !parent.empty()) {
    std::error_code ignored;
    fs::create_directories(parent, ignored);  // a failure shows in the write below
  }
  auto written = write_file_atomically(path, text, true);
  if (!written) {
    std::fprintf(stderr, "voiceops: %s\n", written.error().message.c_str());
    return written.error().status;
  }
  return ExitStatus::ok;
}

// The daemon --target names, checked before any pack is loaded; nullptr with `status` set when
// the options are unusable or the daemon is unreachable.
std::unique_ptr<testcalls::Target> remote_target(const RunOptions& options, const Context& context,
                                                 ExitStatus& status) {
  auto url = connectors::parse_http_url(options.target);
  if (!url) {
    std::fprintf(stderr, "voiceops: --target %s: %s\n", options.target.c_str(),
                 url.error().message.c_str());
    if (url.error().kind == connectors::UrlErrorKind::unsupported_scheme)
      std::fprintf(stderr,
                   "    hint: give the daemon's public https:// URL, or its own http:// "
                   "listener ([server] listen) with the public URL as --public-url\n");
    status = ExitStatus::usage;
    return nullptr;
  }
  if (url->path != "/") {
    std::fprintf(stderr,
                 "voiceops: --target %s: give the daemon's origin (http[s]://host[:port]), no "
                 "path\n",
                 options.target.c_str());
    status = ExitStatus::usage;
    return nullptr;
  }
  auto token = configured_auth_token(context);
  if (!token) {
    status = ExitStatus::config;
    return nullptr;
  }
  connectors::HttpClient probe(*url,
                               {std::chrono::milliseconds(3000), std::chrono::milliseconds(5000)});
  auto health = probe.send({"GET", "/healthz", {}, {}});
  if (!health) {
    const bool tls = health.error().kind == connectors::HttpErrorKind::tls;
    std::fprintf(stderr, "voiceops: the daemon at %s is unreachable: %s\n", options.target.c_str(),
                 health.error().message.c_str());
    if (tls)
      std::fprintf(stderr,
                   "    hint: the TLS handshake failed: is that port plain http://, or is its "
                   "certificate not signed by a CA this system trusts?\n");
    status = ExitStatus::unavailable;
    return nullptr;
  }
  testcalls::RemoteTargetOptions remote;
  remote.daemon = *url;
  remote.public_url = options.public_url.empty() ? options.target : options.public_url;
  remote.auth_token = std::move(*token);
  return testcalls::remote_target(std::move(remote));
}

ExitStatus run_packs(const RunOptions& options, const Context& context) {
  const Style err_style{color_enabled(stderr, context.no_color)};
  ExitStatus status = ExitStatus::ok;
  if (!options.public_url.empty() && options.target.empty()) {
    std::fprintf(stderr, "voiceops: --public-url needs --target\n");
    return ExitStatus::usage;
  }
  std::unique_ptr<testcalls::Target> target;
  if (!options.target.empty()) {
    target = remote_target(options, context, status);
    if (!target) return status;
  }
  std::vector<std::unique_ptr<LoadedPack>> loaded;
  for (const std::string& folder : options.packs) {
    std::vector<Diagnostic> diagnostics;
    auto outcome = testcalls::load_pack(folder, diagnostics);
    print_diagnostic_list(diagnostics, err_style);
    if (!outcome.pack) {
      status = worst(status, outcome.status);
      continue;
    }
    auto item = std::make_unique<LoadedPack>(
        LoadedPack{std::move(*outcome.pack), {std::nullopt, Diagnostics(""), {}}, {}});
    item->contract = contract::check_contract_file(item->pack.contract, false);
    if (item->contract.status != ExitStatus::ok || !item->contract.contract) {
      print_diagnostics(item->contract.diagnostics, err_style, stderr);
      std::fprintf(stderr,
                   "voiceops: pack %s: its contract %s is not valid; fix the contract first\n",
                   folder.c_str(), item->pack.contract.c_str());
      status = worst(status, item->contract.status == ExitStatus::ok ? ExitStatus::check_failed
                                                                     : item->contract.status);
      continue;
    }
    item->directory = contract::directory_of(*item->contract.contract);
    loaded.push_back(std::move(item));
  }
  if (status != ExitStatus::ok) return status;

  std::vector<testcalls::PackReport> reports;
  for (const auto& item : loaded) {
    const contract::Directory* directory = item->directory ? &*item->directory : nullptr;
    reports.push_back(
        target ? testcalls::run_pack(item->pack, *item->contract.contract, directory, *target)
               : testcalls::run_pack(item->pack, *item->contract.contract, directory));
    if (reports.back().unreachable) break;  // the daemon went away: no point in the rest
  }
  if (options.format == "json") {
    std::printf("%s\n", testcalls::json_report(reports)
                            .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                            .c_str());
  } else {
    const std::string text = testcalls::text_report(
        reports, {color_enabled(stdout, context.no_color), options.coverage});
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  if (!options.junit.empty())
    status = worst(status, write_output(options.junit, testcalls::junit_report(reports)));
  if (!options.transcripts.empty()) {
    for (std::size_t p = 0; p < reports.size(); ++p) {
      const fs::path folder = fs::path(options.transcripts) / reports[p].pack->name;
      std::error_code error;
      fs::create_directories(folder, error);
      if (error) {
        std::fprintf(stderr, "voiceops: cannot create %s: %s\n", folder.c_str(),
                     error.message().c_str());
        return worst(status, ExitStatus::io_error);
      }
      for (const auto& call : reports[p].calls) {
        const auto file = folder / (call.script->name + ".md");
        status =
            worst(status, write_output(file.string(), testcalls::transcript_markdown(
                                                          call, *loaded[p]->contract.contract)));
      }
    }
  }
  for (const auto& report : reports) {
    if (report.unreachable) {
      std::fprintf(stderr, "voiceops: the daemon at %s went away: %s\n", options.target.c_str(),
                   report.unreachable->c_str());
      return worst(status, ExitStatus::unavailable);
    }
  }
  const bool all_passed =
      std::all_of(reports.begin(), reports.end(), [](const auto& r) { return r.passed(); });
  // A smoke test that ran nothing has not passed.
  std::size_t ran = 0, skipped = 0;
  std::optional<std::string> why;
  for (const auto& report : reports) {
    for (const auto& call : report.calls) {
      if (call.skipped()) {
        ++skipped;
        if (!why) why = call.skip_reason;
      } else {
        ++ran;
      }
    }
  }
  if (ran == 0 && skipped > 0) {
    std::fprintf(stderr, "voiceops: every call was skipped (%zu), so nothing was tested: %s\n",
                 skipped, why ? why->c_str() : "no reason given");
    return worst(status, ExitStatus::check_failed);
  }
  return worst(status, all_passed ? ExitStatus::ok : ExitStatus::check_failed);
}

ExitStatus run_new(const std::string& contract_file, const std::string& folder, bool force,
                   const Context& context) {
  auto checked = contract::check_contract_file(contract_file, false);
  if (checked.status != ExitStatus::ok || !checked.contract) {
    print_diagnostics(checked.diagnostics, Style{color_enabled(stderr, context.no_color)}, stderr);
    std::fprintf(stderr, "voiceops: %s is not a valid contract; fix it first\n",
                 contract_file.c_str());
    return checked.status == ExitStatus::ok ? ExitStatus::check_failed : checked.status;
  }
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    std::fprintf(stderr, "voiceops: cannot create %s: %s\n", folder.c_str(),
                 error.message().c_str());
    return ExitStatus::io_error;
  }
  const std::string relative =
      fs::relative(fs::absolute(contract_file), fs::absolute(folder), error).string();
  const std::optional<contract::Directory> directory = contract::directory_of(*checked.contract);
  auto files = testcalls::scaffold_pack(*checked.contract, directory ? &*directory : nullptr,
                                        relative.empty() ? contract_file : relative);
  if (!files) {
    std::fprintf(stderr, "voiceops: %s\n", files.error().c_str());
    return ExitStatus::data_error;
  }
  // Refuse before writing anything, so a refusal never leaves half a pack behind.
  if (!force) {
    for (const auto& file : *files) {
      const fs::path path = fs::path(folder) / file.name;
      if (fs::exists(path, error)) {
        std::fprintf(stderr, "voiceops: '%s' already exists (use --force to replace it)\n",
                     path.c_str());
        return ExitStatus::usage;
      }
    }
  }
  for (const auto& file : *files) {
    const std::string path = (fs::path(folder) / file.name).string();
    auto written = write_file_atomically(path, file.text, force);
    if (!written) {
      std::fprintf(stderr, "voiceops: %s\n", written.error().message.c_str());
      return written.error().status == ExitStatus::check_failed ? ExitStatus::usage
                                                                : written.error().status;
    }
  }
  std::fprintf(
      stderr,
      "voiceops: wrote a five-call pack to %s; edit the scripts, then: voiceops testcalls run %s\n",
      folder.c_str(), folder.c_str());
  return ExitStatus::ok;
}

}  // namespace

void add_testcalls_commands(CLI::App& app, Context& context) {
  auto* testcalls = app.add_subcommand("testcalls", "Run and scaffold five-call test packs");
  testcalls->require_subcommand(1);

  auto options = std::make_shared<RunOptions>();
  auto* run = testcalls->add_subcommand(
      "run", "Play each pack's scripted calls against its contract and check them");
  run->add_option("PACK", options->packs, "Test pack folders")->required()->type_name("DIR");
  run->add_option("--junit", options->junit, "Write JUnit XML to FILE")->type_name("FILE");
  run->add_option("--transcripts", options->transcripts,
                  "Write one Markdown transcript per call under DIR")
      ->type_name("DIR");
  run->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  run->add_flag("--coverage", options->coverage, "List which calls exercised each escalation row");
  run->add_option("--target", options->target,
                  "Send the calls to a running voiceopsd at URL (http:// or https://) instead")
      ->type_name("URL");
  run->add_option("--public-url", options->public_url,
                  "Sign for URL, the daemon's [server] public_url (default: --target)")
      ->type_name("URL");
  run->callback([&context, options] {
    context.action = [&context, options] { return run_packs(*options, context); };
  });

  auto contract_file = std::make_shared<std::string>();
  auto folder = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto* scaffold = testcalls->add_subcommand("new", "Write a five-call pack for a contract to DIR");
  scaffold->add_option("--contract", *contract_file, "The contract the pack tests")
      ->required()
      ->type_name("FILE");
  scaffold->add_option("DIR", *folder, "The pack folder to create")->required()->type_name("DIR");
  scaffold->add_flag("--force", *force, "Replace files that exist");
  scaffold->callback([&context, contract_file, folder, force] {
    context.action = [&context, contract_file, folder, force] {
      return run_new(*contract_file, *folder, *force, context);
    };
  });
}

}  // namespace voiceops::cli
