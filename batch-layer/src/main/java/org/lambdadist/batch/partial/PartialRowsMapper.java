package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.aggregate.AggregateCounters;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.apache.hadoop.io.SequenceFile;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.event.Rejection;
import org.lambdadist.core.render.QuarantineRecord;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Map of the partial rows job: reads what core's admission rule decided about each master
 * record, as the epoch's index kept it ({@link org.lambdadist.core.event.ProjectedEvents}: no
 * JSON is parsed here); quarantines a rejected one (a JSON line with its reason, under its
 * epoch); skips an accepted
 * one its epoch's index lists as a later copy; folds every other event into core's
 * {@link AggregationTable} (in-mapper aggregation, flushed at {@code lambda.aggregate.flush-rows}
 * rows and at the end). Keys are (epoch, view key): one job computes the partials of several
 * epochs without mixing them. Counters are tallied per epoch ({@link EpochCounts}).
 */
public class PartialRowsMapper extends Mapper<NullWritable, BytesWritable, BytesWritable, BytesWritable> {
  private EventRules rules;
  private AggregationTable table;
  private long tableEpoch = -1;
  private int flushRows;
  private MultipleOutputs<BytesWritable, BytesWritable> outputs;
  private SkipPositions skips;
  private final EpochCounts counts = new EpochCounts();
  /** The counters of the epoch being read ({@link #tableEpoch}). */
  private final EpochCounts.Tally tally = new EpochCounts.Tally();
  private final BytesWritable outKey = new BytesWritable();
  private final BytesWritable outValue = new BytesWritable();
  private final Text line = new Text();
  private ProjectedEvents.Reader events;
  /** Accepted events the table refused, by epoch: quarantined at the end with their raw bytes. */
  private final Map<Long, Map<Position, Rejection>> defects = new java.util.TreeMap<>();
  private Context taskContext;

  @Override
  protected void setup(Context context) throws IOException {
    taskContext = context;
    Configuration conf = context.getConfiguration();
    rules = LambdaConfiguration.eventRulesOfJob(conf);
    events = new ProjectedEvents.Reader(rules.projection());
    table = rules.newTable();
    flushRows = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_FLUSH_ROWS);
    skips = SkipPositions.ofJob(conf);
  }

  @Override
  protected void map(NullWritable ignored, BytesWritable chunk, Context context)
      throws IOException, InterruptedException {
    EventChunks.forEach(chunk.getBytes(), 0, chunk.getLength(), (buf, off, len) -> {
      events.read(buf, off, len);
      add(events, context);
    });
  }

  private void add(ProjectedEvents.Reader record, Context context) throws IOException, InterruptedException {
    long epoch = record.epoch();
    if (epoch != tableEpoch) {
      flush(context);
      tally.drainTo(counts, tableEpoch);
      tableEpoch = epoch;
    }
    tally.add(AggregateCounters.RECORDS_READ, 1);
    if (!record.isAccepted()) {
      reject(context, epoch, record.rejection(), record.buffer(), record.rawOffset(), record.rawLength());
      return;
    }
    Event event = record.event();
    if (skips.isLaterCopy(epoch, record.partition(), record.offset(), event)) {
      tally.add(AggregateCounters.EVENTS_ACCEPTED, 1);
      tally.add(AggregateCounters.DUPLICATES_SKIPPED, 1);
      return;
    }
    int bad;
    try {
      bad = table.add(event);
    } catch (RuntimeException | StackOverflowError e) {
      // A defect, not a bad record (the rule bounds every value, and the table changes nothing
      // until every key of the event is built): set the record aside, never fail the job on it.
      // Its raw bytes are in the master dataset, not in the projected record: quarantined at the end.
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
      flush(context);
    }
  }

  private record Position(int partition, long offset) {}

  /**
   * Writes the quarantine lines of accepted events the table refused (defects, normally none),
   * with their exact raw bytes read back from the master dataset in one pass per epoch.
   */
  private void quarantineDefects(Context context) throws IOException, InterruptedException {
    if (defects.isEmpty()) {
      return;
    }
    Configuration conf = context.getConfiguration();
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    ArrivedEventWritable record = new ArrivedEventWritable();
    for (Map.Entry<Long, Map<Position, Rejection>> e : defects.entrySet()) {
      Map<Position, Rejection> wanted = e.getValue();
      for (org.apache.hadoop.fs.Path file : master.dataFiles(e.getKey())) {
        try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
          while (!wanted.isEmpty() && r.next(NullWritable.get(), record)) {
            Rejection rejection = wanted.remove(new Position(record.partition(), record.offset()));
            if (rejection != null) {
              line.set(QuarantineRecord.toJsonLine(rejection, e.getKey(), record.rawBuffer(), 0, record.length()));
              quarantine(context, e.getKey(), line);
            }
          }
        }
      }
      if (!wanted.isEmpty()) {
        throw new IOException("epoch " + e.getKey() + ": no master record at " + wanted.keySet());
      }
    }
  }

  private void reject(Context context, long epoch, Rejection rejection, byte[] raw, int offset, int length)
      throws IOException, InterruptedException {
    tally.add(AggregateCounters.EVENTS_REJECTED, 1);
    tally.add(rejection.reason());
    line.set(QuarantineRecord.toJsonLine(rejection, epoch, raw, offset, length));
    quarantine(context, epoch, line);
  }

  /** Writes one quarantine line; a seam for tests, which cannot run MultipleOutputs. */
  protected void quarantine(Context context, long epoch, Text jsonLine) throws IOException, InterruptedException {
    outputs().write(PartialRowsJob.QUARANTINE, NullWritable.get(), jsonLine,
        DataLayout.epochDirectoryName(epoch) + "/" + PartialRowsJob.QUARANTINE + "/part");
  }

  /** Writes the per-epoch counters; a seam for tests. */
  protected void writeCounts(Context context, EpochCounts tallies) throws IOException, InterruptedException {
    for (String l : tallies.lines()) {
      outputs().write(PartialRowsJob.COUNTS, NullWritable.get(), new Text(l), PartialRowsJob.COUNTS + "/part");
    }
  }

  private MultipleOutputs<BytesWritable, BytesWritable> outputs() {
    if (outputs == null) {
      outputs = new MultipleOutputs<>(taskContext);
    }
    return outputs;
  }

  private void flush(Context context) throws IOException, InterruptedException {
    if (table.size() == 0) {
      return;
    }
    for (Map.Entry<ViewKey, RowAggregate> row : table.rows().entrySet()) {
      byte[] k = EpochRowKey.encode(tableEpoch, ViewKeyCodec.encode(row.getKey()));
      byte[] v = RowAggregateCodec.encode(row.getValue());
      outKey.set(k, 0, k.length);
      outValue.set(v, 0, v.length);
      context.write(outKey, outValue);
    }
    tally.add(AggregateCounters.PARTIAL_ROWS, table.size());
    table.clear();
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    flush(context);
    quarantineDefects(context);
    if (tableEpoch >= 0) {
      tally.drainTo(counts, tableEpoch);
    }
    writeCounts(context, counts);
    if (outputs != null) {
      outputs.close();
    }
  }
}
