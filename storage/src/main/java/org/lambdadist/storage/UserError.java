package org.lambdadist.storage;

/**
 * A failure the user can fix (a missing input, a bad option, an existing epoch): reported as
 * one clear message and a non-zero exit, never as a stack trace.
 */
public class UserError extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean usage;

  public UserError(String message) {
    this(message, null, false);
  }

  public UserError(String message, Throwable cause) {
    this(message, cause, false);
  }

  private UserError(String message, Throwable cause, boolean usage) {
    super(message, cause);
    this.usage = usage;
  }

  /** A bad command line: the tool prints its usage too. */
  public static UserError usage(String message) {
    return new UserError(message, null, true);
  }

  /** A bad command line found by a parser that failed with {@code cause}. */
  public static UserError usage(String message, Throwable cause) {
    return new UserError(message, cause, true);
  }

  public boolean isUsage() {
    return usage;
  }
}
