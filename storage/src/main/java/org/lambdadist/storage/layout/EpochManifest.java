package org.lambdadist.storage.layout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code _manifest.json} of an epoch: where each data file's records came from (an imported
 * file, or later a Kafka partition's offset range) and how many there are. Written before
 * {@code _SUCCESS}; the record of what the epoch holds.
 */
public record EpochManifest(
    @JsonProperty("epoch") long epoch,
    @JsonProperty("created") String created,
    @JsonProperty("source") String source,
    @JsonProperty("records") long records,
    @JsonProperty("files") List<FileEntry> files,
    @JsonProperty("offset_ranges") @JsonInclude(JsonInclude.Include.NON_NULL) List<OffsetRange> offsetRanges) {

  /** An epoch of Kafka records: exactly offsets {@code [from, until)} of one partition. */
  public record OffsetRange(
      @JsonProperty("topic") String topic,
      @JsonProperty("partition") int partition,
      @JsonProperty("from") long from,
      @JsonProperty("until") long until) {}

  /** One data file: its partition's origin and the offsets it holds, {@code [first, last]}. */
  public record FileEntry(
      @JsonProperty("file") String file,
      @JsonProperty("partition") int partition,
      @JsonProperty("origin") String origin,
      @JsonProperty("records") long records,
      @JsonProperty("first_offset") long firstOffset,
      @JsonProperty("last_offset") long lastOffset,
      @JsonProperty("blank_lines") long blankLines,
      @JsonProperty("input_bytes") long inputBytes,
      @JsonProperty("content_sha256") @JsonInclude(JsonInclude.Include.NON_NULL) String contentSha256) {

    /** An entry without a content digest (Kafka epochs, and imports written before digests). */
    public FileEntry(String file, int partition, String origin, long records, long firstOffset, long lastOffset,
                     long blankLines, long inputBytes) {
      this(file, partition, origin, records, firstOffset, lastOffset, blankLines, inputBytes, null);
    }
  }
}
