#!/usr/bin/env bash
# The example inventory reads as written: every value is what its line says, with no comment in it.
# Usage: ansible_inventory_test.sh SOURCE_DIR (skipped, 77, without ansible-inventory)
set -euo pipefail
command -v ansible-inventory >/dev/null || { echo "skip: no ansible-inventory"; exit 77; }
vars=$(ansible-inventory -i "$1/fleet/ansible/inventory.example.ini" --host node-a)
python3 - "$vars" <<'PY'
import json, sys
v = json.loads(sys.argv[1])
expected = {"shapeq_deb": "build/shapeq_0.1.0_amd64.deb", "shapeq_token_file": "/etc/shapeq/net-token",
            "shapeq_fetch_dir": "results/fleet-run", "shapeq_storage_args": "--kernels seq_read,rand_read",
            "shapeq_pattern": "pairwise", "shapeq_address": "10.0.0.1", "ansible_pipelining": "true"}
bad = {k: v.get(k) for k, want in expected.items() if v.get(k) != want}
bad.update({k: x for k, x in v.items() if isinstance(x, str) and "#" in x})
if bad:
    sys.exit(f"FAIL: values not as written: {bad}")
print("ok: the example inventory's values are as written")
PY
