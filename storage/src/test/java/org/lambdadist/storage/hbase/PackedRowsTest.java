package org.lambdadist.storage.hbase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;

/** The cached form of a key's batch rows decodes to exactly the rows stored. */
class PackedRowsTest {

  @Test
  void rowsComeBackAsStoredWhateverTheBucketOrValue() throws Exception {
    ViewDefinition view = ViewCatalog.parse("""
        {"views":[{"name":"v","dimensions":["k"],"granularities":["minute"],
          "metrics":[{"name":"n","type":"count"},{"name":"s","type":"sum","field":"x"},
                     {"name":"u","type":"distinct","field":"y"}]}]}
        """, "test").view("v");
    SplittableRandom random = new SplittableRandom(7);
    long[] buckets = {Long.MIN_VALUE, -60_000L, 0, 1, 60_000L, 1_700_000_000_000L, Long.MAX_VALUE};
    List<byte[]> values = new ArrayList<>();
    PackedRows.Builder builder = new PackedRows.Builder();
    byte[] padded = new byte[4096];
    for (long bucket : buckets) {
      RowAggregate row = RowAggregate.zero(view.metrics());
      for (int i = random.nextInt(40); i >= 0; i--) {
        row.state(0).add(Boolean.TRUE);
        row.state(1).add(random.nextLong(-1_000_000, 1_000_000));
        row.state(2).add("user-" + random.nextInt(1000));
      }
      byte[] value = RowAggregateCodec.encode(row);
      values.add(value);
      int offset = random.nextInt(100); // a cell's value lies inside a larger array
      System.arraycopy(value, 0, padded, offset, value.length);
      builder.add(bucket, padded, offset, value.length);
    }
    PackedRows packed = builder.build();
    assertEquals(buckets.length, packed.rows());
    NavigableMap<Long, RowAggregate> decoded = packed.decode();
    assertEquals(buckets.length, decoded.size());
    for (int i = 0; i < buckets.length; i++) {
      assertArrayEquals(values.get(i), RowAggregateCodec.encode(decoded.get(buckets[i])), "bucket " + buckets[i]);
    }
    assertThrows(UnsupportedOperationException.class, () -> decoded.put(0L, decoded.get(0L)));
    assertSame(PackedRows.EMPTY, new PackedRows.Builder().build());
    assertEquals(Map.of(), PackedRows.EMPTY.decode());
  }
}
