# The daemon's SQLite store (also opened by the CLI's rollback and export).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_export_query.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_reads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_outbox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_rollback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_store_writes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/outbox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_health.cpp
)
find_package(SQLite3 REQUIRED)
target_link_libraries(voiceops_core PUBLIC SQLite::SQLite3)
