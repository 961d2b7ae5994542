package org.lambdadist.batch.partial;

import java.io.File;
import java.io.IOException;
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
 * name, size and CRC-32 of every {@code org.lambdadist} class file on the classpath of this
 * class and of core's (the job jar, or the build's class directories). A new build of changed code therefore
 * invalidates every partial automatically; an unchanged rebuild does not, since class files
 * are a function of the source.
 */
public final class PartialFingerprint {
  /** Raised when the layout of partials changes in a way the code digest would not show. */
  static final String FORMAT = "partials-2";

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

  /**
   * The digest of every product class by its name, size and CRC-32. From a jar these come from
   * its central directory, so no class is read or inflated: hashing the bytes of the job jar's
   * 1,400 classes took about 180 ms of every batch command's start (now about 80 ms). From a
   * class directory (a build's tests) the CRC-32 is computed from each file.
   */
  private static String digestClasses(List<Class<?>> anchors) throws IOException, URISyntaxException {
    Set<File> locations = new LinkedHashSet<>();
    for (Class<?> c : anchors) {
      locations.add(new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }
    TreeMap<String, long[]> classes = new TreeMap<>(); // name -> {size, crc}
    for (File location : locations) {
      if (location.isDirectory()) {
        try (Stream<java.nio.file.Path> files = Files.walk(location.toPath())) {
          List<java.nio.file.Path> list = new ArrayList<>(files.filter(f -> f.toString().endsWith(".class")).toList());
          for (java.nio.file.Path f : list) {
            String name = location.toPath().relativize(f).toString().replace(File.separatorChar, '/');
            if (isProductClass(name)) {
              byte[] bytes = Files.readAllBytes(f);
              java.util.zip.CRC32 crc = new java.util.zip.CRC32();
              crc.update(bytes);
              classes.put(name, new long[] {bytes.length, crc.getValue()});
            }
          }
        }
      } else {
        try (JarFile jar = new JarFile(location)) {
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            if (isProductClass(e.getName())) {
              if (e.getSize() < 0 || e.getCrc() < 0) {
                throw new IOException(location + " does not record the size and CRC-32 of " + e.getName());
              }
              classes.put(e.getName(), new long[] {e.getSize(), e.getCrc()});
            }
          }
        }
      }
    }
    MessageDigest sha = sha256();
    java.nio.ByteBuffer numbers = java.nio.ByteBuffer.allocate(16);
    for (Map.Entry<String, long[]> c : classes.entrySet()) {
      sha.update(c.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      numbers.clear();
      numbers.putLong(c.getValue()[0]).putLong(c.getValue()[1]);
      sha.update(numbers.array());
    }
    return HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static boolean isProductClass(String name) {
    return name.startsWith("org/lambdadist/") && !name.startsWith(SHADED) && name.endsWith(".class");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
