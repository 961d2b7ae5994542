package org.lambdadist.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's rules stay layered: no engine class anywhere, events and attribution below views (no
 * package cycle), read from the imports of the sources.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/org/lambdadist/core");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.\\w+;", Pattern.MULTILINE);
  /** What each package may not import (besides engines, which none may). */
  private static final Map<String, Set<String>> FORBIDDEN = Map.of(
      "event", Set.of("view", "attribution", "aggregate", "render", "codec", "merge", "rules"),
      "attribution", Set.of("view", "aggregate", "render", "codec", "merge", "rules"),
      "time", Set.of("view", "attribution", "aggregate", "render", "codec", "merge", "rules"),
      "config", Set.of("view", "attribution", "aggregate", "render", "codec", "merge", "rules", "event"));

  @Test
  void noEngineImportsAndNoCyclesBetweenTheRules() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String imported = m.group(1);
          if (imported.matches("org\\.apache\\.(hadoop|spark|hbase|kafka).*")) {
            violations.add(f + " imports " + imported);
          }
          if (imported.startsWith("org.lambdadist.core.")) {
            String target = imported.substring("org.lambdadist.core.".length()).split("\\.")[0];
            if (FORBIDDEN.getOrDefault(pkg, Set.of()).contains(target)) {
              violations.add(f + " (" + pkg + ") imports " + imported);
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
