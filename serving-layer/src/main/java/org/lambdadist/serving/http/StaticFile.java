package org.lambdadist.serving.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One file shipped in the jar and served as is: a page of the dashboard, its script, or a chart
 * or API-page library from its webjar (so no page needs a CDN). Each route names exactly one
 * classpath resource, read once at start: no path from a request ever reaches the class loader,
 * so nothing but these files can be asked for. The answer forbids MIME sniffing and, for pages,
 * anything but this server's own scripts.
 */
final class StaticFile implements Endpoint {
  /** What a page may load: its own server's scripts, styles (libraries set inline styles) and data-URL images. */
  static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final ApiResponse answer;

  private StaticFile(byte[] bytes, String contentType) {
    this.answer = ApiResponse.of(200, contentType, bytes, Map.of(
        "Cache-Control", "no-cache",
        "X-Content-Type-Options", "nosniff",
        "Content-Security-Policy", PAGE_POLICY));
  }

  /**
   * The resource at {@code path} on this class's class path, typed by its name's extension.
   *
   * @throws IllegalStateException when the jar lacks it (a packaging defect, found at start)
   */
  static StaticFile of(String path) {
    try (InputStream in = StaticFile.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + path + ": rebuild serving-layer");
      }
      return new StaticFile(in.readAllBytes(), contentType(path));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path + " from the jar", e);
    }
  }

  /** A file of this module's own pages ({@code org/lambdadist/serving/ui/NAME}). */
  static StaticFile page(String name) {
    return of("org/lambdadist/serving/ui/" + name);
  }

  /**
   * A file of a webjar ({@code META-INF/resources/webjars/LIBRARY/VERSION/PATH}), in the
   * version the build put on the class path (read from the webjar's own Maven properties, so
   * the POM alone names it).
   */
  static StaticFile webjar(String group, String library, String path) {
    String properties = "META-INF/maven/" + group + "/" + library + "/pom.properties";
    java.util.Properties p = new java.util.Properties();
    try (InputStream in = StaticFile.class.getClassLoader().getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the webjar " + group + ":" + library + ": rebuild serving-layer");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + properties + " from the jar", e);
    }
    return of("META-INF/resources/webjars/" + library + "/" + p.getProperty("version") + "/" + path);
  }

  static String contentType(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (lower.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (lower.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (lower.endsWith(".json")) {
      return "application/json; charset=utf-8";
    } else if (lower.endsWith(".png")) {
      return "image/png";
    } else if (lower.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return "application/octet-stream";
  }

  @Override
  public ApiResponse answer(ApiRequest request) {
    return answer;
  }
}
