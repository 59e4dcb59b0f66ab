#pragma once
// Numbers for people (reports and terminal tables): "52,465", "4.61", "?" for unknown.
// Machine formats (JSON, CSV) print full precision instead.
#include <optional>
#include <string>

namespace shapeq {

// Fixed decimals with thousands separators: 52465 -> "52,465".
std::string CountText(std::optional<double> value, int decimals = 0);
// Two decimals for small figures, one below 100, none above, trailing zeros dropped.
std::string AutoText(std::optional<double> value);
// Enough decimals (up to 4) to redo the arithmetic: 122.88, 0.9733.
std::string ExactText(double value);
// One number through a printf format with a unit: Printf("%.3f GB/s", 1.5) -> "1.500 GB/s".
std::string Printf(const char* format, double value);
// A probability as a percentage that never rounds a "sometimes" to "always" or "never":
// 1 -> "100%", 0.9997 -> ">99%", 0.42 -> "42%", 0.0003 -> "<1%", 0 -> "0%".
std::string ProbabilityText(double probability);
// Characters on a terminal (UTF-8 lead bytes), not bytes.
size_t TextWidth(const std::string& text);
// `text` padded with spaces to `width` characters (UTF-8 aware), on the left when `right`.
std::string PadText(const std::string& text, size_t width, bool right = false);

}  // namespace shapeq
