#pragma once
// Files written atomically: a temp file beside the target, fsync, rename. A crash or a full disk
// never leaves a half-written file under the final name, and no link or planted name in the
// directory redirects the write: the temp file is new (O_EXCL|O_NOFOLLOW, a random name) and
// everything happens through one descriptor of the directory.
#include <filesystem>
#include <string_view>

namespace shapeq {

// Throws Error(kEnvironment) naming the path when the file cannot be written completely.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace shapeq
