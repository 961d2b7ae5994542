package org.lambdadist.serving.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the API bounded under overload and a slow store: at most {@code maxConcurrent} requests
 * are worked on at once (one more is answered 503 at once, never queued), and a request not
 * answered within the deadline is answered 503 with Retry-After while its work finishes in the
 * background (holding its permit, so a stuck store cannot pile up work).
 *
 * <p>The server's path ({@link #run(Supplier, String, Consumer)}) works on the calling thread,
 * the HTTP server's own: a lookup costs no hand-off to another thread, and a timer answers at
 * the deadline when the work has not (closing that connection, whose thread is still busy, so
 * the client's next request goes to another). {@link #run(Supplier, String)} is the same for callers
 * that wait for the answer (tests, embedding), on a thread of its own.
 */
final class RequestGate implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestGate.class);
  private final Semaphore permits;
  private final long deadlineMillis;
  private final ScheduledThreadPoolExecutor deadlines;
  private final ExecutorService waitingCallers;

  RequestGate(int maxConcurrent, long deadlineMillis) {
    this.permits = new Semaphore(maxConcurrent);
    this.deadlineMillis = deadlineMillis;
    this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "api-deadlines");
      t.setDaemon(true);
      return t;
    });
    deadlines.setRemoveOnCancelPolicy(true); // most timers are cancelled: do not keep them queued
    AtomicInteger n = new AtomicInteger();
    this.waitingCallers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "api-request-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Works on {@code work} on this thread and hands {@code reply} exactly one answer: the work's,
   * or a 503 at the deadline (from the timer's thread), or a 503 at once when every permit is
   * taken. Returns when the work has ended.
   */
  void run(Supplier<ApiResponse> work, String requestId, Consumer<ApiResponse> reply) {
    if (!permits.tryAcquire()) {
      reply.accept(JsonBodies.error(503, "too many requests at once; retry later", requestId));
      return;
    }
    try {
      AtomicBoolean answered = new AtomicBoolean();
      ScheduledFuture<?> timer;
      try {
        timer = deadlines.schedule(() -> {
          if (answered.compareAndSet(false, true)) {
            // The connection closes after this answer: its thread is still busy with the work,
            // and a client's next request on it would wait for that work to end.
            ApiResponse late = JsonBodies.error(503, "no answer within " + deadlineMillis
                + " ms (lambda.serving.deadline-ms); retry later", requestId);
            reply.accept(new ApiResponse(503, late.body(), java.util.Map.of("Retry-After", "1", "Connection", "close")));
          }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        reply.accept(JsonBodies.error(503, "the server is stopping; retry later", requestId));
        return;
      }
      try {
        ApiResponse answer = work.get();
        if (answered.compareAndSet(false, true)) {
          reply.accept(answer);
        }
      } catch (RuntimeException e) {
        // The router answers every failure it knows; anything else still gets exactly one answer.
        LOG.error("request {} failed outside the router", requestId, e);
        if (answered.compareAndSet(false, true)) {
          reply.accept(JsonBodies.error(500, "internal error (details in the server log)", requestId));
        }
      } catch (Error e) {
        if (answered.compareAndSet(false, true)) {
          reply.accept(JsonBodies.error(500, "internal error (details in the server log)", requestId));
        }
        throw e;
      } finally {
        timer.cancel(false);
      }
    } finally {
      permits.release();
    }
  }

  long deadlineMillis() {
    return deadlineMillis;
  }

  /** Answers with {@code work} within the deadline, or 503: {@link #run(Supplier, String, Consumer)}, waited for. */
  ApiResponse run(Supplier<ApiResponse> work, String requestId) {
    CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
    try {
      waitingCallers.execute(() -> {
        try {
          run(work, requestId, answer::complete);
        } catch (RuntimeException | Error e) {
          answer.completeExceptionally(e);
          throw e;
        }
      });
    } catch (RejectedExecutionException e) {
      return JsonBodies.error(503, "the server is stopping; retry later", requestId);
    }
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JsonBodies.error(503, "interrupted; retry later", requestId);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a request failed outside the router", e.getCause());
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    waitingCallers.shutdownNow();
  }
}
