# Shared by scripts/test, scripts/qualify and scripts/bench: install what is missing from
# Debian (a quick no-op when everything is present), then configure and build with CMake.
# Sourced, not run. Honours SHAPEQ_BUILD_DIR (default: build/ in the repository).

SHAPEQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHAPEQ_BUILD_DIR="${SHAPEQ_BUILD_DIR:-$SHAPEQ_ROOT/build}"

# Debian packages the build and qualify need. None of them starts a service: qualify runs on the
# candidate machine and leaves nothing listening (tests/scripts/qualify_listens_test.sh).
SHAPEQ_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libhwloc-dev hwloc libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  fio bzip2 iperf3 iproute2
  libisal-dev libzstd-dev liblz4-dev liburing-dev
  prometheus-cpp-dev libcurl4-openssl-dev libssl-dev openssl
)
# Servers only the tests start (on 127.0.0.1, with their own state): scripts/test installs them.
SHAPEQ_TEST_SERVER_PACKAGES=(prometheus-pushgateway prometheus)

shapeq_install_packages() {
  local missing=()
  local pkg
  for pkg in "${SHAPEQ_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "shapeq: installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

source "$SHAPEQ_ROOT/scripts/lib/fio-source.sh"

# Every script configures the build the same way (warnings are errors on the Debian 12 compiler
# the README names; SHAPEQ_WERROR=OFF for another), so scripts/test after scripts/qualify builds
# only what qualify did not need, never the same objects again. Usage: shapeq_build [TARGET...]
shapeq_build() {
  shapeq_fio_source
  local build_type="${SHAPEQ_BUILD_TYPE:-RelWithDebInfo}"
  cmake -S "$SHAPEQ_ROOT" -B "$SHAPEQ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
    -DSHAPEQ_WERROR="${SHAPEQ_WERROR:-ON}" >/dev/null
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  cmake --build "$SHAPEQ_BUILD_DIR" --parallel "$(nproc)" "${targets[@]}"
}

# shapeq_build without its progress lines; a failed build still shows everything it said.
shapeq_build_quietly() {
  local log
  log=$(mktemp)
  if ! shapeq_build "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "shapeq: the build failed (its output is above)" >&2
    return 1
  fi
  rm -f "$log"
}
