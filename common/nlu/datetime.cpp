// Dates and times relative to the call's local wall time: pure calendar arithmetic (date.h, no
// time zones).
#include <date/date.h>
#include <fmt/format.h>

#include "nlu/detail.hpp"
#include "nlu/nlu.hpp"

namespace voiceops::nlu {

std::string LocalDateTime::text() const {
  std::string out = fmt::format("{:04}-{:02}-{:02}", year, month, day);
  if (hour >= 0) {
    out += fmt::format(" {:02}:{:02}", hour, minute);
  } else if (!part_of_day.empty()) {
    out += " " + part_of_day;
  }
  return out;
}

namespace {

using detail::is_one_of;

enum class Meridiem { none, am, pm };

struct ClockTime {
  int hour = 0, minute = 0;
  Meridiem meridiem = Meridiem::none;
  bool typed_24h = false;  // "15:00", "00:30": the hour is already on the 24-hour clock
};

class DateTimeReader {
 public:
  DateTimeReader(const detail::Tokens& tokens, date::sys_days today)
      : words_(detail::words_of(tokens)), used_(words_.size(), false), today_(today) {
    for (const auto& run : detail::number_runs(words_)) {
      for (const auto& segment : run.segments) segments_.push_back(segment);
    }
  }

  std::optional<LocalDateTime> read() {
    for (std::size_t i = 0; i < words_.size(); ++i) read_date_at(i);
    read_clock_phrases();
    read_numeric_times();
    if (!date_ && !time_ && part_.empty()) return std::nullopt;

    const date::year_month_day ymd{date_.value_or(today_)};
    LocalDateTime out;
    out.year = static_cast<int>(ymd.year());
    out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    if (time_) {
      out.hour = resolve_hour(*time_);
      out.minute = time_->minute;
    } else {
      out.part_of_day = part_;
    }
    return out;
  }

 private:
  std::string_view at(std::size_t i) const {
    return i < words_.size() ? std::string_view(words_[i]) : std::string_view{};
  }

  bool starts_with(std::size_t i, std::string_view phrase) const {
    const std::vector<std::string> wanted = tokens(phrase);
    for (std::size_t k = 0; k < wanted.size(); ++k) {
      if (at(i + k) != wanted[k]) return false;
    }
    return !wanted.empty();
  }

  void use(std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end && i < used_.size(); ++i) used_[i] = true;
  }

  const detail::NumberSegment* segment_at(std::size_t i) const {
    for (const auto& s : segments_) {
      if (s.begin == i) return &s;
    }
    return nullptr;
  }

  // --- dates -------------------------------------------------------------------------------------

  void read_date_at(std::size_t i) {
    const std::string_view w = at(i);
    if (starts_with(i, "day after tomorrow")) {
      date_ = today_ + date::days{2};
      use(i, i + 3);
    } else if (w == "tomorrow" && !(i > 0 && used_[i - 1])) {
      date_ = today_ + date::days{1};
      use(i, i + 1);
    } else if (w == "today") {
      date_ = today_;
    } else if (w == "tonight") {
      date_ = today_;
      part_ = "evening";
    } else if (is_one_of(w, {"morning", "afternoon", "evening", "night"})) {
      part_ = w == "night" ? "evening" : std::string(w);
      if (i > 0 && at(i - 1) == "this") date_ = today_;
    } else if (starts_with(i, "after lunch") || starts_with(i, "after noon")) {
      part_ = "afternoon";  // "the fourteenth, after lunch"
      use(i, i + 2);
    } else if (starts_with(i, "before lunch") || starts_with(i, "before noon")) {
      part_ = "morning";
      use(i, i + 2);
    } else if (starts_with(i, "first thing")) {
      part_ = "morning";  // "first thing tomorrow": the words stay free for the day after them
    } else if (const auto weekday = detail::weekday_index(w)) {
      read_weekday(i, *weekday);
    } else if (const auto month = detail::month_number(w)) {
      read_month_day(i, *month);
    } else if (const auto ordinal = detail::ordinal_at(words_, i); ordinal && !used_[i]) {
      read_ordinal_day(i, *ordinal);
    } else if (w == "in") {
      read_days_from_now(i);
    }
  }

