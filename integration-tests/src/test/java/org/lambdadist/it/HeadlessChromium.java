package org.lambdadist.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real browser for the dashboard's tests: Debian's Chromium, headless, driven over the Chrome
 * DevTools Protocol with the JDK's own WebSocket client (no driver binary, no browser download).
 * It records every console error, uncaught exception and failed load (a 404, a refused script,
 * a violated content-security policy) of the page, so a test can require there are none.
 *
 * <p>Which binary: {@code -Dlambda.it.chromium=PATH}, else {@code /usr/bin/chromium}. The flags
 * are those this machine's closed network needs (no background networking, no component
 * updates); root needs {@code --no-sandbox}.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean loaded;

  /** The browser to use, or null when this machine has none. */
  static Path binary() {
    Path p = Path.of(System.getProperty("lambda.it.chromium", "/usr/bin/chromium"));
    return Files.isExecutable(p) ? p : null;
  }

  HeadlessChromium(Path binary, Path profile) throws Exception {
    this.profile = profile;
    Files.createDirectories(profile);
    this.process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      this.socket = connect(profile);
      call("Runtime.enable", null);
      call("Log.enable", null);
      call("Page.enable", null);
    } catch (Exception | Error e) {
      kill(); // a browser that did not come up is not left running
      throw e;
    }
  }

  /** Waits for the browser's DevTools port and connects to its page. */
  private WebSocket connect(Path profile) throws Exception {
    Path portFile = profile.resolve("DevToolsActivePort");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (!process.isAlive() || System.nanoTime() > until) {
        throw new IOException("Chromium did not start (see " + profile.resolve("chromium.log") + "): "
            + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String page = null;
    while (page == null) {
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) {
          page = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        if (System.nanoTime() > until) {
          throw new IOException("Chromium opened no page");
        }
        Thread.sleep(100);
      }
    }
    return http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).get(30, TimeUnit.SECONDS);
  }

  /** Receives the browser's answers and events, in text frames that may arrive in parts. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          received(JSON.readTree(text));
        } catch (IOException e) {
          errors.add("unreadable DevTools message: " + e);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private void received(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
      if (f != null) {
        f.complete(message);
      }
      return;
    }
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    switch (method) {
      case "Page.loadEventFired" -> loaded = true;
      case "Runtime.exceptionThrown" -> errors.add("uncaught: " + params.path("exceptionDetails").toString());
      case "Runtime.consoleAPICalled" -> {
        String type = params.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          errors.add("console." + type + ": " + params.path("args").toString());
        }
      }
      case "Log.entryAdded" -> {
        JsonNode entry = params.path("entry");
        if (entry.path("level").asText().equals("error")) {
          errors.add(entry.path("source").asText() + ": " + entry.path("text").asText() + " "
              + entry.path("url").asText());
        }
      }
      default -> { }
    }
  }

  /** Sends one DevTools command and waits for its result (a protocol error fails the test). */
  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    if (params != null) {
      message.set("params", JSON.valueToTree(params));
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Opens {@code url} and waits for its load event. */
  void open(URI url) throws Exception {
    loaded = false;
    call("Page.navigate", Map.of("url", url.toString()));
    waitFor("the page's load event", Duration.ofSeconds(60), () -> loaded);
  }

  /** The value of a JavaScript expression in the page (awaited when a promise), as JSON. */
  JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Polls {@code expression} until it is true, or fails naming {@code what}. */
  void waitUntil(String what, String expression, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (!eval("Boolean(" + expression + ")").asBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("the page never showed " + what + " within " + timeout + "; errors: " + errors());
      }
      Thread.sleep(200);
    }
  }

  private static void waitFor(String what, Duration timeout, BooleanSupplier done) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  /** A PNG of the page as shown, written to {@code file}. */
  void screenshot(Path file) throws Exception {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  /** Every error the pages opened so far reported. */
  List<String> errors() {
    synchronized (errors) {
      return new ArrayList<>(errors);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      kill();
    }
  }

  private void kill() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
