package org.lambdadist.storage.hbase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceExistException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * The product's HBase tables, in the namespace {@code lambda.hbase.namespace}:
 * <ul>
 *   <li>{@code meta}: one row {@code batch} with the served batch version, its coverage, its
 *       view definitions and the previous version (family {@code m});</li>
 *   <li>{@code views_<version>}: one per loaded batch version, row key {@link RowKeyCodec},
 *       one cell {@code v:a} of row aggregate bytes, pre-split on the salt;</li>
 *   <li>{@code realtime}: the speed layer's cells, same row keys, family {@code r}, one
 *       qualifier per arrival epoch, with a TTL; family {@code s} the micro-batch sequence of
 *       each cell ({@link RealtimeStore});</li>
 *   <li>{@code attribution}: attribution results (family {@code a}), loaded with each version.</li>
 * </ul>
 * {@link #createTables} creates what is missing and changes nothing that exists.
 */
public final class HBaseSchema {
  public static final byte[] META_FAMILY = bytes("m");
  public static final byte[] VIEW_FAMILY = bytes("v");
  public static final byte[] VIEW_QUALIFIER = bytes("a");
  public static final byte[] REALTIME_FAMILY = bytes("r");
  /** Beside each realtime cell, the sequence number of the last micro-batch merged into it. */
  public static final byte[] REALTIME_SEQUENCE_FAMILY = bytes("s");
  public static final byte[] ATTRIBUTION_FAMILY = bytes("a");
  public static final String VERSION_TABLE_PREFIX = "views_";

  private final String namespace;
  private final int realtimeTtlSeconds;
  /** Regions of a new pre-split table; 0: twice the live region servers. */
  private final int regions;

  public HBaseSchema(Configuration conf) {
    this(LambdaSettings.get(conf, LambdaKeys.HBASE_NAMESPACE),
        LambdaSettings.getInt(conf, LambdaKeys.HBASE_REALTIME_TTL_SECONDS),
        LambdaSettings.getInt(conf, LambdaKeys.HBASE_REGIONS));
  }

  public HBaseSchema(String namespace, int realtimeTtlSeconds) {
    this(namespace, realtimeTtlSeconds, 0);
  }

  public HBaseSchema(String namespace, int realtimeTtlSeconds, int regions) {
    if (!namespace.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException(LambdaKeys.HBASE_NAMESPACE + " must be letters, digits and _: " + namespace);
    }
    if (regions != 0 && (regions < 0 || RowKeyCodec.SALT_BUCKETS % regions != 0)) {
      throw new IllegalArgumentException(LambdaKeys.HBASE_REGIONS + " must be 1, 2, 4, 8 or 16 (or 0: twice the"
          + " region servers): " + regions);
    }
    this.namespace = namespace;
    this.realtimeTtlSeconds = realtimeTtlSeconds;
    this.regions = regions;
  }

  /**
   * The split points of a new pre-split table: {@code lambda.hbase.regions} runs of salts, or
   * by default twice the live region servers rounded up to a power of two (at most 16). A
   * multi-key lookup reads one scan per region holding its keys, all at once; on one server
   * 16 regions made a 100-key lookup 16 scans competing for the same cores.
   */
  byte[][] splitKeys(Admin admin) throws IOException {
    int n = regions;
    if (n == 0) {
      n = regionsFor(admin.getRegionServers().size());
    }
    return RowKeyCodec.splitKeys(n);
  }

  /** Twice {@code servers}, rounded up to a power of two, between 2 and the 16 salts. */
  static int regionsFor(int servers) {
    int n = 2;
    while (n < 2 * servers && n < RowKeyCodec.SALT_BUCKETS) {
      n *= 2;
    }
    return n;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public String namespace() {
    return namespace;
  }

  public TableName meta() {
    return TableName.valueOf(namespace, "meta");
  }

  public TableName realtime() {
    return TableName.valueOf(namespace, "realtime");
  }

  public TableName attribution() {
    return TableName.valueOf(namespace, "attribution");
  }

  /** The table of one batch view version, e.g. {@code lambda:views_v20261124T093144Z}. */
  /** [A-Za-z0-9_.-]+, checked without a regex: every lookup names its version's table. */
  private static boolean isVersionName(String version) {
    if (version.isEmpty()) {
      return false;
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
          || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public TableName versionTable(String version) {
    if (!isVersionName(version)) {
      throw new IllegalArgumentException("not a batch view version name: " + version);
    }
    return TableName.valueOf(namespace, VERSION_TABLE_PREFIX + version);
  }

  /** The version of a version table, or null for another table. */
  public String versionOf(TableName table) {
    String q = table.getQualifierAsString();
    if (!table.getNamespaceAsString().equals(namespace) || !q.startsWith(VERSION_TABLE_PREFIX)) {
      return null;
    }
    return q.substring(VERSION_TABLE_PREFIX.length());
  }

  /** The descriptor of a version table (one family, one version per cell; pre-split by salt when created). */
  public TableDescriptor versionTableDescriptor(String version) {
    return TableDescriptorBuilder.newBuilder(versionTable(version))
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(VIEW_FAMILY).setMaxVersions(1)
            .setDataBlockEncoding(org.apache.hadoop.hbase.io.encoding.DataBlockEncoding.ROW_INDEX_V1).build())
        .build();
  }

  /** Creates the namespace, meta, realtime and attribution tables where missing. Idempotent. */
  public List<String> createTables(Admin admin) throws IOException {
    List<String> created = new ArrayList<>();
    try {
      admin.createNamespace(NamespaceDescriptor.create(namespace).build());
      created.add("namespace " + namespace);
    } catch (NamespaceExistException e) {
      // Already there: creating tables is idempotent by design.
    }
    create(admin, TableDescriptorBuilder.newBuilder(meta())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(META_FAMILY).setMaxVersions(1).build()).build(),
        null, created);
    create(admin, TableDescriptorBuilder.newBuilder(realtime())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(REALTIME_FAMILY)
            .setMaxVersions(1).setTimeToLive(realtimeTtlSeconds).build())
        .setColumnFamily(realtimeSequenceFamily()).build(),
        splitKeys(admin), created);
    if (!admin.getDescriptor(realtime()).hasColumnFamily(REALTIME_SEQUENCE_FAMILY)) {
      // A realtime table from before the speed layer existed: add the family, keep the cells.
      admin.addColumnFamily(realtime(), realtimeSequenceFamily());
      created.add("family s of " + realtime().getNameAsString());
    }
    create(admin, TableDescriptorBuilder.newBuilder(attribution())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(ATTRIBUTION_FAMILY).setMaxVersions(1).build()).build(),
        null, created);
    return created;
  }

  private ColumnFamilyDescriptor realtimeSequenceFamily() {
    return ColumnFamilyDescriptorBuilder.newBuilder(REALTIME_SEQUENCE_FAMILY)
        .setMaxVersions(1).setTimeToLive(realtimeTtlSeconds).build();
  }

  /** Creates a version table pre-split on the salt ({@link #splitKeys(Admin)}). */
  public void createVersionTable(Admin admin, String version) throws IOException {
    admin.createTable(versionTableDescriptor(version), splitKeys(admin));
  }

  private static void create(Admin admin, TableDescriptor descriptor, byte[][] splits, List<String> created)
      throws IOException {
    if (admin.tableExists(descriptor.getTableName())) {
      return;
    }
    try {
      if (splits == null) {
        admin.createTable(descriptor);
      } else {
        admin.createTable(descriptor, splits);
      }
      created.add("table " + descriptor.getTableName().getNameAsString());
    } catch (TableExistsException e) {
      // Created concurrently by another process: the result is the same.
    }
  }
}
