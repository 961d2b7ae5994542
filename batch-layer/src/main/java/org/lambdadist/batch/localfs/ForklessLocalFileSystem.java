package org.lambdadist.batch.localfs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.NativeCodeLoader;

/**
 * Hadoop's checksummed local file system with permissions set through {@code java.nio} rather
 * than a {@code chmod} process per file and directory, and link status read without a
 * {@code readlink} process for paths that are not links. Same files, same permissions, same
 * checksums; only the process launches are gone. Used for {@code file:} by the batch tools when
 * jobs run locally and Hadoop's native library is not loaded (with it, Hadoop makes no process
 * either); a setting of {@code fs.file.impl} of your own wins. A directory with the setgid bit
 * is left to Hadoop's {@code chmod} (which keeps the bit).
 */
public final class ForklessLocalFileSystem extends LocalFileSystem {
  static final String FS_FILE_IMPL = "fs.file.impl";

  public ForklessLocalFileSystem() {
    super(new Raw());
  }

  /**
   * Makes {@code file:} paths of this configuration use this class (and {@link ForklessLocalFs}
   * through {@code FileContext}), unless Hadoop's native library is loaded or the configuration
   * names its own implementation (each setting on its own).
   */
  public static void useFor(Configuration conf) {
    // Local jobs only: a job on a cluster must not name a class in its configuration that its
    // tasks would have to find (and a cluster's nodes have the native library).
    if (!org.lambdadist.batch.LambdaConfiguration.isLocal(conf) || NativeCodeLoader.isNativeCodeLoaded()) {
      return;
    }
    if (conf.get(FS_FILE_IMPL) == null) {
      conf.set(FS_FILE_IMPL, ForklessLocalFileSystem.class.getName(), "lambda: no native Hadoop library");
    }
    if (isDefault(conf, ForklessLocalFs.FS_ABSTRACT_FILE_IMPL)) {
      conf.set(ForklessLocalFs.FS_ABSTRACT_FILE_IMPL, ForklessLocalFs.class.getName(), "lambda: no native Hadoop library");
    }
  }

  /** Unset, or set by Hadoop's {@code core-default.xml} alone (which names {@code LocalFs} for {@code file:}). */
  private static boolean isDefault(Configuration conf, String key) {
    if (conf.get(key) == null) {
      return true;
    }
    String[] sources = conf.getPropertySources(key);
    return sources != null && sources.length == 1 && "core-default.xml".equals(sources[0]);
  }

  /** The raw local file system with forkless permissions and link status. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      if (permission.getStickyBit()) {
        super.setPermission(p, permission); // java.nio cannot set it
        return;
      }
      File file = pathToFile(p);
      if (file.isDirectory() && hasSetgid(file)) {
        super.setPermission(p, permission); // chmod keeps a directory's setgid bit; java.nio would clear it
        return;
      }
      Files.setPosixFilePermissions(file.toPath(), posix(permission.toShort()));
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      if (!Files.isSymbolicLink(pathToFile(f).toPath())) {
        return getFileStatus(f); // what Hadoop returns for a path that is not a link
      }
      return super.getFileLinkStatus(f);
    }

    private static boolean hasSetgid(File dir) throws IOException {
      Object mode = Files.getAttribute(dir.toPath(), "unix:mode");
      return mode instanceof Integer m && (m & 02000) != 0;
    }

    static Set<PosixFilePermission> posix(short mode) {
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      PosixFilePermission[] order = {
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
      for (int i = 0; i < order.length; i++) {
        if ((mode & (1 << (8 - i))) != 0) {
          set.add(order[i]);
        }
      }
      return set;
    }
  }
}
