#include "base/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/unique_fd.hpp"

namespace voiceops {
namespace {

WriteError error_for(const std::string& what, int error_number) {
  WriteError error;
  error.status = (error_number == EACCES || error_number == EPERM || error_number == EROFS)
                     ? ExitStatus::permission
                     : ExitStatus::io_error;
  error.message = what + ": " + std::strerror(error_number);
  return error;
}

}  // namespace

Result<Unit, WriteError> write_file_atomically(const std::string& path, std::string_view contents,
                                               bool replace, unsigned mode) {
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (!replace) {
      return unexpected(WriteError{ExitStatus::check_failed,
                                   "'" + path + "' already exists (use --force to replace it)"});
    }
    if (S_ISDIR(existing.st_mode)) {
      return unexpected(WriteError{ExitStatus::io_error, "'" + path + "' is a directory"});
    }
    mode = existing.st_mode & 07777;
  }
  const std::filesystem::path target(path);
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  UniqueFd fd(::mkstemp(temp.data()));
  if (!fd) return unexpected(error_for("cannot create a file in '" + folder.string() + "'", errno));
  auto fail = [&](const std::string& what) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return unexpected(error_for(what, saved));
  };
  if (::fchmod(fd.get(), mode) != 0) return fail("cannot set the mode of '" + temp + "'");
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write '" + temp + "'");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot flush '" + temp + "'");
  fd.reset();
  if (replace) {
    if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot replace '" + path + "'");
  } else {
    // link() refuses an existing target, closing the gap between the stat() above and now.
    if (::link(temp.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) {
        ::unlink(temp.c_str());
        return unexpected(WriteError{ExitStatus::check_failed,
                                     "'" + path + "' already exists (use --force to replace it)"});
      }
      return fail("cannot create '" + path + "'");
    }
    ::unlink(temp.c_str());
  }
  // Make the rename itself durable.
  UniqueFd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
  return Unit{};
}

}  // namespace voiceops
