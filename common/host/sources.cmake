# The host of the core in voiceopsd: start-up, routes, the per-call webhook queue, the
# observer, the control answers (HTTP and systemd live in daemon/, with Beast).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/control_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/daemon_core.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export_worker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_worker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/messaging.cpp
  ${CMAKE_CURRENT_LIST_DIR}/live_events.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/observer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/process_metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/staging_endpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webhook_queue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_loader.cpp
)
