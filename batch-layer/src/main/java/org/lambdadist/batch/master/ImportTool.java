package org.lambdadist.batch.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.cli.CommandLine;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options.Rename;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.batch.partial.EpochIndexes;
import org.lambdadist.batch.partial.PartialSet;
import org.lambdadist.storage.layout.EpochManifest;

/**
 * {@code import <path>…}: copies JSON-lines files (plain or gzip, detected by content) into a
 * new epoch of the master dataset. Every input is checked before anything is written; the
 * epoch is written under {@code master/_tmp/}, gets its manifest and then {@code _SUCCESS},
 * and appears by one atomic rename that fails rather than replace an existing epoch. A failure
 * at any point removes the temporary directory and leaves the master dataset as it was.
 *
 * <p>Each input file is one partition (its index in the command line's file list) and each
 * line's offset is its line number from 0; blank lines carry no event and are skipped (counted
 * in the manifest). Lines are kept byte for byte. While it copies, the other cores parse the
 * lines for the epoch's id index and projected events ({@link EpochIndexes.ImportedEpoch}), so
 * the epoch's JSON is read once; the index is committed after the epoch.
 */
public final class ImportTool extends LambdaTool {
  public static final String NAME = "import";

  private final Clock clock;

  public ImportTool() {
    this(Clock.systemUTC());
  }

