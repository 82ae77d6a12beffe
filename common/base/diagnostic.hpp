#pragma once
// A diagnostic is one finding about an input file, located the way compilers locate them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voiceops {

struct SourceLocation {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in bytes
};

// A value read from an input file, with where it was written, so later checks can point at it.
template <typename T>
struct Located {
  T value{};
  SourceLocation where;
};
using Text = Located<std::string>;
using TextList = std::vector<Text>;

enum class Severity { warning, error };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string rule;  // stable rule id, e.g. "unknown-key"; documented in voiceops-contract(5)
  std::string file;
  SourceLocation where;
  std::string message;
  std::string hint;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(std::string_view rule, SourceLocation where, std::string message, std::string hint);
  void warning(std::string_view rule, SourceLocation where, std::string message, std::string hint);
  // A finding in another file this one refers to (the Ops line's staff directory).
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }

  const std::string& file() const { return file_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool has_errors() const { return error_count() > 0; }
  // Orders by position so output reads top to bottom like a compiler's.
  void sort();

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
};

}  // namespace voiceops
