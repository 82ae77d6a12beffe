#include "base/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.hpp"
#include "base/utf8.hpp"

namespace voiceops {
namespace {

InputError open_error(const std::string& path, int error_number) {
  InputError error;
  error.message = "cannot open '" + path + "': " + std::strerror(error_number);
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      error.status = ExitStatus::no_input;
      error.rule = "missing-file";
      error.hint = "check the path; relative paths are taken from the current directory";
      break;
    case EACCES:
    case EPERM:
      error.status = ExitStatus::permission;
      error.rule = "permission";
      error.hint = "make the file readable by this user (ls -l shows its mode and owner)";
      break;
    default:
      error.status = ExitStatus::io_error;
      error.rule = "io-error";
      error.hint = "the file system reported an error while opening the file";
  }
  return error;
}

}  // namespace

Result<std::string, InputError> read_input_file(const std::string& path, std::size_t max_bytes,
                                                Streams streams) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) return unexpected(open_error(path, errno));

  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return unexpected(open_error(path, errno));
  if (streams == Streams::refused && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
    return unexpected(InputError{ExitStatus::no_input,
                                 "not-a-file",
                                 "'" + path + "' is not a regular file (a FIFO, socket or device)",
                                 "save the text to a file and name that file",
                                 {}});
  }
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  if (S_ISDIR(info.st_mode)) {
    return unexpected(InputError{ExitStatus::no_input,
                                 "not-a-file",
                                 "'" + path + "' is a directory, not a file",
                                 "name the .toml file itself, e.g. " + path + "/contract.toml",
                                 {}});
  }
  auto too_large = [&](std::size_t size_seen) {
    return InputError{ExitStatus::data_error,
                      "too-large",
                      "'" + path + "' is " + (size_seen > max_bytes ? "larger than " : "") +
                          std::to_string(max_bytes / 1024) + " KiB",
                      "a contract or pack file is a few KiB; this is not one",
                      {}};
  };
  if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) > max_bytes) {
    return unexpected(too_large(static_cast<std::size_t>(info.st_size)));
  }

  std::string text;
  // A file may grow while it is read: read in chunks, never past the limit.
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      InputError error = open_error(path, errno);
      error.message = "cannot read '" + path + "': " + std::strerror(errno);
      if (errno == EISDIR) {
        error.status = ExitStatus::no_input;
        error.rule = "not-a-file";
      }
      return unexpected(std::move(error));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes) return unexpected(too_large(text.size()));
  }
  return text;
}

SourceLocation location_of_offset(std::string_view text, std::size_t offset) {
  SourceLocation where;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

std::optional<InputError> check_text(std::string_view text) {
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return InputError{ExitStatus::data_error, "encoding", "binary data (a NUL byte) in a text file",
                      "this looks like a binary file; a contract is UTF-8 TOML text",
                      location_of_offset(text, nul)};
  }
  if (const auto bad = find_invalid_utf8(text)) {
    return InputError{ExitStatus::data_error, "encoding", "invalid UTF-8 byte sequence",
                      "save the file as UTF-8 (iconv -f LATIN1 -t UTF-8 converts Latin-1)",
                      location_of_offset(text, *bad)};
  }
  return std::nullopt;
}

}  // namespace voiceops
