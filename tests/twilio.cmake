# The carrier-facing primitives (forms, signatures, TwiML) and voiceops.toml(5). The signature
# tests cross-check against the carrier's official Python library (Debian's python3-twilio,
# under /usr/bin/python3): they fail, not skip, when it is missing.
add_executable(twilio_tests
  unit/form_test.cpp
  unit/signature_test.cpp
  unit/twiml_test.cpp
  unit/config_test.cpp
)
target_link_libraries(twilio_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES twilio_tests)
