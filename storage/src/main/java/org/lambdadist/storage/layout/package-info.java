/**
 * Where everything lives under the data root: the immutable master dataset (one directory per
 * arrival epoch, committed by manifest and {@code _SUCCESS}), the batch view versions and the
 * attribution outputs.
 */
package org.lambdadist.storage.layout;
