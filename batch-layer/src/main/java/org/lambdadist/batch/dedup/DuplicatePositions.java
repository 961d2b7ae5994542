package org.lambdadist.batch.dedup;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.lambdadist.batch.master.ArrivalPositionWritable;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.event.Event;

/**
 * The positions of later copies of events that the duplicate-finding job wrote, looked up by
 * the jobs that must skip them. Loaded one epoch at a time, on first use, so a task holds only
 * the positions of the epochs it reads.
 */
public final class DuplicatePositions {
  private final Configuration conf;
  private final String dir;
  private final Map<Long, Set<ArrivalPositionWritable>> byEpoch = new HashMap<>();

  /** {@code dir} null: no duplicates at all. */
  public DuplicatePositions(Configuration conf, String dir) {
    this.conf = conf;
    this.dir = dir;
  }

  private final ArrivalPositionWritable probe = new ArrivalPositionWritable();

  /**
   * True when {@code record} (accepted as {@code event}) is a later copy of an event: it has an
   * id and the duplicate-finding job listed its position. Events without an id are never copies.
   */
  public boolean isLaterCopy(ArrivedEventWritable record, Event event) throws IOException {
    if (event.eventId() == null) {
      return false;
    }
    record.positionInto(probe);
    return epoch(probe.epoch()).contains(probe);
  }

  private Set<ArrivalPositionWritable> epoch(long epoch) throws IOException {
    Set<ArrivalPositionWritable> set = byEpoch.get(epoch);
    if (set != null) {
      return set;
    }
    set = new HashSet<>();
    if (dir != null) {
      Path path = new Path(dir);
      FileSystem fs = path.getFileSystem(conf);
      for (FileStatus f : fs.listStatus(path, p -> p.getName().startsWith("part-"))) {
        try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(f.getPath()))) {
          ArrivalPositionWritable p = new ArrivalPositionWritable();
          while (reader.next(p, NullWritable.get())) {
            if (p.epoch() == epoch) {
              set.add(p);
              p = new ArrivalPositionWritable();
            }
          }
        }
      }
    }
    byEpoch.put(epoch, set);
    return set;
  }
}
