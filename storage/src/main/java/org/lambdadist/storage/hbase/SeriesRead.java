package org.lambdadist.storage.hbase;

import java.util.List;
import java.util.NavigableMap;
import org.lambdadist.core.aggregate.RowAggregate;

/**
 * One key's merged time series and where it came from: the batch version read (null before
 * the first load), the epochs it covers, and the later epochs whose realtime cells were added.
 * {@code realtimePart}, when asked for, is the share of the realtime cells alone in each bucket
 * (a bucket the batch alone fills is absent); null when not asked for.
 */
public record SeriesRead(NavigableMap<Long, RowAggregate> rows, BatchPointer pointer, List<Long> speedEpochs,
                         NavigableMap<Long, RowAggregate> realtimePart) {
  public SeriesRead(NavigableMap<Long, RowAggregate> rows, BatchPointer pointer, List<Long> speedEpochs) {
    this(rows, pointer, speedEpochs, null);
  }
}
