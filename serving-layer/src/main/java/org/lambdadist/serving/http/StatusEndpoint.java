package org.lambdadist.serving.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.reconcile.ReconciliationReport;
import org.lambdadist.serving.metrics.StackGauges;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.CycleReport;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.ServingState;

/**
 * {@code GET /v1/status}: the served versions, the arrival epochs, the speed layer's progress,
 * the last batch cycle, the latest reconciliation of the speed layer with the batch, and
 * whether the store answers: 200 when it does, 503 (with what is known) when it does not.
 */
final class StatusEndpoint implements Endpoint {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusEndpoint.class);
  private final ServingReads reads;
  private final Clock clock;
  private final Instant started;

  private final StackGauges stack;

  /** {@code stack}: the background readings that also give the speed layer's lag and the freshness. */
  StatusEndpoint(ServingReads reads, Clock clock, StackGauges stack) {
    this.stack = stack;
    this.reads = reads;
    this.clock = clock;
    this.started = clock.instant();
  }

  @Override
  public ApiResponse answer(ApiRequest request) {
    BatchPointer pointer = null;
    String storeError = null;
    EpochChain chain = null;
    EpochStore.SpeedProgress speed = EpochStore.SpeedProgress.NONE;
    CycleReport cycleReport = null;
    ReconciliationReport reconciliationReport = null;
    long maxEpoch = -1;
    try {
      ServingState fresh = reads.freshState();
      pointer = fresh.pointer();
      maxEpoch = fresh.realtimeMaxEpoch();
      chain = reads.epochChain();
      speed = reads.speedProgress();
    } catch (IOException | RuntimeException e) {
      LOG.warn("status: the store does not answer: {}", e.toString());
      storeError = "unavailable";
    }
    if (storeError == null) {
      // Monitoring rows: one that cannot be read (another build's, say) is left out, not an outage.
      try {
        cycleReport = reads.lastCycle().orElse(null);
      } catch (IOException | RuntimeException e) {
        LOG.warn("status: the last cycle's report cannot be read: {}", e.toString());
      }
      try {
        reconciliationReport = reads.latestReconciliation().orElse(null);
      } catch (IOException | RuntimeException e) {
        LOG.warn("status: the latest reconciliation cannot be read: {}", e.toString());
      }
    }
    BatchPointer p = pointer;
    String error = storeError;
    EpochChain c = chain;
    EpochStore.SpeedProgress sp = speed;
    long marked = maxEpoch;
    CycleReport cycle = cycleReport;
    ReconciliationReport reconciliation = reconciliationReport;
    long now = clock.millis();
    byte[] body = JsonBodies.render(json -> {
      json.writeStartObject();
      json.writeStringField("status", error == null ? "ok" : "unavailable");
      json.writeStringField("hbase", error == null ? "up" : error);
      json.writeNumberField("uptime_seconds", (now - started.toEpochMilli()) / 1000);
      json.writeObjectFieldStart("batch");
      json.writeStringField("version", p == null ? null : p.version());
      json.writeNumberField("first_epoch", p == null ? -1 : p.firstEpoch());
      json.writeNumberField("last_epoch", p == null ? -1 : p.lastEpoch());
      json.writeStringField("loaded_at", p == null ? null : p.loadedAt());
      json.writeStringField("previous_version", p == null ? null : p.previousVersion());
      json.writeEndObject();
      json.writeObjectFieldStart("epochs");
      json.writeNumberField("first", c == null ? -1 : c.first());
      json.writeNumberField("last_closed", c == null ? -1 : c.lastClosed());
      json.writeNumberField("waiting", StackGauges.epochsWaiting(c, p));
      json.writeNumberField("open", c == null ? -1 : c.openEpoch());
      json.writeStringField("open_since", c == null ? null : Instant.ofEpochMilli(c.openSinceMillis()).toString());
      json.writeStringField("open_from_offsets", c == null ? null : c.openStart().toString());
      json.writeEndObject();
      json.writeObjectFieldStart("speed");
      MicroBatchLedger.Batch done = sp.ledger().committed();
      json.writeStringField("committed_offsets", done == null ? null : done.until().toString());
      json.writeNumberField("micro_batches", done == null ? 0 : done.sequence());
      json.writeStringField("last_progress", sp.committedAtMillis() < 0 ? null
          : Instant.ofEpochMilli(sp.committedAtMillis()).toString());
      json.writeNumberField("seconds_since_progress", sp.committedAtMillis() < 0 ? -1 : (now - sp.committedAtMillis()) / 1000);
      json.writeNumberField("realtime_max_epoch", marked);
      json.writeNumberField("accepted", sp.accepted());
      json.writeNumberField("rejected", sp.rejected());
      json.writeNumberField("duplicates", sp.duplicates());
      Long lag = stack.lagEvents();
      if (lag == null) {
        json.writeNullField("lag_events");
      } else {
        json.writeNumberField("lag_events", lag);
      }
      json.writeEndObject();
      double fresh = stack.freshnessSeconds();
      if (Double.isNaN(fresh)) {
        json.writeNullField("freshness_seconds");
      } else {
        json.writeNumberField("freshness_seconds", Math.round(fresh * 10) / 10.0);
      }
      json.writeFieldName("cycle");
      writeCycle(json, cycle);
      // The latest reconciliation as core renders it (lambda reconcile --json's form), or null.
      json.writeFieldName("reconciliation");
      if (reconciliation == null) {
        json.writeNull();
      } else {
        json.writeRawValue(reconciliation.toJson());
      }
      json.writeEndObject();
    });
    return new ApiResponse(error == null ? 200 : 503, body);
  }

  /** The last batch cycle as meta records it, or null when none ran. */
  private static void writeCycle(JsonGenerator json, CycleReport c) throws IOException {
    if (c == null) {
      json.writeNull();
      return;
    }
    json.writeStartObject();
    json.writeStringField("result", c.result().label());
    json.writeStringField("started_at", c.startedAt() == null ? null : c.startedAt().toString());
    json.writeStringField("finished_at", c.finishedAt() == null ? null : c.finishedAt().toString());
    json.writeStringField("failed_step", c.failedStep());
    json.writeStringField("message", c.message());
    json.writeArrayFieldStart("steps");
    for (CycleReport.StepTime step : c.steps()) {
      json.writeStartObject();
      json.writeStringField("name", step.name());
      json.writeNumberField("millis", step.millis());
      json.writeEndObject();
    }
    json.writeEndArray();
    if (c.epochsComputed() == null) {
      json.writeNullField("epochs_computed");
    } else {
      json.writeNumberField("epochs_computed", c.epochsComputed());
    }
    if (c.epochsReused() == null) {
      json.writeNullField("epochs_reused");
    } else {
      json.writeNumberField("epochs_reused", c.epochsReused());
    }
    json.writeStringField("version", c.version());
    json.writeEndObject();
  }
}
