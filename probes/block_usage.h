#pragma once
// Whether a block device is in use: partitions, holders (md, LVM, dm-crypt), mounts, swap, and
// whether the running system lives on it. Later stages refuse destructive runs on such devices.
#include "model/fingerprint.h"
#include "probes/sys_root.h"

namespace shapeq {

// Fills the usage fields of `drive` (and sysfs fallbacks for size, model, serial, rotational)
// from /sys/class/block/<name> and /proc/{self/mountinfo,mounts,swaps} under `sys`.
void ReadBlockUsage(const SysRoot& sys, Drive& drive);

}  // namespace shapeq
