#pragma once
// Tables for people (aligned columns, long cells wrapped) and for Markdown documents.
#include <string>
#include <vector>

namespace voiceops {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // Columns padded to their widest cell; cells wider than max_cell_width wrap at spaces.
  std::string render_text(std::size_t max_cell_width = 48, bool bold_header = false) const;
  std::string render_markdown() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text, counted in code points.
std::size_t display_width(const std::string& text);
std::vector<std::string> wrap_words(const std::string& text, std::size_t width);

}  // namespace voiceops
