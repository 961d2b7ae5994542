package org.lambdadist.storage.hbase;

/**
 * What the meta table says is served: the current batch version, the epochs it covers
 * ({@code firstEpoch..lastEpoch}), the view definitions it was computed with, when it was
 * loaded, and the previous version kept for rollback (null fields when there is none).
 */
public record BatchPointer(
    String version, long firstEpoch, long lastEpoch, String viewsJson, String loadedAt,
    String previousVersion, long previousFirstEpoch, long previousLastEpoch, String previousViewsJson) {

  /** The pointer after flipping to {@code next}: this one's current becomes previous. */
  public BatchPointer flipTo(String nextVersion, long first, long last, String views, String loaded) {
    return new BatchPointer(nextVersion, first, last, views, loaded, version, firstEpoch, lastEpoch, viewsJson);
  }

  /** The pointer after a rollback: previous and current swap, so a second rollback undoes it. */
  public BatchPointer rolledBack(String loaded) {
    return new BatchPointer(previousVersion, previousFirstEpoch, previousLastEpoch, previousViewsJson, loaded,
        version, firstEpoch, lastEpoch, viewsJson);
  }
}
