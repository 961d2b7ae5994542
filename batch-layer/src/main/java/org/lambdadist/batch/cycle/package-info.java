/**
 * The batch cycle: archive → aggregate → attribute → load (the flip), one step after the
 * other under a lock in HBase meta, the unit that Oozie and cron schedule.
 */
package org.lambdadist.batch.cycle;
