/**
 * Integration tests that need real engines: the batch tools end to end on the LocalJobRunner
 * and on a real HDFS (MiniDFSCluster), checked against core's plain-collections oracle.
 */
package org.lambdadist.it;
