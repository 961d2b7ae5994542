package org.lambdadist.storage.hbase;

import java.util.List;
import java.util.NavigableMap;
import org.lambdadist.core.aggregate.RowAggregate;

/**
 * One key's merged time series and where it came from: the batch version read (null before
 * the first load), the epochs it covers, and the later epochs whose realtime cells were added.
 */
public record SeriesRead(NavigableMap<Long, RowAggregate> rows, BatchPointer pointer, List<Long> speedEpochs) {}
