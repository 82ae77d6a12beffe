# Talking to other systems over HTTP: the client on libcurl (loaded on first use), URLs, and
# Odoo's two protocols on it (odoo/), the carrier's REST API (twilio/), Mailgun (mailgun/).
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/curl_library.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mailgun/mail_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo/envelope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo/odoo_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/odoo/odoo_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/send_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/twilio/rest_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/twilio/rest_reply.cpp
)
