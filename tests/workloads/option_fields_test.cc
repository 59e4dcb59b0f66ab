// The kernels' option tables: each field once, a JSON round trip gives the same options, and a
// value out of its range or of the wrong type is refused naming the field.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/error.h"
#include "workloads/datapath_kernel.h"
#include "workloads/net_kernel.h"
#include "workloads/storage_kernel.h"

namespace shapeq {
namespace {

template <typename Options>
void ExpectWellFormed(const std::vector<OptionField<Options>>& fields, const Options& defaults) {
  std::set<std::string> names, flags;
  for (const auto& f : fields) {
    EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
    if (f.flag) {
      EXPECT_TRUE(flags.insert(f.flag).second) << "twice: " << f.flag;
    }
    EXPECT_EQ(OptionProblem(defaults, f), "") << "the default of " << f.name << " is outside its own range";
  }
  const nlohmann::json written = OptionFieldsJson(defaults, fields);
  Options back{};
  ReadOptionFields(written, back, fields, "test", "");
  EXPECT_EQ(OptionFieldsJson(back, fields), written);
}

TEST(OptionFields, EveryKernelTableIsWellFormedAndRoundTrips) {
  ExpectWellFormed(StorageOptionFields(), StorageOptions{});
  ExpectWellFormed(NetOptionFields(), NetOptions{});
  ExpectWellFormed(DatapathOptionFields(), DatapathOptions{});
  // The parts a plan file must never choose are not in the tables.
  for (const auto& f : StorageOptionFields()) EXPECT_STRNE(f.name, "fio");
  for (const auto& f : NetOptionFields()) EXPECT_STRNE(f.name, "token");
  for (const auto& f : DatapathOptionFields()) EXPECT_STRNE(f.name, "benchmark_binary");
  NetOptions with_token;
  with_token.token = "secret-secret-secret";
  EXPECT_EQ(NetOptionsJson(with_token).dump().find("secret"), std::string::npos);
}

TEST(OptionFields, OutOfRangeWrongTypeAndUnknownNameTheField) {
  auto refused = [](const nlohmann::json& j) {
    try {
      NetOptionsFromJson(j, "peer");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kBadInput);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refused({{"repeats", 0}}).find("field repeats: from 1 to 100, not 0"), std::string::npos) << refused({{"repeats", 0}});
  EXPECT_NE(refused({{"repeats", -1}}).find("field repeats: expected a whole number from 1 to 100, got -1"), std::string::npos);
  EXPECT_NE(refused({{"duration_s", "5"}}).find("field duration_s: expected a number"), std::string::npos);
  EXPECT_NE(refused({{"direction", "sideways"}}).find("field direction: must be one of up|down|both"), std::string::npos);
  EXPECT_NE(refused({{"token", "x"}}).find("field token: unknown"), std::string::npos);
  EXPECT_NE(refused({{"duration_s", std::nan("")}}).find("duration_s"), std::string::npos);
  NetOptions o;
  o.warmup_s = 601;
  try {
    ValidateNetOptions(o);
    ADD_FAILURE() << "accepted warmup_s 601";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "warmup_s (--warmup): from 0 to 600, not 601");
  }
}

}  // namespace
}  // namespace shapeq
