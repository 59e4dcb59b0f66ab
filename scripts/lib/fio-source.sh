# Fetches and configures the source of the installed fio version from Debian's archive, for the
# headers the suite's ioengine is built against (fio has no -dev package). Sourced by setup.sh.
# Uses a private sources list (deb-src only), so the system's apt configuration is untouched.
# The deb-src entries come from the machine's own apt sources (its mirror, proxy or snapshot),
# never from a host written here. Never fails the caller: without the source, the ioengine is not
# built and its tests skip.

# Prints one "deb-src [options] URI SUITE COMPONENT..." line for each "deb" entry of the
# distribution's own suites (CODENAME, CODENAME-updates, CODENAME-security ...) in the apt
# configuration under ETC_APT (default /etc/apt): one-line sources.list and *.list files, and
# deb822 *.sources files (Enabled: no skipped). Other repositories (a vendor's nodistro, say)
# carry no fio source and are left out.
shapeq_deb_src_lines() {
  local etc="${1:-/etc/apt}" codename="$2"
  local one_line=() deb822=()
  [ -f "$etc/sources.list" ] && one_line+=("$etc/sources.list")
  local f
  for f in "$etc"/sources.list.d/*.list; do [ -f "$f" ] && one_line+=("$f"); done
  for f in "$etc"/sources.list.d/*.sources; do [ -f "$f" ] && deb822+=("$f"); done
  {
    [ ${#one_line[@]} -gt 0 ] && awk '
      { sub(/#.*/, "") }
      $1 == "deb" {
        options = ""; i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { options = options $i " "; i++ } options = options $i " "; i++ }
        line = "deb-src " options $i " " $(i + 1)
        for (j = i + 2; j <= NF; j++) line = line " " $j
        print $(i + 1) "\t" line
      }' "${one_line[@]}"
    [ ${#deb822[@]} -gt 0 ] && awk '
      function flush(   n, u, s, i, j, line) {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && uris != "" && suites != "") {
          n = split(uris, u, " "); split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j in s; j++) {
            line = "deb-src " (signed != "" ? "[signed-by=" signed "] " : "") u[i] " " s[j] (components != "" ? " " components : "")
            print s[j] "\t" line
          }
        }
        types = uris = suites = components = signed = enabled = ""
      }
      FNR == 1 && NR != 1 { flush() }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { next }   # a continuation line (an inline key): not a field we use
      {
        key = tolower($0); sub(/:.*/, "", key)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value); gsub(/[ \t]+/, " ", value); sub(/ $/, "", value)
        if (key == "types") types = value
        else if (key == "uris") uris = value
        else if (key == "suites") suites = value
        else if (key == "components") components = value
        else if (key == "signed-by") signed = value
        else if (key == "enabled") enabled = value
      }
      END { flush() }' "${deb822[@]}"
  } | awk -F'\t' -v codename="$codename" '($1 == codename || index($1, codename "-") == 1 || index($1, codename "/") == 1) && !seen[$2]++ { print $2 }'
}

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
  shapeq_deb_src_lines /etc/apt "$codename" > "$dir/apt/sources.list"
  if [ ! -s "$dir/apt/sources.list" ]; then
    echo "shapeq: no apt source for Debian $codename is configured: the shapeq-datapath ioengine will not be built"
    return 0
  fi
  local apt_options=(-o Dir::Etc::SourceList="$dir/apt/sources.list" -o Dir::Etc::SourceParts="$dir/apt/parts"
                     -o Dir::State::Lists="$dir/apt/lists" -o APT::Sandbox::User=root)
  if ! apt-get "${apt_options[@]}" update -qq >/dev/null 2>&1 ||
     ! (cd "$dir" && apt-get "${apt_options[@]}" source --download-only "fio=$version" >/dev/null 2>&1) ||
     ! (cd "$dir" && tar xzf "fio_$upstream.orig.tar.gz"); then
    echo "shapeq: could not fetch fio $version's source (deb-src from $dir/apt/sources.list): the shapeq-datapath ioengine will not be built"
    return 0
  fi
  # config-host.h: the engine's view of fio's structures must match the installed binary's.
  shapeq_install_packages libaio-dev libnuma-dev zlib1g-dev
  (cd "$dir/fio-$upstream" && ./configure --disable-native >/dev/null 2>&1) ||
    echo "shapeq: fio's configure failed: the shapeq-datapath ioengine will not be built"
}
