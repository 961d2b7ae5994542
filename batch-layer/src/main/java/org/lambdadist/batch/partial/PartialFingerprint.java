package org.lambdadist.batch.partial;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;

/**
 * The name of a set of partials: a digest of everything a partial's bytes depend on, so a
 * partial is reused only when recomputing it would give the same bytes. In it: the views
 * (canonical JSON: layout does not matter), the event limits, the number of reducers (the
 * partition of rows), the parser's Jackson version, and the product's code: a digest of the
 * bytecode of every {@code org.lambdadist} class on the classpath of this class and of core's
 * (the job jar, or the build's class directories). A new build of changed code therefore
 * invalidates every partial automatically; an unchanged rebuild does not, since class files
 * are a function of the source.
 */
public final class PartialFingerprint {
  /** Raised when the layout of partials changes in a way the code digest would not show. */
  static final String FORMAT = "partials-1";

  /** Relocated libraries: their version is a part of its own. */
  private static final String SHADED = "org/lambdadist/shaded/";

  private static volatile String codeDigest;

  private PartialFingerprint() {}

  /** What the fingerprint is made of, by name, for {@code _fingerprint.json}. */
  public static Map<String, String> parts(ViewCatalog views, EventLimits limits, int reducers) {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("format", FORMAT);
    parts.put("views", views.fingerprint());
    parts.put("limits", limits.toString());
    parts.put("reducers", Integer.toString(reducers));
    parts.put("jackson", EventParser.jacksonVersion());
    parts.put("code", codeDigest());
    return parts;
  }

  /** The fingerprint (32 hex digits) of these parts. */
  public static String of(Map<String, String> parts) {
    MessageDigest sha = sha256();
    for (Map.Entry<String, String> p : parts.entrySet()) {
      sha.update((p.getKey() + "=" + p.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  public static String of(ViewCatalog views, EventLimits limits, int reducers) {
    return of(parts(views, limits, reducers));
  }

  /** SHA-256 over the names and bytes of the product's classes, in name order (computed once per JVM). */
  public static String codeDigest() {
    String d = codeDigest;
    if (d == null) {
      try {
        d = digestClasses(List.of(PartialFingerprint.class, EventRules.class));
      } catch (IOException | URISyntaxException e) {
        throw new IllegalStateException("cannot read the product's classes to fingerprint them", e);
      }
      codeDigest = d;
    }
    return d;
  }

  private static String digestClasses(List<Class<?>> anchors) throws IOException, URISyntaxException {
    Set<File> locations = new LinkedHashSet<>();
    for (Class<?> c : anchors) {
      locations.add(new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }
    TreeMap<String, byte[]> classes = new TreeMap<>();
    for (File location : locations) {
      if (location.isDirectory()) {
        try (Stream<java.nio.file.Path> files = Files.walk(location.toPath())) {
          List<java.nio.file.Path> list = new ArrayList<>(files.filter(f -> f.toString().endsWith(".class")).toList());
          for (java.nio.file.Path f : list) {
            String name = location.toPath().relativize(f).toString().replace(File.separatorChar, '/');
            if (name.startsWith("org/lambdadist/") && !name.startsWith(SHADED)) {
              classes.put(name, Files.readAllBytes(f));
            }
          }
        }
      } else {
        try (JarFile jar = new JarFile(location)) {
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            String name = e.getName();
            if (name.startsWith("org/lambdadist/") && !name.startsWith(SHADED) && name.endsWith(".class")) {
              try (InputStream in = jar.getInputStream(e)) {
                classes.put(name, in.readAllBytes());
              }
            }
          }
        }
      }
    }
    MessageDigest sha = sha256();
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      sha.update(c.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(c.getValue());
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
