package org.lambdadist.storage.hbase;

import java.util.List;
import java.util.NavigableMap;
import org.lambdadist.core.aggregate.RowAggregate;

/**
 * Several keys' merged time series, read against one serving state: the rows of each key in
 * the order the keys were asked (a key asked twice gets the same rows twice), the batch
 * version read (null before the first load), and the later epochs whose realtime cells were
 * added. {@code overLimit}: the keys hold more rows than the read's cap, and {@code rows} is
 * empty. {@code realtimeParts}, when asked for, holds each key's share of the realtime cells
 * alone (as {@link SeriesRead#realtimePart()}), in the order of {@code rows}; else it is empty.
 */
public record SeriesReads(List<NavigableMap<Long, RowAggregate>> rows, BatchPointer pointer, List<Long> speedEpochs,
                          boolean overLimit, List<NavigableMap<Long, RowAggregate>> realtimeParts) {
  public SeriesReads(List<NavigableMap<Long, RowAggregate>> rows, BatchPointer pointer, List<Long> speedEpochs,
                     boolean overLimit) {
    this(rows, pointer, speedEpochs, overLimit, List.of());
  }
}
