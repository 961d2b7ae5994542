package org.lambdadist.batch.dedup;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.lambdadist.batch.master.ArrivalPositionWritable;

/**
 * The job that finds the later copies of every event id over master files: only
 * (id, arrival position) pairs cross the shuffle ({@link DuplicateIdMapper}), and the reducer
 * writes the positions of every copy but the first arrival ({@link DuplicateIdReducer}).
 * Mappers that skip those copies read them through {@link DuplicatePositions} from the
 * directory named by {@link #DUPLICATES_DIR}.
 */
public final class DuplicatesJob {
  /** Where a job's mappers find the positions of later copies. */
  public static final String DUPLICATES_DIR = "lambda.internal.duplicates.dir";

  private DuplicatesJob() {}

  public static Job create(Configuration conf, List<Path> inputs, Path output, int reducers, String name)
      throws IOException {
    Job job = Job.getInstance(conf, name);
    job.setJarByClass(DuplicatesJob.class);
    job.setInputFormatClass(SequenceFileInputFormat.class);
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    job.setMapperClass(DuplicateIdMapper.class);
    job.setMapOutputKeyClass(Text.class);
    job.setMapOutputValueClass(ArrivalPositionWritable.class);
    job.setReducerClass(DuplicateIdReducer.class);
    job.setNumReduceTasks(reducers);
    job.setOutputKeyClass(ArrivalPositionWritable.class);
    job.setOutputValueClass(NullWritable.class);
    job.setOutputFormatClass(SequenceFileOutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);
    return job;
  }
}
