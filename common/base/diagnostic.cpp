#include "base/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace voiceops {

void Diagnostics::error(std::string_view rule, SourceLocation where, std::string message,
                        std::string hint) {
  items_.push_back(
      {Severity::error, std::string(rule), file_, where, std::move(message), std::move(hint)});
}

void Diagnostics::warning(std::string_view rule, SourceLocation where, std::string message,
                          std::string hint) {
  items_.push_back(
      {Severity::warning, std::string(rule), file_, where, std::move(message), std::move(hint)});
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [](const auto& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
  return items_.size() - error_count();
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.where.line, a.where.column) <
           std::tie(b.file, b.where.line, b.where.column);
  });
}

}  // namespace voiceops
