#pragma once
// `voiceops export calls`: the store's calls (store/call_export_query.hpp) written as CSV (RFC
// 4180: CRLF, fields quoted when they hold a comma, a quote or a line break), TSV (one line per
// call; tab, newline, carriage return and backslash escaped as \t \n \r \\) or JSON Lines (one
// object per call, numbers as numbers, none as null). Streams through one buffer: memory stays
// the same for ten calls or ten million.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/call_export_query.hpp"

namespace voiceops::ops {

enum class ExportFormat { csv, tsv, jsonl };
std::optional<ExportFormat> export_format_named(std::string_view name);

// Called now and then with the calls written so far (for a progress line).
using ExportProgress = std::function<void(std::int64_t calls)>;

// Writes the header (CSV and TSV) and every call of `query` to `out`; the number of calls, or why
// writing failed (a full disk, a closed pipe).
Result<std::int64_t, std::string> write_calls(store::CallExportQuery& query,
                                              const std::vector<std::string>& columns,
                                              ExportFormat format, std::FILE* out,
                                              const ExportProgress& progress = {});

}  // namespace voiceops::ops
