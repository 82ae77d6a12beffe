# A small blocking HTTP/1.1 client (http:// only) for the CLI to reach a voiceopsd it points at.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp)
