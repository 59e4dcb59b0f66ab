#pragma once
// Levers: for a failing verdict, the one change to an input (a shape figure, or a model term a
// deployment can change) that would answer each failing check, rounded the safe way, then
// re-scored alone and together so that only what was shown to pass is printed.
#include <functional>
#include <string>

#include "scoring/profiles.h"
#include "scoring/verdict.h"

namespace shapeq {

// The scorer as the levers use it: the verdict for a changed shape and model, levers unverified.
using Rescore = std::function<Verdict(const Shape&, const Model&)>;

// Fills v.levers: the per-node figures that would let the node count a limit allows meet every
// need, and for each failing limit the input that would pass it at today's node count. Values
// are rounded at three figures the safe way.
void FindLevers(const Shape& shape, const Target& target, const Model& model, Verdict& v, double write_required,
                double iops_required);

// Re-scores each lever alone (Lever::alone), then those that do not pass alone all together (and
// what the result still asks for, a few rounds) into v.levers_together when that passes.
void VerifyLevers(const Shape& shape, const Model& model, const Rescore& rescore, Verdict& v);

// Applies `lever` to a copy's shape figure (or the model's kw_per_rack, cloud_fault_domains,
// rebuild_share), never loosening what is already there; false when it names no figure that can
// be set (protection_width) or a value no profile could hold.
bool ApplyLever(Shape& shape, Model& model, const Lever& lever);

// `value` at three significant figures, rounded up (an "at least") or down (an "at most"): a
// hint or price rounded the other way would print a figure that still fails.
double RoundToThreeFigures(double value, bool up);

}  // namespace shapeq
