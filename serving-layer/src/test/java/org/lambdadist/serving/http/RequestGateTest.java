package org.lambdadist.serving.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lambdadist.storage.hbase.ServingState;

/** A slow store and too many requests: answers within the deadline, 503 at once beyond the permits. */
class RequestGateTest {
  /** Reads whose state() blocks until released. */
  private static final class SlowReads extends InMemoryServingReads {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public ServingState state() throws IOException {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.state();
    }
  }

  @Test
  void aSlowStoreIsA503WithinTheDeadlineAndTooManyRequestsAre503AtOnce() throws Exception {
    SlowReads slow = new SlowReads();
    org.apache.hadoop.conf.Configuration settings = new org.apache.hadoop.conf.Configuration(false);
    settings.setInt("lambda.serving.deadline-ms", 300);
    settings.setInt("lambda.serving.max-concurrent", 2);
    ApiFixture f = new ApiFixture();
    try (ServingApi api = new ServingApi(slow, settings, f.catalog, f.clock)) {
      ExecutorService clients = Executors.newFixedThreadPool(2);
      long t0 = System.nanoTime();
      Future<ApiResponse> a = clients.submit(() -> api.get("/v1/views", java.util.Map.of(), null));
      Future<ApiResponse> b = clients.submit(() -> api.get("/v1/views", java.util.Map.of(), null));
      ApiResponse first = a.get();
      ApiResponse second = b.get();
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(503, first.status(), first.json());
      assertEquals(503, second.status(), second.json());
      assertTrue(first.json().contains("deadline-ms"), first.json());
      assertEquals("1", first.headers().get("Retry-After"));
      assertTrue(millis < 2_000, "answered within the deadline, took " + millis + " ms");
      // Both permits are held by the stuck workers: the next request is refused at once.
      long t1 = System.nanoTime();
      ApiResponse third = api.get("/v1/views", java.util.Map.of(), null);
      assertEquals(503, third.status());
      assertTrue(third.json().contains("too many requests"), third.json());
      assertTrue((System.nanoTime() - t1) / 1_000_000 < 200, "refused without waiting");
      assertEquals(200, api.get("/v1/health", java.util.Map.of(), null).status(), "liveness still answers");
      slow.release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      ApiResponse after;
      do {
        after = api.get("/v1/views", java.util.Map.of(), null);
      } while (after.status() != 200 && System.nanoTime() < deadline);
      assertEquals(200, after.status(), "recovers once the store answers");
      clients.shutdownNow();
    }
  }

  @Test
  void theServersPathAnswersOnceAtTheDeadlineWhileItsWorkStillRuns() throws Exception {
    try (RequestGate gate = new RequestGate(1, 200)) {
      java.util.List<ApiResponse> replies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      CountDownLatch replied = new CountDownLatch(1);
      long t0 = System.nanoTime();
      gate.run(() -> {
        try {
          assertTrue(replied.await(5, TimeUnit.SECONDS), "the 503 comes while the work still runs");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return new ApiResponse(200, new byte[0]);
      }, "r1", r -> {
        replies.add(r);
        replied.countDown();
      });
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(1, replies.size(), "exactly one answer");
      assertEquals(503, replies.get(0).status());
      assertTrue(millis < 2_000, "took " + millis + " ms");
      java.util.List<ApiResponse> next = new java.util.ArrayList<>();
      gate.run(() -> new ApiResponse(200, new byte[0]), "r2", next::add);
      assertEquals(200, next.get(0).status(), "the permit came back when the work ended");
    }
  }

  @Test
  void workThatThrowsGetsExactlyOne500AndNoLaterDeadlineAnswer() throws Exception {
    try (RequestGate gate = new RequestGate(1, 100)) {
      java.util.List<ApiResponse> replies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      gate.run(() -> {
        throw new IllegalArgumentException("a bug");
      }, "r1", replies::add);
      Thread.sleep(300); // past the deadline: the timer must not answer again
      assertEquals(1, replies.size(), "exactly one answer");
      assertEquals(500, replies.get(0).status());
      java.util.List<ApiResponse> next = new java.util.ArrayList<>();
      gate.run(() -> new ApiResponse(200, new byte[0]), "r2", next::add);
      assertEquals(200, next.get(0).status(), "the permit came back");
    }
  }
}
