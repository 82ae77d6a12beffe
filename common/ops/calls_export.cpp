#include "ops/calls_export.hpp"

#include <cerrno>
#include <cstring>

namespace voiceops::ops {
namespace {

// Output in 256 KiB writes; the first failure is kept and ends the export.
class Output {
 public:
  explicit Output(std::FILE* out) : out_(out) { buffer_.reserve(capacity + 4096); }
  void put(char c) { buffer_.push_back(c); }
  void put(std::string_view text) { buffer_.append(text); }
  bool end_row() {
    if (buffer_.size() >= capacity) return flush();
    return true;
  }
  bool flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
      error_ = std::strerror(errno);
      return false;
    }
    buffer_.clear();
    return true;
  }
  bool finish() {
    return flush() && (std::fflush(out_) == 0 || (error_ = std::strerror(errno), false));
  }
  const std::string& error() const { return error_; }

 private:
  static constexpr std::size_t capacity = 256 * 1024;
  std::FILE* out_;
  std::string buffer_;
  std::string error_;
};

// Whether RFC 4180 needs the field quoted. A plain loop: string_view::find_first_of calls memchr
// once per character of the field, the export's biggest cost on a million calls.
bool needs_quotes(std::string_view text) {
  for (char c : text)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

void csv_cell(Output& out, std::string_view text) {
  if (!needs_quotes(text)) {
    out.put(text);
    return;
  }
  out.put('"');
  // The runs between quotes as they are, each quote doubled.
  for (std::size_t quote = text.find('"'); quote != std::string_view::npos;
       quote = text.find('"')) {
    out.put(text.substr(0, quote + 1));
    out.put('"');
    text.remove_prefix(quote + 1);
  }
  out.put(text);
  out.put('"');
}

void tsv_cell(Output& out, std::string_view text) {
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* escaped = c == '\t'   ? "\\t"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\\' ? "\\\\"
                                      : nullptr;
    if (!escaped) continue;
    out.put(text.substr(plain, i - plain));
    out.put(escaped);
    plain = i + 1;
  }
  out.put(text.substr(plain));
}

void json_string(Output& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out.put('"');
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.put(text.substr(plain, i - plain));
    switch (c) {
      case '"': out.put("\\\""); break;
      case '\\': out.put("\\\\"); break;
      case '\n': out.put("\\n"); break;
      case '\r': out.put("\\r"); break;
      case '\t': out.put("\\t"); break;
      default:
        out.put("\\u00");
        out.put(hex[c >> 4]);
        out.put(hex[c & 0xf]);
    }
    plain = i + 1;
  }
  out.put(text.substr(plain));
  out.put('"');
}

void header(Output& out, const std::vector<std::string>& columns, ExportFormat format) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.put(format == ExportFormat::csv ? ',' : '\t');
    if (format == ExportFormat::csv)
      csv_cell(out, columns[i]);
    else
      tsv_cell(out, columns[i]);
  }
  out.put(format == ExportFormat::csv ? "\r\n" : "\n");
}

void row(Output& out, const store::CallExportQuery& query, const std::vector<std::string>& columns,
         ExportFormat format) {
  using Kind = store::CallExportQuery::Kind;
  const int n = query.columns();
  if (format == ExportFormat::jsonl) {
    out.put('{');
    for (int i = 0; i < n; ++i) {
      if (i > 0) out.put(',');
      json_string(out, columns[static_cast<std::size_t>(i)]);
      out.put(':');
      const auto cell = query.cell(i);
      if (cell.kind == Kind::none)
        out.put("null");
      else if (cell.kind == Kind::number)
        out.put(cell.text);
      else
        json_string(out, cell.text);
    }
    out.put("}\n");
    return;
  }
  for (int i = 0; i < n; ++i) {
    if (i > 0) out.put(format == ExportFormat::csv ? ',' : '\t');
    const auto cell = query.cell(i);
    if (cell.kind == Kind::none) continue;
    if (format == ExportFormat::csv)
      csv_cell(out, cell.text);
    else
      tsv_cell(out, cell.text);
  }
  out.put(format == ExportFormat::csv ? "\r\n" : "\n");
}

}  // namespace

std::optional<ExportFormat> export_format_named(std::string_view name) {
  if (name == "csv") return ExportFormat::csv;
  if (name == "tsv") return ExportFormat::tsv;
  if (name == "jsonl") return ExportFormat::jsonl;
  return std::nullopt;
}

Result<std::int64_t, std::string> write_calls(store::CallExportQuery& query,
                                              const std::vector<std::string>& columns,
                                              ExportFormat format, std::FILE* out,
                                              const ExportProgress& progress) {
  Output output(out);
  if (format != ExportFormat::jsonl) header(output, columns, format);
  std::int64_t written = 0;
  for (;;) {
    auto more = query.next();
    if (!more) return unexpected("reading the store: " + more.error());
    if (!*more) break;
    row(output, query, columns, format);
    ++written;
    if (!output.end_row()) return unexpected("writing: " + output.error());
    if (progress && written % 8192 == 0) progress(written);
  }
  if (!output.finish()) return unexpected("writing: " + output.error());
  return written;
}

}  // namespace voiceops::ops
