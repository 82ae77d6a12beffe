# The carrier's webhooks as functions from request to response over the engine and its ports.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_service.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_turns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_message.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scripted_integrations.cpp
)
