package org.lambdadist.serving.http;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Keeps the API bounded under overload and a slow store: at most {@code maxConcurrent} requests
 * are worked on at once (one more is answered 503 at once, never queued), and a request not
 * answered within the deadline is answered 503 with Retry-After while its worker finishes in the
 * background (holding its permit, so a stuck store cannot pile up work).
 */
final class RequestGate implements AutoCloseable {
  private final Semaphore permits;
  private final ExecutorService workers;
  private final long deadlineMillis;

  RequestGate(int maxConcurrent, long deadlineMillis) {
    this.permits = new Semaphore(maxConcurrent);
    this.deadlineMillis = deadlineMillis;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(maxConcurrent, r -> {
      Thread t = new Thread(r, "api-request-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Answers with {@code work} within the deadline, or 503. */
  ApiResponse run(Supplier<ApiResponse> work, String requestId) {
    if (!permits.tryAcquire()) {
      return JsonBodies.error(503, "too many requests at once; retry later", requestId);
    }
    Future<ApiResponse> f;
    try {
      f = workers.submit(() -> {
        try {
          return work.get();
        } finally {
          permits.release();
        }
      });
    } catch (RuntimeException e) {
      permits.release();
      return JsonBodies.error(503, "the server is stopping; retry later", requestId);
    }
    try {
      return f.get(deadlineMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return JsonBodies.error(503, "no answer within " + deadlineMillis + " ms (lambda.serving.deadline-ms); retry later",
          requestId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JsonBodies.error(503, "interrupted; retry later", requestId);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a request failed outside the router", e.getCause());
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
