// The report's three renderings: one self-contained HTML page, Markdown, CSV.
#include "results/report_model.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "results/csv_text.h"
#include "results/svg_chart.h"
#include "shapeq/version.h"

namespace shapeq::report {
namespace {

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
.subtitle { color: #57606a; margin: 0; } nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; vertical-align: top; }
th { background: #f6f8fa; text-align: left; } tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pass { color: #1a7f37; font-weight: 600; } td.fail { color: #cf222e; font-weight: 600; } td.unknown { color: #9a6700; } td.uncertain { color: #8250df; font-weight: 600; }
td.heat0 { background: #f8d0cc; } td.heat1 { background: #fbe3c8; } td.heat2 { background: #fdf3cf; } td.heat3 { background: #dff0d8; } td.heat4 { background: #c3e6cb; }
figure { margin: 1em 0; } svg.chart { max-width: 100%; height: auto; }
svg .title { font-weight: 600; font-size: 13px; } svg text { font-size: 12px; fill: #1b1f24; }
svg .label { text-anchor: end; } svg .tick { text-anchor: middle; fill: #57606a; font-size: 11px; }
svg .grid { stroke: #e4e7eb; } svg .bar { fill: #4c78a8; } svg .bar.pass { fill: #54a24b; } svg .bar.fail { fill: #e45756; } svg .bar.uncertain { fill: #8250df; }
svg .bar.unknown { fill: #b0b0b0; } svg .whisker { stroke: #1b1f24; fill: none; stroke-width: 1.2; }
svg .reference { stroke: #1b1f24; stroke-dasharray: 5 3; stroke-width: 1.5; } svg .reference-label { font-size: 11px; }
footer { margin-top: 3em; color: #57606a; font-size: 12px; }
)";

// Marks the body with what the browser laid out (tables and charts with a size) and any script
// error, so a headless browser's DOM dump can tell a rendered report from a broken one.
constexpr const char* kSelfCheck = R"(<script>
window.addEventListener("error", function () { document.body.dataset.errors = String(Number(document.body.dataset.errors || 0) + 1); });
window.addEventListener("load", function () {
  var sized = function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  var tables = Array.prototype.filter.call(document.querySelectorAll("table"), sized).length;
  var charts = Array.prototype.filter.call(document.querySelectorAll("svg.chart"), function (svg) {
    return sized(svg) && Array.prototype.some.call(svg.querySelectorAll("rect.bar"), sized);
  }).length;
  document.body.dataset.rendered = tables + " tables, " + charts + " charts";
});
</script>)";

bool LooksNumeric(const Cell& c) { return c.value.has_value() || c.text == "?"; }

}  // namespace

std::string RenderHtml(const Report& report) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << Escape(report.title)
       << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>" << Escape(report.title) << "</h1>\n";
  for (const auto& line : report.subtitle) html << "<p class=\"subtitle\">" << Escape(line) << "</p>\n";
  html << "<nav>";
  for (const auto& s : report.sections) html << "<a href=\"#" << Escape(s.id) << "\">" << Escape(s.heading) << "</a> ";
  html << "</nav>\n";
  for (const auto& s : report.sections) {
    html << "<section id=\"" << Escape(s.id) << "\">\n<h2>" << Escape(s.heading) << "</h2>\n";
    for (const auto& p : s.paragraphs) html << "<p>" << Escape(p) << "</p>\n";
    for (const auto& chart : s.charts) html << "<figure>" << SvgChart(chart) << "</figure>\n";
    for (const auto& t : s.tables) {
      html << "<table>\n<caption>" << Escape(t.caption) << "</caption>\n<thead><tr>";
      for (const auto& h : t.header) html << "<th>" << Escape(h) << "</th>";
      html << "</tr></thead>\n<tbody>\n";
      for (const auto& row : t.rows) {
        html << "<tr>";
        for (const auto& c : row) {
          std::string css = c.css;
          if (LooksNumeric(c)) css += std::string(css.empty() ? "" : " ") + "num";
          html << "<td" << (css.empty() ? "" : " class=\"" + css + "\"") << ">" << Escape(c.text) << "</td>";
        }
        html << "</tr>\n";
      }
      html << "</tbody>\n</table>\n";
    }
    html << "</section>\n";
  }
  html << "<footer>Written by shapeq " << kVersion
       << ". One self-contained file: styles and charts are inline; nothing is fetched.</footer>\n"
       << kSelfCheck << "\n</body>\n</html>\n";
  return html.str();
}

namespace {

// ---- Markdown and CSV ----------------------------------------------------------------------

// Text from results files is text in Markdown too: no HTML tag or entity (<script>, &lt;), no
// link, code span or emphasis it did not have, no cell break. Only what would start one is
// escaped, so "<= 0.07" and "seq_read" read as they are (GFM leaves '_' alone inside words).
std::string MarkdownText(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    const bool tag_start = c == '<' && (std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' || next == '?');
    const bool entity_start = c == '&' && (std::isalnum(static_cast<unsigned char>(next)) || next == '#');
    if (tag_start || entity_start || c == '\\' || c == '`' || c == '*' || c == '[' || c == ']' || c == '|') out += '\\';
    out += c == '\n' || c == '\r' ? ' ' : c;
  }
  return out;
}

std::string MarkdownCell(const std::string& text) {
  const std::string out = MarkdownText(text);
  return out.empty() ? " " : out;
}

}  // namespace

std::string RenderMarkdown(const Report& report) {
  std::ostringstream md;
  md << "# " << MarkdownText(report.title) << "\n\n";
  for (const auto& line : report.subtitle) md << "_" << MarkdownText(line) << "_\n\n";
  for (const auto& s : report.sections) {
    md << "## " << MarkdownText(s.heading) << "\n\n";
    for (const auto& p : s.paragraphs) md << MarkdownText(p) << "\n\n";
    for (const auto& t : s.tables) {
      md << "**" << MarkdownText(t.caption) << "**\n\n|";
      for (const auto& h : t.header) md << " " << MarkdownCell(h) << " |";
      md << "\n|";
      for (size_t i = 0; i < t.header.size(); ++i) md << (!t.rows.empty() && LooksNumeric(t.rows[0][i]) ? " ---: |" : " --- |");
      md << "\n";
      for (const auto& row : t.rows) {
        md << "|";
        for (const auto& c : row) md << " " << MarkdownCell(c.text) << " |";
        md << "\n";
      }
      md << "\n";
    }
    if (!s.charts.empty()) md << "_Charts in report.html: ";
    for (size_t i = 0; i < s.charts.size(); ++i) md << (i ? "; " : "") << MarkdownText(s.charts[i].title);
    if (!s.charts.empty()) md << "._\n\n";
  }
  return md.str();
}

std::string CsvCell(const Cell& c) { return c.value ? CsvNumber(c.value) : CsvText(c.text); }

// One block per table (a caption line, the header, the rows) separated by blank lines: each
// pastes into a spreadsheet as it is. Numbers at full precision, no thousands separators.
std::string RenderCsv(const Report& report) {
  std::ostringstream csv;
  for (const auto& s : report.sections) {
    for (const auto& t : s.tables) {
      csv << CsvCell(Text(s.heading + " — " + t.caption)) << "\n";
      csv << RenderCsv(t) << "\n";
    }
  }
  return csv.str();
}

std::string RenderText(const Table& table) {
  std::vector<size_t> widths(table.header.size(), 0);
  for (size_t i = 0; i < table.header.size(); ++i) widths[i] = TextWidth(table.header[i]);
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], TextWidth(row[i].text));
  }
  auto line = [&widths](const std::vector<std::string>& cells, const std::vector<bool>& right) {
    std::string out = " ";
    for (size_t i = 0; i < cells.size(); ++i) out += " " + PadText(cells[i], widths[i], right[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<bool> right(widths.size(), false);
  for (size_t i = 0; i < right.size(); ++i) right[i] = !table.rows.empty() && i < table.rows[0].size() && LooksNumeric(table.rows[0][i]);
  std::string out = line(table.header, right);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    std::vector<std::string> cells;
    for (const auto& c : table.rows[r]) cells.push_back(c.text);
    out += line(cells, right);
    if (r < table.notes.size()) {
      for (const auto& note : table.notes[r]) out += "      " + note + "\n";
    }
  }
  return out;
}

std::string RenderCsv(const Table& table) {
  std::string csv;
  for (size_t i = 0; i < table.header.size(); ++i) csv += (i ? "," : "") + CsvCell(Text(table.header[i]));
  csv += "\n";
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) csv += (i ? "," : "") + CsvCell(row[i]);
    csv += "\n";
  }
  return csv;
}

}  // namespace shapeq::report
