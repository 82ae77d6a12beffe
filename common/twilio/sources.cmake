# The carrier-facing primitives (webhook forms, request signatures, TwiML) and the
# configuration file, voiceops.toml(5).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/config/config.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/twilio/form.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/twilio/signature.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/twilio/twiml.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/util/utf8.cpp
)
