// A seeded mutation fuzzer over everything shapeq reads from a file: plans (through the real
// CLI), profiles (loaded, scored and printed), results directories (read, summarized, rendered,
// turned into metrics), fio's json+ and hwloc XML topologies. Each mutant must end in success or
// in shapeq's own Error (one line, a documented exit code): never a crash, never another exception
// (the CLI's exit 1, "internal error"), never a NaN or infinity printed.
//
// Reproducible: SHAPEQ_FUZZ_SEED=N picks the seed (default 1), SHAPEQ_FUZZ_SECONDS the budget
// per input kind (default 3 s; about 40 s in all). A failing mutant is written beside the test's output and named.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <regex>

#include "common/error.h"
#include "common/json_read.h"
#include "common/subprocess.h"
#include "model/fingerprint.h"
#include "probes/probe.h"
#include "results/prometheus_export.h"
#include "results/run_report.h"
#include "results/score_report.h"
#include "scoring/price_file.h"
#include "results/shape_report.h"
#include "scoring/catalog.h"
#include "scoring/claims.h"
#include "scoring/design.h"
#include "scoring/scorer.h"
#include "tests/test_support.h"
#include "workloads/fio_output.h"
#include "model/measurement.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

unsigned Seed() { return std::getenv("SHAPEQ_FUZZ_SEED") ? static_cast<unsigned>(std::atoi(std::getenv("SHAPEQ_FUZZ_SEED"))) : 1u; }
double Budget() { return std::getenv("SHAPEQ_FUZZ_SECONDS") ? std::atof(std::getenv("SHAPEQ_FUZZ_SECONDS")) : 3.0; }

// Values that have broken readers before, or could.
const std::vector<std::string>& Interesting() {
  static const std::vector<std::string> values = {
      "1e400", "-1e400", "1e308", "-1", "0", "-0", "1.5", "4294967297", "18446744073709551616", "9.9e15", "1e-320",
      "null", "true", "\"\"", "\"x\"", "[]", "{}", "[[[[[[[[[[[[]]]]]]]]]]]]", "\"a\\nb\"", "\"\\u0000\"", "\"[evil]\"",
      "\"" + std::string(5000, 'A') + "\"", std::string(80, '[') + std::string(80, ']')};
  return values;
}

class Mutator {
 public:
  explicit Mutator(unsigned seed) : random_(seed) {}

  size_t Below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(random_); }

  // Text-level: flips, cuts, repeats, and interesting tokens dropped in anywhere.
  std::string Bytes(std::string text) {
    const size_t edits = 1 + Below(4);
    for (size_t e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = Below(text.size());
      switch (Below(5)) {
        case 0: text[at] = static_cast<char>(Below(256)); break;
        case 1: text.erase(at, 1 + Below(16)); break;
        case 2: text.insert(at, text.substr(at, 1 + Below(32))); break;
        case 3: text.insert(at, Interesting()[Below(Interesting().size())]); break;
        default: text.insert(at, std::string(1, "[]{}\",:"[Below(7)])); break;
      }
    }
    return text;
  }

  // Structure-aware: a random value in the document replaced, removed or given a twin key, so
  // most mutants get past the parser to the field checks behind it.
  std::string Json(const std::string& text) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false, true);
    if (doc.is_discarded()) return Bytes(text);
    std::vector<nlohmann::json*> nodes;
    std::function<void(nlohmann::json&)> collect = [&](nlohmann::json& j) {
      nodes.push_back(&j);
      if (j.is_structured()) {
        for (auto& child : j) collect(child);
      }
    };
    collect(doc);
    nlohmann::json& victim = *nodes[Below(nodes.size())];
    const std::string value = Interesting()[Below(Interesting().size())];
    switch (Below(4)) {
      case 0:
      case 1: victim = nlohmann::json::parse(value, nullptr, false); break;  // 1e400 and friends stay text: below
      case 2:
        if (victim.is_object() && !victim.empty()) victim.erase(victim.begin().key());
        break;
      default: break;
    }
    std::string out = doc.dump();
    if (victim.is_discarded() || Below(3) == 0) {
      // Values nlohmann cannot hold (1e400) and duplicate keys only exist as text.
      const size_t colon = out.find(':', Below(out.size()));
      if (colon != std::string::npos) {
        const size_t end = out.find_first_of(",}", colon);
        out.replace(colon + 1, end == std::string::npos ? 0 : end - colon - 1, value);
      }
      const size_t key = out.find("{\"");
      if (key != std::string::npos && Below(2) == 0) {
        const size_t key_end = out.find(',', key);
        if (key_end != std::string::npos) out.insert(key_end + 1, out.substr(key + 1, key_end - key - 1) + ",");
      }
    }
    return out;
  }

  std::string Any(const std::string& text) { return Below(3) == 0 ? Bytes(text) : Json(text); }

 private:
  std::mt19937 random_;
};

