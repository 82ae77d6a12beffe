# What operators run: rollback's rules (later exports, the outbox worker, reports, the launch gate).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/rollback.cpp
)
