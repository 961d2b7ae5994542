package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.lambdadist.batch.aggregate.AggregateCounters;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.event.Rejection;
import org.lambdadist.core.render.QuarantineRecord;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Folds what core's admission rule decided about master records ({@link ProjectedEvents}, as
 * an epoch's index kept them) into partial view rows: quarantines a rejected record (a JSON
 * line with its reason, under its epoch), skips an accepted one its epoch's index lists as a
 * later copy, and adds every other event to core's {@link AggregationTable}, tallying the
 * counters of each epoch ({@link EpochCounts}). The partial rows job's mappers
 * ({@link PartialRowsMapper}) and {@code import}'s in-process computation
 * ({@link PartialRowsInProcess}) both fold with it, so an epoch's rows and counters follow one rule;
 * since every row state writes the same bytes whatever the grouping of its events, the rows are
 * the same bytes either way.
 *
 * <p>Records must come epoch by epoch (the table is handed to {@link Output#rows} whenever the
 * epoch changes). Not thread-safe: one fold per thread.
 */
final class PartialFold {
  /** Where a fold's results go. */
  interface Output {
    /** The table's rows of {@code epoch}, at a flush; the table is cleared afterwards. */
    void rows(long epoch, AggregationTable table) throws IOException, InterruptedException;

    /** One quarantine line (a rejected record, with its reason) of {@code epoch}. */
    void quarantine(long epoch, String jsonLine) throws IOException, InterruptedException;
  }

  private final EventRules rules;
  private final AggregationTable table;
  private final SkipPositions skips;
  private final int flushRows;
  private Output output;
  private long tableEpoch = -1;
  private final EpochCounts counts = new EpochCounts();
  /** The counters of the epoch being read ({@link #tableEpoch}). */
  private final EpochCounts.Tally tally = new EpochCounts.Tally();
  /** Accepted events the table refused, by epoch: quarantined at the end with their raw bytes. */
  private final Map<Long, Map<Position, Rejection>> defects = new java.util.TreeMap<>();

  /** A fold that hands its table to {@code output} whenever it holds {@code flushRows} rows. */
  PartialFold(EventRules rules, SkipPositions skips, int flushRows, Output output) {
    this.rules = rules;
    this.table = rules.newTable();
    this.skips = skips;
    this.flushRows = flushRows;
    this.output = output;
  }

  /** Sends what follows to another output (the fold keeps its table and counters). */
  void output(Output next) {
    this.output = next;
  }

  EventRules rules() {
    return rules;
  }

  /** The table being filled (for a caller that takes its rows at the end instead of a flush). */
  AggregationTable table() {
    return table;
  }

  /** The epoch the table's rows belong to, or -1 before the first record. */
  long tableEpoch() {
    return tableEpoch;
  }

  /** Folds one record. */
  void add(ProjectedEvents.Reader record) throws IOException, InterruptedException {
    long epoch = record.epoch();
    if (epoch != tableEpoch) {
      flush();
      tally.drainTo(counts, tableEpoch);
      tableEpoch = epoch;
    }
    tally.add(AggregateCounters.RECORDS_READ, 1);
    if (!record.isAccepted()) {
      Rejection rejection = record.rejection();
      tally.add(AggregateCounters.EVENTS_REJECTED, 1);
      tally.add(rejection.reason());
      output.quarantine(epoch, QuarantineRecord.toJsonLine(rejection, epoch, record.buffer(), record.rawOffset(),
          record.rawLength()));
      return;
    }
    if (skips.isLaterCopy(epoch, record.partition(), record.offset(), record.hasEventId())) {
      tally.add(AggregateCounters.EVENTS_ACCEPTED, 1);
      tally.add(AggregateCounters.DUPLICATES_SKIPPED, 1);
      return;
    }
    if (!record.hasFields()) { // no view aggregates it: the table would not change
      tally.add(AggregateCounters.EVENTS_ACCEPTED, 1);
      tally.add(AggregateCounters.EVENTS_AGGREGATED, 1);
      return;
    }
    Event event = record.event();
    int bad;
    try {
      bad = table.add(event);
    } catch (RuntimeException | StackOverflowError e) {
      // A defect, not a bad record (the rule bounds every value, and the table changes nothing
      // until every key of the event is built): set the record aside, never fail on it. Its raw
      // bytes are in the master dataset, not in the projected record: quarantined at the end.
      Rejection rejection = new Rejection(RejectReason.UNPROCESSABLE, RejectReason.describe(e));
      tally.add(AggregateCounters.EVENTS_REJECTED, 1);
      tally.add(rejection.reason());
      defects.computeIfAbsent(epoch, k -> new java.util.HashMap<>())
          .put(new Position(record.partition(), record.offset()), rejection);
      return;
    }
    tally.add(AggregateCounters.EVENTS_ACCEPTED, 1);
    tally.add(AggregateCounters.EVENTS_AGGREGATED, 1);
    if (bad > 0) {
      tally.add(AggregateCounters.BAD_METRIC_VALUES, bad);
    }
    if (table.size() >= flushRows) {
      flush();
    }
  }

  private record Position(int partition, long offset) {}

  /** Hands the table's rows to the output, counted as partial rows, and clears it. */
  void flush() throws IOException, InterruptedException {
    if (table.size() == 0) {
      return;
    }
    output.rows(tableEpoch, table);
    tally.add(AggregateCounters.PARTIAL_ROWS, table.size());
    table.clear();
  }

  /**
   * Ends the fold: writes the quarantine lines of accepted events the table refused (defects,
   * normally none), with their exact raw bytes read back from the master dataset in one pass per
   * epoch, and returns the counters of every epoch read. The table is not flushed here.
   */
  EpochCounts finish(Configuration conf) throws IOException, InterruptedException {
    quarantineDefects(conf);
    if (tableEpoch >= 0) {
      tally.drainTo(counts, tableEpoch);
    }
    return counts;
  }

  private void quarantineDefects(Configuration conf) throws IOException, InterruptedException {
    if (defects.isEmpty()) {
      return;
    }
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    ArrivedEventWritable record = new ArrivedEventWritable();
    for (Map.Entry<Long, Map<Position, Rejection>> e : defects.entrySet()) {
      Map<Position, Rejection> wanted = e.getValue();
      for (Path file : master.dataFiles(e.getKey())) {
        try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
          while (!wanted.isEmpty() && r.next(NullWritable.get(), record)) {
            Rejection rejection = wanted.remove(new Position(record.partition(), record.offset()));
            if (rejection != null) {
              output.quarantine(e.getKey(),
                  QuarantineRecord.toJsonLine(rejection, e.getKey(), record.rawBuffer(), 0, record.length()));
            }
          }
        }
      }
      if (!wanted.isEmpty()) {
        throw new IOException("epoch " + e.getKey() + ": no master record at " + wanted.keySet());
      }
    }
    defects.clear();
  }
}
