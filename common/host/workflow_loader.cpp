#include "host/workflow_loader.hpp"

#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <memory>
#include <set>

#include "contract/check.hpp"
#include "contract/directory.hpp"

namespace voiceops::host {
namespace {

// Expands one pattern; a pattern without wildcards names a file that must exist.
Result<std::vector<std::string>, std::string> expand(const std::string& pattern) {
  glob_t matches{};
  const int rc = glob(pattern.c_str(), GLOB_NOSORT, nullptr, &matches);
  std::vector<std::string> files;
  if (rc == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) files.emplace_back(matches.gl_pathv[i]);
  }
  globfree(&matches);
  if (rc == GLOB_NOMATCH || (rc == 0 && files.empty()))
    return unexpected(fmt::format(
        "{}: error: matches no contract file (is the folder there, and readable by this user?)",
        pattern));
  if (rc != 0) return unexpected(fmt::format("{}: error: cannot list the files it names", pattern));
  std::sort(files.begin(), files.end());
  return files;
}

std::string line_of(const Diagnostic& d, const std::string& fallback_file) {
  return fmt::format("{}:{}:{}: {}: {}", d.file.empty() ? fallback_file : d.file, d.where.line,
                     d.where.column, d.severity == Severity::error ? "error" : "warning",
                     d.message);
}

}  // namespace

Result<LoadedWorkflows, std::vector<std::string>> load_workflows(
    const std::vector<std::string>& patterns) {
  LoadedWorkflows loaded;
  std::vector<std::string> errors;
  std::set<std::string> seen_files;
  std::set<std::string> seen_ids;
  if (patterns.empty()) errors.push_back("[contracts] paths: error: names no contract files");
  for (const std::string& pattern : patterns) {
    auto files = expand(pattern);
    if (!files) {
      errors.push_back(files.error());
      continue;
    }
    for (const std::string& file : *files) {
      if (!seen_files.insert(file).second) continue;
      contract::CheckedContract checked = contract::check_contract_file(file, false);
      if (checked.is_staff_directory) continue;  // read with the contract that names it
      if (checked.status != ExitStatus::ok || !checked.contract) {
        const std::size_t before = errors.size();
        for (const Diagnostic& d : checked.diagnostics.all())
          if (d.severity == Severity::error) errors.push_back(line_of(d, file));
        if (errors.size() == before) errors.push_back(file + ": error: cannot be loaded");
        continue;
      }
      const std::string& id = checked.contract->workflow.id.value;
      if (!seen_ids.insert(id).second) {
        errors.push_back(
            fmt::format("{}: error: workflow id \"{}\" is already used by another "
                        "contract file",
                        file, id));
        continue;
      }
      auto contract = std::make_shared<const contract::Contract>(std::move(*checked.contract));
      std::shared_ptr<const contract::Directory> directory;
      if (contract->identification.present) {
        auto found = contract::directory_of(*contract);
        if (!found) {
          errors.push_back(file + ": error: its staff directory does not load");
          continue;
        }
        directory = std::make_shared<const contract::Directory>(std::move(*found));
      }
      loaded.workflows.push_back({std::move(contract), std::move(directory)});
      loaded.files.push_back(file);
    }
  }
  if (!errors.empty()) return unexpected(std::move(errors));
  return loaded;
}

}  // namespace voiceops::host
