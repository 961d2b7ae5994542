package org.lambdadist.speed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.core.dedup.DedupWindow;
import org.lambdadist.core.dedup.EventFingerprint;
import org.lambdadist.core.dedup.FingerprintTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup window's state partitions held by this JVM, and their files. Each micro-batch's
 * task for state partition {@code h} of {@code P} writes the ids it kept to
 * {@code <lambda.speed.checkpoint>/dedup/partition-<h>-of-<P>/batch-<sequence>-at-<millis>.ids}
 * (written whole, then renamed) before the micro-batch commits, and deletes the files the window
 * has passed. The window stays in memory between micro-batches; when it is not there or not at
 * the previous micro-batch (a new JVM after a crash, another executor ran the partition last) it is
 * read again from the files, which hold exactly what every committed micro-batch kept: so after a
 * crash, a restart, or a move to another executor the same copies are duplicates as without one.
 *
 * <p>A file: {@code LDI1}, the sequence and time (longs), the count (int), the fingerprints (two
 * longs each), a CRC32 of the fingerprints (int). A damaged file stops the partition with a message
 * naming it (deleting it lets the speed layer go on, missing the duplicates of the ids it held).
 * Files of another partition count (after {@code lambda.speed.dedup.partitions} changed) are read
 * too, keeping this partition's ids, and deleted once the window has passed them.
 */
final class DedupStates {
  private static final Logger LOG = LoggerFactory.getLogger(DedupStates.class);
  private static final int MAGIC = 0x4c444931; // "LDI1"
  private static final Pattern DIR = Pattern.compile("partition-(\\d+)-of-(\\d+)");
  private static final Pattern FILE = Pattern.compile("batch-(\\d+)-at-(-?\\d+)\\.ids");
  /** A file a crash left half written: never read, deleted like the others once the window has passed it. */
  private static final Pattern PARTIAL = Pattern.compile("\\.batch-(\\d+)-at-(-?\\d+)\\.ids\\.tmp");
  private static final ConcurrentHashMap<String, Partition> LIVE = new ConcurrentHashMap<>();

  private DedupStates() {}

  /** State partition {@code index} of {@code partitions} of these settings' state directory, in this JVM. */
  static Partition of(SpeedSettings settings, int index, int partitions) {
    return LIVE.computeIfAbsent(settings.checkpoint + "|" + index + "/" + partitions,
        k -> new Partition(settings, index, partitions));
  }

  /** Forgets this JVM's windows (the speed layer stopped): the next start reads them from the files. */
  static void forgetAll() {
    LIVE.clear();
  }

  /** The directory of the dedup files. */
  static Path root(SpeedSettings settings) {
    return new Path(settings.checkpoint, "dedup");
  }

  /** A state file: its path, micro-batch, time and the partition count it was written under. */
  private record IdsFile(Path path, long sequence, long time, int partitions) {}

  /** One state partition: its window, lock it while deciding a micro-batch. */
  static final class Partition {
    private final SpeedSettings settings;
    private final int index;
    private final int partitions;
    private DedupWindow window;
    private FileSystem fs;
    /** The files of this partition (and of other layouts) as of the last load and the writes since. */
    private final List<IdsFile> known = new ArrayList<>();

    private Partition(SpeedSettings settings, int index, int partitions) {
      this.settings = settings;
      this.index = index;
      this.partitions = partitions;
    }

    /**
     * The window, begun for micro-batch {@code sequence} at {@code timeMillis}: the one in memory
     * when it is at the previous micro-batch or at this one (run again), else read from the files.
     */
    synchronized DedupWindow begin(long sequence, long timeMillis) throws IOException {
      if (window == null || (window.sequence() != sequence && window.sequence() != sequence - 1)) {
        window = load(sequence, timeMillis);
      }
      window.begin(sequence, timeMillis);
      return window;
    }

    /**
     * Writes what micro-batch {@code sequence} kept (the window's current ids) and deletes the
     * files the window has passed, from what this partition knows of its files: no listing per
     * micro-batch.
     */
    synchronized void persist(long sequence, long timeMillis) throws IOException {
      FileSystem fs = fs();
      Path dir = new Path(root(settings), "partition-" + index + "-of-" + partitions);
      Path file = new Path(dir, "batch-" + sequence + "-at-" + timeMillis + ".ids");
      FingerprintTable ids = window.current();
      // Whatever an interrupted run of this micro-batch left (under another time, too) goes first.
      for (java.util.Iterator<IdsFile> it = known.iterator(); it.hasNext();) {
        IdsFile f = it.next();
        if (f.sequence() == sequence && f.partitions() == partitions) {
          fs.delete(f.path(), false);
          it.remove();
        }
      }
      if (ids.size() > 0) {
        write(fs, dir, file, sequence, timeMillis, ids);
        known.add(new IdsFile(file, sequence, timeMillis, partitions));
      }
      long horizon = window.horizon(timeMillis);
      for (java.util.Iterator<IdsFile> it = known.iterator(); it.hasNext();) {
        IdsFile f = it.next();
        // Another layout's files are this partition's to delete only if it is partition 0.
        if (f.time() < horizon && (f.partitions() == partitions || index == 0)) {
          fs.delete(f.path(), false);
          it.remove();
        }
      }
    }

