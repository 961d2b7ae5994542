package org.lambdadist.speed;

import java.util.Iterator;
import org.apache.spark.api.java.function.VoidFunction;

/** Sends a task's rejected arrivals to the dead-letter topic with their reasons; counts them per reason. */
final class SendDeadLettersFn implements VoidFunction<Iterator<Arrival>> {
  private static final long serialVersionUID = 1L;
  private final SpeedSettings settings;
  private final RejectCounts sent;

  SendDeadLettersFn(SpeedSettings settings, RejectCounts sent) {
    this.settings = settings;
    this.sent = sent;
  }

  @Override
  public void call(Iterator<Arrival> it) throws Exception {
    DeadLetters deadLetters = new DeadLetters(settings);
    while (it.hasNext()) {
      Arrival a = it.next();
      if (!a.accepted()) {
        deadLetters.send(a.partition, a.offset, a.timestampMillis, a.value, a.rejectReason, a.rejectMessage);
        sent.add(a.rejectReason);
      }
    }
    deadLetters.flush(); // a failed send fails the task, whose counts Spark then drops
  }
}
