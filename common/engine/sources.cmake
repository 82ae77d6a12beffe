target_sources(voiceops_core PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/business_hours.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/call_state.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/corrections.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/cost.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/dialogue.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/escalation.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/escalation_matching.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/events.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/flow.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/form_filling.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/identification.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/intent_choice.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/prepared_contract.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/slot_values.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/speech.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/summary.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/turn.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/engine/utterance_cues.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/service/call_service.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/service/http_message.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/service/scripted_integrations.cpp)
find_package(date REQUIRED)
find_package(pugixml REQUIRED)
target_link_libraries(voiceops_core PUBLIC date::date-tz pugixml::pugixml)
