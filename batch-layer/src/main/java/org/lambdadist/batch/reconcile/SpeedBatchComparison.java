package org.lambdadist.batch.reconcile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.reconcile.Reconciler;
import org.lambdadist.core.reconcile.ReconciliationReport;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.RealtimeStore;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.layout.Partials;

/**
 * Reads both sides of a reconciliation: the realtime cells of the epochs a batch version newly
 * covers (held in memory, at most {@code maxCells}), then the version's per-epoch partial rows
 * of the epochs that had cells, streamed file by file; each partial row is matched with the
 * cell of the same row key and epoch, and what is left of the cells had no batch row. The
 * comparison itself is core's {@link Reconciler}.
 */
final class SpeedBatchComparison {
  private SpeedBatchComparison() {}

  /**
   * Reconciles the committed batch view at {@code versionDir} over its epochs after
   * {@code sinceEpoch} for which the speed layer has cells.
   *
   * @throws UserError when the version has no partials to compare (merged before partials
   *     existed, or deleted since), or more cells than {@code maxCells}
   */
  static ReconciliationReport compare(Configuration conf, Connection hbase, HBaseSchema schema, Path versionDir,
                                      long sinceEpoch, double sigmas, long maxCells, Clock clock)
      throws IOException, UserError {
    long started = clock.millis();
    FileSystem fs = versionDir.getFileSystem(conf);
    String version = versionDir.getName();
    Reconciler reconciler = new Reconciler(BatchViews.snapshot(fs, versionDir), sigmas);
    TreeSet<Long> candidates = new TreeSet<>();
    for (long e : BatchViews.coveredEpochs(fs, versionDir)) {
      if (e > sinceEpoch) {
        candidates.add(e);
      }
    }
    Map<ByteBuffer, byte[]> cells = new HashMap<>();
    TreeSet<Long> withCells = new TreeSet<>();
    if (!candidates.isEmpty()) {
      new RealtimeStore(hbase, schema).scanEpochs(candidates.first(), candidates.last(), (row, epoch, value) -> {
        if (!candidates.contains(epoch)) {
          return;
        }
        if (cells.size() >= maxCells) {
          throw new TooManyCells(maxCells);
        }
        cells.put(cellKey(row, epoch), value);
        withCells.add(epoch);
      });
    }
    if (!withCells.isEmpty()) {
      Path partialsDir = BatchViews.partialsDir(fs, versionDir);
      if (partialsDir == null) {
        throw new UserError("version " + version + " names no per-epoch partials in its coverage; nothing to compare"
            + " the realtime cells with");
      }
      Partials partials = Partials.at(conf, fs.makeQualified(partialsDir));
      for (long epoch : withCells) {
        if (!partials.hasRows(epoch)) {
          throw new UserError("the partial rows of epoch " + epoch + " are gone from " + partials.dir()
              + " (partials may be deleted); run aggregate --force to compute them again");
        }
        FileSystem pfs = partials.fileSystem();
        for (Path file : ViewRowFile.files(pfs, partials.rowsDir(epoch))) {
          try (ViewRowFile.Reader reader = new ViewRowFile.Reader(pfs, file)) {
            for (ViewRowFile.Row row = reader.next(); row != null; row = reader.next()) {
              byte[] rowKey = RowKeyCodec.fromViewKeyBytes(row.key(), 0, row.key().length);
              reconciler.compareEncoded(row.key(), cells.remove(cellKey(rowKey, epoch)), row.value());
            }
          }
        }
      }
      for (Map.Entry<ByteBuffer, byte[]> left : cells.entrySet()) {
        byte[] key = left.getKey().array();
        // the row key without its salt byte and the epoch after it: the view key
        reconciler.compareEncoded(Arrays.copyOfRange(key, 1, key.length - Long.BYTES), left.getValue(), null);
      }
    }
    return reconciler.report(version, new ArrayList<>(withCells), Instant.ofEpochMilli(started).toString(),
        clock.millis() - started);
  }

  /** A cell's identity: its row key, then its epoch (8 bytes); a ByteBuffer compares by content. */
  private static ByteBuffer cellKey(byte[] rowKey, long epoch) {
    return ByteBuffer.allocate(rowKey.length + Long.BYTES).put(rowKey).putLong(epoch).flip();
  }

  /** More realtime cells than one reconciliation may hold. */
  static final class TooManyCells extends IOException {
    TooManyCells(long max) {
      super("more than " + max + " realtime cells in the epochs to compare (lambda.reconcile.max-cells)");
    }
  }
}
