package org.lambdadist.core.event;

/**
 * Strict UTF-8 checks (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF. JSON text must be UTF-8 (RFC 8259), and a value that is not valid Unicode cannot be
 * keyed the same way in every layer, so records and values are checked before anything uses
 * them. ASCII runs are checked eight bytes at a time.
 */
public final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that is not part of a valid sequence, or -1 when all are valid. */
  public static int firstInvalid(byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // Fast path: eight ASCII bytes at once.
      while (i + 8 <= end && (readLong(b, i) & 0x8080808080808080L) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        min = 0x10000;
      } else {
        return i;
      }
      int cp = c & (0x3F >> n);
      for (int k = 1; k <= n; k++) {
        if (i + k >= end) {
          return i;
        }
        int cc = b[i + k] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += n + 1;
    }
    return -1;
  }

  /** True when the string holds a surrogate that is not part of a high-low pair. */
  public static boolean hasLoneSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** The UTF-8 length of a string without lone surrogates. */
  public static int encodedLength(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)) {
          bytes += 2; // the pair is 4 bytes: 2 chars counted, 2 more
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static long readLong(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }
}
