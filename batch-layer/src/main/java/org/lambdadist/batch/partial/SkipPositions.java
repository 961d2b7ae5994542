package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.event.Event;
import org.lambdadist.storage.layout.Partials;

/**
 * Which master records are later copies of an event, looked up by the jobs that must skip
 * them (the partial rows' mappers, attribution's journey mapper): the skip lists of the epochs'
 * indexes in one set of partials, loaded one epoch at a time on first use, so a task holds only
 * the positions of the epochs it reads (usually a handful: duplicates are rare).
 */
public final class SkipPositions {
  /** The job setting naming the set of partials ({@code partials/<fingerprint>}) whose indexes to use. */
  public static final String PARTIALS_DIR = "lambda.internal.partials.dir";

  private final Configuration conf;
  private final Partials partials;
  private final Map<Long, EpochSkips> byEpoch = new HashMap<>();
  /** The epoch asked for last: records come epoch by epoch, so most lookups need no map. */
  private long lastEpoch = Long.MIN_VALUE;
  private EpochSkips lastSkips;

  public SkipPositions(Configuration conf, Partials partials) {
    this.conf = conf;
    this.partials = partials;
  }

  /**
   * The positions of one epoch given in memory (an index being built lists them before its files
   * are written); asking for another epoch reads its committed index.
   */
  public static SkipPositions of(Configuration conf, Partials partials, long epoch, EpochSkips skips) {
    SkipPositions p = new SkipPositions(conf, partials);
    p.byEpoch.put(epoch, skips);
    return p;
  }

  /**
   * Another lookup over the positions loaded so far, for another thread (a lookup loads and
   * caches as it goes, so it is not thread-safe; copies of one that no thread uses any more
   * may be taken concurrently).
   */
  public SkipPositions copy() {
    SkipPositions p = new SkipPositions(conf, partials);
    p.byEpoch.putAll(byEpoch);
    return p;
  }

  /** The positions of the set a job's {@link #PARTIALS_DIR} names. */
  public static SkipPositions ofJob(Configuration conf) throws IOException {
    String dir = conf.get(PARTIALS_DIR);
    if (dir == null) {
      throw new IOException("job setting " + PARTIALS_DIR + " is missing");
    }
    return new SkipPositions(conf, Partials.at(conf, new Path(dir)));
  }

  /**
   * True when {@code record} (accepted as {@code event}) is a later copy of an event. Events
   * without an id are never copies.
   */
  public boolean isLaterCopy(ArrivedEventWritable record, Event event) throws IOException {
    return isLaterCopy(record.epoch(), record.partition(), record.offset(), event);
  }

  /** True when the record at this arrival position (accepted as {@code event}) is a later copy. */
  public boolean isLaterCopy(long epoch, int partition, long offset, Event event) throws IOException {
    return isLaterCopy(epoch, partition, offset, event.eventId() != null);
  }

  /**
   * True when the accepted record at this arrival position is a later copy; only an event with
   * an id ({@code hasEventId}) can be one.
   */
  public boolean isLaterCopy(long epoch, int partition, long offset, boolean hasEventId) throws IOException {
    return hasEventId && epoch(epoch).contains(partition, offset);
  }

  /** The skip list of one epoch; fails when the epoch has no index (the driver builds them first). */
  public EpochSkips epoch(long epoch) throws IOException {
    if (epoch == lastEpoch) {
      return lastSkips;
    }
    EpochSkips skips = byEpoch.get(epoch);
    if (skips == null) {
      if (!partials.hasIndex(epoch)) {
        throw new IOException("epoch " + epoch + " has no id index in " + partials.dir());
      }
      skips = SkipFile.read(partials.fileSystem(), new Path(partials.indexDir(epoch), Partials.SKIP_FILE));
      byEpoch.put(epoch, skips);
    }
    lastEpoch = epoch;
    lastSkips = skips;
    return skips;
  }

  /** One epoch's skip list: positions sorted by (partition, offset). */
  public static final class EpochSkips {
    private final int[] partitions;
    private final long[] offsets;

    EpochSkips(int[] partitions, long[] offsets) {
      this.partitions = partitions;
      this.offsets = offsets;
    }

    public int size() {
      return partitions.length;
    }

    public boolean contains(int partition, long offset) {
      int lo = 0;
      int hi = partitions.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = partitions[mid] != partition ? Integer.compare(partitions[mid], partition)
            : Long.compare(offsets[mid], offset);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return true;
        }
      }
      return false;
    }
  }
}
