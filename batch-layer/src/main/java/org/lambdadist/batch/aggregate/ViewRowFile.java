package org.lambdadist.batch.aggregate;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.WritableUtils;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/**
 * A batch view file: the magic {@code LVR1}, then records of (vint length, view key bytes,
 * vint length, aggregate bytes) in key order. Unlike a SequenceFile (whose header carries a
 * random sync marker) the same rows always give the same bytes, which makes reruns
 * byte-identical. Files are read whole; {@code load} turns them into HFiles.
 */
public final class ViewRowFile {
  static final byte[] MAGIC = {'L', 'V', 'R', '1'};
  public static final String PREFIX = "part-";

  private ViewRowFile() {}

  /** Writes the reduce output of job 2. */
  public static class OutputFormat extends FileOutputFormat<BytesWritable, BytesWritable> {
    @Override
    public RecordWriter<BytesWritable, BytesWritable> getRecordWriter(TaskAttemptContext context) throws IOException {
      Path file = getDefaultWorkFile(context, "");
      Writer writer = new Writer(file.getFileSystem(context.getConfiguration()), file);
      return new RecordWriter<>() {
        @Override
        public void write(BytesWritable key, BytesWritable value) throws IOException {
          writer.append(key.getBytes(), key.getLength(), value.getBytes(), value.getLength());
        }

        @Override
        public void close(TaskAttemptContext ctx) throws IOException {
          writer.close();
        }
      };
    }
  }

  /** Writes one view file; rows must come in key order. */
  public static final class Writer implements AutoCloseable {
    private final java.io.DataOutputStream out;

    public Writer(FileSystem fs, Path file) throws IOException {
      out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(fs.create(file, false), 1 << 16));
      out.write(MAGIC);
    }

    public void append(byte[] key, int keyLength, byte[] value, int valueLength) throws IOException {
      WritableUtils.writeVInt(out, keyLength);
      out.write(key, 0, keyLength);
      WritableUtils.writeVInt(out, valueLength);
      out.write(value, 0, valueLength);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Reads view files whole (one split per file) as (view key bytes, aggregate bytes). */
  public static class InputFormat extends FileInputFormat<BytesWritable, BytesWritable> {
    @Override
    protected boolean isSplitable(JobContext context, Path file) {
      return false;
    }

    @Override
    public RecordReader<BytesWritable, BytesWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
      return new RecordReader<>() {
        private Reader reader;
        private final BytesWritable key = new BytesWritable();
        private final BytesWritable value = new BytesWritable();
        private long rows;

        @Override
        public void initialize(InputSplit s, TaskAttemptContext ctx) throws IOException {
          Path file = ((FileSplit) s).getPath();
          reader = new Reader(file.getFileSystem(ctx.getConfiguration()), file);
        }

        @Override
        public boolean nextKeyValue() throws IOException {
          Row row = reader.next();
          if (row == null) {
            return false;
          }
          key.set(row.key(), 0, row.key().length);
          value.set(row.value(), 0, row.value().length);
          rows++;
          return true;
        }

        @Override
        public BytesWritable getCurrentKey() {
          return key;
        }

        @Override
        public BytesWritable getCurrentValue() {
          return value;
        }

        @Override
        public float getProgress() {
          return rows == 0 ? 0f : 0.5f;
        }

        @Override
        public void close() throws IOException {
          if (reader != null) {
            reader.close();
          }
        }
      };
    }
  }

  /** A record: view key bytes and aggregate bytes. */
  public record Row(byte[] key, byte[] value) {}

  /** Sequential reader of one view file. */
  public static final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private final Path path;

    public Reader(FileSystem fs, Path path) throws IOException {
      this.path = path;
      this.in = new DataInputStream(new java.io.BufferedInputStream(fs.open(path), 1 << 16));
      byte[] magic = new byte[MAGIC.length];
      try {
        in.readFully(magic);
      } catch (EOFException e) {
        in.close();
        throw new IOException(path + " is not a view file (too short)", e);
      }
      if (!Arrays.equals(magic, MAGIC)) {
        in.close();
        throw new IOException(path + " is not a view file (bad magic)");
      }
    }

    /** The next row, or null at the end of the file. */
    public Row next() throws IOException {
      int keyLength;
      try {
        keyLength = WritableUtils.readVInt(in);
      } catch (EOFException e) {
        return null;
      }
      try {
        byte[] key = readBytes(keyLength);
        byte[] value = readBytes(WritableUtils.readVInt(in));
        return new Row(key, value);
      } catch (EOFException e) {
        throw new IOException(path + " is truncated", e);
      }
    }

    private byte[] readBytes(int n) throws IOException {
      if (n < 0 || n > (64 << 20)) {
        throw new IOException(path + " is corrupt: record length " + n);
      }
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The view files of an aggregate output directory, in name order. */
  public static List<Path> files(FileSystem fs, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isFile() && s.getPath().getName().startsWith(PREFIX)) {
        files.add(s.getPath());
      }
    }
    files.sort(null);
    return files;
  }
}
