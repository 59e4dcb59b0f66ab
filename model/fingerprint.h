#pragma once
// The probe stage's output: what this node is, as plain data with a versioned JSON form.
// Units are in the names; SI units (bytes, bytes/s) except link_gbps (Gbit/s, as NICs are sold).
// Fields documented in docs/fingerprint.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shapeq {

inline constexpr const char* kFingerprintSchema = "shapeq.fingerprint";
inline constexpr int kFingerprintSchemaVersion = 1;

struct NumaNode {
  unsigned os_index = 0;
  uint64_t memory_bytes = 0;
  std::string cpus;          // hwloc/fio list syntax, e.g. "0-47,96-143"
  unsigned cores = 0;
  unsigned hardware_threads = 0;
};

struct Cpu {
  std::string vendor;
  std::string model;
  unsigned packages = 0;
  unsigned numa_nodes = 0;
  unsigned cores = 0;             // physical cores
  unsigned hardware_threads = 0;  // PUs: what nproc counts
};

struct Memory {
  uint64_t total_bytes = 0;                // sum of hwloc's NUMA nodes
  std::optional<uint64_t> os_total_bytes;  // MemTotal from /proc/meminfo, when a /proc was read
};

// Where a PCI device sits and how it reaches the CPUs.
struct Locality {
  std::vector<unsigned> numa_nodes;  // the NUMA nodes it is local to (all of them when not local to one)
  std::string cpus;                  // CPUs local to it, for pinning
};

struct Nic {
  std::string name;
  std::string mac_address;
  std::string pci_address;
  std::string pci_vendor_id;  // "15b3"
  std::string pci_device_id;  // "101d"
  std::string pci_vendor_name;
  std::string pci_device_name;
  std::optional<double> pci_link_bytes_per_s;
  std::optional<double> link_gbps;  // from sysfs speed; empty when the driver does not report it
  std::string driver;
  std::vector<std::string> rdma_devices;  // e.g. mlx5_0 beside ens1f0
  Locality locality;
};

struct Drive {
  std::string name;              // nvme0n1, vda, sdb
  std::string kind;              // nvme, virtio, scsi, other
  uint64_t capacity_bytes = 0;
  uint32_t logical_block_bytes = 0;
  std::string model;
  std::string serial;
  std::string vendor;
  std::string pci_address;
  std::string pci_vendor_id;
  std::string pci_device_id;
  std::optional<double> pci_link_bytes_per_s;
  std::optional<bool> rotational;
  std::string linux_device_id;   // "259:0"
  std::string backing_file;      // loop devices: the file behind it
  bool from_hwloc = true;        // false: found in sysfs only (loop, disks hwloc cannot tie to PCI)
  bool read_only = false;
  // Why a destructive test must not touch it.
  bool partitioned = false;
  bool mounted = false;          // the disk, one of its partitions, or something built on them
  bool held = false;             // has holders (md, LVM, dm-crypt) or is in use as swap
  bool system_disk = false;      // holds / (or /boot, /usr, /var), directly or through a holder
  std::vector<std::string> partitions;
  std::vector<std::string> holders;
  std::vector<std::string> mountpoints;
  Locality locality;
};

// Why `drive` cannot be a data drive ("" when it can): the system runs from it, it is mounted,
// partitioned, held (md, LVM, dm-crypt, swap), read-only, or is itself built on other drives
// (md, dm). Only a possible data drive is measured raw when no device is named.
std::string NotDataDriveReason(const Drive& drive);
// A device built on other drives (md, dm): never counted as a drive of the node.
bool IsVirtualBlockDevice(const Drive& drive);

struct Gpu {
  std::string pci_address;
  std::string pci_vendor_id;
  std::string pci_device_id;
  std::string model;
  std::vector<std::string> os_devices;  // cuda0, nvidia0, card1, rsmi0...
  Locality locality;
};

// Identity from DMI only (no metadata service: no network needed).
struct CloudIdentity {
  std::string vendor;  // azure, aws, gcp, on-prem, unknown
  std::string instance_type_hint;
  std::string instance_type_source;  // dmi, metadata (the cloud's instance metadata service), or ""
  std::string metadata_note;         // why the metadata service was not asked, or gave no size
  bool virtualized = false;
  std::string reason;  // what in DMI decided it
  std::string dmi_sys_vendor;
  std::string dmi_product_name;
  std::string dmi_product_version;
  std::string dmi_chassis_asset_tag;
  std::string dmi_bios_vendor;
  std::string dmi_board_vendor;
};

// Azure, AWS or GCP: a cloud with a catalog of sizes and a metadata service that names them.
bool IsPublicCloud(const CloudIdentity& cloud);

struct ProbeSource {
  std::string topology;    // "this machine" or the XML path
  std::string sysfs_root;  // "/" for the live machine, a captured root, or "" when none was read
  std::string hwloc_version;
  std::string shapeq_version;
  std::string hostname;
  std::string os_release;  // kernel release as hwloc saw it
  std::string environment;  // hwloc variables that changed what it read (HWLOC_XMLFILE=...), named
};

struct Fingerprint {
  std::string schema = kFingerprintSchema;
  int schema_version = kFingerprintSchemaVersion;
  ProbeSource source;
  Cpu cpu;
  std::vector<NumaNode> numa;
  Memory memory;
  std::vector<Nic> nics;
  std::vector<Drive> drives;
  std::vector<Gpu> gpus;
  CloudIdentity cloud;
  std::vector<std::string> notes;  // what the probe could not tell, or found odd
};

void to_json(nlohmann::json& j, const Fingerprint& f);
// Throws Error(kBadInput) naming the field when the JSON is not a fingerprint of this schema.
void from_json(const nlohmann::json& j, Fingerprint& f);

// Reads a fingerprint.json; errors name the file.
Fingerprint ReadFingerprintFile(const std::string& path);

}  // namespace shapeq
