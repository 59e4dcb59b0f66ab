#pragma once
// What decides a verdict and how sure it is, as report tables and a tornado chart: one ranged
// input per row with the verdict at each end of its range (scoring/sensitivity.h), and the
// sampled spread of every verdict (scoring/uncertainty.h). `shapeq score --sensitivity` and
// `--uncertainty N` print them; the shape report draws the tornado.
#include <string>
#include <vector>

#include "results/report_model.h"
#include "scoring/score_matrix.h"
#include "scoring/uncertainty.h"

namespace shapeq::report {

// Verdicts, each input that moves one in a row (at most `per_shape` per verdict): its range,
// $/PB-month, racks and kW at each end, the verdict at each end, where it turns. `with_target`:
// a first column names each row's target (pairs of several targets).
Table SensitivityTable(const std::vector<ScoredPair>& pairs, size_t per_shape, bool with_target = false);

// One verdict's tornado: a bar per input from the $/PB-month at one end of its range to the
// other, widest first, today's figure as the reference line (SVG via svg_chart.h).
Chart TornadoChart(const Verdict& v, size_t most = 8);

// One target's sampled verdicts: probability of pass, P10/P50/P90 of $/PB-month, nodes, racks, kW.
Table UncertaintyTable(const std::vector<ScoredPair>& pairs, const UncertaintyRun& run);

}  // namespace shapeq::report
