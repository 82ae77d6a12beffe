# `voiceops testcalls run --target`: the CLI's HTTP client against a scripted loopback server,
# and the shipped packs against the real voiceopsd on a free loopback port.
add_executable(net_tests unit/http_client_test.cpp)
target_link_libraries(net_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES net_tests)
