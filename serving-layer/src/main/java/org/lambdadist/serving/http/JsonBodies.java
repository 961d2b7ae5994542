package org.lambdadist.serving.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.lambdadist.storage.hbase.BatchPointer;

/**
 * Writing JSON bodies: one UTF-8 generator per answer straight into bytes (no String between
 * the generator and the socket), and the coverage block every answer carries.
 */
final class JsonBodies {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonBodies() {}

  /** A body written by a generator. */
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  /**
   * Each thread's output buffer, reused from answer to answer (an answer is one copy of exactly
   * its bytes). It is taken out while in use, so a render inside a render gets its own; one that
   * grew past {@link #KEPT_BUFFER_BYTES} for a large answer is not kept.
   */
  private static final ThreadLocal<ByteArrayBuilder> BUFFERS = new ThreadLocal<>();
  private static final int KEPT_BUFFER_BYTES = 64 * 1024;

  static byte[] render(Body body) {
    ByteArrayBuilder out = BUFFERS.get();
    if (out == null) {
      out = new ByteArrayBuilder(4096);
    } else {
      BUFFERS.set(null);
    }
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length <= KEPT_BUFFER_BYTES) {
      out.reset();
      BUFFERS.set(out);
    }
    return bytes;
  }

  static ApiResponse ok(Body body) {
    return new ApiResponse(200, render(body));
  }

  static ApiResponse error(int status, String message) {
    return error(status, message, null);
  }

  /**
   * A JSON error {@code {"error": …, "request_id": …}}; a 503 also says when to retry. The
   * message says what the client can act on, never an exception's text (that is logged with the
   * request id).
   */
  static ApiResponse error(int status, String message, String requestId) {
    byte[] body = render(json -> {
      json.writeStartObject();
      json.writeStringField("error", message);
      if (requestId != null) {
        json.writeStringField("request_id", requestId);
      }
      json.writeEndObject();
    });
    return new ApiResponse(status, body, status == 503 ? Map.of("Retry-After", "1") : Map.of());
  }

  /** The coverage of an answer: the batch version and its epochs, and the speed epochs added on top. */
  static void writeCoverage(JsonGenerator json, BatchPointer p, List<Long> speedEpochs) throws IOException {
    json.writeStartObject();
    json.writeStringField("batch_version", p == null ? null : p.version());
    if (p == null) {
      json.writeNullField("batch_epochs");
    } else {
      json.writeObjectFieldStart("batch_epochs");
      json.writeNumberField("first", p.firstEpoch());
      json.writeNumberField("last", p.lastEpoch());
      json.writeEndObject();
    }
    json.writeStringField("batch_loaded_at", p == null ? null : p.loadedAt());
    json.writeArrayFieldStart("speed_epochs");
    for (long e : speedEpochs) {
      json.writeNumber(e);
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
