# The SQLite store, driven through the same webhook handlers the daemon serves.
add_executable(store_tests store/call_store_test.cpp store/store_faults_test.cpp)
target_link_libraries(store_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES store_tests)
