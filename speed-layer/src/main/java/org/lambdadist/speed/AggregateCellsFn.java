package org.lambdadist.speed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Aggregates a task's kept arrivals per (view row, arrival epoch) with core's aggregation table,
 * one partial cell per row and epoch. A record whose reading or aggregation throws (nothing
 * should: {@link EventRules} bounds every value, and the table changes nothing until every key
 * of an event is built) becomes a dead letter ({@code UNPROCESSABLE}) and is counted, never a
 * failed micro-batch.
 */
final class AggregateCellsFn implements PairFlatMapFunction<Iterator<Arrival>, CellKey, byte[]> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AggregateCellsFn.class);

  /** The counters of one micro-batch. */
  record Counters(LongAccumulator accepted, LongAccumulator duplicates, LongAccumulator badValues,
                  LongAccumulator unprocessable) implements java.io.Serializable {}

  private final SpeedSettings settings;
  private final EpochChain chain;
  private final Counters counters;
  private final DeadLetterSink deadLetters;

  /** Where an unprocessable record goes: the dead-letter topic, or a list in tests. */
  interface DeadLetterSink extends java.io.Serializable {
    void send(Arrival a, String reason, String message) throws Exception;

    void flush() throws Exception;
  }

  AggregateCellsFn(SpeedSettings settings, EpochChain chain, Counters counters, DeadLetterSink deadLetters) {
    this.settings = settings;
    this.chain = chain;
    this.counters = counters;
    this.deadLetters = deadLetters;
  }

  @Override
  public Iterator<Tuple2<CellKey, byte[]>> call(Iterator<Arrival> it) throws Exception {
    EventRules rules = settings.rules();
    Map<Long, AggregationTable> tables = new HashMap<>();
    while (it.hasNext()) {
      Arrival a = it.next();
      counters.duplicates().add(a.droppedCopies());
      if (a.duplicate) {
        continue;
      }
      try {
        ParseResult r = rules.read(a.value);
        if (!r.isAccepted()) {
          throw new IllegalStateException("the second read rejected what the first accepted: " + r.rejection());
        }
        long epoch = chain.epochOf(a.partition, a.offset);
        counters.badValues().add(tables.computeIfAbsent(epoch, e -> rules.newTable()).add(r.event()));
        counters.accepted().add(1);
      } catch (RuntimeException | StackOverflowError e) {
        LOG.error("partition {} offset {}: cannot aggregate the record, sent to the dead letters", a.partition,
            a.offset, e);
        deadLetters.send(a, RejectReason.UNPROCESSABLE.name(), RejectReason.describe(e));
        counters.unprocessable().add(1);
      }
    }
    deadLetters.flush();
    List<Tuple2<CellKey, byte[]>> out = new ArrayList<>();
    for (Map.Entry<Long, AggregationTable> t : tables.entrySet()) {
      for (Map.Entry<ViewKey, RowAggregate> row : t.getValue().rows().entrySet()) {
        out.add(new Tuple2<>(new CellKey(RowKeyCodec.encode(row.getKey()), t.getKey()),
            RowAggregateCodec.encode(row.getValue())));
      }
    }
    return out.iterator();
  }

  /** The dead-letter topic of these settings. */
  static DeadLetterSink topic(SpeedSettings settings) {
    return new DeadLetterSink() {
      private static final long serialVersionUID = 1L;
      private transient DeadLetters letters;

      @Override
      public void send(Arrival a, String reason, String message) {
        if (letters == null) {
          letters = new DeadLetters(settings);
        }
        letters.send(a.partition, a.offset, a.timestampMillis, a.value, reason, message);
      }

      @Override
      public void flush() throws Exception {
        if (letters != null) {
          letters.flush();
        }
      }
    };
  }
}
