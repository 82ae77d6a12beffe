# Understanding what callers say (nlu.hpp): rules only, no I/O.
target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/answers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/concepts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/concepts_find.cpp
  ${CMAKE_CURRENT_LIST_DIR}/datetime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intents.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matching.cpp
  ${CMAKE_CURRENT_LIST_DIR}/names.cpp
  ${CMAKE_CURRENT_LIST_DIR}/normalize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/numbers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/phone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/speak.cpp
  ${CMAKE_CURRENT_LIST_DIR}/turn_taking.cpp
  ${CMAKE_CURRENT_LIST_DIR}/word_forms.cpp)
# Snowball word forms (libstemmer-dev ships no pkg-config file).
find_path(STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(STEMMER_LIBRARY NAMES libstemmer.a stemmer REQUIRED)  # static: no start-up cost
target_include_directories(voiceops_core PRIVATE ${STEMMER_INCLUDE_DIR})
target_link_libraries(voiceops_core PUBLIC ${STEMMER_LIBRARY})
