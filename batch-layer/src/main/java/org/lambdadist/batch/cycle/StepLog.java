package org.lambdadist.batch.cycle;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a cycle step writes its messages: each line goes to the cycle's log at once, indented,
 * so a long step's job progress shows while it runs, and is kept for the step's outcome (its
 * error line). Blank lines are left out of the log; a last line without a newline is passed on
 * when the step's stream is closed.
 */
final class StepLog extends OutputStream {
  private final PrintStream log;
  private final String indent;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();

  StepLog(PrintStream log, String indent) {
    this.log = log;
    this.indent = indent;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      endLine();
    }
  }

  /** Everything the step wrote so far, its lines ended by newlines. */
  synchronized String text() {
    return text.toString();
  }

  private void endLine() {
    String l = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (l.endsWith("\r")) {
      l = l.substring(0, l.length() - 1);
    }
    text.append(l).append('\n');
    if (!l.isBlank()) {
      log.println(indent + l);
    }
  }
}
