#!/usr/bin/env bash
# The .deb: CPack makes it from this build; unpacked into a fresh root, its shapeq runs the whole
# qualification and the 1 EB comparison with the source tree and this build hidden (a private
# mount namespace with an empty tmpfs over them), so it finds its catalogs, the data-path
# benchmark and the ioengine relative to itself, as on a node that only installed the package.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR. Needs root (mount namespaces); 77 = skipped.
set -euo pipefail
build="$1" source="$2"
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root for a private mount namespace"; exit 77; }
command -v dpkg-shlibdeps >/dev/null || { echo "skipped: dpkg-dev (dpkg-shlibdeps) is not installed"; exit 77; }
work=$(mktemp -d /tmp/shapeq-package.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/shapeq_*.deb)
echo "package: $deb ($(du -h "$deb" | cut -f1))"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for want in fio hwloc libhwloc; do
  grep -q "$want" <<<"$depends" || { echo "FAIL: Depends lacks $want"; exit 1; }
done
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/shapeq ./usr/lib/shapeq/datapath_benchmark ./usr/share/shapeq/profiles/models/default.json \
            ./usr/share/shapeq/profiles/claims/blob-240-racks.json ./usr/share/shapeq/dashboards/shapeq.json; do
  grep -q " $path\$" <<<"$contents" || { echo "FAIL: the package lacks $path"; exit 1; }
done
engine=no
if [ -f "$build/ioengine/shapeq_datapath.so" ]; then
  grep -q " ./usr/lib/shapeq/shapeq_datapath.so\$" <<<"$contents" || { echo "FAIL: the ioengine was built but not packaged"; exit 1; }
  engine=yes
fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
unset SHAPEQ_PROFILES SHAPEQ_DATAPATH_BENCHMARK SHAPEQ_IOENGINE
unshare -m bash -euo pipefail -c '
  root="$1" build="$2" source="$3" work="$4"
  mount -t tmpfs none "$build"
  mount -t tmpfs none "$source"
  [ ! -e "$build/cli/shapeq" ] && [ ! -e "$source/profiles" ] || { echo "FAIL: the build tree is still visible"; exit 1; }
  "$root/usr/bin/shapeq" score --compare > "$work/compare.txt"
  "$root/usr/bin/shapeq" qualify --quick --out "$work/run" > "$work/qualify.txt" 2>&1 || { cat "$work/qualify.txt"; exit 1; }
' _ "$root" "$build" "$source" "$work"

grep -q "onprem-dense-1u-122tb" "$work/compare.txt" || { echo "FAIL: score --compare from the package"; cat "$work/compare.txt"; exit 1; }
for file in manifest.json fingerprint.json storage.json datapath.json verdicts.json report.html; do
  [ -s "$work/run/$file" ] || { echo "FAIL: qualify from the package wrote no $file"; cat "$work/qualify.txt"; exit 1; }
done
grep -q '"claims"' "$work/run/verdicts.json" || { echo "FAIL: the packaged catalog's claims were not evaluated"; exit 1; }
python3 - "$work/run/datapath.json" <<'PY' || { echo "FAIL: the packaged data-path benchmark did not run"; exit 1; }
import json, sys
sys.exit(0 if any(m["status"] == "ok" and m["bytes_per_s"] for m in json.load(open(sys.argv[1]))) else 1)
PY
if [ "$engine" = yes ]; then
  python3 - "$work/run/storage.json" <<'PY' || { echo "FAIL: the packaged ioengine did not serve"; exit 1; }
import json, sys
runs = {m["kernel"]: m for m in json.load(open(sys.argv[1]))}
served = runs.get("fio.served_read")
sys.exit(0 if served and served["status"] == "ok" and served["bytes_per_s"] > 0 else 1)
PY
fi
echo "ok: the .deb qualifies this machine with the build tree hidden (ioengine: $engine)"
