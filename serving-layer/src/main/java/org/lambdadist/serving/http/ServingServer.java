package org.lambdadist.serving.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty in front of {@link ServingApi}: GET only, JSON answers (Jetty's own errors, such as a
 * malformed request, too), no sessions, no servlets. Open connections are capped
 * ({@code lambda.serving.max-connections}); the API bounds the work per request.
 */
public final class ServingServer implements AutoCloseable {
  private final Server server;
  private final ServingApi apiRef;

  public ServingServer(ServingApi api, String host, int port) {
    this(api, host, port, 1024);
  }

  public ServingServer(ServingApi api, String host, int port, int maxConnections) {
    this.apiRef = api;
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("serving-http");
    this.server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.addBean(new ConnectionLimit(maxConnections, server));
    server.setErrorHandler(new JsonErrors());
    server.setHandler(new AbstractHandler() {
      @Override
      public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        base.setHandled(true);
        ApiResponse answer = "GET".equals(request.getMethod())
            ? api.get(target, request.getParameterMap(), request.getHeader("Authorization"))
            : ServingApi.error(405, "only GET is served");
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
          response.setHeader(h.getKey(), h.getValue());
        }
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
      }
    });
    server.setStopTimeout(5_000);
  }

  /** Jetty's own errors (a request it cannot parse, headers too large…) as JSON, like every answer. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      return BufferUtil.toBuffer(ServingApi.error(status, reason == null ? "bad request" : reason).json(),
          StandardCharsets.UTF_8);
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      base.setHandled(true);
      Object message = request.getAttribute("javax.servlet.error.message");
      byte[] body = ServingApi.error(response.getStatus(), message == null ? "error" : message.toString()).json()
          .getBytes(StandardCharsets.UTF_8);
      response.setContentType("application/json; charset=utf-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
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
