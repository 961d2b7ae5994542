package org.lambdadist.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A mistyped or missing tool name is the usage error (exit 2), as for every other command. */
class LambdaBatchDriverTest {
  @Test
  void anUnknownOrMissingToolIsAUsageError() throws Throwable {
    assertEquals(2, LambdaBatchDriver.run(new String[] {"agregate"}));
    assertEquals(2, LambdaBatchDriver.run(new String[0]));
  }
}
