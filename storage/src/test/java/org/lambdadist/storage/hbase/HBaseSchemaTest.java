package org.lambdadist.storage.hbase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;

class HBaseSchemaTest {
  @Test
  void regionsByDefaultAreTwiceTheServersRoundedUpToAPowerOfTwoWithinTheSalts() {
    assertEquals(2, HBaseSchema.regionsFor(0));
    assertEquals(2, HBaseSchema.regionsFor(1));
    assertEquals(4, HBaseSchema.regionsFor(2));
    assertEquals(8, HBaseSchema.regionsFor(3));
    assertEquals(8, HBaseSchema.regionsFor(4));
    assertEquals(16, HBaseSchema.regionsFor(5));
    assertEquals(16, HBaseSchema.regionsFor(200));
  }

  @Test
  void aNumberOfRegionsThatDoesNotDivideTheSaltsIsRefusedAtOnce() {
    Configuration conf = LambdaSettings.create();
    conf.setInt(LambdaKeys.HBASE_REGIONS, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HBaseSchema(conf));
    assertEquals("lambda.hbase.regions must be 1, 2, 4, 8 or 16 (or 0: twice the region servers): 3", e.getMessage());
    conf.setInt(LambdaKeys.HBASE_REGIONS, 4);
    new HBaseSchema(conf);
  }
}
