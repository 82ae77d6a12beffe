# The daemon's SQLite store (also opened by the CLI's rollback and export).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_export_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_reads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_messages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_outbox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_rollback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_transfers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_writes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_queue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/outbox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_health.cpp
)
find_package(SQLite3 REQUIRED)
target_link_libraries(voiceops_core PUBLIC SQLite::SQLite3)
# RapidJSON 1.1.0 (Debian 12) adds to a null pointer on its reader's first push (upstream
# Tencent/rapidjson#1724, fixed after 1.1.0): harmless, but UBSan's pointer-overflow check stops
# the export on it. Off for this file alone in the sanitizer builds.
if(VOICEOPS_FUZZ OR VOICEOPS_SANITIZE)
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/call_export_query.cpp
                              TARGET_DIRECTORY voiceops_core
                              PROPERTIES COMPILE_OPTIONS -fno-sanitize=pointer-overflow)
endif()
