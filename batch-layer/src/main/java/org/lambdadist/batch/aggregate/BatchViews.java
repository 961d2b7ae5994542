package org.lambdadist.batch.aggregate;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The batch view outputs under a root: {@code views/<version>/} (committed: it has
 * {@code _SUCCESS}), each holding the view files {@code part-r-*}, {@code quarantine/},
 * {@code views.json} (the definitions it was computed with) and {@code _coverage.json}.
 * Versions are named {@code vYYYYMMDDTHHMMSSZ}, so name order is time order.
 */
public final class BatchViews {
  public static final String SUCCESS = "_SUCCESS";
  public static final String VIEWS_SNAPSHOT = "views.json";
  public static final String COVERAGE = "_coverage.json";
  public static final String QUARANTINE_DIR = "quarantine";
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("'v'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path dir;

  public BatchViews(Configuration conf, Path root) throws IOException {
    this.fs = root.getFileSystem(conf);
    this.dir = new Path(root, "views");
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path dir() {
    return dir;
  }

  public Path tmpDir() {
    return new Path(dir, "_tmp");
  }

  public Path versionDir(String version) {
    return new Path(dir, version);
  }

  /** Committed versions in name (= time) order. */
  public List<String> committedVersions() throws IOException {
    List<String> versions = new ArrayList<>();
    if (!fs.exists(dir)) {
      return versions;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (s.isDirectory() && !n.startsWith("_") && !n.startsWith(".") && fs.exists(new Path(s.getPath(), SUCCESS))) {
        versions.add(n);
      }
    }
    versions.sort(null);
    return versions;
  }

  /** A version name for a run at {@code now} that no existing directory has. */
  public String newVersion(Instant now) throws IOException {
    String base = VERSION.format(now);
    String name = base;
    for (int i = 2; fs.exists(versionDir(name)) || fs.exists(new Path(tmpDir(), name)); i++) {
      name = base + "-" + i;
    }
    return name;
  }
}
