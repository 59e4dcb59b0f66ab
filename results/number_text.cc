#include "results/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace shapeq {
namespace {

std::string DropTrailingZeros(std::string text) {
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace

std::string CountText(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return "?";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, *value);
  // Copy with a comma before every third digit of the whole part.
  const std::string digits = text;
  const size_t sign = digits[0] == '-' ? 1 : 0;
  const size_t whole_end = std::min(digits.find('.'), digits.size());
  std::string grouped = digits.substr(0, sign);
  for (size_t i = sign; i < whole_end; ++i) {
    if (i > sign && (whole_end - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped + digits.substr(whole_end);
}

std::string AutoText(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "?";
  const double magnitude = std::fabs(*value);
  return DropTrailingZeros(CountText(value, magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2));
}

std::string ExactText(double value) { return DropTrailingZeros(CountText(value, 4)); }

std::string Printf(const char* format, double value) {
  if (!std::isfinite(value)) return "?";  // never "nan" or "inf" in front of a reader
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string ProbabilityText(double probability) {
  if (probability >= 1) return "100%";
  if (probability <= 0) return "0%";
  if (probability > 0.99) return ">99%";
  if (probability < 0.01) return "<1%";
  return Printf("%.0f%%", probability * 100);
}

size_t TextWidth(const std::string& text) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xc0) != 0x80;
  return chars;
}

std::string PadText(const std::string& text, size_t width, bool right) {
  const size_t chars = TextWidth(text);
  if (chars >= width) return text;
  const std::string fill(width - chars, ' ');
  return right ? fill + text : text + fill;
}

}  // namespace shapeq
