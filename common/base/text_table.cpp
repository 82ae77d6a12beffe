#include "base/text_table.hpp"

#include <algorithm>

namespace voiceops {

std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::string> wrap_words(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!word.empty()) line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render_text(std::size_t max_cell_width, bool bold_header) const {
  const std::size_t columns = headers_.size();
  std::vector<std::vector<std::vector<std::string>>> wrapped;  // row -> column -> lines
  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) widths[c] = display_width(headers_[c]);
  for (const auto& row : rows_) {
    auto& cells = wrapped.emplace_back();
    for (std::size_t c = 0; c < columns; ++c) {
      // The last column may run long: nothing follows it to misalign.
      auto lines =
          c + 1 == columns ? std::vector<std::string>{row[c]} : wrap_words(row[c], max_cell_width);
      for (const auto& line : lines) widths[c] = std::max(widths[c], display_width(line));
      cells.push_back(std::move(lines));
    }
  }
  std::string out;
  auto emit_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      line += cells[c];
      if (c + 1 < columns) line += std::string(widths[c] - display_width(cells[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  if (bold_header) out += "\x1b[1m";
  {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      line += headers_[c];
      if (c + 1 < columns) line += std::string(widths[c] - display_width(headers_[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
  }
  out += bold_header ? "\x1b[0m\n" : "\n";
  for (const auto& cells : wrapped) {
    std::size_t height = 0;
    for (const auto& lines : cells) height = std::max(height, lines.size());
    for (std::size_t h = 0; h < height; ++h) {
      std::vector<std::string> line_cells;
      for (const auto& lines : cells) line_cells.push_back(h < lines.size() ? lines[h] : "");
      emit_line(line_cells);
    }
  }
  return out;
}

std::string TextTable::render_markdown() const {
  auto escape = [](const std::string& cell) {
    std::string out;
    for (char c : cell) {
      if (c == '|')
        out += "\\|";
      else if (c == '\n')
        out += "<br>";
      else
        out += c;
    }
    return out;
  };
  std::string out = "|";
  for (const auto& h : headers_) out += " " + escape(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < headers_.size(); ++c) out += "---|";
  out += "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (const auto& cell : row) out += " " + escape(cell) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace voiceops
