#include "common/json_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include "common/error.h"

namespace shapeq {
namespace {

// Thrown from the parser callback to stop at once (the callback cannot return an error).
struct TooDeep {};
struct DuplicateKey {
  std::string key;
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> from "parse error".
std::string Tail(const std::string& what, const char* from) {
  const auto at = what.find(from);
  return at == std::string::npos ? what : what.substr(at);
}

}  // namespace

nlohmann::json ParseJson(std::string_view text, const std::string& where, bool allow_comments) {
  // One set of keys per open object; arrays open nothing to check.
  std::vector<std::set<std::string>> keys;
  const nlohmann::json::parser_callback_t check = [&keys](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (depth >= kJsonMaxDepth) throw TooDeep{};
    if (event == Event::object_start) keys.emplace_back();
    if (event == Event::object_end && !keys.empty()) keys.pop_back();
    if (event == Event::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) {
      throw DuplicateKey{parsed.get<std::string>()};
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/true, allow_comments);
  } catch (const TooDeep&) {
    throw BadInput(where, "nested deeper than " + std::to_string(kJsonMaxDepth) + " levels");
  } catch (const DuplicateKey& d) {
    throw BadInput(where, "field " + d.key + ": given twice in one object");
  } catch (const nlohmann::json::out_of_range& e) {
    throw BadInput(where, Tail(e.what(), "number overflow"));  // 1e400
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(where, "not valid JSON: " + Tail(e.what(), "parse error"));
  }
}

std::string ReadRegularFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw BadInput(path, std::string("cannot read: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw BadInput(path, "not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) throw BadInput(path, "larger than " + std::to_string(max_bytes >> 20) + " MiB");
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw BadInput(path, std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    // The size stat gave can be wrong (/proc, a file still growing): the cap holds regardless.
    if (text.size() > max_bytes) throw BadInput(path, "larger than " + std::to_string(max_bytes >> 20) + " MiB");
  }
  return text;
}

void CheckJsonShape(const nlohmann::json& value, const nlohmann::json& shape, const std::string& file, const std::string& path) {
  auto fail = [&](const std::string& problem) { throw BadInput(file, (path.empty() ? "" : "field " + path + ": ") + problem); };
  if (const auto types = shape.find("type"); types != shape.end()) {
    const nlohmann::json list = types->is_array() ? *types : nlohmann::json::array({*types});
    const bool matches = std::any_of(list.begin(), list.end(), [&](const nlohmann::json& type) {
      return (type == "object" && value.is_object()) || (type == "array" && value.is_array()) || (type == "string" && value.is_string()) ||
             (type == "number" && value.is_number()) || (type == "integer" && value.is_number_integer()) ||
             (type == "boolean" && value.is_boolean()) || (type == "null" && value.is_null());
    });
    if (!matches) {
      std::string expected;
      for (const auto& type : list) expected += (expected.empty() ? "" : " or ") + type.get<std::string>();
      fail("expected " + expected);
    }
  }
  if (value.is_number()) {
    const double number = value.get<double>();
    if (std::abs(number) > kJsonMaxMagnitude) fail("out of range");
    if (shape.contains("minimum") && number < shape["minimum"].get<double>()) fail("below " + shape["minimum"].dump());
    if (shape.contains("maximum") && number > shape["maximum"].get<double>()) fail("above " + shape["maximum"].dump());
  }
  auto child = [&](const std::string& name) { return path.empty() ? name : path + "." + name; };
  if (value.is_object()) {
    if (const auto properties = shape.find("properties"); properties != shape.end()) {
      for (const auto& [name, sub] : properties->items()) {
        if (const auto member = value.find(name); member != value.end()) CheckJsonShape(*member, sub, file, child(name));
      }
    }
    if (const auto values = shape.find("values"); values != shape.end()) {
      for (const auto& [name, member] : value.items()) CheckJsonShape(member, *values, file, child(name));
    }
  }
  if (value.is_array()) {
    if (const auto items = shape.find("items"); items != shape.end()) {
      for (size_t i = 0; i < value.size(); ++i) CheckJsonShape(value[i], *items, file, path + "[" + std::to_string(i) + "]");
    }
  }
}

nlohmann::json ReadJsonFile(const std::string& path, bool allow_comments) {
  return ParseJson(ReadRegularFile(path), path, allow_comments);
}

}  // namespace shapeq
