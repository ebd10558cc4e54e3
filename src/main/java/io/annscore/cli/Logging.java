package io.annscore.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Log levels the command line can change (Spark logs through Log4j 2). */
final class Logging {
    private Logging() {
    }

    /** --debug: our own classes at DEBUG; Spark stays as conf/log4j2.properties sets it. */
    static void debug() {
        Configurator.setLevel("io.annscore", Level.DEBUG);
        Configurator.setLevel("org.apache.spark.executor.Executor", Level.INFO);
        Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.WARN);
    }
}
