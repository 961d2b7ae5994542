package org.lambdadist.speed;

import java.io.Serializable;
import java.util.Arrays;

/** A realtime cell's address in the shuffle: the view row's key and the arrival epoch. */
final class CellKey implements Serializable {
  private static final long serialVersionUID = 1L;
  final byte[] rowKey;
  final long epoch;

  CellKey(byte[] rowKey, long epoch) {
    this.rowKey = rowKey;
    this.epoch = epoch;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CellKey k && k.epoch == epoch && Arrays.equals(k.rowKey, rowKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rowKey) * 31 + Long.hashCode(epoch);
  }
}
