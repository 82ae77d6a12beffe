// voiceops export calls: the store's calls as CSV, TSV or JSON Lines for shell scripts, streamed
// in constant memory from one read snapshot (safe while voiceopsd writes).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "base/time_spec.hpp"
#include "cli/commands.hpp"
#include "cli/control.hpp"
#include "host/workflow_loader.hpp"
#include "ops/calls_export.hpp"
#include "store/call_export_query.hpp"
#include "store/sqlite.hpp"

namespace voiceops::cli {
namespace {

struct CallsOptions {
  std::string since, until, workflow, format = "csv", fields, output, store;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text + ",") {
    if (c == ',') {
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) items.push_back(item);
      item.clear();
    } else if (c != ' ' || !item.empty()) {
      item += c;
    }
  }
  return items;
}

// The answers the contracts ask for (of one workflow, or all), sorted: stable slot columns.
std::optional<std::vector<std::string>> contract_slots(const config::Config& config,
                                                       const std::string& workflow) {
  auto loaded = host::load_workflows(config.contracts.paths);
  if (!loaded) return std::nullopt;
  std::set<std::string> names;
  for (const auto& w : loaded->workflows) {
    if (!workflow.empty() && w.contract->workflow.id.value != workflow) continue;
    for (const auto& question : w.contract->questions) names.insert(question.id);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

// A file written beside its final name and renamed over it once complete: a failed export
// never leaves half a file where a script expects a whole one.
class OutputFile {
 public:
  static Result<OutputFile, std::string> create(const std::string& path) {
    std::string temp = path + ".partial-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return unexpected(path + ": " + std::strerror(errno));
    ::fchmod(fd, 0640);
    std::FILE* file = ::fdopen(fd, "wb");
    if (!file) {
      ::close(fd);
      return unexpected(path + ": " + std::strerror(errno));
    }
    return OutputFile(path, std::move(temp), file);
  }
  OutputFile(OutputFile&& other) noexcept
      : path_(std::move(other.path_)),
        temp_(std::move(other.temp_)),
        file_(std::exchange(other.file_, nullptr)) {}
  ~OutputFile() {
    if (file_) {
      std::fclose(file_);
      std::remove(temp_.c_str());
    }
  }
  std::FILE* get() const { return file_; }
  Result<bool, std::string> commit() {
    const bool synced = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!synced || !closed || std::rename(temp_.c_str(), path_.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      std::remove(temp_.c_str());
      return unexpected(path_ + ": " + why);
    }
    return true;
  }

 private:
  OutputFile(std::string path, std::string temp, std::FILE* file)
      : path_(std::move(path)), temp_(std::move(temp)), file_(file) {}
  std::string path_, temp_;
  std::FILE* file_;
};

ExitStatus run_calls(const Context& context, const CallsOptions& options) {
  const auto format = ops::export_format_named(options.format);
  if (!format) {
    complain("--format " + options.format + ": not csv, tsv or jsonl");
    return ExitStatus::usage;
  }
  store::CallExportRange range;
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (auto [flag, text, target] : {std::tuple{"--since", &options.since, &range.since},
                                    std::tuple{"--until", &options.until, &range.until}}) {
    if (text->empty()) continue;
    auto at = parse_time_spec(*text, now);
    if (!at) {
      complain(std::string(flag) + " " + at.error());
      return ExitStatus::usage;
    }
    *target = *at;
  }
  if (!options.workflow.empty()) range.workflow = options.workflow;

  std::string store_path = options.store;
  std::optional<config::Config> config;
  if (store_path.empty() || options.fields.empty()) {
    auto loaded = load_cli_config(context);
    if (!loaded) return loaded.error();
    config = std::move(*loaded);
    if (store_path.empty()) store_path = config->store.path;
  }
  if (!std::filesystem::exists(store_path)) {
    complain("no store at " + store_path, "check [store] path, or name one with --store");
    return ExitStatus::no_input;
  }
  auto db = store::Database::open(store_path, store::Database::Mode::read_only);
  if (!db) {
    complain("cannot open the store " + store_path + ": " + db.error().message,
             "run as the daemon's user (or in its group), or with sudo");
    return ExitStatus::io_error;
  }

  // The pages are read through a memory map, not a read() per page: a whole-table export is
  // mostly SQLite stepping through pages. An unmappable file only reads the usual way.
  (void)db->exec("PRAGMA mmap_size = 1073741824");
  // One read transaction: the slot columns and the rows come from the same snapshot.
  if (auto began = db->exec("BEGIN"); !began) {
    complain("cannot read the store " + store_path + ": " + began.error().message);
    return ExitStatus::io_error;
  }
  std::vector<std::string> slots;
  if (config) {
    if (auto named = contract_slots(*config, options.workflow)) slots = std::move(*named);
  }
  if (slots.empty() && options.fields.empty()) {  // --fields names its slot columns itself
    auto found = store::slot_names_in(*db, range);
    if (!found) {
      complain("reading the store " + store_path + ": " + found.error());
      return ExitStatus::io_error;
    }
    slots = std::move(*found);
  }
  const std::vector<std::string> available = store::export_columns(slots);
  std::vector<std::string> columns = available;
  if (!options.fields.empty()) {
    columns = split_list(options.fields);
    for (const auto& column : columns) {
      const bool known =
          std::find(available.begin(), available.end(), column) != available.end() ||
          (column.starts_with("slot_") && store::exportable_slot_name(column.substr(5)));
      if (!known) {
        std::string list;
        for (const auto& name : available) list += (list.empty() ? "" : ", ") + name;
        complain("--fields: no column " + column, "the columns are: " + list);
        return ExitStatus::usage;
      }
    }
    if (columns.empty()) {
      complain("--fields is empty");
      return ExitStatus::usage;
    }
  }
  auto query = store::CallExportQuery::prepare(*db, range, columns);
  if (!query) {
    complain("reading the store " + store_path + ": " + query.error());
    return ExitStatus::io_error;
  }

  std::optional<OutputFile> file;
  std::FILE* out = stdout;
  if (!options.output.empty() && options.output != "-") {
    auto created = OutputFile::create(options.output);
    if (!created) {
      complain("cannot write " + created.error());
      return ExitStatus::io_error;
    }
    file.emplace(std::move(*created));
    out = file->get();
  }
  // A progress line for big exports, on a terminal only, never mixed into the data.
  const bool show_progress = ::isatty(STDERR_FILENO) && (file || !::isatty(STDOUT_FILENO));
  const auto started = std::chrono::steady_clock::now();
  auto last_shown = started;
  const ops::ExportProgress progress = [&](std::int64_t calls) {
    const auto at = std::chrono::steady_clock::now();
    if (!show_progress || at - last_shown < std::chrono::milliseconds(250)) return;
    last_shown = at;
    std::fprintf(stderr, "\rexported %lld calls", static_cast<long long>(calls));
  };
  auto written = ops::write_calls(*query, columns, *format, out, progress);
  if (show_progress && last_shown != started) std::fprintf(stderr, "\r\x1b[K");
  if (!written) {
    complain("export calls: " + written.error());
    return ExitStatus::io_error;
  }
  if (file) {
    if (auto committed = file->commit(); !committed) {
      complain("cannot write " + committed.error());
      return ExitStatus::io_error;
    }
    std::fprintf(stderr, "exported %lld calls to %s\n", static_cast<long long>(*written),
                 options.output.c_str());
  }
  return ExitStatus::ok;
}

}  // namespace

void add_export_commands(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("export", "Export calls: for shell scripts, and to Odoo");
  group->require_subcommand(1);

  auto calls_options = std::make_shared<CallsOptions>();
  auto* calls = group->add_subcommand(
      "calls", "Stream the stored calls as CSV (RFC 4180), TSV or JSON Lines, oldest first");
  calls
      ->add_option("--since", calls_options->since,
                   "Calls started at or after: 7d, 24h, 2026-11-22, 2026-11-22T09:30:00-05:00")
      ->type_name("TIME");
  calls->add_option("--until", calls_options->until, "Calls started before TIME")
      ->type_name("TIME");
  calls->add_option("--workflow", calls_options->workflow, "Only this workflow's calls")
      ->type_name("WORKFLOW");
  calls->add_option("--format", calls_options->format, "csv (default), tsv or jsonl")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  calls
      ->add_option("--fields", calls_options->fields,
                   "Columns to write, comma-separated (default: every column)")
      ->type_name("LIST");
  calls
      ->add_option("--output,-o", calls_options->output,
                   "Write to FILE (complete or not at all) instead of standard output")
      ->type_name("FILE");
  calls->add_option("--store", calls_options->store, "The store to read (default: [store] path)")
      ->type_name("FILE");
  calls->callback([&context, calls_options] {
    context.action = [&context, calls_options] { return run_calls(context, *calls_options); };
  });

  add_export_odoo_command(*group, context);
}

}  // namespace voiceops::cli
