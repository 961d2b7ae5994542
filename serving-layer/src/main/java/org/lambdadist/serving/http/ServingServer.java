package org.lambdadist.serving.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty in front of {@link ServingApi}: GET only, JSON answers, no sessions, no servlets. */
public final class ServingServer implements AutoCloseable {
  private final Server server;
  private final ServingApi api;

  public ServingServer(ServingApi api, String host, int port) {
    this.api = api;
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("serving-http");
    this.server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
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
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
      }
    });
    server.setStopTimeout(5_000);
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
    api.close();
  }
}
