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
  /** An index's files of projected events, {@code events-<n>.seq}, one per master file. */
  public static final String EVENTS_PREFIX = "events-";
  public static final String EVENTS_SUFFIX = ".seq";
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

  /**
   * Removes a directory of this set at once: renamed into {@code _tmp} first, so that no reader
   * ever sees it half deleted (a merge reading it fails its completeness check instead).
   */
  public void discard(Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return;
    }
    fs.mkdirs(tmpDir());
    Path trash = new Path(tmpDir(), "discarded." + java.util.UUID.randomUUID());
    if (fs.rename(dir, trash)) {
      fs.delete(trash, true);
    } else if (fs.exists(dir)) {
      throw new IOException("cannot remove " + dir);
    }
  }

  /**
   * Moves a finished directory (holding {@code _SUCCESS}) into place by one atomic rename. A
   * complete directory already there is another run's identical result and is kept; an
   * incomplete one (left by a crash) is replaced.
   */
  public void commit(Configuration conf, Path finished, Path target) throws IOException {
    org.apache.hadoop.fs.FileContext context = org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), conf);
    for (int attempt = 0; ; attempt++) {
      try {
        context.rename(finished, target, org.apache.hadoop.fs.Options.Rename.NONE);
        return;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        if (fs.exists(new Path(target, SUCCESS))) {
          return;
        }
        if (attempt > 0) {
          throw e;
        }
        discard(target);
      }
    }
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
