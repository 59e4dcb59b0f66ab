#include "scoring/catalog.h"

#include "scoring/design.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"

namespace shapeq {

const Shape* FindShape(const std::vector<Shape>& shapes, const std::string& name) {
  const auto it = std::find_if(shapes.begin(), shapes.end(), [&](const Shape& s) { return s.name == name; });
  return it == shapes.end() ? nullptr : &*it;
}

const Target* FindTarget(const std::vector<Target>& targets, const std::string& name) {
  const auto it = std::find_if(targets.begin(), targets.end(), [&](const Target& t) { return t.name == name; });
  return it == targets.end() ? nullptr : &*it;
}

std::vector<std::string> ProfileFiles(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw BadInput(dir, "no such directory");
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  if (ec) throw BadInput(dir, "cannot read: " + ec.message());
  if (files.empty()) throw BadInput(dir, "holds no *.json profiles");
  std::sort(files.begin(), files.end());
  return files;
}

void CheckCatalog(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model) {
  for (const auto& shape : shapes) {
    if (!model.schemes.count(shape.protection)) {
      throw BadInput(shape.file, "field protection: \"" + shape.protection + "\" is not a scheme in " + model.file);
    }
  }
  for (const auto& target : targets) {
    if (!target.protection.empty() && !model.schemes.count(target.protection)) {
      throw BadInput(target.file, "field protection: \"" + target.protection + "\" is not a scheme in " + model.file);
    }
    auto expressible = [&](bool needed, Figure Shape::*figure, const char* field, const char* needs) {
      if (!needed || shapes.empty()) return;
      const bool any = std::any_of(shapes.begin(), shapes.end(), [&](const Shape& s) {
        return (s.*figure).known() || s.nic_gbps.known();  // the NIC alone still bounds a rate
      });
      if (!any) {
        throw BadInput(target.file, std::string("field ") + needs + ": no shape given knows " + field +
                                        " or nic_gbps (supply one with --set SHAPE." + field + "=VALUE)");
      }
    };
    expressible(target.read_bytes_per_s.has_value(), &Shape::read_bytes_per_s, "read_gbytes_per_s", "read_tbps");
    expressible(target.write_bytes_per_s || target.checkpoint_bytes, &Shape::write_bytes_per_s, "write_gbytes_per_s",
                target.write_bytes_per_s ? "write_tbps" : "checkpoint_tb");
    expressible(target.iops_per_pb.has_value(), &Shape::read_iops, "read_iops", "iops_per_pb");
  }
}

Catalog LoadCatalog(const std::string& profiles_dir, const std::string& model_name) {
  Catalog catalog;
  for (const auto& file : ProfileFiles(profiles_dir + "/shapes")) catalog.shapes.push_back(LoadShape(file));
  for (const auto& file : ProfileFiles(profiles_dir + "/targets")) catalog.targets.push_back(LoadTarget(file));
  const std::string model_file = profiles_dir + "/models/" + model_name + ".json";
  if (!std::filesystem::exists(model_file)) throw BadInput(model_file, "no such model");
  catalog.model = LoadModel(model_file);
  if (std::filesystem::is_directory(profiles_dir + "/parts")) {
    for (const auto& drive : LoadParts(profiles_dir + "/parts", catalog.model).drives) {
      const double bytes = drive.Get("capacity_tb") * kTB;
      catalog.model.largest_drive_bytes = std::max(catalog.model.largest_drive_bytes.value_or(0), bytes);
    }
  }
  CheckCatalog(catalog.shapes, catalog.targets, catalog.model);
  return catalog;
}

}  // namespace shapeq
