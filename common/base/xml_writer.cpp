#include "base/xml_writer.hpp"

#include "base/xml_escape.hpp"

namespace voiceops {

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

void XmlWriter::indent() {
  out_.append(open_.size() * 2, ' ');
}

void XmlWriter::start(std::string_view name) {
  indent();
  out_ += '<';
  out_ += name;
  started_ = name;
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += xml_escape(value, true);
  out_ += '"';
}

void XmlWriter::attribute_if_set(std::string_view name, std::string_view value) {
  if (!value.empty()) attribute(name, value);
}

void XmlWriter::attribute_if_set(std::string_view name, const std::optional<int>& value) {
  if (value) attribute(name, std::to_string(*value));
}

void XmlWriter::attribute_if_set(std::string_view name, const std::optional<bool>& value) {
  if (value) attribute(name, *value ? "true" : "false");
}

void XmlWriter::empty() {
  out_ += "/>\n";
}

void XmlWriter::children() {
  out_ += ">\n";
  open_.push_back(std::move(started_));
}

void XmlWriter::text(std::string_view text) {
  out_ += '>';
  out_ += xml_escape(text);
  out_ += "</";
  out_ += started_;
  out_ += ">\n";
}

void XmlWriter::end() {
  if (open_.empty()) return;
  std::string name = std::move(open_.back());
  open_.pop_back();
  indent();
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

}  // namespace voiceops
