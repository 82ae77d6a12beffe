# Understanding what callers say (nlu.hpp): rules only, no I/O.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/answers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/datetime.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/intents.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/matching.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/names.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/normalize.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/numbers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/phone.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/speak.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/turn_taking.cpp)