  // "tuesday" and "next tuesday": the next one after today; "this friday": today if it is Friday.
  void read_weekday(std::size_t i, int weekday) {
    if (i > 0 && at(i - 1) == "last") return;
    const date::weekday today_weekday{today_};
    auto ahead = (date::weekday{static_cast<unsigned>(weekday)} - today_weekday).count();
    const bool this_one = i > 0 && at(i - 1) == "this";
    if (ahead == 0 && !this_one) ahead = 7;
    date_ = today_ + date::days{ahead};
    use(i, i + 1);
  }

  std::optional<int> day_number_at(std::size_t i) const {
    if (const auto ordinal = detail::ordinal_at(words_, i)) return ordinal->value;
    if (const auto* s = segment_at(i); s && s->value >= 1 && s->value <= 31) {
      return static_cast<int>(s->value);
    }
    return std::nullopt;
  }
  std::size_t day_number_end(std::size_t i) const {
    if (const auto ordinal = detail::ordinal_at(words_, i)) return i + ordinal->length;
    if (const auto* s = segment_at(i)) return s->end;
    return i + 1;
  }

  // "november 24", "november twenty fourth", "december the first", "november 24 2026".
  void read_month_day(std::size_t i, int month) {
    std::size_t d = i + 1;
    if (at(d) == "the") ++d;
    const auto day = day_number_at(d);
    if (!day) return;  // "may" is usually the verb
    std::size_t end = day_number_end(d);
    std::optional<int> year;
    if (const auto* s = segment_at(end);
        s && !s->from_words && s->value >= 1900 && s->value < 2200) {
      year = static_cast<int>(s->value);
      end = s->end;
    }
    if (const auto resolved = on_month_day(month, *day, year)) {
      date_ = *resolved;
      use(i, end);
    }
  }

  // "the thirtieth", "the 21st of november", "21st": a day this month, or next month if past.
  void read_ordinal_day(std::size_t i, detail::Ordinal ordinal) {
    const bool typed = at(i).front() >= '0' && at(i).front() <= '9';
    std::size_t end = i + ordinal.length;
    std::optional<int> month;
    if (at(end) == "of" && detail::month_number(at(end + 1))) {
      month = detail::month_number(at(end + 1));
      end += 2;
    }
    if (!typed && !month && !(i > 0 && at(i - 1) == "the")) return;  // "first thing", "a third"
    if (ordinal.value < 1 || ordinal.value > 31) return;
    const auto resolved =
        month ? on_month_day(*month, ordinal.value, std::nullopt) : on_day_of_month(ordinal.value);
    if (resolved) {
      date_ = *resolved;
      use(i, end);
    }
  }

  // "in 3 days", "in a week", "in a couple of days".
  void read_days_from_now(std::size_t i) {
    std::size_t k = i + 1;
    long long count = 0;
    if (starts_with(k, "a couple of") || starts_with(k, "a couple")) {
      count = 2;
      k += at(k + 2) == "of" ? 3 : 2;
    } else if (at(k) == "a" || at(k) == "an") {
      count = 1;
      ++k;
    } else if (const auto* s = segment_at(k); s && s->value > 0 && s->value < 400) {
      count = s->value;
      k = s->end;
    } else {
      return;
    }
    const std::string unit = detail::word_key(at(k));
    if (unit == "day") {
      date_ = today_ + date::days{count};
    } else if (unit == "week") {
      date_ = today_ + date::days{7 * count};
    } else {
      return;
    }
    use(i, k + 1);
  }

  std::optional<date::sys_days> on_day_of_month(int day) const {
    const date::year_month_day now{today_};
    const date::year_month this_month{now.year(), now.month()};
    for (int ahead = 0; ahead <= 12; ++ahead) {
      const date::year_month month = this_month + date::months{ahead};
      const date::year_month_day candidate{month.year(), month.month(),
                                           date::day{static_cast<unsigned>(day)}};
      if (candidate.ok() && date::sys_days{candidate} >= today_) return date::sys_days{candidate};
    }
    return std::nullopt;
  }

