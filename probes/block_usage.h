#pragma once
// Whether a block device is in use: partitions, holders (md, LVM, dm-crypt), mounts, swap, and
// whether the running system lives on it. Later stages refuse destructive runs on such devices.
#include "model/fingerprint.h"
#include "probes/sys_root.h"

namespace shapeq {

// Fills the usage fields of `drive` (and sysfs fallbacks for size, model, serial, rotational)
// from /sys/class/block/<name> and /proc/{self/mountinfo,mounts,swaps} under `sys`.
void ReadBlockUsage(const SysRoot& sys, Drive& drive);

// The kind of block device a kernel name is: nvme, virtio, xen, scsi, loop, md, dm, other.
std::string BlockDeviceKind(const std::string& name);

// Whole block devices in /sys/class/block that `drives` (hwloc's) does not list: loop devices
// with a backing file, md and dm devices, and disks hwloc could not tie to a PCI device.
// Partitions, RAM disks (ram, zram) and empty devices (an unused loop, size 0) are not drives.
std::vector<Drive> SysfsOnlyBlockDevices(const SysRoot& sys, const std::vector<Drive>& drives);

}  // namespace shapeq
