package org.lambdadist.storage.layout;

import org.apache.hadoop.fs.Path;

/**
 * Every path under the data root ({@code lambda.root}), in one place:
 * <pre>
 *   master/                       the immutable master dataset ({@link MasterDataset})
 *     epoch=N/                    one arrival epoch: data files, _manifest.json, _SUCCESS
 *     _tmp/                       epochs being written (renamed into place when committed)
 *     _SUCCESS                    the dataset's done-flag for schedulers
 *   views/                        batch view versions ({@link BatchViews})
 *     vYYYYMMDDTHHMMSSZ/          part-r-*, quarantine/, views.json, _coverage.json, _duplicates/, _SUCCESS
 *     _tmp/                       versions being computed
 *   partials/                     per-epoch partial results ({@link Partials}), derived, never authoritative
 *     FINGERPRINT/                one set per (views, limits, reducers, code) fingerprint
 *       epoch=N/index/            the epoch's id index: ids, skip, _SUCCESS
 *       epoch=N/rows/             the epoch's partial view rows: part-r-*, quarantine/, _counters.json, _SUCCESS
 *       _tmp/                     partials being written
 *   attribution/                  attribution outputs, one directory per batch version
 *     _tmp/
 *   speed/checkpoint/             the speed layer's Spark checkpoint (unless lambda.speed.checkpoint)
 * </pre>
 * A directory whose name starts with {@code _} or {@code .} is never a dataset; a job's work
 * is under a {@code _tmp} directory until its commit renames it into place.
 */
public final class DataLayout {
  public static final String SUCCESS = "_SUCCESS";
  public static final String TMP = "_tmp";

  private final Path root;

  public DataLayout(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path master() {
    return new Path(root, "master");
  }

  /** The directory name of an epoch ({@code epoch=N}); {@link org.lambdadist.core.epoch.EpochChain#epochOfDirectory} reads it back. */
  public static String epochDirectoryName(long epoch) {
    return "epoch=" + epoch;
  }

  public Path masterEpoch(long epoch) {
    return new Path(master(), epochDirectoryName(epoch));
  }

  public Path masterTmp() {
    return new Path(master(), TMP);
  }

  public Path views() {
    return new Path(root, "views");
  }

  public Path viewsTmp() {
    return new Path(views(), TMP);
  }

  public Path partials() {
    return new Path(root, "partials");
  }

  public Path attribution() {
    return new Path(root, "attribution");
  }

  public Path attributionVersion(String version) {
    return new Path(attribution(), version);
  }

  /** The work directory of a job writing {@code target}: under its parent's {@code _tmp}, unique per run. */
  public static Path workDir(Path target, String runId) {
    return new Path(new Path(target.getParent(), TMP), target.getName() + "." + runId);
  }

  /** The default checkpoint directory of the speed layer (as a string: the speed layer runs on Spark's Hadoop). */
  public static String speedCheckpoint(String root) {
    return root + "/speed/checkpoint";
  }
}