    private static void write(FileSystem fs, Path dir, Path file, long sequence, long timeMillis, FingerprintTable ids)
        throws IOException {
      Path tmp = new Path(dir, "." + file.getName() + ".tmp");
      java.io.File localTmp = local(fs, tmp);
      // Locally through java.nio: Hadoop's local file system forks a chmod for every file it creates.
      if (localTmp != null) {
        java.nio.file.Files.createDirectories(localTmp.toPath().getParent());
      }
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(localTmp != null
          ? java.nio.file.Files.newOutputStream(localTmp.toPath()) : fs.create(tmp, true), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeLong(sequence);
        out.writeLong(timeMillis);
        out.writeInt(ids.size());
        CRC32 crc = new CRC32();
        byte[] pair = new byte[16];
        IOException[] failed = {null};
        ids.forEach((high, low) -> {
          for (int i = 0; i < 8; i++) {
            pair[i] = (byte) (high >>> (56 - 8 * i));
            pair[8 + i] = (byte) (low >>> (56 - 8 * i));
          }
          crc.update(pair);
          try {
            out.write(pair);
          } catch (IOException e) {
            failed[0] = e;
          }
        });
        if (failed[0] != null) {
          throw failed[0];
        }
        out.writeInt((int) crc.getValue());
      }
      if (localTmp != null) {
        java.nio.file.Files.move(localTmp.toPath(), local(fs, file).toPath(),
            java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else if (!fs.rename(tmp, file)) {
        throw new IOException("cannot rename " + tmp + " to " + file);
      }
    }

    /** The local file of a path on the local file system, else null. */
    private static java.io.File local(FileSystem fs, Path path) {
      return fs instanceof org.apache.hadoop.fs.RawLocalFileSystem raw ? raw.pathToFile(path) : null;
    }

    /** The window as the files of micro-batches before {@code sequence} within the window at {@code timeMillis} hold it. */
    private DedupWindow load(long sequence, long timeMillis) throws IOException {
      DedupWindow loaded = new DedupWindow(settings.dedupWindowMillis);
      long horizon = loaded.horizon(timeMillis);
      List<IdsFile> files = new ArrayList<>();
      known.clear();
      FileSystem fs = fs();
      for (FileStatus d : list(fs, root(settings))) {
        Matcher dm = DIR.matcher(d.getPath().getName());
        if (!d.isDirectory() || !dm.matches()) {
          continue;
        }
        int p = Integer.parseInt(dm.group(2));
        if (p == partitions && Integer.parseInt(dm.group(1)) != index) {
          continue; // another partition's ids, under this layout
        }
        for (FileStatus f : list(fs, d.getPath())) {
          Matcher fm = FILE.matcher(f.getPath().getName());
          Matcher partial = PARTIAL.matcher(f.getPath().getName());
          if (fm.matches()) {
            IdsFile file = new IdsFile(f.getPath(), Long.parseLong(fm.group(1)), Long.parseLong(fm.group(2)), p);
            known.add(file);
            if (file.sequence() < sequence && file.time() >= horizon) {
              files.add(file);
            }
          } else if (partial.matches()) {
            known.add(new IdsFile(f.getPath(), Long.parseLong(partial.group(1)), Long.parseLong(partial.group(2)), p));
          }
        }
      }
      files.sort(Comparator.comparingLong(IdsFile::sequence));
      long ids = 0;
      long begun = -1;
      for (IdsFile f : files) {
        if (f.sequence() != begun) { // a micro-batch's files of another layout share its sequence
          loaded.begin(f.sequence(), f.time());
          begun = f.sequence();
        }
        ids += read(fs, f.path(), loaded, f.partitions() == partitions);
      }
      LOG.info("dedup state partition {} of {}: read {} ids of {} files from {}", index, partitions, ids,
          files.size(), root(settings));
      return loaded;
    }

    /**
     * Remembers the file's ids in the window's current micro-batch: all of them ({@code all}: the
     * file is this partition's), or those falling in this partition (a file of another layout).
     */
    private long read(FileSystem fs, Path path, DedupWindow into, boolean all) throws IOException {
      long n = 0;
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(fs.open(path), 1 << 16))) {
        if (in.readInt() != MAGIC) {
          throw damaged(path, "not a dedup state file");
        }
        in.readLong();
        in.readLong();
        int count = in.readInt();
        CRC32 crc = new CRC32();
        byte[] pair = new byte[16];
        for (int i = 0; i < count; i++) {
          in.readFully(pair);
          crc.update(pair);
          long high = 0;
          long low = 0;
          for (int b = 0; b < 8; b++) {
            high = (high << 8) | (pair[b] & 0xFF);
            low = (low << 8) | (pair[8 + b] & 0xFF);
          }
          if (all || EventFingerprint.partitionOf(high, partitions) == index) {
            into.remember(high, low);
            n++;
          }
        }
        if (in.readInt() != (int) crc.getValue()) {
          throw damaged(path, "its checksum does not match");
        }
      } catch (java.io.EOFException e) {
        throw damaged(path, "it ends early");
      }
      return n;
    }

    private static IOException damaged(Path path, String why) {
      return new IOException("the dedup state file " + path + " is damaged (" + why + "): delete it to go on; the"
          + " speed layer then counts again later copies of the ids it held, until the batch layer covers them");
    }

    private static List<FileStatus> list(FileSystem fs, Path dir) throws IOException {
      try {
        return List.of(fs.listStatus(dir));
      } catch (java.io.FileNotFoundException e) {
        return List.of();
      }
    }

    private FileSystem fs() throws IOException {
      if (fs == null) {
        FileSystem f = root(settings).getFileSystem(settings.hadoopConf());
        // Locally, no checksum side files: each state file carries its own CRC.
        fs = f instanceof LocalFileSystem local ? local.getRaw() : f;
      }
      return fs;
    }
  }
}
