target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/business_hours.cpp
  ${CMAKE_CURRENT_LIST_DIR}/call_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/corrections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cost.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dialogue.cpp
  ${CMAKE_CURRENT_LIST_DIR}/escalation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/escalation_matching.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events.cpp
  ${CMAKE_CURRENT_LIST_DIR}/flow.cpp
  ${CMAKE_CURRENT_LIST_DIR}/form_filling.cpp
  ${CMAKE_CURRENT_LIST_DIR}/identification.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intent_choice.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prepared_contract.cpp
  ${CMAKE_CURRENT_LIST_DIR}/slot_values.cpp
  ${CMAKE_CURRENT_LIST_DIR}/speech.cpp
  ${CMAKE_CURRENT_LIST_DIR}/summary.cpp
  ${CMAKE_CURRENT_LIST_DIR}/turn.cpp
  ${CMAKE_CURRENT_LIST_DIR}/utterance_cues.cpp
)
find_package(date REQUIRED)
find_package(pugixml REQUIRED)
target_link_libraries(voiceops_core PUBLIC date::date-tz pugixml::pugixml)
