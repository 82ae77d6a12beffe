# `voiceops testcalls run --target`: the CLI's HTTP client against a scripted loopback server,
# and the shipped packs against the real voiceopsd on a free loopback port.
add_executable(net_tests unit/http_client_test.cpp)
target_link_libraries(net_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES net_tests)

if(TARGET voiceopsd)
  add_test(NAME testcalls_target_daemon
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/target/testcalls_target_test.py
                   --cli $<TARGET_FILE:voiceops> --daemon $<TARGET_FILE:voiceopsd>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(testcalls_target_daemon PROPERTIES TIMEOUT 600 ENVIRONMENT "NO_COLOR=1"
                                                   RESOURCE_LOCK loopback_daemon)
endif()
