#include "results/csv_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace shapeq {
namespace {

// "-3.5", "+2": a number written as text, which a spreadsheet reads as the number it is.
bool IsPlainNumber(const std::string& text) {
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && text.find_first_of("xXpP") == std::string::npos &&
         text.find_first_of("nN") == std::string::npos;
}

}  // namespace

std::string CsvText(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && std::strchr("=+-@\t\r", cell[0]) && !IsPlainNumber(cell)) cell = "'" + cell;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string CsvNumber(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "";
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", *value);
  return text;
}

}  // namespace shapeq
