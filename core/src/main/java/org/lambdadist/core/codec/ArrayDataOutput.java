package org.lambdadist.core.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A {@link DataOutput} into a growing byte array, big-endian as {@link DataOutputStream} writes
 * it (the same bytes), the writing counterpart of {@link ArrayDataInput}. Encoding row
 * aggregates through {@code DataOutputStream} over a {@code ByteArrayOutputStream} cost a
 * synchronized call per {@code writeByte}, and one per eight bytes of a {@code writeLong}:
 * about a quarter of writing an epoch's partial rows.
 */
public final class ArrayDataOutput implements DataOutput {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  public ArrayDataOutput(int capacity) {
    bytes = new byte[Math.max(capacity, 16)];
  }

  /**
   * Room for {@code n} more bytes; returns where they go. Call it before reading {@link #bytes}
   * (it may replace the array): {@code bytes[reserve(1)]} would write into the old one.
   */
  private int reserve(int n) {
    if (n < 0) {
      throw new IndexOutOfBoundsException("a negative length " + n);
    }
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
    int at = size;
    size += n;
    return at;
  }

  /** The bytes written, in an array of their exact length. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  public int size() {
    return size;
  }

  @Override
  public void write(int b) {
    int at = reserve(1);
    bytes[at] = (byte) b;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    int at = reserve(len);
    System.arraycopy(b, off, bytes, at, len);
  }

  @Override
  public void writeBoolean(boolean v) {
    write(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) {
    write(v);
  }

  @Override
  public void writeShort(int v) {
    int at = reserve(2);
    bytes[at] = (byte) (v >>> 8);
    bytes[at + 1] = (byte) v;
  }

  @Override
  public void writeChar(int v) {
    writeShort(v);
  }

  @Override
  public void writeInt(int v) {
    int at = reserve(4);
    INT.set(bytes, at, v);
  }

  @Override
  public void writeLong(long v) {
    int at = reserve(8);
    LONG.set(bytes, at, v);
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeBytes(String s) {
    for (int i = 0; i < s.length(); i++) {
      write(s.charAt(i));
    }
  }

  @Override
  public void writeChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      writeChar(s.charAt(i));
    }
  }

  /** Modified UTF-8 as {@link DataOutputStream#writeUTF} writes it (and fails as it does). */
  @Override
  public void writeUTF(String s) throws IOException {
    ByteArrayOutputStream utf = new ByteArrayOutputStream(s.length() + 2);
    new DataOutputStream(utf).writeUTF(s);
    write(utf.toByteArray());
  }
}
