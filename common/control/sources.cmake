# The control socket's protocol, shared by the CLI and the daemon, and the CLI's client of it.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_records.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/requests.cpp
  ${CMAKE_CURRENT_LIST_DIR}/staging_call_state.cpp
)
