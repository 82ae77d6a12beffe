#include "base/toml_reader.hpp"

#include <algorithm>
#include <cstdio>

#include "base/spelling.hpp"

namespace voiceops {

SourceLocation location_of(const toml::source_region& region) {
  SourceLocation where;
  where.line = region.begin.line == 0 ? 1 : region.begin.line;
  where.column = region.begin.column == 0 ? 1 : region.begin.column;
  return where;
}

const char* toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

bool is_valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days_in_month[month - 1] + (month == 2 && leap ? 1 : 0);
}

TableReader::TableReader(const toml::table& table, std::string path, Diagnostics& diagnostics,
                         std::initializer_list<std::string_view> known_keys)
    : table_(table),
      path_(std::move(path)),
      diagnostics_(diagnostics),
      where_(location_of(table.source())) {
  std::vector<std::string_view> known(known_keys);
  for (const auto& [key, value] : table_) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    std::string hint;
    if (auto suggestion = closest_match(key.str(), std::span<const std::string_view>(known))) {
      hint = "did you mean '" + *suggestion + "'?";
    } else {
      hint = "known keys here: ";
      for (std::size_t i = 0; i < known.size(); ++i)
        hint += (i ? ", " : "") + std::string(known[i]);
    }
    diagnostics_.error("unknown-key", location_of(key.source()),
                       "unknown key '" + qualified(key.str()) + "'", hint);
  }
}

std::string TableReader::qualified(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourceLocation TableReader::key_location(std::string_view key) const {
  for (const auto& [k, value] : table_) {
    if (k.str() == key) return location_of(k.source());
  }
  return where_;
}

void TableReader::wrong_type(std::string_view key, const toml::node& value,
                             std::string_view expected, std::string hint) {
  diagnostics_.error(
      "wrong-type", location_of(value.source()),
      qualified(key) + " must be " + std::string(expected) + ", not " + toml_type_name(value),
      std::move(hint));
}

void TableReader::missing(std::string_view key, std::string_view what) {
  const std::string table_name = path_.empty() ? "the top level" : "[" + path_ + "]";
  diagnostics_.error("missing-field", where_, "missing required key '" + qualified(key) + "'",
                     "add " + std::string(key) + " = " + std::string(what) + " to " + table_name);
}

std::optional<Text> TableReader::text(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, "\"...\"");
    return std::nullopt;
  }
  const auto* string = value->as_string();
  if (!string) {
    wrong_type(key, *value, "a string", std::string(key) + " = \"...\"");
    return std::nullopt;
  }
  Text result{string->get(), location_of(value->source())};
  const bool blank = std::all_of(result.value.begin(), result.value.end(),
                                 [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
  if (need == Need::nonempty && blank) {
    diagnostics_.error("empty-field", result.where, qualified(key) + " is empty",
                       "a contract field left empty is a decision not yet made; fill it in");
    return std::nullopt;
  }
  return result;
}

Text TableReader::text_or(std::string_view key, std::string fallback) {
  auto value = text(key, Need::optional);
  if (value) return *value;
  return {std::move(fallback), key_location(key)};
}

std::optional<TextList> TableReader::text_list(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, "[\"...\"]");
    return std::nullopt;
  }
  const auto* array = value->as_array();
  if (!array) {
    wrong_type(key, *value, "an array of strings",
               std::string(key) + " = [\"...\"] (brackets even for one item)");
    return std::nullopt;
  }
  TextList result;
  bool ok = true;
  for (const auto& item : *array) {
    if (const auto* string = item.as_string()) {
      result.push_back({string->get(), location_of(item.source())});
    } else {
      wrong_type(key, item, "an array of strings", "quote each item: \"...\"");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  if (need == Need::nonempty && result.empty()) {
    diagnostics_.error("empty-field", location_of(value->source()), qualified(key) + " is empty",
                       "list at least one item");
    return std::nullopt;
  }
  return result;
}

std::optional<Located<std::int64_t>> TableReader::integer(std::string_view key, Need need,
                                                          std::int64_t min, std::int64_t max) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, std::to_string(min));
    return std::nullopt;
  }
  const auto* number = value->as_integer();
  if (!number) {
    wrong_type(key, *value, "an integer", std::string(key) + " = " + std::to_string(min));
    return std::nullopt;
  }
  const std::int64_t n = number->get();
  if (n < min || n > max) {
    diagnostics_.error("bad-value", location_of(value->source()),
                       qualified(key) + " is " + std::to_string(n) + ", outside " +
                           std::to_string(min) + "–" + std::to_string(max),
                       "use a value from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return Located<std::int64_t>{n, location_of(value->source())};
}

std::optional<Located<double>> TableReader::number(std::string_view key, Need need, double min) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, "0.0");
    return std::nullopt;
  }
  double n = 0;
  if (const auto* f = value->as_floating_point()) {
    n = f->get();
  } else if (const auto* i = value->as_integer()) {
    n = static_cast<double>(i->get());
  } else {
    wrong_type(key, *value, "a number", std::string(key) + " = 0.01");
    return std::nullopt;
  }
  if (!(n >= min) || n > 1e12) {
    char shown[64];
    std::snprintf(shown, sizeof shown, "%g", n);
    diagnostics_.error("bad-value", location_of(value->source()),
                       qualified(key) + " is " + shown + ", which is not a usable amount",
                       "use a finite number of at least " + std::to_string(static_cast<int>(min)));
    return std::nullopt;
  }
  return Located<double>{n, location_of(value->source())};
}