// Runs `one` with mutants of `seed_text` for the budget; fails on anything but success or Error.
struct Tally {
  size_t runs = 0, accepted = 0, refused = 0;
};

void Fuzz(const std::string& kind, const std::string& seed_text, const std::function<std::string(Mutator&, const std::string&)>& mutate,
          const std::function<void(const std::string& mutant)>& one) {
  Mutator mutator(Seed());
  Tally tally;
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(Budget()));
  // The budget, but never fewer than kMinMutants: on a loaded machine (CTest runs two tests at
  // once) a time budget alone gave some kinds too few mutants to mean anything.
  constexpr size_t kMinMutants = 60;
  while (Clock::now() < end || tally.runs < kMinMutants) {
    const std::string mutant = mutate(mutator, seed_text);
    ++tally.runs;
    try {
      one(mutant);
      ++tally.accepted;
    } catch (const Error& e) {
      ++tally.refused;
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << kind << ": a message of more than one line: " << e.what();
    } catch (const std::exception& e) {
      const fs::path keep = fs::path(SHAPEQ_TEST_WORK) / ("fuzz-failure-" + kind);
      std::ofstream(keep) << mutant;
      ADD_FAILURE() << kind << ": internal error (" << e.what() << ") for the mutant saved in " << keep << " (seed " << Seed() << ")";
      return;
    }
  }
  std::cout << kind << ": " << tally.runs << " mutants, " << tally.accepted << " accepted, " << tally.refused << " refused (seed " << Seed()
            << ")\n";
  EXPECT_GT(tally.runs, 50u) << "too few mutants to mean anything";
  EXPECT_GT(tally.refused, 0u) << "no mutant was refused: the mutator is broken";
}

// Throws (an internal error, so the mutant is kept) when `text` shows a NaN or an infinity.
void ExpectNoNonFinite(const std::string& text, const std::string& what) {
  static const std::regex non_finite(R"((^|[^A-Za-z])(-?nan|-?inf)([^A-Za-z]|$))", std::regex::icase);
  std::smatch found;
  if (std::regex_search(text, found, non_finite)) {
    const size_t line_start = text.rfind('\n', static_cast<size_t>(found.position(0))) + 1;
    throw std::runtime_error(what + " printed a NaN or an infinity: " + text.substr(line_start, text.find('\n', line_start) - line_start));
  }
}

