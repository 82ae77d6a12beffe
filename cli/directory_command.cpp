// voiceops directory list|set-pin: the Ops line's staff directory.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/terminal.hpp"
#include "contract/directory.hpp"
#include "contract/directory_edit.hpp"
#include "crypto/pin_hash.hpp"
#include "base/atomic_file.hpp"
#include "base/input_file.hpp"
#include "base/mask.hpp"
#include "base/text_table.hpp"

namespace voiceops::cli {
namespace {

ExitStatus run_list(const std::string& file, const std::string& format, const Context& context) {
  Diagnostics diagnostics(file);
  contract::DirectoryOutcome outcome = contract::load_directory(file, diagnostics);
  print_diagnostics(diagnostics, Style{color_enabled(stderr, context.no_color)}, stderr);
  if (!outcome.directory) {
    return outcome.status == ExitStatus::ok ? ExitStatus::check_failed : outcome.status;
  }
  if (format == "json") {
    nlohmann::json people = nlohmann::json::array();
    for (const auto& p : outcome.directory->people) {
      nlohmann::json phones = nlohmann::json::array();
      for (const auto& phone : p.phones) phones.push_back(mask_phone(phone.value));
      nlohmann::json roles = nlohmann::json::array();
      for (const auto& role : p.roles) roles.push_back(role.value);
      people.push_back({{"id", p.id},
                        {"name", p.name.value},
                        {"phones", phones},
                        {"roles", roles},
                        {"shared_phone", p.shared_phone},
                        {"pin_set", !p.pin_hash.value.empty()}});
    }
    std::printf("%s\n", nlohmann::json{{"people", people}}
                            .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                            .c_str());
    return ExitStatus::ok;
  }
  TextTable table({"ID", "Name", "Phones", "Roles", "PIN"});
  for (const auto& p : outcome.directory->people) {
    std::string phones, roles;
    for (const auto& phone : p.phones)
      phones += (phones.empty() ? "" : ", ") + mask_phone(phone.value);
    if (p.shared_phone) phones += " (shared)";
    for (const auto& role : p.roles) roles += (roles.empty() ? "" : ", ") + role.value;
    table.add_row(
        {p.id, p.name.value, phones, roles, p.pin_hash.value.empty() ? "not set" : "set"});
  }
  const std::string text = table.render_text(48, color_enabled(stdout, context.no_color));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return ExitStatus::ok;
}

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_line(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The PIN comes from the terminal (twice, unechoed) or one line of standard input; never argv.
std::optional<std::string> read_new_pin() {
  if (!::isatty(STDIN_FILENO)) return read_line(std::cin);
  std::optional<std::string> first, second;
  {
    EchoOff quiet(STDIN_FILENO);
    std::fputs("New PIN (4-8 digits): ", stderr);
    first = read_line(std::cin);
    std::fputs("\nRepeat the PIN: ", stderr);
    second = read_line(std::cin);
    std::fputs("\n", stderr);
  }
  if (!first || !second) return std::nullopt;
  if (*first != *second) {
    std::fputs("voiceops: the two PINs differ; nothing changed\n", stderr);
    return std::string();
  }
  return first;
}

ExitStatus run_set_pin(const std::string& file, const std::string& person_id,
                       const Context& context) {
  Diagnostics diagnostics(file);
  auto text = read_input_file(file);
  if (!text) {
    std::fprintf(stderr, "voiceops: %s\n", text.error().message.c_str());
    return text.error().status;
  }
  contract::DirectoryOutcome outcome = contract::parse_directory(*text, file, diagnostics);
  if (!outcome.directory) {
    print_diagnostics(diagnostics, Style{color_enabled(stderr, context.no_color)}, stderr);
    return outcome.status == ExitStatus::ok ? ExitStatus::data_error : outcome.status;
  }
  if (!outcome.directory->person(person_id)) {
    std::fprintf(stderr, "voiceops: no person with id '%s' in %s (voiceops directory list %s)\n",
                 person_id.c_str(), file.c_str(), file.c_str());
    return ExitStatus::data_error;
  }
  std::optional<std::string> pin = read_new_pin();
  if (!pin) {
    std::fputs("voiceops: no PIN given on standard input\n", stderr);
    return ExitStatus::data_error;
  }
  if (!crypto::is_valid_pin(*pin)) {
    if (!pin->empty()) std::fputs("voiceops: a PIN is 4 to 8 digits; nothing changed\n", stderr);
    return ExitStatus::data_error;
  }
  auto hash = crypto::hash_pin(*pin);
  std::fill(pin->begin(), pin->end(), '\0');
  if (!hash) {
    std::fprintf(stderr, "voiceops: %s\n", hash.error().c_str());
    return ExitStatus::internal;
  }
  auto edited = contract::set_pin_hash_in_text(*text, file, person_id, *hash);
  if (!edited) {
    std::fprintf(stderr, "voiceops: %s\n", edited.error().c_str());
    return ExitStatus::data_error;
  }
  auto written = write_file_atomically(file, *edited, true, 0600);
  if (!written) {
    std::fprintf(stderr, "voiceops: %s\n", written.error().message.c_str());
    return written.error().status;
  }
  std::fprintf(stderr, "voiceops: PIN set for %s in %s\n", person_id.c_str(), file.c_str());
  return ExitStatus::ok;
}

}  // namespace

void add_directory_commands(CLI::App& app, Context& context) {
  auto* directory =
      app.add_subcommand("directory", "The Ops line's staff directory (PINs stored hashed)");
  directory->require_subcommand(1);

  auto list_file = std::make_shared<std::string>();
  auto list_format = std::make_shared<std::string>("text");
  auto* list =
      directory->add_subcommand("list", "List people, masked phone numbers, roles and PIN state");
  list->add_option("FILE", *list_file, "Staff directory file")->required()->type_name("FILE");
  list->add_option("--format", *list_format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  list->callback([&context, list_file, list_format] {
    context.action = [&context, list_file, list_format] {
      return run_list(*list_file, *list_format, context);
    };
  });

  auto pin_file = std::make_shared<std::string>();
  auto person = std::make_shared<std::string>();
  auto* set_pin = directory->add_subcommand(
      "set-pin",
      "Set a person's keypad PIN, read from the terminal or standard input, stored hashed");
  set_pin->add_option("FILE", *pin_file, "Staff directory file")->required()->type_name("FILE");
  set_pin->add_option("PERSON", *person, "The person's id")->required()->type_name("PERSON");
  set_pin->callback([&context, pin_file, person] {
    context.action = [&context, pin_file, person] {
      return run_set_pin(*pin_file, *person, context);
    };
  });
}

}  // namespace voiceops::cli
