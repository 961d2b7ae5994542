package org.lambdadist.speed;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The accepted events of one task for one dedup state partition, framed in one byte array: what
 * crosses the micro-batch's only event shuffle, so the shuffle moves a few arrays per task
 * instead of an object per event. A frame is: whether the event has an id (1 byte), its id's
 * fingerprint (two longs, zero without an id), its Kafka partition (int) and offset (long), the
 * length (int) and bytes of its {@link org.lambdadist.core.event.ProjectedEvents} record (its
 * fields as parsed, so the event is never parsed twice).
 */
final class AdmittedFrames {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int HEADER = 1 + 8 + 8 + 4 + 8 + 4;

  private byte[] bytes = new byte[1 << 13];
  private int size;

  /** Appends one event's frame. */
  void add(boolean hasId, long high, long low, int partition, long offset, byte[] record, int length) {
    if (size + HEADER + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + HEADER + length));
    }
    bytes[size] = (byte) (hasId ? 1 : 0);
    LONG.set(bytes, size + 1, high);
    LONG.set(bytes, size + 9, low);
    INT.set(bytes, size + 17, partition);
    LONG.set(bytes, size + 21, offset);
    INT.set(bytes, size + 29, length);
    System.arraycopy(record, 0, bytes, size + HEADER, length);
    size += HEADER + length;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The frames, exactly sized. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** Steps through the frames of an array made by {@link #toByteArray}. */
  static final class Cursor {
    private final byte[] bytes;
    private int at = -1;
    private int next;

    Cursor(byte[] bytes) {
      this.bytes = bytes;
    }

    /** Moves to the next frame; false at the end. */
    boolean next() {
      if (next >= bytes.length) {
        return false;
      }
      at = next;
      int length = (int) INT.get(bytes, at + 29);
      if (length < 0 || at + HEADER + length > bytes.length) {
        throw new IllegalStateException("a damaged frame of admitted events at byte " + at);
      }
      next = at + HEADER + length;
      return true;
    }

    /** Moves to the frame starting at {@code position} (a {@link #position} seen before). */
    void seek(int position) {
      next = position;
      next();
    }

    /** Where the current frame starts. */
    int position() {
      return at;
    }

    boolean hasId() {
      return bytes[at] != 0;
    }

    long high() {
      return (long) LONG.get(bytes, at + 1);
    }

    long low() {
      return (long) LONG.get(bytes, at + 9);
    }

    int partition() {
      return (int) INT.get(bytes, at + 17);
    }

    long offset() {
      return (long) LONG.get(bytes, at + 21);
    }

    byte[] bytes() {
      return bytes;
    }

    int recordOffset() {
      return at + HEADER;
    }

    int recordLength() {
      return (int) INT.get(bytes, at + 29);
    }
  }
}
