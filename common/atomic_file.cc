#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include "common/error.h"

namespace shapeq {

void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  auto error = [&](const std::string& what, int saved) {
    return Error(ExitCode::kEnvironment, path.string() + ": " + what + (saved ? std::string(": ") + std::strerror(saved) : ""));
  };
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  const std::string name = path.filename().string();
  if (name.empty() || name == "." || name == "..") throw error("not a file name", 0);
  // The directory is opened once; the temp file is made in it and renamed within it through that
  // descriptor, so no link and no swapped directory can send the bytes anywhere else.
  const int dir = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) throw error("cannot open its directory", errno);
  // A fresh name no one can have planted: O_EXCL fails on anything there (a link included),
  // O_NOFOLLOW on a link anyway; a clash is retried under another random name.
  std::random_device random;
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = "." + name + ".tmp." + std::to_string(getpid()) + "." + std::to_string(random());
    fd = openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    const int saved = errno;
    close(dir);
    throw error("cannot create", saved);
  }
  auto fail = [&](const std::string& what) {
    const int saved = errno;
    if (fd >= 0) close(fd);
    unlinkat(dir, temp.c_str(), 0);
    close(dir);
    return error(what, saved);
  };
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw fail("write failed");
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) throw fail("fsync failed");
  const int closed = close(fd);
  fd = -1;
  if (closed != 0) throw fail("close failed");
  if (renameat(dir, temp.c_str(), dir, name.c_str()) != 0) throw fail("rename failed");
  close(dir);
}

}  // namespace shapeq
