# What operators run: rollback's rules, the Odoo export (the call record, the outbox's sender),
# live tool calls to Odoo (records, and visits booked in arrival windows), and later reports and
# the launch gate.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/call_record.cpp
  ${CMAKE_CURRENT_LIST_DIR}/calls_export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_export.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_setup.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_booking.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo_tools.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rollback.cpp
  ${CMAKE_CURRENT_LIST_DIR}/visit_window.cpp
)
