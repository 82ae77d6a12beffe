# voiceopsd on a loopback port, driven over HTTP (requests signed by python3-twilio) and through
# the CLI's control-socket commands. Debian's python3-twilio loads only under /usr/bin/python3.
if(TARGET voiceopsd)
  add_test(NAME daemon_integration
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/daemon/daemon_test.py
                   $<TARGET_FILE:voiceopsd> $<TARGET_FILE:voiceops> ${PROJECT_SOURCE_DIR})
  # Tests that pick a free loopback port and then start a daemon on it must not race each other
  # for the same port (see tests/target.cmake).
  set_tests_properties(daemon_integration PROPERTIES TIMEOUT 300 RESOURCE_LOCK loopback_daemon)
  # Store faults (a tmpfs in a private mount namespace, chattr), descriptor limits, trickled
  # requests and late webhooks; several cases wait out the 10 s request deadline.
  add_test(NAME daemon_robustness
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/daemon/robustness_test.py
                   $<TARGET_FILE:voiceopsd> $<TARGET_FILE:voiceops> ${PROJECT_SOURCE_DIR})
  set_tests_properties(daemon_robustness PROPERTIES TIMEOUT 400 RESOURCE_LOCK loopback_daemon)
  add_test(NAME systemd_unit
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/daemon/systemd_unit_test.sh ${PROJECT_SOURCE_DIR}
                   $<TARGET_FILE:voiceopsd> $<TARGET_FILE:voiceops>)
endif()
