package org.lambdadist.speed;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.storage.hbase.RealtimeStore;
import scala.Tuple2;

/** Merges a task's partial cells into the realtime table ({@link RealtimeStore}: idempotent per micro-batch). */
final class ApplyCellsFn implements VoidFunction<Iterator<Tuple2<CellKey, byte[]>>> {
  private static final long serialVersionUID = 1L;
  private final SpeedSettings settings;
  private final long sequence;
  private final LongAccumulator cells;
  private final LongAccumulator nanos;

  ApplyCellsFn(SpeedSettings settings, long sequence, LongAccumulator cells, LongAccumulator nanos) {
    this.settings = settings;
    this.sequence = sequence;
    this.cells = cells;
    this.nanos = nanos;
  }

  @Override
  public void call(Iterator<Tuple2<CellKey, byte[]>> it) throws Exception {
    List<RealtimeStore.CellUpdate> updates = new ArrayList<>();
    while (it.hasNext()) {
      Tuple2<CellKey, byte[]> t = it.next();
      updates.add(new RealtimeStore.CellUpdate(t._1().rowKey, t._1().epoch, t._2()));
    }
    long began = System.nanoTime();
    cells.add(new RealtimeStore(SpeedResources.hbase(settings), SpeedResources.schema(settings)).apply(updates, sequence));
    nanos.add(System.nanoTime() - began);
  }
}
