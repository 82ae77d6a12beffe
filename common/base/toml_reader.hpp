#pragma once
// Reads one TOML table against a closed list of keys: unknown keys, wrong types and missing or
// empty required values become located diagnostics instead of exceptions or silent defaults.
#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/result.hpp"

namespace voiceops {

enum class Need { optional, required, nonempty };

SourceLocation location_of(const toml::source_region& region);

class TableReader {
 public:
  // `path` names the table in messages ("workflow", "destinations.on_call"); empty for the root.
  TableReader(const toml::table& table, std::string path, Diagnostics& diagnostics,
              std::initializer_list<std::string_view> known_keys);

  SourceLocation where() const { return where_; }
  const std::string& path() const { return path_; }
  bool has(std::string_view key) const { return table_.contains(key); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }
  SourceLocation key_location(std::string_view key) const;

  std::optional<Text> text(std::string_view key, Need need);
  Text text_or(std::string_view key, std::string fallback);
  std::optional<TextList> text_list(std::string_view key, Need need);
  std::optional<Located<std::int64_t>> integer(std::string_view key, Need need, std::int64_t min,
                                               std::int64_t max);
  std::optional<Located<double>> number(std::string_view key, Need need, double min);
  std::optional<Located<bool>> boolean(std::string_view key, Need need);
  // A TOML local date, or a "YYYY-MM-DD" string; returned as "YYYY-MM-DD".
  std::optional<Text> date(std::string_view key, Need need);
  const toml::table* table(std::string_view key, Need need);
  const toml::array* table_array(std::string_view key, Need need);

  // Reports a value of the wrong type at its position.
  void wrong_type(std::string_view key, const toml::node& value, std::string_view expected,
                  std::string hint);
  void missing(std::string_view key, std::string_view what);
  std::string qualified(std::string_view key) const;

  Diagnostics& diagnostics() { return diagnostics_; }

 private:
  const toml::table& table_;
  std::string path_;
  Diagnostics& diagnostics_;
  SourceLocation where_;
};

const char* toml_type_name(const toml::node& node);
bool is_valid_date(std::string_view text);

// Parses TOML text. Syntax errors, duplicate keys and excessive nesting become one diagnostic.
Result<toml::table, Diagnostic> parse_toml(std::string_view text, const std::string& file);

}  // namespace voiceops
