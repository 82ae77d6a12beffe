# The configuration file, voiceops.toml(5), and the secrets it names.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_messaging.cpp
)
