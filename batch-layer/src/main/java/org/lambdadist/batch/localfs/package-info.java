/**
 * The local file system as the batch tools use it when Hadoop's native library is absent (the
 * embedded defaults): without it, Hadoop sets every permission by starting a {@code chmod}
 * process, well over a thousand per aggregate, which cost seconds per command.
 */
package org.lambdadist.batch.localfs;
