#include "common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/error.h"

namespace shapeq {

void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  const std::string temp = path.string() + ".tmp." + std::to_string(getpid());
  auto fail = [&](const std::string& what) {
    int saved = errno;
    unlink(temp.c_str());
    return Error(ExitCode::kEnvironment, path.string() + ": " + what + ": " + std::strerror(saved));
  };
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(ExitCode::kEnvironment, path.string() + ": cannot create: " + std::strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      throw fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    close(fd);
    throw fail("fsync failed");
  }
  if (close(fd) != 0) throw fail("close failed");
  if (rename(temp.c_str(), path.c_str()) != 0) throw fail("rename failed");
}

}  // namespace shapeq
