#!/usr/bin/env bash
# scripts/qualify leaves nothing listening on the candidate: no package it installs starts a
# service, and a run adds no listening socket. Usage: qualify_listens_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1" root="$2"
source "$root/scripts/lib/setup.sh"

# 1. The packages qualify installs: any service or init script they ship must not be enabled.
enabled=""
for pkg in "${SHAPEQ_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || continue
  while read -r file; do
    unit=$(basename "$file")
    case "$file" in
      *.service) compgen -G "/etc/systemd/system/*.wants/$unit" >/dev/null && enabled+=" $pkg:$unit" ;;
      /etc/init.d/*) compgen -G "/etc/rc[2-5].d/S??$unit" >/dev/null && enabled+=" $pkg:$unit" ;;
    esac
  done < <(dpkg -L "$pkg" | grep -E '\.service$|^/etc/init\.d/' || true)
done
for pkg in "${SHAPEQ_TEST_SERVER_PACKAGES[@]}"; do
  printf '%s\n' "${SHAPEQ_PACKAGES[@]}" | grep -qx "$pkg" && enabled+=" $pkg (a test-only server in qualify's list)"
done
if [ -n "$enabled" ]; then
  echo "FAIL: scripts/qualify installs packages that start services:$enabled"
  exit 1
fi

# 2. A quick qualify through the script: the listening sockets after are the ones before.
listening() { ss -H -ltnuw | awk '{print $1, $5}' | sort -u; }
before=$(listening)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SHAPEQ_BUILD_DIR="$build" "$root/scripts/qualify" --quick --out "$work/run" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
after=$(listening)
new=$(comm -13 <(echo "$before") <(echo "$after"))
if [ -n "$new" ]; then
  echo "FAIL: listening after scripts/qualify that was not before: $new"
  exit 1
fi
[ -f "$work/run/report.html" ] || { echo "FAIL: scripts/qualify wrote no report"; exit 1; }
echo "ok: qualify's packages start no service; nothing new listens after scripts/qualify --quick"