std::optional<Located<bool>> TableReader::boolean(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, "true");
    return std::nullopt;
  }
  const auto* flag = value->as_boolean();
  if (!flag) {
    wrong_type(key, *value, "true or false", std::string(key) + " = true (no quotes)");
    return std::nullopt;
  }
  return Located<bool>{flag->get(), location_of(value->source())};
}

std::optional<Text> TableReader::date(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) missing(key, "2026-01-31");
    return std::nullopt;
  }
  const SourceLocation where = location_of(value->source());
  if (const auto* d = value->as_date()) {
    char text[16];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", unsigned(d->get().year),
                  unsigned(d->get().month), unsigned(d->get().day));
    return Text{text, where};
  }
  if (const auto* s = value->as_string()) {
    if (is_valid_date(s->get())) return Text{s->get(), where};
    diagnostics_.error("bad-value", where,
                       qualified(key) + " is \"" + s->get() + "\", not a calendar date",
                       "write the date as YYYY-MM-DD, e.g. 2026-11-26");
    return std::nullopt;
  }
  wrong_type(key, *value, "a date", std::string(key) + " = 2026-01-31");
  return std::nullopt;
}

const toml::table* TableReader::table(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) {
      diagnostics_.error(
          "missing-field", path_.empty() ? SourceLocation{} : where_,
          "missing required table [" + qualified(key) + "]",
          "add a [" + qualified(key) + "] table; voiceops-contract(5) lists its keys");
    }
    return nullptr;
  }
  const auto* result = value->as_table();
  if (!result) {
    wrong_type(key, *value, "a table", "write it as a [" + qualified(key) + "] section");
    return nullptr;
  }
  return result;
}

const toml::array* TableReader::table_array(std::string_view key, Need need) {
  const toml::node* value = table_.get(key);
  if (!value) {
    if (need != Need::optional) {
      diagnostics_.error("missing-field", path_.empty() ? SourceLocation{} : where_,
                         "missing required [[" + qualified(key) + "]] rows",
                         "add [[" + qualified(key) +
                             "]] sections; voiceops-contract(5) lists "
                             "their keys");
    }
    return nullptr;
  }
  const auto* result = value->as_array();
  if (!result || !result->is_array_of_tables()) {
    wrong_type(key, *value, "an array of tables",
               "write each row as a [[" + qualified(key) + "]] section");
    return nullptr;
  }
  return result;
}

