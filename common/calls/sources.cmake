# A call turn by turn over the engine and its ports, with no carrier format.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_handler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_turns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback_turns.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scripted_tools.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_screening.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_router.cpp
)
