# What voiceopsd does apart from HTTP and systemd (those live in daemon/, with Beast).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/control_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/control_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/daemon_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/live_events.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/observer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/staging_endpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webhook_queue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_loader.cpp
)
