package org.lambdadist.batch.master;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
      pos = indexOfNewline(buffer, pos, limit);
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

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first {@code \n} in {@code b[from, to)}, else {@code to}: eight bytes at a
   * time (a byte equal to the newline is a zero byte of {@code word ^ NEWLINES}, and the lowest
   * byte flagged by {@code (x - ONES) & ~x & HIGHS} is the first zero). A byte at a time, the
   * scan was about a tenth of import's copying thread.
   */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long x = (long) LONG.get(b, i) ^ NEWLINES;
      long zeros = (x - ONES) & ~x & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
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
