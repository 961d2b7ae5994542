package org.lambdadist.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ArrayDataOutputTest {
  private static void writeEverything(DataOutput out) throws IOException {
    ArrayDataInputTest.writeSample(out);
    out.write(200);
    out.writeBytes("ab");
    out.writeChars("é!");
    out.write(new byte[] {1, 2, 3});
    out.write(new byte[] {4, 5, 6, 7}, 1, 2);
    for (int i = 0; i < 100; i++) { // past the first capacity
      out.writeLong(i * 0x0101010101010101L);
    }
  }

  @Test
  void writesTheBytesDataOutputStreamWrites() throws Exception {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(expected)) {
      writeEverything(out);
    }
    ArrayDataOutput out = new ArrayDataOutput(4);
    writeEverything(out);
    assertArrayEquals(expected.toByteArray(), out.toByteArray());
    assertEquals(expected.size(), out.size());
    ArrayDataInput back = new ArrayDataInput(out.toByteArray(), 0, out.size());
    assertEquals(-3, back.readByte());
  }
}
