# Talking to other systems over HTTP: the client on libcurl (loaded on first use), URLs.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/curl_library.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_url.cpp
)
