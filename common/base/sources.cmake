# What every area shares: results, located diagnostics, the TOML reader with positions, input
# and atomic files, UTF-8, masking, words and spelling, text tables, times, XML escaping.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/atomic_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/diagnostic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fmt_implementation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/input_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mask.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spelling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/time_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/toml_implementation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/toml_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/utf8.cpp
  ${CMAKE_CURRENT_LIST_DIR}/words.cpp
  ${CMAKE_CURRENT_LIST_DIR}/xml_escape.cpp
  ${CMAKE_CURRENT_LIST_DIR}/xml_writer.cpp
)
