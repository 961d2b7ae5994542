package org.lambdadist.storage.layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One set of per-epoch partial results under {@code <root>/partials/<fingerprint>/}: for each
 * committed epoch of the master dataset, its id index ({@code epoch=N/index/}: the ids it is the
 * first to hold and the positions of its records that are later copies) and its partial view
 * rows ({@code epoch=N/rows/}). The fingerprint names everything the content depends on (views,
 * event limits, reducers, code), so a set is never stale: a change makes a new set. Each part is
 * visible only once complete ({@code _SUCCESS}, then an atomic rename from {@code _tmp/}); a
 * partial is derived data and may be deleted at any time when no aggregate runs.
 */
public final class Partials {
  public static final String SUCCESS = DataLayout.SUCCESS;
  public static final String INDEX = "index";
  public static final String ROWS = "rows";
  /** The sorted ids an epoch is the first to hold. */
  public static final String IDS_FILE = "ids";
  /** The positions of an epoch's records that are later copies of an event. */
  public static final String SKIP_FILE = "skip";
  /** Per-epoch counters of the rows' computation. */
  public static final String COUNTERS = "_counters.json";
  /** What went into the fingerprint, for people. */
  public static final String DESCRIPTION = "_fingerprint.json";
  public static final String QUARANTINE_DIR = "quarantine";

  private final FileSystem fs;
  private final Path set;
  private final String fingerprint;

  public Partials(Configuration conf, Path root, String fingerprint) throws IOException {
    this.fs = root.getFileSystem(conf);
    this.fingerprint = fingerprint;
    this.set = fs.makeQualified(new Path(new DataLayout(root).partials(), fingerprint));
  }

  /** The set at {@code dir} (a {@code partials/<fingerprint>} directory, as a version's coverage names it). */
  public static Partials at(Configuration conf, Path dir) throws IOException {
    return new Partials(conf, dir.getParent().getParent(), dir.getName());
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public Path dir() {
    return set;
  }

  public Path tmpDir() {
    return new Path(set, DataLayout.TMP);
  }

  public Path epochDir(long epoch) {
    return new Path(set, DataLayout.epochDirectoryName(epoch));
  }

  public Path indexDir(long epoch) {
    return new Path(epochDir(epoch), INDEX);
  }

  public Path rowsDir(long epoch) {
    return new Path(epochDir(epoch), ROWS);
  }

  public boolean hasIndex(long epoch) throws IOException {
    return fs.exists(new Path(indexDir(epoch), SUCCESS));
  }

  public boolean hasRows(long epoch) throws IOException {
    return fs.exists(new Path(rowsDir(epoch), SUCCESS));
  }

  /** The fingerprints of every set under {@code root}, in name order. */
  public static List<String> fingerprints(Configuration conf, Path root) throws IOException {
    Path dir = new DataLayout(root).partials();
    FileSystem fs = dir.getFileSystem(conf);
    List<String> names = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus s : fs.listStatus(dir)) {
        String n = s.getPath().getName();
        if (s.isDirectory() && !n.startsWith("_") && !n.startsWith(".")) {
          names.add(n);
        }
      }
    }
    names.sort(null);
    return names;
  }
}
