#!/usr/bin/env bash
# scripts/lib/fio-source.sh: the deb-src list for fio's source comes from the machine's own apt
# sources (one-line .list and deb822 .sources alike), never from a host the project names.
# Needs no network: it checks the generated lines only.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/fio-source.sh"
etc=$(mktemp -d)
trap 'rm -rf "$etc"' EXIT
mkdir -p "$etc/sources.list.d"
cat > "$etc/sources.list" <<'LIST'
# a company mirror, one-line format
deb [arch=amd64 signed-by=/etc/apt/keyrings/corp.gpg] http://mirror.corp.example/debian bookworm main contrib
deb-src http://mirror.corp.example/debian bookworm main
deb http://mirror.corp.example/debian bullseye main
LIST
cat > "$etc/sources.list.d/security.sources" <<'LIST'
Types: deb
URIs: https://mirror.corp.example/debian-security
Suites: bookworm-security
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBF...
 -----END PGP PUBLIC KEY BLOCK-----

# switched off: must not appear
Types: deb
URIs: http://old.example/debian
Suites: bookworm-updates
Components: main
Enabled: no
LIST
cat > "$etc/sources.list.d/updates.sources" <<'LIST'
Types: deb deb-src
URIs: http://proxy.corp.example:3142/debian
Suites: bookworm-updates bookworm-backports
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
LIST
cat > "$etc/sources.list.d/vendor.list" <<'LIST'
deb https://deb.vendor.example/node_20.x nodistro main
LIST
echo "deb http://ignored.example/debian bookworm main" > "$etc/sources.list.d/off.list.disabled"

expected='deb-src [arch=amd64 signed-by=/etc/apt/keyrings/corp.gpg] http://mirror.corp.example/debian bookworm main contrib
deb-src https://mirror.corp.example/debian-security bookworm-security main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://proxy.corp.example:3142/debian bookworm-updates main non-free-firmware
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://proxy.corp.example:3142/debian bookworm-backports main non-free-firmware'
actual=$(shapeq_deb_src_lines "$etc" bookworm)
if [ "$actual" != "$expected" ]; then
  echo "generated deb-src list differs:"; diff <(echo "$expected") <(echo "$actual") || true
  exit 1
fi
# No apt source for this release at all: nothing, so the caller says so and skips the engine.
rm -f "$etc/sources.list" "$etc"/sources.list.d/*.sources
[ -z "$(shapeq_deb_src_lines "$etc" bookworm)" ] || { echo "expected no lines"; exit 1; }
# The project names no archive host of its own.
if grep -nE 'https?://' "$(dirname "$0")/../../scripts/lib/fio-source.sh"; then echo "fio-source.sh names a host"; exit 1; fi
echo "ok"