  std::optional<date::sys_days> on_month_day(int month, int day, std::optional<int> year) const {
    const date::year_month_day now{today_};
    const auto on = [&](date::year y) {
      return date::year_month_day{y, date::month{static_cast<unsigned>(month)},
                                  date::day{static_cast<unsigned>(day)}};
    };
    date::year_month_day candidate = on(year ? date::year{*year} : now.year());
    if (!year && candidate.ok() && date::sys_days{candidate} < today_) {
      candidate = on(now.year() + date::years{1});
    }
    if (!candidate.ok()) return std::nullopt;
    return date::sys_days{candidate};
  }

  // --- times -------------------------------------------------------------------------------------

  bool is_free_segment(const detail::NumberSegment& s) const {
    for (std::size_t i = s.begin; i < s.end; ++i) {
      if (used_[i]) return false;
    }
    return true;
  }

  std::optional<int> hour_at(std::size_t i) const {
    const auto* s = segment_at(i);
    if (!s || !is_free_segment(*s) || s->value < 0) return std::nullopt;
    const bool typed = !s->from_words;
    if (typed && (s->digits.size() > 2 || s->value > 23)) return std::nullopt;
    if (!typed && (s->value < 1 || s->value > 12)) return std::nullopt;
    return static_cast<int>(s->value);
  }

  // am/pm said right after the time, or by the part of the day.
  Meridiem meridiem_after(std::size_t i) const {
    if (at(i) == "am" || (at(i) == "a" && at(i + 1) == "m")) return Meridiem::am;
    if (at(i) == "pm" || (at(i) == "p" && at(i + 1) == "m")) return Meridiem::pm;
    if (at(i) == "o'clock") return meridiem_after(i + 1);
    if (starts_with(i, "in the morning") || starts_with(i, "this morning")) return Meridiem::am;
    if (starts_with(i, "in the afternoon") || starts_with(i, "in the evening") ||
        starts_with(i, "this afternoon") || starts_with(i, "this evening") ||
        starts_with(i, "at night") || at(i) == "tonight") {
      return Meridiem::pm;
    }
    return Meridiem::none;
  }

  // "half past two", "quarter to four", "ten after three", "noon", "midnight".
  void read_clock_phrases() {
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const std::string_view w = at(i);
      if (w == "noon" || w == "midday") {
        time_ = ClockTime{12, 0, Meridiem::none, true};
      } else if (w == "midnight") {
        time_ = ClockTime{0, 0, Meridiem::none, true};
      } else if (is_one_of(w, {"past", "after", "to", "till", "of"}) && i > 0) {
        read_relative_clock(i);
      }
    }
  }

  void read_relative_clock(std::size_t i) {
    const std::string_view w = at(i);
    const auto hour = hour_at(i + 1);
    if (!hour) return;
    std::optional<int> minutes;
    std::size_t minutes_begin = i - 1;
    if (at(i - 1) == "half" && (w == "past" || w == "after")) {
      minutes = 30;
    } else if (at(i - 1) == "quarter") {
      minutes = 15;
    } else {
      std::size_t end = i;
      if (at(end - 1) == "minutes" && end >= 2) --end;
      for (const auto& s : segments_) {
        if (s.end == end && s.value >= 1 && s.value <= 59 && is_free_segment(s)) {
          minutes = static_cast<int>(s.value);
          minutes_begin = s.begin;
        }
      }
      // "from 10 to 2" is a range, "ten to five" a time.
      if (minutes && w != "past" && w != "after" &&
          (!is_one_of(std::to_string(*minutes), {"5", "10", "20", "25"}) ||
           (minutes_begin > 0 && is_one_of(at(minutes_begin - 1), {"from", "between"})))) {
        return;
      }
    }
    if (!minutes || (w == "of" && at(i - 1) != "quarter")) return;
    const auto* hour_segment = segment_at(i + 1);
    ClockTime t{*hour, *minutes, meridiem_after(hour_segment->end), false};
    if (w == "to" || w == "till" || w == "of") {
      t.hour = *hour == 1 ? 12 : *hour - 1;
      t.minute = 60 - *minutes;
    }
    time_ = t;
    use(minutes_begin, hour_segment->end);
  }

