package org.lambdadist.speed;

import org.apache.spark.api.java.function.Function2;
import org.lambdadist.core.codec.RowAggregateCodec;

/** Two partial cells of one (view row, epoch) merged with core's one merge of encoded rows. */
final class MergeCellsFn implements Function2<byte[], byte[], byte[]> {
  private static final long serialVersionUID = 1L;

  @Override
  public byte[] call(byte[] a, byte[] b) {
    return RowAggregateCodec.merge(a, b);
  }
}
