// The Ops line: who is calling. Caller ID names a person when the phone is theirs alone; a
// shared or borrowed phone needs the caller's name, and a name on someone else's phone needs the
// person's PIN.
#include <algorithm>

#include "crypto/pin_hash.hpp"
#include "engine/turn.hpp"

namespace voiceops::engine {

std::vector<const contract::Person*> Dialogue::Turn::people_on(const std::string& phone) const {
  std::vector<const contract::Person*> out;
  if (!d_.directory_) return out;
  for (const auto& p : d_.directory_->people) {
    for (const auto& number : p.phones) {
      if (number.value == phone) out.push_back(&p);
    }
  }
  return out;
}

void Dialogue::Turn::identified(const contract::Person& person, const std::string& lead_in) {
  s_.person_id = person.id;
  s_.person_name = person.name.value;
  s_.slots["caller_name"] = {person.name.value, true};
  if (!person.roles.empty()) s_.slots["role"] = {person.roles.front().value, true};
  s_.phase = Phase::choose_intent;
  const std::string first = person.name.value.substr(0, person.name.value.find(' '));
  // The flow may be named already: before the name ("morning check in", then "it's tyler") or
  // with it ("it's dee, closing out job two six oh one eight").
  if (!s_.intent.empty() && may_use(s_.intent)) {
    say(lead_in + "Hi " + first + ".");
    return start_intent(s_.intent, identifying_);
  }
  if (identifying_) {
    const auto ranked = rank_candidates(*identifying_);
    if (!ranked.empty() && ranked.front().score >= d_.settings_.min_intent_score) {
      say(lead_in + "Hi " + first + ".");
      // "it's tyler, my check didn't land": an out-of-scope question, said with the name.
      if (ranked.front().id[0] == '\x01') {
        route_out_of_scope(ranked.front().id.substr(1), identifying_->text);
        return;
      }
      return start_intent(ranked.front().id, identifying_);
    }
  }
  s_.intent.clear();
  // The contract's greeting already asks what the call is for; otherwise offer the role's flows.
  if (!opening_.empty()) return gather_raw("Hi " + first + ". " + opening_);
  gather_raw(lead_in + "Hi " + first + ". What are we doing: " + flow_menu(person) + "?");
}

std::string Dialogue::Turn::flow_menu(const contract::Person& person) const {
  std::vector<std::string> flows;
  for (const auto& role : c_.roles) {
    const bool has_role = std::any_of(person.roles.begin(), person.roles.end(),
                                      [&](const contract::Text& r) { return r.value == role.id; });
    if (!has_role) continue;
    for (const auto& f : role.flows) {
      if (std::find(flows.begin(), flows.end(), f.value) == flows.end()) flows.push_back(f.value);
    }
  }
  std::string menu;
  for (std::size_t i = 0; i < flows.size(); ++i) {
    std::string name = flows[i];
    std::replace(name.begin(), name.end(), '_', ' ');
    if (i > 0) menu += i + 1 == flows.size() ? ", or " : ", ";
    menu += name;
  }
  return menu.empty() ? "how can I help" : menu;
}

void Dialogue::Turn::identify_by_caller_id(const std::string& opening) {
  const auto people = people_on(s_.from);
  if (people.size() == 1 && !(people[0]->shared_phone && c_.identification.confirm_shared_phone)) {
    opening_ = opening;
    return identified(*people[0], "");
  }
  s_.phase = Phase::identify;
  if (!people.empty()) {
    std::string names;
    for (std::size_t i = 0; i < people.size(); ++i) {
      if (i > 0) names += i + 1 == people.size() ? " or " : ", ";
      names += people[i]->name.value.substr(0, people[i]->name.value.find(' '));
    }
    return gather_raw(opening + " Who's calling: " + names + "?");
  }
  if (c_.identification.pin_fallback) {
    s_.phase = Phase::identify_pin;
    return gather_raw(opening + " I don't recognise this number. Please key in your staff PIN.");
  }
  return gather_raw(opening + " I don't recognise this number. What's your name?");
}

void Dialogue::Turn::identify_answer(const Analysis& a) {
  const std::string& text = a.text;
  identifying_ = &a;
  // "this is dee, i'm on rob's phone": match a directory name said by the caller.
  if (!d_.directory_) return fallback();
  const contract::Person* match = nullptr;
  std::size_t match_at = std::string::npos;
  for (const auto& staff : d_.staff_names_) {
    if (nlu::mentions(text, staff.full) || nlu::mentions(text, staff.first)) {
      // The first name said wins over the phone's owner mentioned later ("rob's phone").
      if (!match || text.find(staff.first) < match_at) {
        match = staff.person;
        match_at = text.find(staff.first);
      }
    }
  }
  if (!match) {
    // "yeah morning check in": the flow, but not the name. Keep the flow for after the name.
    const auto ranked = rank_candidates(a);
    if (!ranked.empty() && ranked.front().id[0] != '\x01' &&
        ranked.front().score >= d_.settings_.min_intent_score) {
      s_.intent = ranked.front().id;
    }
    return failed_attempt("Sorry, I didn't get your name. ");
  }
  const auto on_phone = people_on(s_.from);
  const bool phone_is_theirs = std::find(on_phone.begin(), on_phone.end(), match) != on_phone.end();
  if (phone_is_theirs || !c_.identification.pin_fallback) return identified(*match, "");
  // Someone else's phone: a name is not enough, ask for the PIN.
  s_.person_id = match->id;
  s_.phase = Phase::identify_pin;
  s_.attempts = 0;
  gather_raw("Thanks. Please key in your staff PIN.");
}

// "this is dee, i'm on rob's phone" after caller ID matched Rob: the call is Dee's, and on a
// phone that is not hers her name must be proved with her PIN.
bool Dialogue::Turn::switch_identity(const Analysis& a) {
  const std::string& text = a.text;
  if (!c_.workflow.internal() || !d_.directory_ || s_.person_id.empty()) return false;
  // Only a staff member's first name can switch the call: look for one before parsing a name.
  const bool any_named =
      std::any_of(d_.staff_names_.begin(), d_.staff_names_.end(), [&](const auto& staff) {
        return std::any_of(a.heard.tokens.begin(), a.heard.tokens.end(),
                           [&](const auto& token) { return token.text == staff.first; });
      });
  if (!any_named) return false;
  const auto name = nlu::extract_name(text);
  if (!name) return false;
  const std::string said = nlu::normalize(*name);
  const std::string said_first = said.substr(0, said.find(' '));
  const contract::Person* named = nullptr;
  for (const auto& staff : d_.staff_names_) {
    if (said == staff.full || said_first == staff.first) {
      named = staff.person;
      break;
    }
  }
  if (!named || named->id == s_.person_id) return false;
  const auto on_phone = people_on(s_.from);
  const bool phone_is_theirs = std::find(on_phone.begin(), on_phone.end(), named) != on_phone.end();
  // Mid-flow on a phone that is also theirs ("oh wait, it's dee not tyler, and yes i'm on the
  // clock"): the call is Dee's from here, and the rest of what she said still answers.
  if (s_.phase == Phase::ask || s_.phase == Phase::confirm) {
    if (!phone_is_theirs) return false;
    s_.person_id = named->id;
    s_.person_name = named->name.value;
    s_.slots["caller_name"] = {named->name.value, true};
    if (!named->roles.empty()) s_.slots["role"] = {named->roles.front().value, true};
    say("Got it, " + named->name.value.substr(0, named->name.value.find(' ')) + ".");
    return false;
  }
  s_.slots.erase("caller_name");
  s_.slots.erase("role");
  s_.person_name.clear();
  if (phone_is_theirs || !c_.identification.pin_fallback) {
    identifying_ = &a;
    identified(*named, "");
    return true;
  }
  s_.person_id = named->id;
  s_.phase = Phase::identify_pin;
  s_.attempts = 0;
  const std::string first = named->name.value.substr(0, named->name.value.find(' '));
  gather_raw("Thanks, " + first + ". Please key in your staff PIN.");
  return true;
}

// Someone with several roles says which hat they are wearing: "install manager check in".
void Dialogue::Turn::pick_role_named(const std::string& text) {
  const contract::Person* person = d_.directory_ ? d_.directory_->person(s_.person_id) : nullptr;
  if (!person || person->roles.size() < 2) return;
  for (const auto& role_id : person->roles) {
    std::string spoken = role_id.value;
    std::replace(spoken.begin(), spoken.end(), '_', ' ');
    const contract::Role* role = nullptr;
    for (const auto& r : c_.roles) {
      if (r.id == role_id.value) role = &r;
    }
    if (nlu::mentions(text, spoken) || (role && nlu::mentions(text, role->title.value))) {
      s_.slots["role"] = {role_id.value, true};
      return;
    }
  }
}

void Dialogue::Turn::check_pin(const std::string& digits) {
  const contract::Person* person = nullptr;
  if (d_.directory_) {
    if (!s_.person_id.empty()) {
      person = d_.directory_->person(s_.person_id);
      if (person &&
          (person->pin_hash.value.empty() || !crypto::verify_pin(digits, person->pin_hash.value))) {
        person = nullptr;
      }
    } else {
      for (const auto& p : d_.directory_->people) {
        if (!p.pin_hash.value.empty() && crypto::verify_pin(digits, p.pin_hash.value)) {
          person = &p;
          break;
        }
      }
    }
  }
  if (person) return identified(*person, "Thanks. ");
  if (++s_.attempts >= c_.identification.max_pin_attempts) return fallback();
  gather_raw("That PIN didn't match. Please try again.");
}

// On the Ops line a caller may use only the flows of their roles.
bool Dialogue::Turn::may_use(const std::string& intent) const {
  if (!c_.workflow.internal() || s_.person_id.empty() || !d_.directory_) return true;
  const contract::Person* person = d_.directory_->person(s_.person_id);
  if (!person) return true;
  for (const auto& role_id : person->roles) {
    for (const auto& role : c_.roles) {
      if (role.id != role_id.value) continue;
      for (const auto& flow : role.flows) {
        if (flow.value == intent) return true;
      }
    }
  }
  return false;
}

}  // namespace voiceops::engine