  public ImportTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ImportTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "import [generic options] [--allow-duplicate] <path>... (files, directories or globs of JSON lines,"
        + " plain or gzip)";
  }

  @Override
  protected org.apache.commons.cli.Options options() {
    return new org.apache.commons.cli.Options().addOption(org.apache.commons.cli.Option.builder()
        .longOpt("allow-duplicate").desc("import a file even when an epoch already holds the same content"
            + " (its events without event_id would count twice)").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    if (cmd.getArgList().isEmpty()) {
      throw UserError.usage("no input paths given");
    }
    Configuration conf = getConf();
    List<FileStatus> inputs = resolveInputs(conf, cmd.getArgList());
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    EpochIndexes indexes = null;
    Exception noIndexes = null;
    try {
      indexes = PartialSet.indexes(conf, master, err);
    } catch (Exception e) {
      noIndexes = e; // the import goes on; its index is left to the first aggregate (said below)
    }
    Imported result = importFiles(conf, master, inputs, cmd.hasOption("allow-duplicate"), indexes);
    err.printf("imported %,d records (%,d blank lines skipped) from %d file(s) into epoch %d: %s%n",
        result.result().records(), result.result().blankLines(), inputs.size(), result.result().epoch(),
        master.epochDir(result.result().epoch()));
    if (noIndexes != null) {
      PartialSet.leftToFirstAggregate(result.result().epoch(), noIndexes, err);
    } else { // from what was parsed while copying, else from the committed files
      PartialSet.indexCommittedEpoch(conf, master, result.result().epoch(), err, result.indexing());
    }
    return 0;
  }

  /** What an import wrote. */
  public record Result(long epoch, long records, long blankLines) {}

  /** What an import wrote, and its records as parsed while they were copied (null: not parsed). */
  record Imported(Result result, EpochIndexes.ImportedEpoch indexing) {}

  /** Expands the arguments to readable files, failing on the first that is missing or unreadable. */
  static List<FileStatus> resolveInputs(Configuration conf, List<String> args) throws UserError, IOException {
    List<FileStatus> files = new ArrayList<>();
    for (String arg : args) {
      Path p = new Path(arg);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new UserError("input path does not exist: " + arg);
      }
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          List<FileStatus> inDir = new ArrayList<>();
          for (FileStatus f : fs.listStatus(m.getPath())) {
            String n = f.getPath().getName();
            if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
              inDir.add(f);
            }
          }
          if (inDir.isEmpty()) {
            throw new UserError("input directory has no files: " + m.getPath());
          }
          inDir.sort(null);
          files.addAll(inDir);
        } else {
          files.add(m);
        }
      }
    }
    for (FileStatus f : files) {
      try (InputStream in = f.getPath().getFileSystem(conf).open(f.getPath())) {
        in.read();
      } catch (IOException e) {
        throw new UserError("cannot read input " + f.getPath() + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  /**
   * Writes the inputs as a new committed epoch; on any failure nothing is left behind. Unless
   * {@code allowDuplicate}, an input whose content (decompressed) some committed epoch already
   * holds is refused: a rerun after an ambiguous failure must not count events twice.
   */
  Imported importFiles(Configuration conf, MasterDataset master, List<FileStatus> inputs, boolean allowDuplicate,
                       EpochIndexes indexes) throws UserError, IOException {
    FileSystem fs = master.fileSystem();
    long epoch = master.nextEpoch();
    long now = clock.millis();
    Path tmp = new Path(master.tmpDir(), DataLayout.epochDirectoryName(epoch) + "." + now);
    if (!fs.mkdirs(tmp)) {
      throw new IOException("cannot create " + tmp);
    }
    boolean committed = false;
    boolean handedOver = false;
    EpochIndexes.ImportedEpoch indexing = null;
    try {
      // The records are parsed for the epoch's index on the other cores while they are copied;
      // when that cannot start, the import goes on and its index is built after the commit.
      if (indexes != null) {
        try {
          indexing = indexes.importing(epoch);
        } catch (IOException | RuntimeException e) {
          err.println("epoch " + epoch + ": cannot parse while importing (" + e + "); its index is built after the commit");
        }
      }
      CompressionCodec codec = MasterDataset.codec(conf);
      int maxLine = LambdaSettings.getInt(conf, LambdaKeys.IMPORT_MAX_LINE_BYTES);
      List<EpochManifest.FileEntry> entries = new ArrayList<>();
      long records = 0;
      long blank = 0;
      for (int partition = 0; partition < inputs.size(); partition++) {
        FileStatus input = inputs.get(partition);
        String file = String.format("part-%05d.seq", partition);
        EpochManifest.FileEntry entry = copy(conf, input, new Path(tmp, file), file, partition, epoch, now, codec, maxLine,
            indexing);
        entries.add(entry);
        records += entry.records();
        blank += entry.blankLines();
      }
      if (records == 0) {
        throw new UserError("the input holds no events (" + blank + " blank lines); no epoch was written");
      }
      if (!allowDuplicate) {
        refuseImportedContent(master, entries);
      }
      EpochManifest manifest = new EpochManifest(epoch, Instant.ofEpochMilli(now).toString(), "import", records, entries, null);
      try (OutputStream out = fs.create(new Path(tmp, MasterDataset.MANIFEST), false)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, manifest);
      }
      fs.create(new Path(tmp, MasterDataset.SUCCESS), false).close();
      try {
        FileContext.getFileContext(fs.getUri(), conf).rename(tmp, master.epochDir(epoch), Rename.NONE);
      } catch (FileAlreadyExistsException e) {
        throw new UserError("epoch " + epoch + " was created by another writer meanwhile; nothing was imported, run again", e);
      }
      committed = true;
      master.markCommitted();
      handedOver = true;
      return new Imported(new Result(epoch, records, blank), indexing);
    } finally {
      try {
        if (indexing != null && !handedOver) {
          indexing.close();
        }
      } finally {
        if (!committed) {
          fs.delete(tmp, true);
        }
      }
    }
  }

  /** Fails when a committed epoch (or another input of this import) holds the content of one of {@code entries}. */
  private static void refuseImportedContent(MasterDataset master, List<EpochManifest.FileEntry> entries)
      throws UserError, IOException {
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (long e : master.committedEpochs()) {
      for (EpochManifest.FileEntry f : master.manifest(e).files()) {
        if (f.contentSha256() != null) {
          seen.putIfAbsent(f.contentSha256(), f.origin() + " (epoch " + e + ")");
        }
      }
    }
    for (EpochManifest.FileEntry f : entries) {
      String before = seen.putIfAbsent(f.contentSha256(), f.origin() + " (this import)");
      if (before != null) {
        throw new UserError("input " + f.origin() + " has the same content as " + before + " (sha256 "
            + f.contentSha256().substring(0, 16) + "…); nothing was imported. Importing it again would count its events"
            + " without event_id twice; give --allow-duplicate if that is what you want");
      }
    }
  }

  private static EpochManifest.FileEntry copy(Configuration conf, FileStatus input, Path out, String file, int partition,
                                              long epoch, long arrival, CompressionCodec codec, int maxLine,
                                              EpochIndexes.ImportedEpoch indexing)
      throws UserError, IOException {
    long records = 0;
    long blank = 0;
    long lineNo = 0;
    long first = -1;
    long last = -1;
    ArrivedEventWritable record = new ArrivedEventWritable();
    java.security.MessageDigest digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (SequenceFile.Writer writer = SequenceFile.createWriter(conf,
        SequenceFile.Writer.file(out),
        SequenceFile.Writer.keyClass(NullWritable.class),
        SequenceFile.Writer.valueClass(ArrivedEventWritable.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.BLOCK, codec))) {
      try (InputStream in = new java.security.DigestInputStream(open(input.getPath().getFileSystem(conf)
          .open(input.getPath())), digest)) {
        LineSplitter lines = new LineSplitter(in, maxLine);
        if (indexing != null) {
          indexing.beginFile();
        }
        for (; lines.next(); lineNo++) {
          if (lines.isBlank()) {
            blank++;
            continue;
          }
          record.set(epoch, partition, lineNo, arrival, lines.line(), lines.length());
          writer.append(NullWritable.get(), record);
          if (indexing != null) {
            indexing.add(partition, lineNo, lines.line(), 0, lines.length());
          }
          records++;
          if (first < 0) {
            first = lineNo;
          }
          last = lineNo;
        }
        if (indexing != null) {
          indexing.endFile();
        }
      } catch (LineSplitter.LineTooLongException e) {
        throw new UserError("input " + input.getPath() + " line " + (lineNo + 1) + ": " + e.getMessage()
            + " (" + LambdaKeys.IMPORT_MAX_LINE_BYTES + "); nothing was imported", e);
      } catch (IOException e) {
        throw new UserError("cannot read input " + input.getPath() + " after line " + lineNo + ": " + e.getMessage()
            + " (a corrupt or truncated gzip file?); nothing was imported", e);
      }
    }
    return new EpochManifest.FileEntry(file, partition, input.getPath().toString(), records, first, last, blank,
        input.getLen(), java.util.HexFormat.of().formatHex(digest.digest()));
  }

  /** Decompresses gzip input, recognised by its magic bytes rather than its name. */
  private static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }
}
