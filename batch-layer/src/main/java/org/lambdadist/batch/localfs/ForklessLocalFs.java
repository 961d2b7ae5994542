package org.lambdadist.batch.localfs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.local.LocalConfigKeys;

/**
 * {@link ForklessLocalFileSystem} for {@code FileContext}: Hadoop's {@code LocalFs} (checksummed,
 * over the raw local file system) with its raw file system replaced by the forkless one. Every
 * commit of the batch tools renames through {@code FileContext} (a rename that fails rather than
 * replace), and Hadoop's {@code LocalFs} reads the link status of both paths of a rename by
 * starting a {@code readlink} process: ten per {@code import}, four per {@code aggregate}. This
 * class mirrors {@code LocalFs} and {@code RawLocalFs}, whose constructors are not public.
 */
public final class ForklessLocalFs extends ChecksumFs {
  static final String FS_ABSTRACT_FILE_IMPL = "fs.AbstractFileSystem.file.impl";

  /** The constructor {@code AbstractFileSystem.createFileSystem} calls. */
  public ForklessLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(new Raw(uri, conf));
  }

  /** As Hadoop's {@code RawLocalFs}, over {@link ForklessLocalFileSystem.Raw}. */
  static final class Raw extends DelegateToFileSystem {
    Raw(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new ForklessLocalFileSystem.Raw(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1; // no default port for file:///
    }

    @Override
    @Deprecated
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true; // as RawLocalFs: the operating system decides
    }
  }
}
