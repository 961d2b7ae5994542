package org.lambdadist.batch.localfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForklessLocalFileSystemTest {

  @Test
  void setsThePermissionsHadoopWouldAndKeepsChecksums(@TempDir Path tmp) throws Exception {
    Configuration conf = new Configuration();
    conf.set("fs.permissions.umask-mode", "022");
    ForklessLocalFileSystem fs = new ForklessLocalFileSystem();
    fs.initialize(java.net.URI.create("file:///"), conf);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "a/b");
    assertTrue(fs.mkdirs(dir, new FsPermission((short) 0777)));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b"))),
        "the umask applies, as in Hadoop");
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "f");
    try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b/f"))));
    assertTrue(Files.exists(tmp.resolve("a/b/.f.crc")), "still a checksummed file system");
    fs.setPermission(file, new FsPermission((short) 0604));
    assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b/f"))));

    FileStatus link = fs.getFileLinkStatus(file);
    assertFalse(link.isSymlink());
    assertEquals(5, link.getLen());
    Files.createSymbolicLink(tmp.resolve("a/b/l"), tmp.resolve("a/b/f"));
    org.apache.hadoop.fs.Path l = new org.apache.hadoop.fs.Path(dir, "l");
    org.apache.hadoop.fs.RawLocalFileSystem hadoops = new org.apache.hadoop.fs.RawLocalFileSystem();
    hadoops.initialize(java.net.URI.create("file:///"), conf);
    assertEquals(hadoops.getFileLinkStatus(l).isSymlink(), fs.getFileLinkStatus(l).isSymlink(), "links answered by Hadoop itself");
    byte[] back = new byte[5];
    try (var in = fs.open(file)) {
      in.readFully(back);
    }
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), back);
  }

  @Test
  void isUsedForFileUrisOnlyWhenNothingElseIsConfigured() {
    Configuration conf = new Configuration(false);
    ForklessLocalFileSystem.useFor(conf);
    assertEquals(ForklessLocalFileSystem.class.getName(), conf.get("fs.file.impl"), "no native library in the build");
    assertEquals(ForklessLocalFs.class.getName(), conf.get("fs.AbstractFileSystem.file.impl"));
    Configuration defaults = new Configuration();
    ForklessLocalFileSystem.useFor(defaults);
    assertEquals(ForklessLocalFs.class.getName(), defaults.get("fs.AbstractFileSystem.file.impl"),
        "core-default.xml's LocalFs is replaced");
    Configuration cluster = new Configuration(false);
    cluster.set("mapreduce.framework.name", "yarn");
    ForklessLocalFileSystem.useFor(cluster);
    assertEquals(null, cluster.get("fs.file.impl"), "never named in a job that runs on a cluster");
    Configuration own = new Configuration(false);
    own.set("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
    ForklessLocalFileSystem.useFor(own);
    assertEquals("org.apache.hadoop.fs.LocalFileSystem", own.get("fs.file.impl"));
    own.set("fs.AbstractFileSystem.file.impl", "org.apache.hadoop.fs.local.LocalFs");
    ForklessLocalFileSystem.useFor(own);
    assertEquals("org.apache.hadoop.fs.local.LocalFs", own.get("fs.AbstractFileSystem.file.impl"), "a setting of its own wins");
  }

  /** A rename through FileContext, as every commit does: checksums move along, a target is never replaced. */
  @Test
  void fileContextRenamesAsHadoopsLocalFsDoes(@TempDir Path tmp) throws Exception {
    Configuration conf = new Configuration(false);
    ForklessLocalFileSystem.useFor(conf);
    org.apache.hadoop.fs.FileContext fc = org.apache.hadoop.fs.FileContext.getFileContext(java.net.URI.create("file:///"), conf);
    assertEquals(ForklessLocalFs.class, fc.getDefaultFileSystem().getClass());
    org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "from");
    org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(tmp.toUri().toString(), "to");
    org.apache.hadoop.fs.FileSystem fs = from.getFileSystem(conf);
    try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(from, "f"), false)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    fc.rename(from, to, org.apache.hadoop.fs.Options.Rename.NONE);
    assertTrue(Files.exists(tmp.resolve("to/f")));
    assertTrue(Files.exists(tmp.resolve("to/.f.crc")));
    assertFalse(Files.exists(tmp.resolve("from")));
    fs.mkdirs(from);
    org.junit.jupiter.api.Assertions.assertThrows(org.apache.hadoop.fs.FileAlreadyExistsException.class,
        () -> fc.rename(from, to, org.apache.hadoop.fs.Options.Rename.NONE));
    assertTrue(Files.exists(tmp.resolve("to/f")), "the target is left as it was");
  }
}
