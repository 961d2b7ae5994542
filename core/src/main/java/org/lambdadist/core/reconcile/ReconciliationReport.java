package org.lambdadist.core.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The reconciliation of a batch version with the speed layer's cells of the epochs it took
 * over: what {@code lambda status}, the API and the dashboard show. Informational: differences
 * can be legitimate (the speed layer drops duplicates within a window, the batch across every
 * epoch), but on well-formed data both sides hold the same rows.
 *
 * @param version the batch version reconciled
 * @param epochs the arrival epochs compared (those the version newly covers for which the speed
 *     layer had cells), ascending
 * @param at when the reconciliation ran (ISO-8601 instant)
 * @param millis how long it took
 * @param distinctSigmas the {@code distinct} tolerance, in standard errors of the sketch
 * @param error null, or why the reconciliation could not be done (then {@code views} is empty)
 * @param views per view, in name order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconciliationReport(
    @JsonProperty("version") String version,
    @JsonProperty("epochs") List<Long> epochs,
    @JsonProperty("at") String at,
    @JsonProperty("millis") long millis,
    @JsonProperty("distinct_sigmas") double distinctSigmas,
    @JsonProperty("error") String error,
    @JsonProperty("views") List<ViewReconciliation> views) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ReconciliationReport {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    views = views == null ? List.of() : List.copyOf(views);
  }

  /** A reconciliation that could not be done, and why. */
  public static ReconciliationReport failed(String version, List<Long> epochs, String at, long millis,
                                            double distinctSigmas, String error) {
    return new ReconciliationReport(version, epochs, at, millis, distinctSigmas, error, List.of());
  }

  /** Rows compared over every view. */
  @JsonIgnore
  public long rowsCompared() {
    return views.stream().mapToLong(ViewReconciliation::rowsCompared).sum();
  }

  /** Rows that differ over every view. */
  @JsonIgnore
  public long rowsDiffering() {
    return views.stream().mapToLong(ViewReconciliation::rowsDiffering).sum();
  }

  /** The views with a differing row. */
  @JsonIgnore
  public List<ViewReconciliation> differingViews() {
    return views.stream().filter(v -> v.rowsDiffering() > 0).toList();
  }

  /** This report as one JSON object (snake_case fields, as the record's parameters say). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("a report always serializes", e);
    }
  }

  /** A report written by {@link #toJson()}; fields it does not know are ignored. */
  public static ReconciliationReport fromJson(String json) {
    try {
      return JSON.readValue(json, ReconciliationReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a reconciliation report: " + e.getOriginalMessage(), e);
    }
  }
}
