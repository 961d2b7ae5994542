package org.lambdadist.storage.layout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.core.epoch.EpochChain;

/**
 * The layout of the master dataset under a root: {@code master/epoch=<n>/} for committed
 * epochs (those with {@code _SUCCESS}), {@code master/_tmp/} for epochs being written, and
 * {@code master/_SUCCESS}, the dataset's done-flag, written after each commit (the Oozie
 * coordinator's input dataset waits for it).
 */
public final class MasterDataset {
  public static final String SUCCESS = DataLayout.SUCCESS;
  public static final String MANIFEST = "_manifest.json";

  private final FileSystem fs;
  private final DataLayout layout;
  private final Path master;

  /**
   * The codec of the master dataset's block-compressed files and of the batch's per-epoch
   * files derived from them ({@code lambda.master.codec}).
   */
  public static org.apache.hadoop.io.compress.CompressionCodec codec(Configuration conf) {
    return org.apache.hadoop.util.ReflectionUtils.newInstance(conf.getClass(
        org.lambdadist.core.config.LambdaKeys.MASTER_CODEC, org.apache.hadoop.io.compress.DefaultCodec.class,
        org.apache.hadoop.io.compress.CompressionCodec.class), conf);
  }

  public MasterDataset(Configuration conf, Path root) throws IOException {
    this.fs = root.getFileSystem(conf);
    this.layout = new DataLayout(root);
    this.master = layout.master();
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path dir() {
    return master;
  }

  public Path epochDir(long epoch) {
    return layout.masterEpoch(epoch);
  }

  public Path tmpDir() {
    return layout.masterTmp();
  }

  /** Every epoch directory, committed or not, in epoch order. */
  public List<Long> allEpochs() throws IOException {
    TreeSet<Long> epochs = new TreeSet<>();
    if (!fs.exists(master)) {
      return new ArrayList<>();
    }
    for (FileStatus s : fs.listStatus(master)) {
      long epoch = EpochChain.epochOfDirectory(s.getPath().getName());
      if (s.isDirectory() && epoch >= 0) {
        epochs.add(epoch);
      }
    }
    return new ArrayList<>(epochs);
  }

  /** The epochs whose {@code _SUCCESS} exists, in epoch order: the only ones jobs read. */
  public List<Long> committedEpochs() throws IOException {
    List<Long> committed = new ArrayList<>();
    for (long e : allEpochs()) {
      if (fs.exists(new Path(epochDir(e), SUCCESS))) {
        committed.add(e);
      }
    }
    return committed;
  }

  /** The number a new epoch gets: one past every existing epoch directory ({@link EpochChain#nextEpoch}). */
  public long nextEpoch() throws IOException {
    return EpochChain.nextEpoch(allEpochs());
  }

  /**
   * Writes the dataset's done-flag {@code master/_SUCCESS} once an epoch is committed, if it
   * is not there yet: it says "the master dataset holds committed epochs", for schedulers
   * (the Oozie coordinator's input dataset). Never rewritten, like everything in the master
   * dataset; jobs read each epoch's own {@code _SUCCESS}.
   */
  public void markCommitted() throws IOException {
    Path flag = new Path(master, SUCCESS);
    if (!fs.exists(flag)) {
      try {
        fs.create(flag, false).close();
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        // another writer committed an epoch at the same time: the flag is there, as wanted
      }
    }
  }

  /** The manifest of a committed epoch. */
  public EpochManifest manifest(long epoch) throws IOException {
    try (java.io.InputStream in = fs.open(new Path(epochDir(epoch), MANIFEST))) {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .readValue(in, EpochManifest.class);
    }
  }

  /** The data files of a committed epoch, in name order (a local file system lists them in any order). */
  public List<Path> dataFiles(long epoch) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus s : fs.listStatus(epochDir(epoch))) {
      String n = s.getPath().getName();
      if (s.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
        files.add(s.getPath());
      }
    }
    files.sort(null);
    return files;
  }
}