  // "at 3", "after 5", "9 am", "two thirty", "3:30", "seven in the evening".
  void read_numeric_times() {
    for (std::size_t i = 0; i < words_.size(); ++i) {
      if (used_[i]) continue;
      const std::string_view w = at(i);
      if (const auto colon = w.find(':'); colon != std::string_view::npos) {
        read_typed_clock(i, w.substr(0, colon), w.substr(colon + 1));
        continue;
      }
      const auto hour = hour_at(i);
      if (!hour) continue;
      const auto* hour_segment = segment_at(i);
      std::size_t end = hour_segment->end;
      std::optional<int> minute;
      if (const auto* next = segment_at(end); next && is_free_segment(*next)) {
        const bool two_digits = next->from_words || next->digits.size() == 2;
        if (next->digits == "0" && next->from_words) {  // "two oh five"
          if (const auto* after = segment_at(next->end);
              after && after->value >= 1 && after->value <= 9) {
            minute = static_cast<int>(after->value);
            end = after->end;
          }
        } else if (two_digits && next->value >= 10 && next->value <= 59) {
          minute = static_cast<int>(next->value);
          end = next->end;
        }
      }
      if (is_one_of(at(end), {"minutes", "minute", "hours", "hour", "days", "day", "weeks", "week",
                              "degrees", "years", "year", "months", "times", "percent", "dollars",
                              "people", "kids", "of"})) {
        continue;
      }
      const Meridiem meridiem = meridiem_after(end);
      const bool cued =
          i > 0 &&
          is_one_of(at(i - 1), {"at", "after", "before", "around", "about", "by", "till", "until",
                                "from", "between", "say", "like", "than", "earliest", "latest"});
      if (!cued && !minute && meridiem == Meridiem::none && at(end) != "o'clock") continue;
      // A bare "two thirty" is a time when nothing else follows it: in "one twenty three main
      // street" it is a house number.
      if (!cued && meridiem == Meridiem::none && at(end) != "o'clock" && end < words_.size() &&
          !is_one_of(at(end), {"today", "tomorrow", "tonight", "on", "this", "next", "is", "works",
                               "would", "please", "then", "or", "and", "if", "okay"})) {
        continue;
      }
      time_ = ClockTime{*hour, minute.value_or(0), meridiem,
                        !hour_segment->from_words && (*hour == 0 || *hour > 12)};
      use(i, end);
      i = end - 1;
    }
  }

  void read_typed_clock(std::size_t i, std::string_view hours, std::string_view minutes) {
    if (!detail::is_digits(hours) || !detail::is_digits(minutes) || hours.size() > 2 ||
        minutes.size() != 2) {
      return;
    }
    const auto number = [](std::string_view digits) {
      int value = 0;
      for (const char c : digits) value = value * 10 + (c - '0');
      return value;
    };
    const int hour = number(hours);
    const int minute = number(minutes);
    if (hour > 23 || minute > 59) return;
    const bool typed_24h = hour == 0 || hour > 12 || (hours.size() == 2 && hours[0] == '0');
    time_ = ClockTime{hour, minute, meridiem_after(i + 1), typed_24h};
    use(i, i + 1);
  }

  int resolve_hour(const ClockTime& t) const {
    if (t.typed_24h) return t.hour;
    Meridiem meridiem = t.meridiem;
    if (meridiem == Meridiem::none && part_ == "morning") meridiem = Meridiem::am;
    if (meridiem == Meridiem::none && (part_ == "afternoon" || part_ == "evening")) {
      meridiem = Meridiem::pm;
    }
    if (meridiem == Meridiem::am) return t.hour == 12 ? 0 : t.hour;
    if (meridiem == Meridiem::pm) return t.hour == 12 ? 12 : t.hour + 12;
    // Business hours: 1-6 without am/pm is afternoon, 7-11 morning, 12 noon.
    return t.hour >= 1 && t.hour <= 6 ? t.hour + 12 : t.hour;
  }

  std::vector<std::string> words_;
  std::vector<bool> used_;
  std::vector<detail::NumberSegment> segments_;
  date::sys_days today_;
  std::optional<date::sys_days> date_;
  std::optional<ClockTime> time_;
  std::string part_;
};

}  // namespace

std::optional<LocalDateTime> extract_datetime(std::string_view utterance,
                                              std::chrono::sys_seconds now_local) {
  const date::sys_days today = date::floor<date::days>(now_local);
  return DateTimeReader(detail::normalize_tokens(utterance), today).read();
}

}  // namespace voiceops::nlu
