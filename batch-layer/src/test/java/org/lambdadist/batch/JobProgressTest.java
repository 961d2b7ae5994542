package org.lambdadist.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress reporter against a scripted job on a clock that moves only when the reporter
 * sleeps: what it prints, how often it reads the job, and that it returns the job's outcome.
 */
class JobProgressTest {
  /** A clock that stands still until {@link #sleep} moves it. */
  private static final class StepClock extends Clock {
    long millis = 1_000_000;
    final List<Long> sleeps = new ArrayList<>();

    void sleep(long ms) {
      sleeps.add(ms);
      millis += ms;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  /** A job whose n-th reading shows the n-th figures of its script; complete after the last. */
  private static final class ScriptedJob implements JobProgress.Tracked {
    final float[][] script;
    final boolean reducers;
    final boolean succeeds;
    final String url;
    int reading = -1;
    boolean submitted;

    ScriptedJob(boolean reducers, boolean succeeds, String url, float[]... script) {
      this.script = script;
      this.reducers = reducers;
      this.succeeds = succeeds;
      this.url = url;
    }

    @Override
    public void submit() {
      submitted = true;
    }

    @Override
    public String id() {
      return "job_local42_0001";
    }

    @Override
    public String name() {
      return "lambda test";
    }

    @Override
    public String trackingUrl() {
      return url;
    }

    @Override
    public boolean hasReducers() {
      return reducers;
    }

    @Override
    public boolean isComplete() {
      assertTrue(submitted, "read only after submission");
      reading++;
      return reading >= script.length - 1;
    }

    @Override
    public float mapProgress() {
      return script[Math.min(reading, script.length - 1)][0];
    }

    @Override
    public float reduceProgress() {
      assertTrue(reducers, "a map-only job's reduce progress is never read");
      return script[Math.min(reading, script.length - 1)][1];
    }

    @Override
    public boolean isSuccessful() {
      return succeeds;
    }

    @Override
    public String state() {
      return succeeds ? "SUCCEEDED" : "FAILED";
    }
  }

  private static List<String> follow(ScriptedJob job, StepClock clock, long interval, long completionPoll,
                                     boolean[] outcome) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    outcome[0] = new JobProgress(out, clock, clock::sleep, interval, completionPoll).follow(job);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void printsTheIdTheUrlEachChangeAndTheEnd() throws Exception {
    StepClock clock = new StepClock();
    ScriptedJob job = new ScriptedJob(true, true, "http://rm:8088/proxy/application_42_0001/",
        new float[] {0f, 0f}, new float[] {0f, 0f}, new float[] {0.45f, 0f}, new float[] {1f, 0.333f},
        new float[] {1f, 0.333f}, new float[] {1f, 1f});
    boolean[] ok = new boolean[1];
    List<String> lines = follow(job, clock, 1000, 5000, ok);
    assertTrue(ok[0]);
    assertEquals(List.of(
        "job job_local42_0001 (lambda test): tracking URL http://rm:8088/proxy/application_42_0001/",
        "job job_local42_0001: map 0% reduce 0%",
        "job job_local42_0001: map 45% reduce 0%",
        "job job_local42_0001: map 100% reduce 33%",
        "job job_local42_0001: map 100% reduce 100%",
        "job job_local42_0001 succeeded in 5.0 s"), lines);
    // Read every interval (shorter than Hadoop's completion poll), never after the end.
    assertEquals(List.of(1000L, 1000L, 1000L, 1000L, 1000L), clock.sleeps);
  }

  @Test
  void readsAtTheCompletionPollButPrintsAtMostOncePerInterval() throws Exception {
    StepClock clock = new StepClock();
    // Local: Hadoop's completion poll of 100 ms, progress every second; the map moves at every reading.
    float[][] script = new float[26][];
    for (int i = 0; i < script.length; i++) {
      script[i] = new float[] {Math.min(1f, i / 20f)};
    }
    ScriptedJob job = new ScriptedJob(false, true, null, script);
    boolean[] ok = new boolean[1];
    List<String> lines = follow(job, clock, 1000, 100, ok);
    assertTrue(ok[0]);
    assertTrue(clock.sleeps.stream().allMatch(s -> s == 100), clock.sleeps.toString());
    assertEquals(25, clock.sleeps.size(), "the end is noticed at the first reading after it");
    assertEquals(List.of(
        "job job_local42_0001 (lambda test): running in the local job runner (no tracking URL)",
        "job job_local42_0001: map 0%",
        "job job_local42_0001: map 50%",
        "job job_local42_0001: map 100%",
        "job job_local42_0001 succeeded in 2.5 s"), lines);
  }

  @Test
  void aFailedJobIsReportedAndReturnedAsFailed() throws Exception {
    StepClock clock = new StepClock();
    ScriptedJob job = new ScriptedJob(true, false, null, new float[] {0.5f, 0f}, new float[] {0.5f, 0f});
    boolean[] ok = new boolean[1];
    List<String> lines = follow(job, clock, 1000, 1000, ok);
    assertFalse(ok[0]);
    assertEquals("job job_local42_0001: map 50% reduce 0%", lines.get(1));
    assertEquals("job job_local42_0001 ended FAILED in 1.0 s", lines.get(lines.size() - 1));
  }

  @Test
  void percentagesRoundDownAndStayInRange() {
    assertEquals("0%", JobProgress.percent(0f));
    assertEquals("29%", JobProgress.percent(0.29f));
    assertEquals("99%", JobProgress.percent(0.9999f));
    assertEquals("100%", JobProgress.percent(1f));
    assertEquals("100%", JobProgress.percent(1.5f));
    assertEquals("0%", JobProgress.percent(-0.1f));
    assertThrows(IllegalArgumentException.class,
        () -> new JobProgress(System.err, Clock.systemUTC(), ms -> { }, 0, 100));
  }
}
