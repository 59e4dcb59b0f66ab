#include "model/fingerprint.h"

#include <fstream>

#include "common/error.h"
#include "common/json_read.h"
#include "common/json_optional.h"

namespace shapeq {

// Field lists in one place each: the JSON form is exactly these names.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NumaNode, os_index, memory_bytes, cpus, cores, hardware_threads)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Cpu, vendor, model, packages, numa_nodes, cores, hardware_threads)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Memory, total_bytes, os_total_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Locality, numa_nodes, cpus)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Nic, name, mac_address, pci_address, pci_vendor_id, pci_device_id,
                                                pci_vendor_name, pci_device_name, pci_link_bytes_per_s, link_gbps,
                                                driver, rdma_devices, locality)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Drive, name, kind, capacity_bytes, logical_block_bytes, model, serial,
                                                vendor, pci_address, pci_vendor_id, pci_device_id,
                                                pci_link_bytes_per_s, rotational, linux_device_id, backing_file,
                                                from_hwloc, read_only, partitioned, mounted, held, system_disk,
                                                partitions, holders, mountpoints, locality)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Gpu, pci_address, pci_vendor_id, pci_device_id, model, os_devices,
                                                locality)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CloudIdentity, vendor, instance_type_hint, instance_type_source,
                                                metadata_note, virtualized, reason,
                                                dmi_sys_vendor, dmi_product_name, dmi_product_version,
                                                dmi_chassis_asset_tag, dmi_bios_vendor, dmi_board_vendor)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeSource, topology, sysfs_root, hwloc_version, shapeq_version,
                                                hostname, os_release, environment)

bool IsPublicCloud(const CloudIdentity& cloud) { return cloud.vendor == "azure" || cloud.vendor == "aws" || cloud.vendor == "gcp"; }

bool IsVirtualBlockDevice(const Drive& d) { return d.kind == "md" || d.kind == "dm"; }

std::string NotDataDriveReason(const Drive& d) {
  if (d.system_disk) return "system disk";
  if (IsVirtualBlockDevice(d)) return "built on other drives (" + d.kind + ")";
  if (d.mounted) return "mounted";
  if (d.partitioned) return "partitioned";
  if (d.held) return "held";
  if (d.read_only) return "read-only";
  return "";
}

void to_json(nlohmann::json& j, const Fingerprint& f) {
  j = nlohmann::json{{"schema", f.schema},   {"schema_version", f.schema_version},
                     {"source", f.source},   {"cpu", f.cpu},
                     {"numa", f.numa},       {"memory", f.memory},
                     {"nics", f.nics},       {"drives", f.drives},
                     {"gpus", f.gpus},       {"cloud", f.cloud},
                     {"notes", f.notes}};
}

void from_json(const nlohmann::json& j, Fingerprint& f) {
  if (!j.is_object()) throw BadInput("fingerprint", "expected a JSON object");
  if (j.value("schema", "") != kFingerprintSchema) {
    throw BadInput("fingerprint", std::string("field schema: expected \"") + kFingerprintSchema + "\"");
  }
  const auto version = j.find("schema_version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != kFingerprintSchemaVersion) {
    throw BadInput("fingerprint", "field schema_version: expected " + std::to_string(kFingerprintSchemaVersion));
  }
  // Read field by field so an error names the section it came from.
  auto read = [&j](const char* field, auto& into) {
    const auto it = j.find(field);
    if (it == j.end()) return;
    try {
      it->get_to(into);
    } catch (const nlohmann::json::exception& e) {
      throw BadInput("fingerprint", std::string("field ") + field + ": " + e.what());
    }
  };
  f.schema = kFingerprintSchema;
  f.schema_version = kFingerprintSchemaVersion;
  read("source", f.source);
  read("cpu", f.cpu);
  read("numa", f.numa);
  read("memory", f.memory);
  read("nics", f.nics);
  read("drives", f.drives);
  read("gpus", f.gpus);
  read("cloud", f.cloud);
  read("notes", f.notes);
}

Fingerprint ReadFingerprintFile(const std::string& path) {
  const nlohmann::json document = ReadJsonFile(path);
  try {
    return document.get<Fingerprint>();
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(path, std::string("not a fingerprint: ") + e.what());
  } catch (const Error& e) {
    // from_json names the field; put the file in front of it.
    const std::string what = e.what();
    throw BadInput(path, what.rfind("fingerprint: ", 0) == 0 ? what.substr(13) : what);
  }
}

}  // namespace shapeq
