# Fetches and configures the source of the installed fio version from Debian's archive, for the
# headers the suite's ioengine is built against (fio has no -dev package). Sourced by setup.sh.
# Uses a private sources list (deb-src only), so the system's apt configuration is untouched.
# Never fails the caller: without the source, the ioengine is not built and its tests skip.

shapeq_fio_source() {
  local version upstream codename dir
  version=$(dpkg-query -W -f='${Version}' fio 2>/dev/null) || { echo "shapeq: fio not installed: no ioengine headers"; return 0; }
  upstream=${version%-*}
  upstream=${upstream#*:}
  dir="$SHAPEQ_ROOT/third_party/fio-src"
  [ -f "$dir/fio-$upstream/config-host.h" ] && return 0
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  echo "shapeq: fetching the source of fio $version (Debian $codename) for the ioengine headers"
  mkdir -p "$dir/apt/lists/partial" "$dir/apt/parts"
  cat > "$dir/apt/sources.list" <<LIST
deb-src http://deb.debian.org/debian $codename main
deb-src http://deb.debian.org/debian $codename-updates main
deb-src http://deb.debian.org/debian-security $codename-security main
LIST
  local apt_options=(-o Dir::Etc::SourceList="$dir/apt/sources.list" -o Dir::Etc::SourceParts="$dir/apt/parts"
                     -o Dir::State::Lists="$dir/apt/lists" -o APT::Sandbox::User=root)
  if ! apt-get "${apt_options[@]}" update -qq >/dev/null 2>&1 ||
     ! (cd "$dir" && apt-get "${apt_options[@]}" source --download-only "fio=$version" >/dev/null 2>&1) ||
     ! (cd "$dir" && tar xzf "fio_$upstream.orig.tar.gz"); then
    echo "shapeq: could not fetch fio $version's source (deb-src $codename): the shapeq-datapath ioengine will not be built"
    return 0
  fi
  # config-host.h: the engine's view of fio's structures must match the installed binary's.
  shapeq_install_packages libaio-dev libnuma-dev zlib1g-dev
  (cd "$dir/fio-$upstream" && ./configure --disable-native >/dev/null 2>&1) ||
    echo "shapeq: fio's configure failed: the shapeq-datapath ioengine will not be built"
}
