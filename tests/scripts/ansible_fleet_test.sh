#!/usr/bin/env bash
# fleet/ansible/qualify.yml end to end against three hosts that are network namespaces on this
# machine, each with its own hostname (a UTS namespace) and sshd on its own address: the playbook
# copies and unpacks the .deb on each, starts net-serve with the shared secret, qualifies all three
# at once (each pushing to a real Pushgateway), fetches the runs, runs the pairwise pattern and
# renders one fleet report. Checks each run is its host's, the gateway holds all three, the fleet
# storage run has every host by its own name, and the report has every node, the network matrix
# and the hosts' storage.
# Usage: ansible_fleet_test.sh BUILD_DIR SOURCE_DIR. Needs root, ansible, sshd; 77 = skipped.
set -euo pipefail
build="$1" source="$2"
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root for namespaces"; exit 77; }
for tool in ansible-playbook /usr/sbin/sshd prometheus-pushgateway dpkg-shlibdeps ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
work=$(mktemp -d /tmp/shapeq-ansible.XXXXXX)
lab="sqa$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  pkill -f "net-serve --listen 10.212.0." 2>/dev/null || true
  for ns in "${lab}h1" "${lab}h2" "${lab}h3" "${lab}br"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/shapeq_*.deb)

# The lab: a bridge, this (controller) namespace on .254, three hosts on .1-.3.
ip netns add "${lab}br"
ip -n "${lab}br" link add br0 type bridge && ip -n "${lab}br" link set br0 up
ip link add "${lab}c" type veth peer name c netns "${lab}br"
ip -n "${lab}br" link set c master br0 && ip -n "${lab}br" link set c up
ip addr add 10.212.0.254/24 dev "${lab}c" && ip link set "${lab}c" up
ssh-keygen -q -t ed25519 -N '' -f "$work/id"
ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey"
cp "$work/id.pub" "$work/authorized_keys"
mkdir -p /run/sshd
for i in 1 2 3; do
  ns="${lab}h$i"
  ip netns add "$ns"
  ip link add eth0 netns "$ns" type veth peer name "h$i" netns "${lab}br"
  ip -n "${lab}br" link set "h$i" master br0 && ip -n "${lab}br" link set "h$i" up
  ip -n "$ns" addr add "10.212.0.$i/24" dev eth0 && ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up
  mkdir -p "$work/h$i"
  cat > "$work/h$i/sshd_config" <<CONFIG
ListenAddress 10.212.0.$i
HostKey $work/hostkey
PidFile $work/h$i/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
CONFIG
  ip netns exec "$ns" unshare --uts sh -c "hostname fleet-h$i && exec /usr/sbin/sshd -D -e -f $work/h$i/sshd_config" \
    >"$work/h$i/sshd.log" 2>&1 & pids+=($!)
done
prometheus-pushgateway --web.listen-address=10.212.0.254:9491 --persistence.file="$work/pushgateway.data" >"$work/gateway.log" 2>&1 & pids+=($!)
# A short plan (the hosts share this filesystem, so one file serves all three): the pipeline whole,
# each stage brief, so three qualifications on two cores fit the test budget.
cat > "$work/plan.json" <<'PLAN'
{"schema": "shapeq.plan",
 "storage": {"kernels": ["seq_read", "served_read"], "runtime_s": 1, "ramp_s": 0, "repeats": 1, "scratch_mib": 64, "steady_state": ""},
 "network": {"duration_s": 1, "warmup_s": 0.5, "repeats": 1},
 "datapath": {"filter": "BM_Crc32c", "min_time_s": 0.05, "repetitions": 1}}
PLAN
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$work/token" && chmod 600 "$work/token"
for i in 1 2 3; do
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/10.212.0.$i/22") 2>/dev/null && break; sleep 0.1; done
done

cat > "$work/inventory.ini" <<INVENTORY
[shapeq]
fleet-h1 ansible_host=10.212.0.1 shapeq_address=10.212.0.1 shapeq_prefix=$work/h1/root shapeq_remote_results=$work/h1/results shapeq_storage_dir=$work/h1/storage
fleet-h2 ansible_host=10.212.0.2 shapeq_address=10.212.0.2 shapeq_prefix=$work/h2/root shapeq_remote_results=$work/h2/results shapeq_storage_dir=$work/h2/storage
fleet-h3 ansible_host=10.212.0.3 shapeq_address=10.212.0.3 shapeq_prefix=$work/h3/root shapeq_remote_results=$work/h3/results shapeq_storage_dir=$work/h3/storage

