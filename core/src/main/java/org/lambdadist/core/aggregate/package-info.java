/**
 * Aggregation monoids: one mutable state per metric type ({@code count}, {@code sum},
 * {@code min}, {@code max}, {@code avg}, {@code distinct}), a {@link
 * org.lambdadist.core.aggregate.RowAggregate} holding a view row's states, and the {@link
 * org.lambdadist.core.aggregate.AggregationTable} that folds events into rows. The combiner,
 * the reducer, the speed layer and the serving merge all call the same {@code merge}.
 */
package org.lambdadist.core.aggregate;
