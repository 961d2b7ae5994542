package org.lambdadist.core.view;

/** A views file that cannot be used; the message names the view and the field at fault. */
public class ViewDefinitionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ViewDefinitionException(String message) {
    super(message);
  }

  public ViewDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
