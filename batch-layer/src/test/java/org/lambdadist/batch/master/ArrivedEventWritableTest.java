package org.lambdadist.batch.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.hadoop.io.DataInputBuffer;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.WritableUtils;
import org.junit.jupiter.api.Test;

/** The master dataset's record format: bytes exactly as Hadoop's WritableUtils writes them. */
class ArrivedEventWritableTest {
  @Test
  void variableLengthLongsAreWritableUtilsBytes() throws Exception {
    long[] edges = {0, 1, -1, 127, 128, -112, -113, 255, 256, -256, -257, 65535, 65536, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
    SplittableRandom random = new SplittableRandom(7);
    long[] values = Arrays.copyOf(edges, edges.length + 10_000);
    for (int i = edges.length; i < values.length; i++) {
      values[i] = random.nextLong() >> random.nextInt(64);
    }
    byte[] buf = new byte[9];
    for (long v : values) {
      DataOutputBuffer expected = new DataOutputBuffer();
      WritableUtils.writeVLong(expected, v);
      int n = ArrivedEventWritable.putVLong(buf, 0, v);
      assertArrayEquals(Arrays.copyOf(expected.getData(), expected.getLength()), Arrays.copyOf(buf, n), "value " + v);
    }
  }

  @Test
  void aRecordReadsBackAsWritten() throws Exception {
    byte[] line = "{\"event_id\":\"é\"}".getBytes(StandardCharsets.UTF_8);
    ArrivedEventWritable record = new ArrivedEventWritable(Long.MAX_VALUE, 7, 1L << 40, -5, line, line.length);
    DataOutputBuffer out = new DataOutputBuffer();
    record.write(out);
    DataOutputBuffer legacy = new DataOutputBuffer();
    WritableUtils.writeVLong(legacy, Long.MAX_VALUE);
    WritableUtils.writeVInt(legacy, 7);
    WritableUtils.writeVLong(legacy, 1L << 40);
    WritableUtils.writeVLong(legacy, -5);
    WritableUtils.writeVInt(legacy, line.length);
    legacy.write(line);
    assertArrayEquals(Arrays.copyOf(legacy.getData(), legacy.getLength()), Arrays.copyOf(out.getData(), out.getLength()));
    DataInputBuffer in = new DataInputBuffer();
    in.reset(out.getData(), out.getLength());
    ArrivedEventWritable back = new ArrivedEventWritable();
    back.readFields(in);
    assertEquals(Long.MAX_VALUE, back.epoch());
    assertEquals(7, back.partition());
    assertEquals(1L << 40, back.offset());
    assertEquals(-5, back.arrivalMillis());
    assertArrayEquals(line, Arrays.copyOf(back.rawBuffer(), back.length()));
  }
}
