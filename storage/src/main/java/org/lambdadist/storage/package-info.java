/**
 * Storage shared by the three layers and owned by none: the HBase tables and stores
 * ({@code hbase}), the layout of the data root ({@code layout}) and the settings bootstrap every
 * entry point uses ({@code settings}).
 */
package org.lambdadist.storage;
