package org.lambdadist.core.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One view's reconciliation. A compared row is one view row (dimension values, granularity,
 * bucket) in one arrival epoch: the unit both layers store (a realtime cell, a partial row). A
 * row present on one side only is compared with the empty row.
 *
 * @param view the view's name
 * @param rowsCompared rows present on either side
 * @param rowsDiffering rows that differ in any metric beyond its tolerance, or that one side
 *     lacks
 * @param speedOnlyRows rows with a realtime cell and no batch partial row
 * @param batchOnlyRows rows with a batch partial row and no realtime cell
 * @param speedOnlyEvents events the speed layer counted and the batch did not (the sum over
 *     the rows of one granularity of the positive differences of the view's {@code count} of
 *     all events); null when the view has no such metric
 * @param batchOnlyEvents the same, the other way round
 * @param metrics per metric, in the view's order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ViewReconciliation(
    @JsonProperty("view") String view,
    @JsonProperty("rows_compared") long rowsCompared,
    @JsonProperty("rows_differing") long rowsDiffering,
    @JsonProperty("speed_only_rows") long speedOnlyRows,
    @JsonProperty("batch_only_rows") long batchOnlyRows,
    @JsonProperty("speed_only_events") Long speedOnlyEvents,
    @JsonProperty("batch_only_events") Long batchOnlyEvents,
    @JsonProperty("metrics") List<MetricDifference> metrics) {

  public ViewReconciliation {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }
}