[all:vars]
ansible_user=root
ansible_ssh_private_key_file=$work/id
ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'
ansible_python_interpreter=/usr/bin/python3
ansible_pipelining=true
shapeq_install=extract
shapeq_deb=$deb
shapeq_token_file=$work/token
shapeq_gateway=http://10.212.0.254:9491
shapeq_fetch_dir=$work/fetch
shapeq_controller_bin=$build/cli/shapeq
shapeq_qualify_args=--plan $work/plan.json
shapeq_net_args=--duration 1 --warmup 0.5 --repeats 1 --streams 1
shapeq_storage_args=--quick --kernels seq_read
shapeq_storage_size_mib=64
INVENTORY
mkdir -p "$work/fetch"
started=$(date +%s)
ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False \
  ansible-playbook -i "$work/inventory.ini" "$source/fleet/ansible/qualify.yml" > "$work/playbook.log" 2>&1 \
  || { tail -40 "$work/playbook.log"; echo "FAIL: the playbook"; exit 1; }
grep -E -- "-+ [0-9.]+s$" "$work/playbook.log" | head -5 || true  # the slowest tasks (profile_tasks)
echo "playbook: $(( $(date +%s) - started )) s for three hosts"
# The hosts share this machine's root: the playbook must have unpacked into each prefix, never installed here.
if dpkg-query -W shapeq >/dev/null 2>&1; then dpkg -P shapeq >/dev/null 2>&1 || true; echo "FAIL: the playbook installed the package on this machine"; exit 1; fi
for i in 1 2 3; do [ -x "$work/h$i/root/usr/bin/shapeq" ] || { echo "FAIL: not unpacked on fleet-h$i"; exit 1; }; done

python3 - "$work" <<'PY'
import json, os, sys, urllib.request
work = sys.argv[1]
fails = []
for i in (1, 2, 3):
    run = os.path.join(work, "fetch", f"fleet-h{i}")
    fp = json.load(open(os.path.join(run, "fingerprint.json")))
    if fp["source"]["hostname"] != f"fleet-h{i}":
        fails.append(f"fleet-h{i}'s run probed {fp['source']['hostname']}")
    manifest = json.load(open(os.path.join(run, "manifest.json")))
    if not manifest.get("complete"):
        fails.append(f"fleet-h{i}'s run is not complete")
    net = json.load(open(os.path.join(run, "network.json")))
    peer = f"10.212.0.{i % 3 + 1}:5201"
    if net["status"] != "ok" or peer not in net["target"]:
        fails.append(f"fleet-h{i} measured {net['target']} ({net['status']}), not its peer {peer}")
pairs = json.load(open(os.path.join(work, "fetch", "fleet-net.json")))
if len(pairs) != 6 or any(p["status"] != "ok" for p in pairs):
    fails.append(f"the pairwise pattern gave {len(pairs)} pairs")
storage = json.load(open(os.path.join(work, "fetch", "fleet-storage.json")))
hostnames = sorted(h["hostname"] for h in storage[0]["detail"]["per_host"]) if storage else []
if len(storage) != 1 or storage[0]["status"] != "ok" or hostnames != ["fleet-h1", "fleet-h2", "fleet-h3"]:
    fails.append(f"the fleet storage run: {[(m['kernel'], m['status'], m.get('reason')) for m in storage]}, hosts {hostnames}")
html = open(os.path.join(work, "fetch", "fleet", "report.html")).read()
for needle in ['<section id="fleet-network">', '<section id="fleet-storage">', "fleet-h1", "fleet-h2", "fleet-h3"]:
    if needle not in html:
        fails.append(f"the fleet report lacks {needle}")
metrics = urllib.request.urlopen("http://10.212.0.254:9491/metrics", timeout=5).read().decode()
for i in (1, 2, 3):
    if f'node="fleet-h{i}"' not in metrics:
        fails.append(f"the gateway has no group for fleet-h{i}")
if fails:
    sys.exit("FAIL: " + "; ".join(fails))
print("ok: three hosts qualified by the playbook, pushed, fetched, paired, storage-measured at once and reported")
PY
