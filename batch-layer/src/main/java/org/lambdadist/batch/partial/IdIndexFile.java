package org.lambdadist.batch.partial;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The {@code ids} file of an epoch's index: the event ids the epoch is the first to hold, in
 * (64-bit hash, id bytes) order, laid out so the check of a later epoch streams only the
 * hashes: the magic {@code LID1}, the count (long), then per id its hash and the end offset of
 * its bytes (two longs), then every id's UTF-8 bytes back to back. An id's bytes are read only
 * when its hash matches, so a collision of hashes never merges two ids.
 */
public final class IdIndexFile {
  static final byte[] MAGIC = {'L', 'I', 'D', '1'};
  static final int HEADER = MAGIC.length + Long.BYTES;

  private IdIndexFile() {}

  private static final java.lang.invoke.VarHandle LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /** The ids a file is written from, by their number in it. */
  interface Ids {
    int count();

    int length(int i);

    /** Copies id {@code i}'s bytes to {@code to} at {@code at}. */
    void copyTo(int i, byte[] to, int at);
  }

  /** Writes {@code ids}, given sorted by ({@link EventIds#hash}, bytes), {@code hashes} their hashes. */
  static void write(FileSystem fs, Path file, long[] hashes, Ids ids) throws IOException {
    int count = ids.count();
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(fs.create(file, false), 1 << 16))) {
      out.write(MAGIC);
      out.writeLong(count);
      // The (hash, end) pairs go through one array a block at a time, big-endian as writeLong
      // writes them: two synchronized stream calls per id were most of writing a million.
      byte[] block = new byte[16 * 4096];
      int at = 0;
      long end = 0;
      for (int i = 0; i < count; i++) {
        end += ids.length(i);
        LONG.set(block, at, hashes[i]);
        LONG.set(block, at + 8, end);
        at += 16;
        if (at == block.length) {
          out.write(block, 0, at);
          at = 0;
        }
      }
      out.write(block, 0, at);
      // The ids likewise, a block at a time: a stream call per id (a million of them, on the
      // import's main thread while the partial rows are folded) took about a second.
      at = 0;
      for (int i = 0; i < count; i++) {
        int length = ids.length(i);
        if (at + length > block.length) {
          out.write(block, 0, at);
          at = 0;
        }
        if (length > block.length) {
          byte[] id = new byte[length];
          ids.copyTo(i, id, 0);
          out.write(id);
        } else {
          ids.copyTo(i, block, at);
          at += length;
        }
      }
      out.write(block, 0, at);
    }
  }

  /** A sequential reader of the hashes, with random access to an id's bytes. */
  public static final class Reader implements AutoCloseable {
    private final DataInputStream hashes;
    private final FSDataInputStream bytes;
    private final long count;
    private final Path file;
    private long next;
    private long hash;
    private long start;
    private long end;

    public Reader(FileSystem fs, Path file) throws IOException {
      this.file = file;
      this.bytes = fs.open(file);
      this.hashes = new DataInputStream(new java.io.BufferedInputStream(fs.open(file), 1 << 16));
      byte[] magic = new byte[MAGIC.length];
      try {
        hashes.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
          throw new IOException(file + " is not an id index (bad magic)");
        }
        count = hashes.readLong();
      } catch (EOFException e) {
        close();
        throw new IOException(file + " is not an id index (too short)", e);
      } catch (IOException e) {
        close();
        throw e;
      }
    }

    public long count() {
      return count;
    }

    /** Moves to the next id; false at the end. */
    public boolean next() throws IOException {
      if (next == count) {
        return false;
      }
      hash = hashes.readLong();
      start = end;
      end = hashes.readLong();
      next++;
      return true;
    }

    public long hash() {
      return hash;
    }

    /** The current id's bytes. */
    public byte[] id() throws IOException {
      long length = end - start;
      if (length < 0 || length > Integer.MAX_VALUE) {
        throw new IOException(file + " is corrupt (id of " + length + " bytes)");
      }
      byte[] b = new byte[(int) length];
      bytes.readFully(HEADER + count * 2 * Long.BYTES + start, b);
      return b;
    }

    @Override
    public void close() throws IOException {
      try {
        hashes.close();
      } finally {
        bytes.close();
      }
    }
  }
}
