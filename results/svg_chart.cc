#include "results/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace shapeq::report {
namespace {

std::string Fixed(double value, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

// A horizontal bar chart: one row per bar, values at the bar's end, optional whiskers and a
// dashed reference line. Log scale when the values span decades (nodes per EB: 448 to 52,462).
std::string SvgChart(const Chart& chart) {
  constexpr double kLabelWidth = 300, kPlotWidth = 400, kWidth = 790, kRowHeight = 24, kTop = 34, kBottom = 26;
  const double height = kTop + kRowHeight * static_cast<double>(chart.bars.size()) + kBottom;
  double low = 0, high = 0;
  for (const auto& b : chart.bars) {
    for (auto v : {b.value, b.low, b.high}) {
      if (v && *v > 0) {
        low = low == 0 ? *v : std::min(low, *v);
        high = std::max(high, *v);
      }
    }
  }
  if (chart.reference && *chart.reference > 0) {
    low = low == 0 ? *chart.reference : std::min(low, *chart.reference);
    high = std::max(high, *chart.reference);
  }
  const bool log = chart.log_scale && low > 0;
  double axis_low = 0, axis_high = high > 0 ? high * 1.08 : 1;
  std::vector<double> ticks;
  if (log) {
    axis_low = std::pow(10, std::floor(std::log10(low)));
    axis_high = std::pow(10, std::ceil(std::log10(high * 1.0001)));
    if (axis_high <= axis_low) axis_high = axis_low * 10;
    for (double t = axis_low; t <= axis_high * 1.0001; t *= 10) ticks.push_back(t);
  } else {
    const double raw_step = axis_high / 4;
    const double decade = std::pow(10, std::floor(std::log10(raw_step)));
    double step = decade;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
      if (decade * m >= raw_step) {
        step = decade * m;
        break;
      }
    }
    axis_high = step * std::ceil(axis_high / step);
    for (double t = 0; t <= axis_high * 1.0001; t += step) ticks.push_back(t);
  }
  auto x = [&](double v) {
    const double fraction = log ? (std::log10(std::max(v, axis_low)) - std::log10(axis_low)) / (std::log10(axis_high) - std::log10(axis_low))
                                : v / axis_high;
    return kLabelWidth + std::clamp(fraction, 0.0, 1.0) * kPlotWidth;
  };

  std::ostringstream svg;
  svg << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kWidth << " " << height << "\" width=\"" << kWidth
      << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << Escape(chart.title) << "\">\n";
  svg << "<text class=\"title\" x=\"0\" y=\"16\">" << Escape(chart.title) << " (" << Escape(chart.unit) << (log ? ", log scale" : "")
      << ")</text>\n";
  const double plot_bottom = kTop + kRowHeight * static_cast<double>(chart.bars.size());
  for (double t : ticks) {
    svg << "<line class=\"grid\" x1=\"" << Fixed(x(t)) << "\" y1=\"" << kTop - 4 << "\" x2=\"" << Fixed(x(t)) << "\" y2=\"" << plot_bottom
        << "\"/><text class=\"tick\" x=\"" << Fixed(x(t)) << "\" y=\"" << plot_bottom + 16 << "\">" << AutoText(t) << "</text>\n";
  }
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& b = chart.bars[i];
    const double y = kTop + kRowHeight * static_cast<double>(i);
    const double mid = y + kRowHeight / 2 - 2;
    std::string label = b.label.size() > 44 ? b.label.substr(0, 43) + "…" : b.label;  // about 6.5 px a character
    svg << "<text class=\"label\" x=\"" << kLabelWidth - 8 << "\" y=\"" << mid + 4 << "\">" << Escape(label) << "</text>";
    if (b.value && *b.value > 0) {
      svg << "<rect class=\"bar " << b.css << "\" x=\"" << kLabelWidth << "\" y=\"" << y + 3 << "\" width=\""
          << Fixed(std::max(1.0, x(*b.value) - kLabelWidth)) << "\" height=\"" << kRowHeight - 10 << "\"><title>" << Escape(b.label) << ": "
          << AutoText(b.value) << " " << Escape(chart.unit) << "</title></rect>";
    }
    const bool span = !b.value && b.low && b.high;  // a tornado's bar: from one end of a range to the other
    if (span) {
      const double left = x(std::min(*b.low, *b.high)), right = x(std::max(*b.low, *b.high));
      svg << "<rect class=\"bar " << b.css << "\" x=\"" << Fixed(left) << "\" y=\"" << y + 3 << "\" width=\"" << Fixed(std::max(1.0, right - left))
          << "\" height=\"" << kRowHeight - 10 << "\"><title>" << Escape(b.label) << ": " << AutoText(b.low) << " to " << AutoText(b.high) << " "
          << Escape(chart.unit) << "</title></rect>";
    } else if (b.low && b.high && *b.high > *b.low) {
      svg << "<path class=\"whisker\" d=\"M" << Fixed(x(*b.low)) << " " << Fixed(mid - 4) << "v8M" << Fixed(x(*b.low)) << " " << Fixed(mid)
          << "H" << Fixed(x(*b.high)) << "M" << Fixed(x(*b.high)) << " " << Fixed(mid - 4) << "v8\"/>";
    }
    const double end = std::max(b.value.value_or(0), b.high.value_or(0));
    svg << "<text class=\"value\" x=\"" << Fixed((end > 0 ? x(end) : kLabelWidth) + 6) << "\" y=\"" << mid + 4 << "\">"
        << (span ? CountText(b.low, *b.low < 100 ? 2 : 0) + " to " + CountText(b.high, *b.high < 100 ? 2 : 0)
                 : b.value ? CountText(b.value, *b.value < 100 ? 2 : 0) : "?") << "</text>\n";
  }
  if (chart.reference && *chart.reference > 0) {
    const double rx = x(*chart.reference);
    svg << "<line class=\"reference\" x1=\"" << Fixed(rx) << "\" y1=\"" << kTop - 6 << "\" x2=\"" << Fixed(rx) << "\" y2=\"" << plot_bottom
        << "\"/><text class=\"reference-label\" x=\"" << Fixed(rx + 4) << "\" y=\"" << kTop - 8 << "\">" << Escape(chart.reference_label)
        << " " << AutoText(chart.reference) << "</text>\n";
  }
  svg << "</svg>";
  return svg.str();
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace shapeq::report
