# The workflow contract and the staff directory: model, parse, validate, render, templates.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/directory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/directory_edit.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lexicon_sources.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse_escalation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse_flow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse_policies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/promises.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render.cpp
  ${CMAKE_CURRENT_LIST_DIR}/templates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_escalation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_flow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_lexicon.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_ops_line.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_policies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_tool_calls.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validate_voice.cpp
)
