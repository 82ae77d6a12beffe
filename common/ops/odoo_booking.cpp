// Visits in arrival windows: availability, book and move of [tool_calls] (voiceops-contract(5)).
// A window holds `capacity` records of the model that overlap it and match the mapping's domain
// (archived ones do not count: Odoo leaves them out of searches). Odoo has no lock a caller could
// hold across requests, so a booking is written first and counted after: when the window then
// holds more than its capacity, the write is undone and the step fails. Of two callers racing
// for the last place, the one who counts last sees both and gives way; at worst both give way
// and the dispatcher calls them, but two visits never stay in a window with room for one.
#include <algorithm>

#include "ops/call_record.hpp"
#include "ops/odoo_tools.hpp"
#include "ops/visit_window.hpp"

namespace voiceops::ops {
namespace {

using connectors::odoo::Json;
using Clock = std::chrono::steady_clock;

// An undo runs even when the step's time is nearly spent: leaving a booking in a full window is
// worse than answering the carrier a second later (the step's budget is at most 12 s of its 15).
constexpr std::chrono::milliseconds undo_grace{1500};
// A write is not started with less than this left: its undo could not follow in time.
constexpr std::chrono::milliseconds least_to_write{1000};

std::chrono::sys_seconds system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string describe(const std::string& start, const std::string& stop) {
  return start + " to " + stop + " UTC";
}

// The caller's window, or why a visit cannot go there (a refusal, not Odoo's failure).
Result<VisitWindow, std::string> window_of(const contract::ToolCallMapping& mapping,
                                           const contract::BusinessHours& hours,
                                           const std::string& day, const std::string& window) {
  return resolve_visit_window(mapping, hours, day, window, system_now());
}

// A write done whose window could not be counted after: the step fails, "unchecked", so a
// person looks at the window.
engine::ToolResult uncounted(engine::ToolResult failed, const std::string& model, std::int64_t id,
                             std::string_view what) {
  failed.detail = "unchecked: " + model + " " + std::to_string(id) + " " + std::string(what) +
                  " could not be counted: " + failed.detail;
  return failed;
}

std::string places(std::int64_t count, std::int64_t capacity) {
  return std::to_string(count) + " of " + std::to_string(capacity) + " places taken";
}

}  // namespace

engine::ToolResult OdooTools::availability(Job& job) {
  const auto window = window_of(job.mapping, job.hours, filled(job, job.mapping.day.value),
                                filled(job, job.mapping.window.value));
  if (!window) return job.failed(window.error());
  const std::string start = odoo_datetime(window->start), stop = odoo_datetime(window->stop);
  // The visit the call is moving does not take a place from itself.
  const auto count = count_in_window(job, start, stop, held_record(job));
  if (!count) return count.error();
  const std::int64_t capacity = job.mapping.capacity.value;
  if (*count >= capacity)
    return job.failed("full: " + places(*count, capacity) + ", " + describe(start, stop));
  return job.ok(places(*count, capacity) + ", " + describe(start, stop));
}

engine::ToolResult OdooTools::book(Job& job) {
  const contract::ToolCallMapping& mapping = job.mapping;
  const auto window = window_of(mapping, job.hours, filled(job, mapping.day.value),
                                filled(job, mapping.window.value));
  if (!window) return job.failed(window.error());
  if (job.left() < least_to_write)
    return job.failed("timeout: too little time left to book and check the window");
  const std::string start = odoo_datetime(window->start), stop = odoo_datetime(window->stop);
  // No count before: a full window is the availability step's to find, and a count here would
  // hold this call's own booking against it when the step runs again.
  const auto id = load_one(job, {{mapping.start_name(), start}, {mapping.stop_name(), stop}});
  if (!id) return id.error();
  const std::string& model = mapping.model.value;
  job.records.push_back({model, *id});
  const std::int64_t capacity = mapping.capacity.value;
  // The count that decides whether the booking stays gets its time even when the write used the
  // step's: an uncounted booking is one a person must check.
  job.deadline = std::max(job.deadline, Clock::now() + undo_grace);
  const auto after = count_in_window(job, start, stop, std::nullopt);
  // Booked, but whether the window overflowed is not known: a person looks.
  if (!after) return uncounted(after.error(), model, *id, "was booked but its window");
  if (*after <= capacity)
    return job.ok(model + " " + std::to_string(*id) + ", " + describe(start, stop));
  auto undone = job.odoo.call(model, "unlink", Json{{"ids", Json::array({*id})}},
                              std::max(job.left(), undo_grace));
  if (!undone) {
    return job.failed("unchecked: the window filled while booking (" + places(*after, capacity) +
                      ") and " + model + " " + std::to_string(*id) +
                      " could not be taken back: " + undone.error().message);
  }
  std::erase_if(job.records,
                [&](const engine::ToolRecord& r) { return r.model == model && r.id == *id; });
  return job.failed("full: the window filled while booking (" + places(*after, capacity) +
                    "); the booking was taken back");
}

engine::ToolResult OdooTools::move(Job& job) {
  const contract::ToolCallMapping& mapping = job.mapping;
  const std::string& model = mapping.model.value;
  const auto id = held_record(job);
  if (!id) return job.failed("not found: the call found no " + model + " to move");
  job.records.push_back({model, *id});
  const auto window = window_of(mapping, job.hours, filled(job, mapping.day.value),
                                filled(job, mapping.window.value));
  if (!window) return job.failed(window.error());
  const std::string start = odoo_datetime(window->start), stop = odoo_datetime(window->stop);
  const std::int64_t capacity = mapping.capacity.value;
  const auto before = count_in_window(job, start, stop, *id);
  if (!before) return before.error();
  if (*before >= capacity)
    return job.failed("full: " + places(*before, capacity) + ", " + describe(start, stop));
  // Where it was, to put it back if the window fills meanwhile.
  const std::string start_field = mapping.start_name(), stop_field = mapping.stop_name();
  auto old = job.odoo.call(
      model, "read",
      Json{{"ids", Json::array({*id})}, {"fields", Json::array({start_field, stop_field})}},
      job.left());
  if (!old) return job.failed(old.error());
  if (!old->is_array() || old->size() != 1 || !(*old)[0].is_object() ||
      !(*old)[0][start_field].is_string() || !(*old)[0][stop_field].is_string()) {
    return job.failed("not found: " + model + " " + std::to_string(*id) + " has no " + start_field +
                      " and " + stop_field);
  }
  const std::string old_start = (*old)[0][start_field].get<std::string>();
  const std::string old_stop = (*old)[0][stop_field].get<std::string>();
  if (job.left() < least_to_write)
    return job.failed("timeout: too little time left to move the visit and check the window");
  if (auto written = write_one(job, *id, {{start_field, start}, {stop_field, stop}}); !written)
    return written.error();
  const auto after = count_in_window(job, start, stop, std::nullopt);
  if (!after) return uncounted(after.error(), model, *id, "was moved but its new window");
  if (*after <= capacity)
    return job.ok(model + " " + std::to_string(*id) + " moved, " + describe(start, stop));
  // Back where it was. Its old place may have been taken meanwhile: counted again, so a person
  // looks when the old window now holds too many.
  job.deadline = std::max(job.deadline, Clock::now() + undo_grace);
  auto back = write_one(job, *id, {{start_field, old_start}, {stop_field, old_stop}});
  if (!back) {
    return job.failed("unchecked: the window filled while moving (" + places(*after, capacity) +
                      ") and the visit could not be put back: " + back.error().detail);
  }
  const auto old_count = count_in_window(job, old_start, old_stop, std::nullopt);
  if (!old_count || *old_count > capacity) {
    return job.failed("unchecked: the window filled while moving, and the visit's old window " +
                      std::string(old_count ? "now holds " + places(*old_count, capacity)
                                            : "could not be counted"));
  }
  return job.failed("full: the window filled while moving (" + places(*after, capacity) +
                    "); the visit stays where it was");
}

Result<std::int64_t, engine::ToolResult> OdooTools::count_in_window(
    Job& job, const std::string& start, const std::string& stop,
    std::optional<std::int64_t> left_out) {
  const contract::ToolCallMapping& mapping = job.mapping;
  // Overlapping the window: starting before it ends, ending after it starts.
  Json domain = Json::array({Json::array({mapping.start_name(), "<", stop}),
                             Json::array({mapping.stop_name(), ">", start})});
  auto filter = domain_of(job);
  if (!filter) return unexpected(std::move(filter.error()));
  for (auto& term : *filter) domain.push_back(std::move(term));
  if (left_out) domain.push_back(Json::array({"id", "!=", *left_out}));
  // search_read, not search_count: its `domain` is named alike in every Odoo version, and a
  // count past capacity + 1 changes nothing.
  auto answer = job.odoo.call(mapping.model.value, "search_read",
                              Json{{"domain", domain},
                                   {"fields", Json::array({"id"})},
                                   {"limit", mapping.capacity.value + 1}},
                              job.left());
  if (!answer) return unexpected(job.failed(answer.error()));
  if (!answer->is_array())
    return unexpected(job.failed("malformed: search_read's answer is not a list"));
  return static_cast<std::int64_t>(answer->size());
}

}  // namespace voiceops::ops
