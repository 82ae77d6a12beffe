# What operators run: rollback's rules and the fallback TwiML, the Odoo export (the call record,
# the outbox's sender), live tool calls to Odoo (records, and visits booked in arrival windows),
# the carrier's settings and the numbers' set-up checked, and later reports and the launch gate.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_record.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_template.cpp
  ${CMAKE_CURRENT_LIST_DIR}/calls_export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/carrier_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fallback_twiml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/message_sender.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_setup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_booking.cpp
  ${CMAKE_CURRENT_LIST_DIR}/number_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_tools.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/text_page.cpp
  ${CMAKE_CURRENT_LIST_DIR}/visit_window.cpp
)
