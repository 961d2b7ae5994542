package org.lambdadist.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import org.junit.jupiter.api.Test;

class ArrayDataInputTest {
  /** One of every kind of value; {@link ArrayDataOutputTest} writes it too. */
  static void writeSample(java.io.DataOutput out) throws java.io.IOException {
    out.writeByte(-3);
    out.writeBoolean(true);
    out.writeBoolean(false);
    out.writeShort(-2);
    out.writeChar('é');
    out.writeInt(Integer.MIN_VALUE + 7);
    out.writeLong(-1234567890123456789L);
    out.writeDouble(-0.125);
    out.writeFloat(3.5f);
    out.writeUTF("Zoë \uD83D\uDE00");
    out.write(new byte[] {1, 2, 3});
  }

  @Test
  void readsWhatDataOutputStreamWroteFromASliceOfAnArray() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {9, 9, 9}); // before the slice
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeSample(out);
    }
    byte[] all = bytes.toByteArray();
    ArrayDataInput in = new ArrayDataInput(all, 3, all.length - 3);
    assertEquals(-3, in.readByte());
    assertTrue(in.readBoolean());
    assertFalse(in.readBoolean());
    assertEquals(-2, in.readShort());
    assertEquals('é', in.readChar());
    assertEquals(Integer.MIN_VALUE + 7, in.readInt());
    assertEquals(-1234567890123456789L, in.readLong());
    assertEquals(-0.125, in.readDouble());
    assertEquals(3.5f, in.readFloat());
    assertEquals("Zoë \uD83D\uDE00", in.readUTF());
    byte[] tail = new byte[3];
    in.readFully(tail);
    assertArrayEquals(new byte[] {1, 2, 3}, tail);
    assertEquals(0, in.available());
  }

  @Test
  void readingPastTheSliceIsAnEndOfFileNotTheBytesAfterIt() throws Exception {
    byte[] all = {0, 0, 0, 1, 7, 7, 7, 7};
    ArrayDataInput in = new ArrayDataInput(all, 0, 5);
    assertEquals(1, in.readInt());
    assertThrows(EOFException.class, in::readInt);
    assertEquals(7, in.readByte());
    assertThrows(EOFException.class, in::readByte);
    assertThrows(IndexOutOfBoundsException.class, () -> new ArrayDataInput(all, 6, 3));
  }
}
