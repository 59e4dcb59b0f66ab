#include "scoring/sweep.h"

#include "common/error.h"
#include "scoring/catalog_input.h"

namespace shapeq {

Sweep ParseSweep(const std::string& text) {
  const size_t eq = text.find('=');
  const size_t c1 = text.find(':', eq);
  if (eq == std::string::npos || c1 == std::string::npos) throw Error(ExitCode::kUsage, "--sweep " + text + ": expected FIELD=START:STOP[:STEPS]");
  const size_t c2 = text.find(':', c1 + 1);
  Sweep sweep{text.substr(0, eq), {}};
  const double start = ParseNumberText(text.substr(eq + 1, c1 - eq - 1), "--sweep start");
  const double stop = ParseNumberText(text.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1), "--sweep stop");
  const double steps = c2 == std::string::npos ? 10 : ParseNumberText(text.substr(c2 + 1), "--sweep steps");
  if (!(start > 0) || !(stop >= start) || steps < 1 || steps > 1000 || steps != static_cast<int>(steps)) {
    throw Error(ExitCode::kUsage, "--sweep " + text + ": need 0 < START <= STOP and 1 to 1000 whole STEPS");
  }
  for (int i = 0; i < static_cast<int>(steps); ++i) {
    sweep.values.push_back(steps == 1 ? start : start + (stop - start) * i / (steps - 1));
  }
  return sweep;
}

std::vector<SweepStep> RunSweep(const Sweep& sweep, const std::vector<Shape>& shapes, const Target& target, const Model& model,
                                const std::string& protection) {
  const bool model_field = sweep.field.rfind("model.", 0) == 0;
  std::vector<SweepStep> steps(sweep.values.size());  // sized once: the pairs point into it
  for (size_t i = 0; i < steps.size(); ++i) {
    SweepStep& step = steps[i];
    step.value = sweep.values[i];
    step.target = target;
    step.model = model;
    if (model_field) {
      SetModelField(step.model, sweep.field.substr(6), step.value);
    } else {
      SetTargetField(step.target, sweep.field, step.value);
    }
    step.pairs = ScoreAll(shapes, {step.target}, step.model, protection);
    for (auto& pair : step.pairs) pair.target = &step.target;
  }
  return steps;
}

}  // namespace shapeq
