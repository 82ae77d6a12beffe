#pragma once
// Where a visit goes on a booking calendar: the day the caller asked for, in the arrival window
// they chose ("morning", 08:00-12:00 local), as the UTC times Odoo stores, in the contract's
// time zone. A day the business does not book, a holiday, an unknown window or one already begun
// is refused with a reason, before anything is asked of Odoo.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "contract/model.hpp"

namespace voiceops::ops {

struct VisitWindow {
  std::int64_t start = 0, stop = 0;  // Unix seconds
};

// `day` is the answer as the understanding gives it ("2026-12-08", maybe with a time after it);
// `window_name` the chosen window, matched without regard to case. The days booked are the
// mapping's `days`, or else the days [hours] opens.
Result<VisitWindow, std::string> resolve_visit_window(const contract::ToolCallMapping& mapping,
                                                      const contract::BusinessHours& hours,
                                                      std::string_view day,
                                                      std::string_view window_name,
                                                      std::chrono::sys_seconds now);

}  // namespace voiceops::ops
