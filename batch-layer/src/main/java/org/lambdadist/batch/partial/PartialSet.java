package org.lambdadist.batch.partial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.settings.LambdaSettings;

/** Opens the set of partials of given definitions, and indexes a newly committed epoch. */
public final class PartialSet {
  private PartialSet() {}

  /** The set of partials of these definitions, with its {@code _fingerprint.json} written once. */
  public static Partials open(Configuration conf, Path root, ViewCatalog views, EventLimits limits, int reducers)
      throws IOException {
    Map<String, String> parts = PartialFingerprint.parts(views, limits, reducers);
    // Not how events are grouped into map tasks or flushes (split size, flush rows), nor whether
    // import or the job computed the rows: every row state writes the same bytes either way.
    Partials partials = new Partials(conf, root, PartialFingerprint.of(parts));
    FileSystem fs = partials.fileSystem();
    Path description = new Path(partials.dir(), Partials.DESCRIPTION);
    if (!fs.exists(description)) {
      fs.mkdirs(partials.dir());
      Path tmp = new Path(partials.dir(), "." + Partials.DESCRIPTION + "." + System.nanoTime());
      try (OutputStream s = fs.create(tmp, false)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s, parts);
      }
      if (!fs.rename(tmp, description)) {
        fs.delete(tmp, false); // another run wrote the same description first
      }
    }
    return partials;
  }

  /**
   * Builds the id index of an epoch {@code import} or {@code archive} just committed (and of
   * any earlier epoch missing one), under the current views and settings, so the next
   * {@code aggregate} reads the epoch's JSON only once; then, unless
   * {@code lambda.import.partial-rows} is false, the epoch's partial rows
   * ({@link PartialRowsInProcess}), so the next {@code aggregate} only merges. The epoch is
   * committed whatever happens here: when the index or the rows cannot be built now (say the
   * views file is invalid), the reason is printed and the next aggregate builds them.
   */
  public static void indexCommittedEpoch(Configuration conf, MasterDataset master, long epoch, PrintStream log)
      throws IOException {
    indexCommittedEpoch(conf, master, epoch, log, null);
  }

  /**
   * The id indexes of the current views and settings, for {@code import} to parse an epoch while
   * it copies it ({@link EpochIndexes#importing}).
   */
  public static EpochIndexes indexes(Configuration conf, MasterDataset master, PrintStream log)
      throws IOException, UserError {
    ViewCatalog views = LambdaSettings.loadViews(conf);
    EventRules rules = LambdaSettings.eventRules(conf, views);
    Partials partials = open(conf, LambdaSettings.root(conf), views, rules.limits(),
        LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_REDUCERS));
    return new EpochIndexes(conf, rules, master, partials, log);
  }

  /**
   * {@link #indexCommittedEpoch(Configuration, MasterDataset, long, PrintStream)}, the epoch's
   * own records parsed already while {@code import} copied them ({@code imported}: null when
   * they were not; closed here either way).
   */
  public static void indexCommittedEpoch(Configuration conf, MasterDataset master, long epoch, PrintStream log,
                                         EpochIndexes.ImportedEpoch imported) throws IOException {
    EpochIndexes indexes;
    PartialRowsInProcess rows = null;
    List<Long> built;
    try {
      indexes = imported != null ? imported.indexes() : indexes(conf, master, log);
      if (LambdaSettings.getBoolean(conf, LambdaKeys.IMPORT_PARTIAL_ROWS)) {
        try {
          rows = new PartialRowsInProcess(conf, indexes.rules(), master, indexes.partials());
          indexes.withRowsInProcess(rows);
        } catch (RuntimeException e) { // a bad setting, say: the index is built all the same
          rowsLeftToAggregate(epoch, e, log);
        }
      }
      built = indexes.ensureThrough(epoch, imported); // closes imported
    } catch (Exception | OutOfMemoryError e) {
      // The epoch is committed whatever happens here: a failed index is only work left to do.
      leftToFirstAggregate(epoch, e, log);
      closeQuietly(imported, epoch, log);
      return;
    }
    if (rows == null || built.contains(epoch)) {
      return; // built just now: its rows were computed alongside (or said why not)
    }
    try {
      // Its index was there already (a rerun): its rows from the committed index, if missing.
      rows.compute(epoch, log);
    } catch (Exception | OutOfMemoryError e) {
      rowsLeftToAggregate(epoch, e, log);
    }
  }

  /** Closes what import parsed (its temporary files) if it was not handed over; a failure is only said. */
  private static void closeQuietly(EpochIndexes.ImportedEpoch imported, long epoch, PrintStream log) {
    if (imported == null) {
      return;
    }
    try {
      imported.close();
    } catch (IOException | RuntimeException e) {
      log.println("epoch " + epoch + ": cannot remove what import parsed for its index: " + e);
    }
  }

  /** Says why an indexed epoch's partial rows were not computed now: the next aggregate's job computes them. */
  static void rowsLeftToAggregate(long epoch, Throwable why, PrintStream log) {
    log.println("epoch " + epoch + " is indexed; its partial rows are left to the next aggregate: "
        + (why instanceof UserError ? "" : why.getClass().getSimpleName() + ": ") + why.getMessage());
  }

  /** Says why a committed epoch's index was not built now: the first aggregate builds it. */
  public static void leftToFirstAggregate(long epoch, Throwable why, PrintStream log) {
    log.println("epoch " + epoch + " is committed; its id index is left to the first aggregate: "
        + (why instanceof UserError ? "" : why.getClass().getSimpleName() + ": ") + why.getMessage());
  }
}
