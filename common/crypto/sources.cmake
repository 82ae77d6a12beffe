# Secrets: PIN hashes and constant-time comparison.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/pin_hash.cpp
)
