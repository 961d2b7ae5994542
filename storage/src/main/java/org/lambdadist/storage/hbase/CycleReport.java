package org.lambdadist.storage.hbase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the last batch cycle did, as the cycle records it in the meta table ({@link CycleStore})
 * at its start, after each step and at its end: when it started and ended, how it ended, how
 * long each step took, how many epochs' partials aggregate computed and how many it reused,
 * and the version it loaded. Read by {@code lambda status} and by whatever exports the cycle
 * as metrics; immutable, each {@code with…} returning the next state.
 *
 * @param startedAt when the cycle took the batch lease and began
 * @param finishedAt when it ended; null while it runs
 * @param result running, ok or failed
 * @param failedStep the step that failed; null unless {@code result} is failed
 * @param message why it failed, or why an ok cycle loaded nothing (no committed epoch, nothing
 *     new); null otherwise
 * @param steps the steps that ended, in order, with their durations
 * @param epochsComputed epochs whose partials aggregate computed; null when aggregate did not run
 * @param epochsReused epochs whose partials aggregate reused; null when aggregate did not run
 * @param version the batch version the cycle aggregated (and, when ok, loaded); null before
 *     aggregate ended
 */
public record CycleReport(Instant startedAt, Instant finishedAt, Result result, String failedStep, String message,
                          List<StepTime> steps, Integer epochsComputed, Integer epochsReused, String version) {
  /** How a cycle stands: still running, ended ok (loaded or had nothing to do), or failed at a step. */
  public enum Result {
    RUNNING, OK, FAILED;

    /** The word stored and shown: {@code running}, {@code ok}, {@code failed}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The result a {@link #label()} names. */
    public static Result ofLabel(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /** One step that ended (whether it succeeded or not) and how long it took. */
  public record StepTime(String name, long millis) {}

  public CycleReport {
    steps = List.copyOf(steps);
  }

  /** A cycle that began at {@code at} and has ended no step yet. */
  public static CycleReport started(Instant at) {
    return new CycleReport(at, null, Result.RUNNING, null, null, List.of(), null, null, null);
  }

  /** This report with one more ended step. */
  public CycleReport withStep(String name, long millis) {
    List<StepTime> more = new ArrayList<>(steps);
    more.add(new StepTime(name, millis));
    return new CycleReport(startedAt, finishedAt, result, failedStep, message, more, epochsComputed, epochsReused, version);
  }

  /** This report with aggregate's outcome: the epochs it computed and reused, and the version it wrote. */
  public CycleReport withAggregate(int computed, int reused, String aggregatedVersion) {
    return new CycleReport(startedAt, finishedAt, result, failedStep, message, steps, computed, reused, aggregatedVersion);
  }

  /** This report ended ok at {@code at}; {@code why} says why nothing was loaded, or is null. */
  public CycleReport succeeded(Instant at, String why) {
    return new CycleReport(startedAt, at, Result.OK, null, why, steps, epochsComputed, epochsReused, version);
  }

  /** This report ended at {@code at}, failed at {@code step} for {@code why}. */
  public CycleReport failed(Instant at, String step, String why) {
    return new CycleReport(startedAt, at, Result.FAILED, step, why, steps, epochsComputed, epochsReused, version);
  }

  /** The cycle's duration; empty while it runs. */
  public OptionalLong millis() {
    return finishedAt == null ? OptionalLong.empty() : OptionalLong.of(Duration.between(startedAt, finishedAt).toMillis());
  }

  /** How long the named step took; empty when it did not end (or did not run). */
  public Optional<Long> stepMillis(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).map(StepTime::millis).findFirst();
  }
}
