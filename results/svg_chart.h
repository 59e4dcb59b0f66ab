#pragma once
// A report chart as inline SVG: horizontal bars with their values, whiskers for a spread, a
// dashed reference line for a target, a log scale when the values span decades.
#include <string>

#include "results/report_model.h"

namespace shapeq::report {

std::string SvgChart(const Chart& chart);

// HTML-escaped text (also for SVG text and attributes).
std::string Escape(const std::string& text);

}  // namespace shapeq::report
