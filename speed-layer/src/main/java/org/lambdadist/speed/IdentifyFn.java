package org.lambdadist.speed;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.lambdadist.core.rules.EventRules;

/** Reads records with core's admission rule into {@link Arrival}s (ids or reject reasons). */
final class IdentifyFn implements FlatMapFunction<Iterator<ConsumerRecord<byte[], byte[]>>, Arrival> {
  private static final long serialVersionUID = 1L;
  private final SpeedSettings settings;

  IdentifyFn(SpeedSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<Arrival> call(Iterator<ConsumerRecord<byte[], byte[]>> records) {
    EventRules rules = settings.rules();
    List<Arrival> out = new ArrayList<>();
    while (records.hasNext()) {
      out.add(Arrival.of(records.next(), rules));
    }
    return out.iterator();
  }
}
