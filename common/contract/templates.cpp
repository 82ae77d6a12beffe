#include "contract/templates.hpp"

#include <string>

namespace voiceops::contract {
namespace {

// The template with each `lexicon_files = [...]` line naming an embedded lexicon replaced by the
// lexicon's [concepts] tables, appended at the end.
std::string standalone(std::string_view text) {
  std::string out;
  std::string appended;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    bool replaced = false;
    if (line.starts_with("lexicon_files")) {
      for (const ContractTemplate& lexicon : embedded_lexicons()) {
        if (line.find("\"" + std::string(lexicon.name) + "\"") == std::string_view::npos) continue;
        replaced = true;
        const std::size_t concepts = lexicon.text.find("\n[concepts.");
        appended += "\n\n# " + std::string(76, '-') + "\n# The trade lexicon, from " +
                    std::string(lexicon.name) +
                    " of the voiceops sources, written in so this file stands alone.\n# " +
                    std::string(76, '-') + "\n";
        if (concepts != std::string_view::npos) appended += lexicon.text.substr(concepts + 1);
      }
    }
    if (replaced) {
      out += "# The trade lexicon is at the end of this file ([concepts.*]).\n";
    } else {
      out += line;
      if (end < text.size()) out += '\n';
    }
    start = end + 1;
  }
  return out + appended;
}

}  // namespace

const std::vector<ContractTemplate>& contract_templates() {
  // Composed once from the embedded texts, which never change.
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> all;
    for (const ContractTemplate& t : embedded_templates()) all.push_back(standalone(t.text));
    return all;
  }();
  static const std::vector<ContractTemplate> all = [] {
    std::vector<ContractTemplate> out;
    for (std::size_t i = 0; i < embedded_templates().size(); ++i) {
      out.push_back({embedded_templates()[i].name, texts[i]});
    }
    return out;
  }();
  return all;
}

const ContractTemplate* find_template(std::string_view name) {
  for (const ContractTemplate& t : contract_templates()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace voiceops::contract
