# The carrier (Twilio): webhook forms, request signatures, TwiML, and the webhooks themselves.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/form.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_message.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_status.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reply_twiml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/signature.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/twiml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webhook_checks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webhooks.cpp
)
