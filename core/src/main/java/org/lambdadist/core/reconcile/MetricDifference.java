package org.lambdadist.core.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How one metric of a view differed between the speed layer and the batch over the compared
 * rows.
 *
 * @param metric the metric's name in the view
 * @param type its type's label ({@code count}, {@code sum}, {@code min}, {@code max},
 *     {@code avg}, {@code distinct})
 * @param rowsDiffering rows whose values differ: any difference for an exact metric, a
 *     difference beyond the sketch's error bound for {@code distinct}
 * @param rowsWithinBound {@code distinct} only: rows whose estimates differ, but within the
 *     bound (expected of two sketches); 0 for exact metrics
 * @param largestDifference the largest absolute difference of the rendered values over the
 *     compared rows (a missing value counts as 0); 0 when every row agreed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricDifference(
    @JsonProperty("metric") String metric,
    @JsonProperty("type") String type,
    @JsonProperty("rows_differing") long rowsDiffering,
    @JsonProperty("rows_within_bound") long rowsWithinBound,
    @JsonProperty("largest_difference") double largestDifference) {}
