package org.lambdadist.batch.partial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.storage.layout.Partials;

/** Test fixtures: master records, and a set of partials whose indexes skip given positions. */
public final class MasterRecords {
  private MasterRecords() {}

  public static ArrivedEventWritable record(long epoch, int partition, long offset, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new ArrivedEventWritable(epoch, partition, offset, 0, b, b.length);
  }

  /**
   * The chunk a partial-rows mapper reads for these master records: each decided by
   * {@code rules} as the epoch's index decides it, as one value of an index's events file.
   */
  public static org.apache.hadoop.io.BytesWritable projected(org.lambdadist.core.rules.EventRules rules,
                                                                         ArrivedEventWritable... records) throws IOException {
    org.lambdadist.core.event.ProjectedEvents.Buffer buffer = new org.lambdadist.core.event.ProjectedEvents.Buffer();
    int[] ends = new int[records.length];
    int count = 0;
    for (ArrivedEventWritable r : records) {
      org.lambdadist.core.event.ParseResult d = rules.read(r.rawBuffer(), 0, r.length());
      if (d.isAccepted()) {
        org.lambdadist.core.event.ProjectedEvents.writeAccepted(buffer, r.epoch(), r.partition(), r.offset(), d.event());
      } else {
        org.lambdadist.core.event.ProjectedEvents.writeRejected(buffer, r.epoch(), r.partition(), r.offset(),
            d.rejection(), r.rawBuffer(), 0, r.length());
      }
      ends[count++] = buffer.size();
    }
    return EventChunks.chunk(buffer.bytes(), ends, count);
  }

  /**
   * Writes an index for {@code epoch} under {@code setDir} (a {@code partials/<fingerprint>}
   * directory) that skips the given (partition, offset) pairs, sorted; returns the set.
   */
  public static Partials indexSkipping(Configuration conf, Path setDir, long epoch, long... partitionOffsetPairs)
      throws IOException {
    Partials partials = Partials.at(conf, setDir);
    FileSystem fs = partials.fileSystem();
    Path dir = partials.indexDir(epoch);
    fs.delete(dir, true);
    fs.mkdirs(dir);
    int n = partitionOffsetPairs.length / 2;
    int[] partitions = new int[n];
    long[] offsets = new long[n];
    for (int i = 0; i < n; i++) {
      partitions[i] = (int) partitionOffsetPairs[2 * i];
      offsets[i] = partitionOffsetPairs[2 * i + 1];
    }
    SkipFile.write(fs, new Path(dir, Partials.SKIP_FILE), partitions, offsets, n);
    IdIndexFile.write(fs, new Path(dir, Partials.IDS_FILE), new long[0], new CollectedIds(1).of(new int[0], 0));
    fs.create(new Path(dir, Partials.SUCCESS), false).close();
    return partials;
  }
}
