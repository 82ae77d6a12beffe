# Understanding callers (common/nlu): one binary for all of it.
add_executable(nlu_tests
  unit/nlu_normalize_test.cpp
  unit/nlu_numbers_test.cpp
  unit/nlu_slots_test.cpp
  unit/nlu_datetime_test.cpp
  unit/nlu_matching_test.cpp
  unit/nlu_turn_taking_test.cpp
  unit/nlu_speak_test.cpp
  unit/nlu_callers_test.cpp
  unit/nlu_concepts_test.cpp)
target_link_libraries(nlu_tests PRIVATE voiceops_test_support Catch2::Catch2WithMain)
list(APPEND VOICEOPS_TEST_BINARIES nlu_tests)
