package org.lambdadist.core.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.lambdadist.core.event.Rejection;

/**
 * A rejected record in the quarantine, as one JSON line:
 * <pre>{"reason":"BAD_TIMESTAMP","message":"…","epoch":3,"raw":"the record as text"}</pre>
 * When the record is not valid UTF-8, {@code raw} holds it decoded with replacement
 * characters and {@code raw_base64} holds the exact bytes, so nothing is lost.
 */
public final class QuarantineRecord {
  private static final JsonFactory JSON = new JsonFactory();

  private QuarantineRecord() {}

  public static String toJsonLine(Rejection rejection, long epoch, byte[] raw, int offset, int length) {
    StringWriter out = new StringWriter(length + 128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("reason", rejection.reason().name());
      json.writeStringField("message", rejection.message());
      json.writeNumberField("epoch", epoch);
      String text = strictUtf8(raw, offset, length);
      if (text != null) {
        json.writeStringField("raw", text);
      } else {
        json.writeStringField("raw", new String(raw, offset, length, StandardCharsets.UTF_8));
        json.writeStringField("raw_base64", Base64.getEncoder().encodeToString(
            java.util.Arrays.copyOfRange(raw, offset, offset + length)));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toString();
  }

  private static String strictUtf8(byte[] raw, int offset, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw, offset, length)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
