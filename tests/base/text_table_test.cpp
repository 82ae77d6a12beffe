#include <catch2/catch.hpp>

#include "base/text_table.hpp"

using voiceops::TextTable;

TEST_CASE("text tables align columns and wrap long cells", "[table]") {
  TextTable table({"System", "Owner"});
  table.add_row({"odoo_helpdesk", "Dana Whitfield"});
  table.add_row({"phone", "Rob"});
  CHECK(table.render_text() ==
        "System         Owner\n"
        "odoo_helpdesk  Dana Whitfield\n"
        "phone          Rob\n");
  TextTable wrapped({"A", "B"});
  wrapped.add_row({"one two three four", "x"});
  CHECK(wrapped.render_text(10) ==
        "A           B\n"
        "one two     x\n"
        "three four\n");
}

TEST_CASE("markdown tables escape pipes", "[table]") {
  TextTable table({"Trigger", "Promise"});
  table.add_row({"safety", "a | b"});
  CHECK(table.render_markdown() == "| Trigger | Promise |\n|---|---|\n| safety | a \\| b |\n");
}

TEST_CASE("display width counts code points", "[table]") {
  CHECK(voiceops::display_width("07:30\xe2\x80\x93"
                                "17:30") == 11);
}
