package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.render.QuarantineRecord;

/**
 * Job 1 map: parses each master record with core's {@link EventParser}; a rejected record goes
 * to the quarantine (a JSON line with its reason) and is counted; an accepted one is keyed by
 * its {@code event_id}, so every copy of an event meets in one reduce call, or, without an id,
 * by its unique arrival position.
 */
public class DedupMapper extends Mapper<NullWritable, ArrivedEventWritable, BytesWritable, ArrivedEventWritable> {
  /** The named output of quarantined records. */
  public static final String QUARANTINE = "quarantine";

  private static final byte ID_KEY = 1;
  private static final byte POSITION_KEY = 0;

  private EventParser parser;
  private MultipleOutputs<BytesWritable, ArrivedEventWritable> quarantine;
  private final BytesWritable key = new BytesWritable();
  private final Text line = new Text();

  @Override
  protected void setup(Context context) {
    Configuration conf = context.getConfiguration();
    parser = new EventParser(conf.getInt(LambdaKeys.EVENT_MAX_BYTES, LambdaKeys.EVENT_MAX_BYTES_DEFAULT));
    quarantine = new MultipleOutputs<>(context);
  }

  @Override
  protected void map(NullWritable ignored, ArrivedEventWritable record, Context context)
      throws IOException, InterruptedException {
    context.getCounter(AggregateCounters.RECORDS_READ).increment(1);
    ParseResult parsed = parser.parse(record.rawBuffer(), 0, record.length());
    if (!parsed.isAccepted()) {
      context.getCounter(AggregateCounters.EVENTS_REJECTED).increment(1);
      context.getCounter(AggregateCounters.REJECTED_GROUP, parsed.rejection().reason().name()).increment(1);
      line.set(QuarantineRecord.toJsonLine(parsed.rejection(), record.epoch(), record.rawBuffer(), 0, record.length()));
      quarantine.write(QUARANTINE, NullWritable.get(), line, QUARANTINE + "/part");
      return;
    }
    context.getCounter(AggregateCounters.EVENTS_ACCEPTED).increment(1);
    String id = parsed.event().eventId();
    if (id != null) {
      byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
      byte[] k = new byte[1 + idBytes.length];
      k[0] = ID_KEY;
      System.arraycopy(idBytes, 0, k, 1, idBytes.length);
      key.set(k, 0, k.length);
    } else {
      byte[] k = ByteBuffer.allocate(1 + 8 + 4 + 8).put(POSITION_KEY)
          .putLong(record.epoch()).putInt(record.partition()).putLong(record.offset()).array();
      key.set(k, 0, k.length);
    }
    context.write(key, record);
  }

  @Override
  protected void cleanup(Context context) throws IOException, InterruptedException {
    quarantine.close();
  }
}
