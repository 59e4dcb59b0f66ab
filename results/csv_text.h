#pragma once
// CSV cells as spreadsheets read them (RFC 4180), safe for text from results files: a cell is
// quoted when it holds ',', '"' or a line break, and text a spreadsheet would run as a formula
// (starting with '=', '+', '-', '@', a tab or a carriage return) gets a leading "'". Numbers at
// full precision; a number that is not finite is an empty cell, never "nan" or "inf".
#include <optional>
#include <string>

namespace shapeq {

std::string CsvText(const std::string& text);
std::string CsvNumber(std::optional<double> value);

}  // namespace shapeq
