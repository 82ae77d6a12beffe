# The carrier-facing primitives: webhook forms, request signatures, TwiML.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/form.cpp
  ${CMAKE_CURRENT_LIST_DIR}/signature.cpp
  ${CMAKE_CURRENT_LIST_DIR}/twiml.cpp
)