TEST(MutationFuzz, Plans) {
  // Through the real CLI: the exit code is the contract. A valid plan stops at the missing device.
  test::TempDir temp("shapeq-fuzz-plans");
  const std::string plan = R"({"schema": "shapeq.plan",
    "storage": {"kernels": ["seq_read", "rand_read"], "runtime_s": 10, "ramp_s": 2, "repeats": 2, "devices": [], "all_nvme": false,
                "allow_destructive": false, "precondition": false, "scratch_mib": 1024, "iodepth": 0, "numjobs": 0,
                "ioengine": "io_uring", "steady_state": "iops_slope:2%"},
    "network": {"enabled": true, "peer": "", "streams": 0, "direction": "up", "duration_s": 5, "warmup_s": 1, "repeats": 3},
    "datapath": {"enabled": true, "min_time_s": 0.5, "repetitions": 3, "filter": ""},
    "score": {"profiles": "", "model": "default"}})";
  const fs::path file = temp.path() / "plan.json", out = temp.path() / "never";
  Fuzz("plan", plan, [](Mutator& m, const std::string& t) { return m.Any(t); }, [&](const std::string& mutant) {
    std::ofstream(file) << mutant;
    const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--plan", file.string(), "--device", "/dev/shapeq-fuzz-none", "--out", out.string()});
    if (r.term_signal != 0 || r.exit_code == 1 || (r.exit_code != 2 && r.exit_code != 3)) {
      throw std::runtime_error("exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.term_signal) + ": " + r.stderr_text);
    }
    if (fs::exists(out)) throw std::runtime_error("a run started");
    if (std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n') != 1) throw std::runtime_error("not one line: " + r.stderr_text);
    if (r.stderr_text.find("/dev/shapeq-fuzz-none: no such device") != std::string::npos) return;  // the plan was accepted
    throw Error(static_cast<ExitCode>(r.exit_code), r.stderr_text.substr(0, r.stderr_text.size() - 1));
  });
}

TEST(MutationFuzz, Profiles) {
  test::TempDir temp("shapeq-fuzz-profiles");
  const fs::path profiles = temp.path() / "profiles";
  fs::copy(SHAPEQ_PROFILES, profiles, fs::copy_options::recursive);
  const std::vector<fs::path> files = {profiles / "shapes" / "onprem-dense-1u-122tb.json", profiles / "shapes" / "azure-l96s-v4.json",
                                       profiles / "targets" / "ai-lab-1eb.json", profiles / "targets" / "weather-hpc-archive.json",
                                       profiles / "models" / "default.json", profiles / "claims" / "racks-ten-times-fewer.json",
                                       profiles / "parts" / "chassis.json", profiles / "parts" / "drives.json"};
  for (const auto& file : files) {
    const std::string original = test::ReadText(file);
    Fuzz("profile-" + file.filename().string(), original, [](Mutator& m, const std::string& t) { return m.Any(t); },
         [&](const std::string& mutant) {
           std::ofstream(file) << mutant;
           struct Restore {
             fs::path file;
             std::string text;
             ~Restore() { std::ofstream(file) << text; }
           } restore{file, original};
           Catalog catalog = LoadCatalog(profiles.string());
           const std::vector<ScoredPair> pairs = ScoreAll(catalog.shapes, catalog.targets, catalog.model);
           ExpectNoNonFinite(FormatScoreTable(pairs, catalog.model, true), file.filename().string() + " scored");
           ExpectNoNonFinite(FormatScoreCsv(pairs), file.filename().string() + " as CSV");
           std::vector<ClaimResult> claims;
           for (const auto& claim : LoadClaims(profiles.string(), catalog)) claims.push_back(EvaluateClaim(claim, catalog));
           ExpectNoNonFinite(FormatClaimsText(claims), file.filename().string() + " claims");
           WriteScoreDocument(pairs, catalog.model, claims).dump();
           const PartsCatalog parts = LoadParts((profiles / "parts").string(), catalog.model);
           const std::vector<Design> designs = EvaluateDesigns(parts, {catalog.targets.front()}, catalog.model);
           std::vector<ScoredPair> designed;
           for (const auto& d : designs) designed.push_back({&d.shape, &catalog.targets.front(), d.verdicts.front()});
           ExpectNoNonFinite(FormatScoreTable(designed, catalog.model, true), file.filename().string() + " designs");
           ParetoFront(designs);
         });
  }
}

// A price file (a team's own, or shapeq prices'): read strictly, then priced shapes scored.
TEST(MutationFuzz, PriceFiles) {
  test::TempDir temp("shapeq-fuzz-prices");
  const fs::path file = temp.path() / "prices.json";
  const std::string prices = R"({"schema": "shapeq.prices", "schema_version": 1, "prices": [
    {"shape": "azure-l96s-v4", "price_per_hour_usd": 7.488, "region": "eastus", "terms": "linux on-demand",
     "source": "Azure Retail Prices API", "retrieved": "2026-12-07"},
    {"shape": "aws-i7ie-48xlarge", "price_per_hour_usd": 15.8, "region": "us-east-1", "terms": "1-year reserved",
     "source": "a quote", "retrieved": "2026-11-20"}]})";
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  Fuzz("prices", prices, [](Mutator& m, const std::string& t) { return m.Any(t); }, [&](const std::string& mutant) {
    std::ofstream(file) << mutant;
    Catalog priced = catalog;
    ApplyPrices(priced.shapes, ReadPriceFile(file.string()), file.string());
    const std::vector<ScoredPair> pairs = ScoreAll(priced.shapes, priced.targets, priced.model);
    ExpectNoNonFinite(FormatScoreCsv(pairs), "priced shapes as CSV");
  });
}

