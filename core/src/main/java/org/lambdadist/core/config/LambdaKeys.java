package org.lambdadist.core.config;

/**
 * Setting names with their defaults beside them. {@code lambda-default.xml} (in this jar)
 * documents each one; keep the two in step.
 */
public final class LambdaKeys {
  private LambdaKeys() {}

  /** Root of the master dataset and batch views, on the default file system. */
  public static final String ROOT = "lambda.root";
  public static final String ROOT_DEFAULT = "./lambda-data";

  /** The views and attribution definitions. */
  public static final String VIEWS_FILE = "lambda.views.file";
  public static final String VIEWS_FILE_DEFAULT = "conf/views.json";

  /** Size limit of one event record in bytes; larger records are rejected as TOO_LARGE. */
  public static final String EVENT_MAX_BYTES = "lambda.event.max-bytes";
  public static final int EVENT_MAX_BYTES_DEFAULT = 64 * 1024;

  /** Reduce tasks of the aggregate job. */
  public static final String AGGREGATE_REDUCERS = "lambda.aggregate.reducers";
  public static final int AGGREGATE_REDUCERS_DEFAULT = 2;

  /** Rows held by one task's in-memory aggregation before it flushes partial aggregates. */
  public static final String AGGREGATE_FLUSH_ROWS = "lambda.aggregate.flush-rows";
  public static final int AGGREGATE_FLUSH_ROWS_DEFAULT = 200_000;

  /** Longest input line import accepts; a longer line fails the import (nothing is written). */
  public static final String IMPORT_MAX_LINE_BYTES = "lambda.import.max-line-bytes";
  public static final int IMPORT_MAX_LINE_BYTES_DEFAULT = 64 * 1024 * 1024;

  /** Compression codec class of master dataset files. */
  public static final String MASTER_CODEC = "lambda.master.codec";
  public static final String MASTER_CODEC_DEFAULT = "org.apache.hadoop.io.compress.DefaultCodec";
}
