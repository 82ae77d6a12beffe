#include "contract/directory_edit.hpp"

#include <vector>

#include "base/toml_reader.hpp"

namespace voiceops::contract {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string indentation(const std::string& line) {
  return line.substr(0, line.find_first_not_of(" \t"));
}

bool line_starts_with_key(const std::string& line, std::string_view key) {
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string::npos || line.compare(first, key.size(), key) != 0) return false;
  const std::size_t after = line.find_first_not_of(" \t", first + key.size());
  return after != std::string::npos && line[after] == '=';
}

}  // namespace

Result<std::string, std::string> set_pin_hash_in_text(std::string_view text,
                                                      const std::string& file,
                                                      std::string_view person_id,
                                                      std::string_view pin_hash) {
  auto root = parse_toml(text, file);
  if (!root) return unexpected(root.error().message);
  const toml::array* people = root->get_as<toml::array>("person");
  const toml::table* person = nullptr;
  if (people) {
    for (const auto& node : *people) {
      const auto* table = node.as_table();
      if (table && table->get_as<std::string>("id") &&
          table->get_as<std::string>("id")->get() == person_id) {
        person = table;
        break;
      }
    }
  }
  if (!person) return unexpected("no person with id '" + std::string(person_id) + "' in " + file);

  std::vector<std::string> lines = split_lines(text);
  const std::string new_line_value = "pin_hash = \"" + std::string(pin_hash) + "\"";
  const bool trailing_newline = !text.empty() && text.back() == '\n';
  if (const toml::node* existing = person->get("pin_hash")) {
    const auto& region = existing->source();
    const std::size_t index = region.begin.line - 1;
    if (region.begin.line != region.end.line || index >= lines.size() ||
        !line_starts_with_key(lines[index], "pin_hash")) {
      return unexpected("pin_hash of '" + std::string(person_id) +
                        "' is not on a line of its own; put it on one and try again");
    }
    lines[index] = indentation(lines[index]) + new_line_value;
  } else {
    const toml::node* id = person->get("id");
    const std::size_t index = id->source().begin.line - 1;
    if (index >= lines.size() || !line_starts_with_key(lines[index], "id")) {
      return unexpected(
          "the id of '" + std::string(person_id) +
          "' is not on a line of its own; add pin_hash = \"\" under it and try again");
    }
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                 indentation(lines[index]) + new_line_value);
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || trailing_newline) out += '\n';
  }
  return out;
}

}  // namespace voiceops::contract
