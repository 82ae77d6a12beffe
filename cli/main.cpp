// voiceops: the command-line front end. Parsing and dispatch only; the work is in libvoiceops.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using voiceops::ExitStatus;
  using voiceops::to_int;
  voiceops::cli::Context context;
  CLI::App app;
  try {
    voiceops::cli::build_cli(app, context);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 reports its own codes (100+); scripts rely on sysexits, so a parse error is EX_USAGE.
    const int code = app.exit(error);
    return code == 0 ? 0 : to_int(ExitStatus::usage);
  }
  try {
    if (!context.action) return to_int(ExitStatus::usage);
    const ExitStatus status = context.action();
    // Output that never arrived (a full disk, a closed stdout) is a failed command, not a
    // success: scripts piping voiceops must be able to tell.
    std::cout.flush();
    if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
      std::fprintf(stderr, "voiceops: cannot write the output: %s\n",
                   errno != 0 ? std::strerror(errno) : "write error");
      return to_int(ExitStatus::io_error);
    }
    return to_int(status);
  } catch (const std::bad_alloc&) {
    std::fputs("voiceops: out of memory\n", stderr);
    return to_int(ExitStatus::internal);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "voiceops: internal error: %s\n", error.what());
    return to_int(ExitStatus::internal);
  }
}
