package org.lambdadist.serving.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns of text aligned for a terminal: a header line, then one line per row, two spaces
 * between columns; numeric columns are right-aligned so digits line up. Widths count characters
 * (code points), which is what a terminal shows for the values a view holds.
 */
final class TextTable {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table of {@code headers}; {@code numericFrom}: the first right-aligned column (the rest are too). */
  TextTable(List<String> headers, int numericFrom) {
    this.headers = List.copyOf(headers);
    this.rightAligned = new boolean[headers.size()];
    for (int i = numericFrom; i < headers.size(); i++) {
      rightAligned[i] = true;
    }
  }

  /** Adds a row of as many cells as headers. */
  TextTable add(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + headers.size() + " columns");
    }
    rows.add(cells.stream().map(TextTable::printable).toList());
    return this;
  }

  /** The header and the rows, each line ending with a newline, no trailing spaces. */
  String render() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(headers.get(i));
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(widths[i] - width(cells.get(i)));
      line.append(rightAligned[i] ? pad + cells.get(i) : cells.get(i) + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  /** {@code s} with each control character shown as a backslash, u and four hex digits, so no value breaks a line. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
