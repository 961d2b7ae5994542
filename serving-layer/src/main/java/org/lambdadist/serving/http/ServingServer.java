package org.lambdadist.serving.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (its core handler API: no servlets, no sessions) in front of {@link ServingApi}:
 * GET and POST, JSON answers (Jetty's own errors, such as a malformed request, too). Open
 * connections are capped ({@code lambda.serving.max-connections}), a POST body is capped
 * ({@code lambda.serving.max-request-bytes}: a larger one is a 413 without being read), and
 * the API bounds the work per request. A request is worked on by the Jetty thread that read it
 * (no hand-off); its answer may be written by the API's deadline timer instead.
 */
public final class ServingServer implements AutoCloseable {
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  private final Server server;
  private final ServingApi apiRef;

  /** A server with the default connection and body caps (tests and embedding). */
  public ServingServer(ServingApi api, String host, int port) {
    this(api, host, port, 1024, 1 << 20);
  }

  public ServingServer(ServingApi api, String host, int port, int maxConnections, int maxRequestBytes) {
    this.apiRef = api;
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("serving-http");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(maxConnections, server));
    server.setErrorHandler(new JsonErrors());
    server.setHandler(new ApiHandler(api, maxRequestBytes));
    server.setStopTimeout(5_000);
  }

  /** Every request: method, path, query and body to the API, its answer back as JSON. */
  private static final class ApiHandler extends Handler.Abstract {
    private final ServingApi api;
    private final int maxRequestBytes;

    ApiHandler(ServingApi api, int maxRequestBytes) {
      this.api = api;
      this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      respond(request, answer -> answer(response, callback, answer));
      return true;
    }

    /** Hands {@code reply} the answer: the API's (on this thread, or its deadline's 503), or a refusal. */
    private void respond(Request request, Consumer<ApiResponse> answer) {
      String method = request.getMethod();
      String path = Request.getPathInContext(request);
      long start = System.nanoTime();
      // A refusal here never reaches the API: count it as the API counts its answers.
      Consumer<ApiResponse> reply = refusal -> {
        api.countRefused(method, path, refusal.status(), System.nanoTime() - start);
        answer.accept(refusal);
      };
      if (!"GET".equals(method) && !"POST".equals(method)) {
        reply.accept(ServingApi.error(405, "only GET and POST are served"));
        return;
      }
      Map<String, String[]> params;
      try {
        params = parameters(Request.extractQueryParameters(request, StandardCharsets.UTF_8));
      } catch (RuntimeException e) { // bad %-escapes or UTF-8 in the query
        reply.accept(ServingApi.error(400, "the query string is not valid percent-encoded UTF-8"));
        return;
      }
      String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      byte[] body = null;
      if ("POST".equals(method)) {
        long length = request.getLength();
        if (length > maxRequestBytes) {
          reply.accept(closing(ServingApi.error(413, "the body has " + length + " bytes, over the limit of "
              + maxRequestBytes + " (lambda.serving.max-request-bytes)")));
          return;
        }
        try {
          // A body that trickles in must not hold this thread longer than the request's deadline.
          body = Content.Source.asByteArrayAsync(request, maxRequestBytes).get(api.deadlineMillis(),
              TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          reply.accept(closing(ServingApi.error(413, "the body is over the limit of " + maxRequestBytes
              + " bytes (lambda.serving.max-request-bytes), or was cut off")));
          return;
        } catch (TimeoutException e) {
          reply.accept(closing(ServingApi.error(408, "the body did not arrive within " + api.deadlineMillis()
              + " ms (lambda.serving.deadline-ms)")));
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          reply.accept(ServingApi.error(503, "interrupted; retry later"));
          return;
        }
      }
      api.handle(method, path, params, body, authorization, answer);
    }

    /** The answer with {@code Connection: close}: the body was not read, so the connection cannot be reused. */
    private static ApiResponse closing(ApiResponse answer) {
      return new ApiResponse(answer.status(), answer.body(), Map.of("Connection", "close"));
    }

    private static Map<String, String[]> parameters(Fields fields) {
      Map<String, String[]> params = new LinkedHashMap<>();
      for (Fields.Field f : fields) {
        params.put(f.getName(), f.getValues().toArray(new String[0]));
      }
      return params;
    }
  }

  private static void answer(Response response, Callback callback, ApiResponse answer) {
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    for (Map.Entry<String, String> h : answer.headers().entrySet()) {
      headers.put(h.getKey(), h.getValue());
    }
    if (answer.contentType() == null) {
      headers.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
    }
    headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.body().length));
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  /** Jetty's own errors (a request it cannot parse, headers too large…) as JSON, like every answer. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
      return BufferUtil.toBuffer(ServingApi.error(status, reason == null ? "bad request" : reason).body());
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
      answer(response, callback, ServingApi.error(code, message == null ? "error" : message));
    }
  }

  public void start() throws Exception {
    server.start();
  }

  /** The port it listens on (useful with port 0). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    apiRef.close();
  }
}
