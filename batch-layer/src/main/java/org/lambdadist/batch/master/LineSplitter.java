package org.lambdadist.batch.master;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n} (a preceding {@code \r} is dropped), keeping
 * each line's bytes exactly: no charset decoding, so invalid UTF-8 reaches the quarantine
 * unchanged. A last line without a newline is a line.
 */
final class LineSplitter {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[1024];
  private int lineLength;
  private boolean eof;

  LineSplitter(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads the next line; false at the end of the stream. */
  boolean next() throws IOException {
    lineLength = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof) {
          return any;
        }
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          return any;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      append(start, pos - start);
      if (pos < limit) {
        pos++; // the newline
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return true;
      }
    }
  }

  private void append(int from, int count) throws IOException {
    if (lineLength + count > maxLineBytes) {
      throw new LineTooLongException(maxLineBytes);
    }
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + count, line.length * 2));
    }
    System.arraycopy(buffer, from, line, lineLength, count);
    lineLength += count;
  }

  byte[] line() {
    return line;
  }

  int length() {
    return lineLength;
  }

  boolean isBlank() {
    for (int i = 0; i < lineLength; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** A line longer than the import's limit. */
  static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(int limit) {
      super("a line is longer than " + limit + " bytes");
    }
  }
}
