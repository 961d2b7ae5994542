package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.WritableComparator;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * Builds a batch version's view row files from sorted sources, part by part: the partial rows
 * of each epoch, in epoch order, optionally preceded by an earlier version that covers the
 * epochs before them. Rows of the same key are folded left to right with the row monoid
 * ({@link RowAggregateCodec#merge} of two), so merging the previous version (itself the fold of
 * its epochs) with the new epochs' partials gives the same bytes as folding every epoch's
 * partial from scratch. A row in one source only is copied as is. Parts merge in parallel, one
 * per core; each output part is in key order like the MapReduce output it replaces.
 */
public final class VersionMerge {
  private VersionMerge() {}

  /** The name of part {@code p}, as a reducer names it. */
  public static String partName(int p) {
    return String.format("part-r-%05d", p);
  }

  /** Merges part files {@code 0..parts-1} of {@code sources} into {@code out}; returns the rows written. */
  public static long merge(FileSystem fs, List<Path> sources, Path out, int parts) throws IOException {
    requireComplete(fs, sources);
    long merged = mergeAll(fs, sources, out, parts);
    // A source removed while it was read (a --full or a stale-index rebuild running beside this
    // merge) reads as missing part files: the check after the merge catches it.
    requireComplete(fs, sources);
    return merged;
  }

  private static void requireComplete(FileSystem fs, List<Path> sources) throws IOException {
    for (Path source : sources) {
      if (!fs.exists(new Path(source, org.lambdadist.storage.layout.Partials.SUCCESS))) {
        throw new IOException(source + " is not complete (no _SUCCESS) or was removed while this version was"
            + " merged from it; nothing was committed, run aggregate again");
      }
    }
  }

  private static long mergeAll(FileSystem fs, List<Path> sources, Path out, int parts) throws IOException {
    return PerPart.sum(parts, "lambda-merge", "merging " + out,
        p -> mergePart(fs, sources, partName(p), new Path(out, partName(p))));
  }

  /** One source's current row. */
  private static final class Head {
    final int source;
    final ViewRowFile.Reader reader;
    ViewRowFile.Row row;

    Head(int source, ViewRowFile.Reader reader) {
      this.source = source;
      this.reader = reader;
    }
  }

  private static int compareKeys(byte[] a, byte[] b) {
    return WritableComparator.compareBytes(a, 0, a.length, b, 0, b.length);
  }

  static long mergePart(FileSystem fs, List<Path> sources, String name, Path target) throws IOException {
    PriorityQueue<Head> heads = new PriorityQueue<>((x, y) -> {
      int c = compareKeys(x.row.key(), y.row.key());
      return c != 0 ? c : Integer.compare(x.source, y.source);
    });
    List<Head> open = new ArrayList<>();
    long rows = 0;
    try (ViewRowFile.Writer writer = new ViewRowFile.Writer(fs, target)) {
      for (int s = 0; s < sources.size(); s++) {
        Path file = new Path(sources.get(s), name);
        if (fs.exists(file)) {
          Head h = new Head(s, new ViewRowFile.Reader(fs, file));
          open.add(h);
          h.row = h.reader.next();
          if (h.row != null) {
            heads.add(h);
          }
        }
      }
      byte[] lastKey = null;
      while (!heads.isEmpty()) {
        Head h = heads.poll();
        byte[] key = h.row.key();
        byte[] value = h.row.value();
        if (lastKey != null && compareKeys(lastKey, key) >= 0) {
          throw new IOException(new Path(sources.get(h.source), name) + " is not in key order");
        }
        advance(h, heads);
        while (!heads.isEmpty() && compareKeys(heads.peek().row.key(), key) == 0) {
          Head same = heads.poll();
          value = RowAggregateCodec.merge(List.of(value, same.row.value()));
          advance(same, heads);
        }
        writer.append(key, key.length, value, value.length);
        lastKey = key;
        rows++;
      }
    } finally {
      for (Head h : open) {
        h.reader.close();
      }
    }
    return rows;
  }

  private static void advance(Head h, PriorityQueue<Head> heads) throws IOException {
    h.row = h.reader.next();
    if (h.row != null) {
      heads.add(h);
    }
  }
}
