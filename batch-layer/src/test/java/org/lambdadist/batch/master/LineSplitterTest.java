package org.lambdadist.batch.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lines split byte for byte, the newline found eight bytes at a time. */
class LineSplitterTest {
  private static int naive(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  @Test
  void findsTheFirstNewlineAnywhereAmongBytesOfEveryValue() {
    Random random = new Random(3);
    // Bytes next to the newline's value and with the high bit set, where a word-at-a-time test
    // could be fooled by a borrow.
    byte[] tricky = {0x0A, 0x0B, 0x09, (byte) 0x8A, (byte) 0x8B, 0x00, (byte) 0xFF, 0x01, (byte) 0x80, 0x7F};
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : tricky[random.nextInt(tricky.length)];
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      assertEquals(naive(b, from, to), LineSplitter.indexOfNewline(b, from, to), () -> Arrays.toString(b));
    }
  }

  private static List<byte[]> split(byte[] input, int max) throws Exception {
    LineSplitter lines = new LineSplitter(new ByteArrayInputStream(input), max);
    List<byte[]> out = new ArrayList<>();
    while (lines.next()) {
      out.add(Arrays.copyOf(lines.line(), lines.length()));
    }
    return out;
  }

  @Test
  void keepsEveryLineExactlyAcrossBufferBoundaries() throws Exception {
    Random random = new Random(5);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      byte[] line = new byte[i % 97 == 0 ? 70_000 + random.nextInt(1000) : random.nextInt(300)];
      for (int j = 0; j < line.length; j++) {
        byte v;
        do {
          v = (byte) random.nextInt(256);
        } while (v == '\n');
        line[j] = v;
      }
      if (line.length > 0 && line[line.length - 1] == '\r') {
        line[line.length - 1] = 'x'; // a final \r is dropped as part of a \r\n
      }
      expected.add(line);
      input.write(line);
      input.write(i % 2 == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
    }
    byte[] last = "no newline at the end".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    expected.add(last);
    input.write(last);
    List<byte[]> got = split(input.toByteArray(), 1 << 20);
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), got.get(i), "line " + i);
    }
  }

  @Test
  void blankLinesAndTheLimit() throws Exception {
    LineSplitter lines = new LineSplitter(new ByteArrayInputStream(" \t\r\n{}\n".getBytes()), 100);
    assertTrue(lines.next());
    assertTrue(lines.isBlank());
    assertTrue(lines.next());
    assertFalse(lines.isBlank());
    assertFalse(lines.next());
    assertThrows(LineSplitter.LineTooLongException.class, () -> split(new byte[101], 100));
    assertEquals(1, split(new byte[100], 100).size());
  }
}
