# The dialogue engine, the webhook handlers and the test-pack runner.
add_executable(engine_tests engine/call_state_test.cpp engine/business_hours_test.cpp
                            engine/dialogue_test.cpp engine/dialogue_shipped_test.cpp
                            engine/call_service_test.cpp
                            engine/pack_test.cpp engine/metamorphic_test.cpp
                            engine/escalation_matching_test.cpp)
target_link_libraries(engine_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES engine_tests)
