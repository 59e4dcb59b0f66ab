#pragma once
// Where the parts shapeq runs besides itself live. An installed tree is relocatable: from
// PREFIX/bin/shapeq the catalogs are PREFIX/share/shapeq/profiles and the programs it runs
// (the data-path benchmark, fio's ioengine) PREFIX/lib/shapeq/, wherever PREFIX is (a .deb's /usr,
// cmake --install's prefix, an unpacked package). A build tree has none of those beside its
// binary, so the paths this build made are used. Environment overrides come first, in callers.
#include <string>

namespace shapeq {

// PREFIX/`relative` when it exists beside the running executable, else `build_path` (which may be "").
std::string InstalledOr(const std::string& relative, const std::string& build_path);

}  // namespace shapeq
