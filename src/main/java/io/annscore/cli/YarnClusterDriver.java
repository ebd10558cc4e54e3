package io.annscore.cli;

import org.apache.spark.SparkUserAppException;

/**
 * The end of a run whose driver is a YARN application master's user class (spark-submit --master
 * yarn --deploy-mode cluster). There, System.exit from the driver, even System.exit(0), fires the
 * master's shutdown hook before it has reported a final status: YARN records the application as
 * FAILED ("Shutdown hook called before final status was reported") and starts another attempt. So
 * the driver returns from main on success, and on failure throws the exception through which the
 * application master reports "User application exited with status N". Kept apart from
 * {@link Main} so that commands which never start Spark do not load Spark's classes.
 */
final class YarnClusterDriver {
    private YarnClusterDriver() {
    }

    /** True in the JVM of a YARN cluster-mode driver (the application master sets both properties). */
    static boolean isCurrent() {
        return System.getProperty("spark.master", "").startsWith("yarn")
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Returns for exit code 0; otherwise fails the application with the code. */
    static void finish(int code) throws SparkUserAppException {
        if (code != ExitCode.OK.code()) {
            throw new SparkUserAppException(code, null);
        }
    }
}