TEST(MutationFuzz, ResultsDirectories) {
  test::TempDir temp("shapeq-fuzz-results");
  const fs::path dir = temp.path() / "run";
  fs::create_directories(dir);
  Measurement seq;
  seq.kernel = "fio.seq_read";
  seq.target = "all 22 targets";
  seq.bytes_per_s = 150e9;
  seq.repeats_bytes_per_s = {149e9, 151e9};
  seq.detail = {{"repeats", {{{"read", {{"iops", 1e5}, {"clat_percentiles_s", {{"p99", 0.001}}}}}}}}};
  Measurement net;
  net.kernel = "net.tcp";
  net.target = "10.0.0.2:5201";
  net.bytes_per_s = 12e9;
  const ProcessResult verdicts = RunProcess({SHAPEQ_BINARY, "score", "--json", "--target", "ai-lab-1eb"});
  ASSERT_EQ(verdicts.exit_code, 0);
  const std::map<std::string, std::string> seeds = {
      {"fingerprint.json", nlohmann::json(test::ProbeFixtureShape("onprem-dense-1u")).dump()},
      {"storage.json", nlohmann::json(std::vector<Measurement>{seq}).dump()},
      {"network.json", nlohmann::json(net).dump()},
      {"verdicts.json", verdicts.stdout_text},
      {"manifest.json", nlohmann::json{{"schema", "shapeq.manifest"}, {"complete", true}, {"finished_utc", "2026-11-27T00:00:00Z"},
                                       {"files", {"fingerprint.json", "storage.json", "network.json", "verdicts.json"}},
                                       {"stages", {{{"name", "storage"}, {"status", "ok"}, {"summary", "1 of 1 kernels ok"}}}}}.dump()}};
  for (const auto& [name, text] : seeds) std::ofstream(dir / name) << text;
  for (const auto& [name, text] : seeds) {
    Fuzz("results-" + name, text, [](Mutator& m, const std::string& t) { return m.Any(t); }, [&](const std::string& mutant) {
      std::ofstream(dir / name) << mutant;
      struct Restore {
        fs::path file;
        std::string text;
        ~Restore() { std::ofstream(file) << text; }
      } restore{dir / name, text};
      const RunFiles run = ReadRunFiles(dir.string());
      ExpectNoNonFinite(FormatRunSummary(run), name + " summarized");
      FormatRunComparison(run, run);
      const ShapeReport report = RenderShapeReport({run});
      ExpectNoNonFinite(report.markdown, name + " in report.md");
      RunMetrics(run)->Collect();
    });
  }
}

TEST(MutationFuzz, FioOutputAndTopologies) {
  const std::string fio = test::ReadText(std::string(SHAPEQ_FIXTURES) + "/fio/seq_read_jsonplus.json");
  Fuzz("fio-json+", fio, [](Mutator& m, const std::string& t) { return m.Any(t); },
       [](const std::string& mutant) { ParseFioJson(mutant, "fuzzed fio output"); });
  // fio --client's output: split per host, each host's document read like any fio output.
  const std::string client = test::ReadText(std::string(SHAPEQ_FIXTURES) + "/fio/client_two_hosts.json");
  Fuzz("fio-client-json", client, [](Mutator& m, const std::string& t) { return m.Any(t); },
       [](const std::string& mutant) {
         for (const auto& [host, document] : FioClientDocuments(mutant, "fuzzed fio client output")) CombineFioGroups(ParseFioJson(document, host));
       });

  test::TempDir temp("shapeq-fuzz-xml");
  const fs::path xml = temp.path() / "topology.xml";
  const std::string topology = test::ReadText(std::string(SHAPEQ_FIXTURES) + "/shapes/onprem-dense-1u/topology.xml");
  // hwloc parses the XML; the attributes it hands over (sizes, memory, PCI ids) are shapeq's to check.
  Fuzz("hwloc-xml", topology,
       [](Mutator& m, const std::string& t) {
         std::string out = t;
         static const std::vector<std::string> attributes = {"local_memory=\"", "name=\"Size\" value=\"", "name=\"SectorSize\" value=\"",
                                                              "pci_type=\"", "pci_link_speed=\"", "os_index=\""};
         for (size_t e = 0, n = 1 + m.Below(3); e < n; ++e) {
           const std::string& attribute = attributes[m.Below(attributes.size())];
           const size_t at = out.find(attribute, m.Below(out.size()));
           if (at == std::string::npos) continue;
           const size_t start = at + attribute.size(), end = out.find('"', start);
           static const std::vector<std::string> values = {"-5", "1e23", "99999999999999999999999", "", "abc", "0", "18446744073709551615"};
           out.replace(start, end - start, values[m.Below(values.size())]);
         }
         return m.Below(4) == 0 ? m.Bytes(out) : out;
       },
       [&](const std::string& mutant) {
         std::ofstream(xml) << mutant;
         const Fingerprint fp = Probe({.topology_xml = xml.string(), .sysfs_root = ""});
         for (const auto& numa : fp.numa) {
           if (numa.memory_bytes > (1ULL << 60)) throw std::runtime_error("an impossible NUMA node was accepted");
         }
       });
}

}  // namespace
}  // namespace shapeq
