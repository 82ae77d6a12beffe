# Secrets: PIN hashes, constant-time comparison, base64.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/base64.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pin_hash.cpp
)
