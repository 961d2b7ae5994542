package org.lambdadist.storage.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.storage.UserError;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The batch view outputs under a root: {@code views/<version>/} (committed: it has
 * {@code _SUCCESS}), each holding the view files {@code part-r-*}, {@code quarantine/},
 * {@code views.json} (the definitions it was computed with), {@code _coverage.json} and
 * {@code _duplicates/} (positions of later copies of events, reused by {@code attribute}).
 * Versions are named {@code vYYYYMMDDTHHMMSSZ}, so name order is time order.
 */
public final class BatchViews {
  public static final String SUCCESS = DataLayout.SUCCESS;
  public static final String VIEWS_SNAPSHOT = "views.json";
  public static final String COVERAGE = "_coverage.json";
  public static final String QUARANTINE_DIR = "quarantine";
  /** The positions of later copies of events in the version's epochs (aggregate's job 1). */
  public static final String DUPLICATES_DIR = "_duplicates";
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("'v'yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final FileSystem fs;
  private final Path dir;

  public BatchViews(Configuration conf, Path root) throws IOException {
    this.fs = root.getFileSystem(conf);
    this.dir = new DataLayout(root).views();
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path dir() {
    return dir;
  }

  public Path tmpDir() {
    return new Path(dir, DataLayout.TMP);
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

  /**
   * The committed batch view directory a command names: {@code input} (an aggregate
   * {@code --output}), else {@code version} under {@code <root>/views}, else the latest.
   */
  public static Path resolve(Configuration conf, String version, String input) throws UserError, IOException {
    if (version != null && input != null) {
      throw UserError.usage("give --version or --input, not both");
    }
    Path dir;
    if (input != null) {
      dir = new Path(input);
    } else {
      BatchViews views = new BatchViews(conf, LambdaSettings.root(conf));
      List<String> versions = views.committedVersions();
      if (version == null) {
        if (versions.isEmpty()) {
          throw new UserError("no committed batch view under " + views.dir() + "; run aggregate first");
        }
        version = versions.get(versions.size() - 1);
      } else if (!versions.contains(version)) {
        throw new UserError("no committed batch view version '" + version + "' under " + views.dir()
            + " (versions: " + String.join(", ", versions) + ")");
      }
      dir = views.versionDir(version);
    }
    FileSystem fs = dir.getFileSystem(conf);
    dir = fs.makeQualified(dir);
    if (!fs.exists(new Path(dir, SUCCESS))) {
      throw new UserError(dir + " is not a committed batch view (no " + SUCCESS + ")");
    }
    return dir;
  }

  /** The view definitions a batch view was computed with. */
  public static ViewCatalog snapshot(FileSystem fs, Path dir) throws UserError, IOException {
    Path file = new Path(dir, VIEWS_SNAPSHOT);
    try (InputStream in = fs.open(file)) {
      return ViewCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
    } catch (java.io.FileNotFoundException e) {
      throw new UserError(dir + " has no " + VIEWS_SNAPSHOT + " snapshot", e);
    } catch (ViewDefinitionException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The epochs a batch view covers, from its {@code _coverage.json}. */
  public static List<Long> coveredEpochs(FileSystem fs, Path dir) throws UserError, IOException {
    try (InputStream in = fs.open(new Path(dir, COVERAGE))) {
      JsonNode epochs = new ObjectMapper().readTree(in).get("epochs");
      List<Long> list = new ArrayList<>();
      if (epochs != null) {
        epochs.forEach(e -> list.add(e.asLong()));
      }
      if (list.isEmpty()) {
        throw new UserError(dir + "/" + COVERAGE + " names no epochs");
      }
      return list;
    } catch (java.io.FileNotFoundException e) {
      throw new UserError(dir + " has no " + COVERAGE, e);
    }
  }

  /**
   * The set of per-epoch partials a batch view was merged from ({@code partials} in its
   * {@code _coverage.json}, a {@code partials/<fingerprint>} directory), or null when its
   * coverage names none (a version written before partials existed).
   */
  public static Path partialsDir(FileSystem fs, Path dir) throws UserError, IOException {
    try (InputStream in = fs.open(new Path(dir, COVERAGE))) {
      String partials = new ObjectMapper().readTree(in).path("partials").asText(null);
      return partials == null || partials.isEmpty() ? null : new Path(partials);
    } catch (java.io.FileNotFoundException e) {
      throw new UserError(dir + " has no " + COVERAGE, e);
    }
  }
}
