#pragma once
// Exit statuses from sysexits(3), as documented in voiceops(1). Scripts rely on these numbers.

namespace voiceops {

enum class ExitStatus : int {
  ok = 0,
  check_failed = 1,  // the check ran and found problems
  usage = 64,        // EX_USAGE
  data_error = 65,   // EX_DATAERR: malformed input
  no_input = 66,     // EX_NOINPUT: input file missing or not a file
  unavailable = 69,  // EX_UNAVAILABLE: daemon or Odoo unreachable
  internal = 70,     // EX_SOFTWARE
  io_error = 74,     // EX_IOERR
  permission = 77,   // EX_NOPERM
  config = 78,       // EX_CONFIG
  interrupted = 130,
};

constexpr int to_int(ExitStatus status) {
  return static_cast<int>(status);
}

// With several inputs, the most severe outcome wins; the sysexits numbering happens to order them.
constexpr ExitStatus worst(ExitStatus a, ExitStatus b) {
  return to_int(a) >= to_int(b) ? a : b;
}

}  // namespace voiceops
