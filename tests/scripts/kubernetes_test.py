#!/usr/bin/env python3
"""fleet/kubernetes/shapeq.yaml: parses, and holds the fields the fleet relies on (an Indexed Job,
one pod per node of one instance type, host network, privileged with the host's /dev and /sys,
the token from a Secret, a push to the gateway; net-serve on every such node behind a headless
Service; a coordinator running the pairwise pattern). Every shapeq option the manifests pass is
one the binary knows (its --help). Usage: kubernetes_test.py SHAPEQ_BINARY MANIFEST"""
import re
import subprocess
import sys

import yaml

binary, manifest = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def pod(d):
    return d["spec"]["template"]["spec"]


def env(container, name):
    return next((e for e in container.get("env", []) if e["name"] == name), None)


INSTANCE = "node.kubernetes.io/instance-type"
job = by.get(("Job", "shapeq-qualify"))
ds = by.get(("DaemonSet", "shapeq-net-serve"))
svc = by.get(("Service", "shapeq-net-serve"))
coordinator = by.get(("Job", "shapeq-net-patterns"))
check(all([job, ds, svc, coordinator]), "the four documents are there")
if failures:
    sys.exit("FAIL: " + "; ".join(failures))

spec = job["spec"]
check(spec.get("completionMode") == "Indexed", "qualify is an Indexed Job")
check(spec.get("completions") == spec.get("parallelism"), "every node at once")
p = pod(job)
types = {pod(d)["nodeSelector"].get(INSTANCE) for d in (job, ds, coordinator)}
check(len(types) == 1 and None not in types, "one instance type, selected the same in all three")
check(p.get("hostNetwork") is True, "qualify on the host's network")
for d in (job, ds, coordinator):
    if pod(d).get("hostNetwork"):
        check(pod(d).get("dnsPolicy") == "ClusterFirstWithHostNet", "a host-network pod still resolves cluster names")
check(p.get("restartPolicy") == "Never", "a failed qualify is not rerun over its results")
anti = p["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
check(anti["topologyKey"] == "kubernetes.io/hostname", "one qualify pod per node")
check(anti["labelSelector"]["matchLabels"] == job["spec"]["template"]["metadata"]["labels"], "anti-affinity to its own pods")
c = p["containers"][0]
check(c["securityContext"].get("privileged") is True, "privileged: raw devices and sysfs")
mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
paths = {v["name"]: v["hostPath"]["path"] for v in p["volumes"]}
check(paths.get("dev") == "/dev" and mounts.get("dev") == "/dev", "the host's /dev at /dev")
check(paths.get("sys") == "/sys" and mounts.get("sys") == "/sys", "the host's /sys at /sys")
for d in (job, ds, coordinator):
    token = env(pod(d)["containers"][0], "SHAPEQ_NET_TOKEN")
    check(token and "secretKeyRef" in token["valueFrom"], d["metadata"]["name"] + ": the token from a Secret, never inline")
check("--gateway" in c["args"], "each pod pushes to the gateway")
node = env(c, "NODE_NAME")
check(node and node["valueFrom"]["fieldRef"]["fieldPath"] == "spec.nodeName", "results under the node's name")

dc = pod(ds)["containers"][0]
check(pod(ds).get("hostNetwork") is True, "net-serve on the host's network")
host_ip = env(dc, "HOST_IP")
check(host_ip and host_ip["valueFrom"]["fieldRef"]["fieldPath"] == "status.hostIP", "net-serve listens on the node's address")
check("$(HOST_IP):5201" in dc["args"], "net-serve binds the node's address, not 0.0.0.0")
check(svc["spec"].get("clusterIP") == "None", "a headless Service: its DNS names every node")
check(svc["spec"]["selector"] == ds["spec"]["template"]["metadata"]["labels"], "the Service selects the net-serve pods")
script = pod(coordinator)["containers"][0]["args"][0]
check("--pattern pairwise" in script and "shapeq-net-serve.shapeq.svc" in script, "the coordinator runs pairwise over the Service's nodes")
check('shapeq storage --hosts "$hosts"' in script, "the coordinator runs the storage kernels on every node at once")
scratch = dc["args"][dc["args"].index("--storage-dir") + 1] if "--storage-dir" in dc["args"] else None
mounts = {m["mountPath"]: m["name"] for m in dc.get("volumeMounts", [])}
volumes = {v["name"]: v for v in pod(ds).get("volumes", [])}
check(scratch in mounts and "hostPath" in volumes.get(mounts[scratch], {}), "net-serve lends a scratch file on the node's own disk")


def known(command):
    out = subprocess.run([binary, command, "--help"], capture_output=True, text=True).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", out))


uses = [(c["args"][0], [a for a in c["args"] if a.startswith("--")]), (dc["args"][0], [a for a in dc["args"] if a.startswith("--")]),
        ("net", re.findall(r"(--[a-z][a-z0-9-]*)", script.split("shapeq net", 1)[1].split("shapeq storage", 1)[0])),
        ("storage", re.findall(r"(--[a-z][a-z0-9-]*)", script.split("shapeq storage", 1)[1]))]
for command, flags in uses:
    have = known(command)
    for flag in flags:
        check(flag in have, f"shapeq {command} knows {flag}")

if failures:
    sys.exit("FAIL: " + "; ".join(failures))
print(f"ok: {len(docs)} documents, every field relied on and every shapeq option checked")