namespace {

constexpr std::size_t max_key_depth = 64;

struct Unparseable {
  std::size_t offset = 0;
  bool non_ascii = false;  // else: keys nested too deep
};

// Two things toml++ 3.3 mishandles, refused before it sees the text: dotted keys nested so deep
// that tearing the tables down by recursion overflows the stack, and non-ASCII characters outside
// strings and comments (TOML allows none there), which reach an unreachable branch in its
// whitespace test (undefined behaviour, found by the fuzzer).
std::optional<Unparseable> find_unparseable(std::string_view text) {
  std::size_t dots = 0;
  char previous = '\n';  // the last character other than a space or tab
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A quote opens a string only where TOML allows one: a key, a value, an array item. Elsewhere
    // it is part of malformed text, and what follows it is not string content.
    const bool opens_string = (c == '"' || c == '\'') &&
                              std::string_view("\n=[{,.").find(previous) != std::string_view::npos;
    if (c != ' ' && c != '\t') previous = c;
    if (c == '#') {
      i = text.find('\n', i);
      if (i == std::string_view::npos) break;
      dots = 0;
      previous = '\n';
    } else if (opens_string) {
      const bool multiline = text.substr(i, 3) == std::string_view(c == '"' ? "\"\"\"" : "'''");
      const std::string_view close = multiline ? text.substr(i, 3) : text.substr(i, 1);
      std::size_t j = i + close.size();
      while (j < text.size()) {
        if (c == '"' && text[j] == '\\') {
          // A line-ending backslash trims the whitespace after it, and toml++ tests each
          // following character as whitespace: the same unsafe test as outside strings.
          if (multiline && j + 1 < text.size() && static_cast<unsigned char>(text[j + 1]) >= 0x80) {
            return Unparseable{j + 1, true};
          }
          std::size_t k = j + 1;
          while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
          if (multiline && k < text.size() && (text[k] == '\n' || text[k] == '\r')) {
            while (k < text.size() &&
                   std::string_view(" \t\r\n").find(text[k]) != std::string_view::npos)
              ++k;
            if (k < text.size() && static_cast<unsigned char>(text[k]) >= 0x80)
              return Unparseable{k, true};
          }
          j += 2;
          continue;
        }
        if (text.substr(j, close.size()) == close) break;
        if (!multiline && text[j] == '\n') break;
        ++j;
      }
      i = std::min(j + close.size() - 1, text.size());
      previous = c;
    } else if (c == '.') {
      if (++dots > max_key_depth) return Unparseable{i, false};
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return Unparseable{i, true};
    } else if (c == '=' || c == ',' || c == '\n' || c == '{' || c == '}') {
      dots = 0;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<toml::table, Diagnostic> parse_toml(std::string_view text, const std::string& file) {
  if (auto problem = find_unparseable(text)) {
    SourceLocation where{1, 1};
    for (std::size_t i = 0; i < problem->offset; ++i) {
      if (text[i] == '\n') {
        ++where.line;
        where.column = 1;
      } else {
        ++where.column;
      }
    }
    if (problem->non_ascii) {
      return unexpected(
          Diagnostic{Severity::error, "parse-error", file, where,
                     "a non-ASCII character outside a string or comment",
                     "in TOML only strings and comments may hold non-ASCII text; quote it"});
    }
    return unexpected(
        Diagnostic{Severity::error, "parse-error", file, where,
                   "a key nested more than " + std::to_string(max_key_depth) + " levels deep",
                   "no voiceops file nests keys this deep; is this the right file?"});
  }
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    Diagnostic diagnostic;
    diagnostic.severity = Severity::error;
    diagnostic.rule = "parse-error";
    diagnostic.file = file;
    diagnostic.where = location_of(error.source());
    diagnostic.message = std::string(error.description());
    diagnostic.hint = "this is not valid TOML (https://toml.io/en/v1.0.0); fix the syntax first";
    return unexpected(std::move(diagnostic));
  }
}

}  // namespace voiceops
