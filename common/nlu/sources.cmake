# Understanding what callers say (nlu.hpp): rules only, no I/O.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/answers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/concepts.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/concepts_find.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/datetime.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/intents.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/matching.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/names.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/normalize.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/numbers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/phone.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/scope.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/speak.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/turn_taking.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/nlu/word_forms.cpp)
# Snowball word forms (libstemmer-dev ships no pkg-config file).
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY NAMES libstemmer.a stemmer REQUIRED)  # static: no start-up cost
target_include_directories(voiceops_core PRIVATE ${STEMMER_INCLUDE_DIR})
target_link_libraries(voiceops_core PUBLIC ${STEMMER_LIBRARY})
