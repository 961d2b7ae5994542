package org.lambdadist.core.codec;

/** Bytes that are not a valid encoding: a corrupt file or cell, or an unknown version. */
public class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
