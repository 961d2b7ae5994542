package org.lambdadist.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;

/** The shipped {@code conf/views.json}, found from any module's working directory. */
public final class ClickstreamViews {
  private ClickstreamViews() {}

  /** The repository's {@code conf/} directory. */
  public static Path confDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path conf = dir.resolve("conf").resolve("views.json");
      if (Files.isRegularFile(conf) && Files.isDirectory(dir.resolve("core"))) {
        return dir.resolve("conf");
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no conf/views.json above " + Path.of("").toAbsolutePath());
  }

  public static ViewCatalog catalog() {
    Path file = confDir().resolve("views.json");
    try {
      return ViewCatalog.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ViewDefinitionException e) {
      throw new IllegalStateException(e);
    }
  }
}
