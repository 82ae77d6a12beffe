target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/pack.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/report_writers.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/runner.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/scaffold.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/targets.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testcalls/twiml_reader.cpp)
