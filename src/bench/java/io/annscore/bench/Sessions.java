package io.annscore.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/** The one way every run of the benchmark makes its session, so that all methods get the same settings. */
final class Sessions {
    private static final Pattern LOCAL_CORES = Pattern.compile("local\\[(\\d+)(,\\d+)?]");

    private Sessions() {
    }

    /**
     * A session on {@code master} (normally {@code local[2]}) with the UI off (no port to find or
     * share with other applications on the machine), loopback addresses, UTC, and in local mode
     * as many shuffle partitions as cores (for the small metric aggregations; 200 empty tasks
     * would only add start-up).
     */
    static SparkSession create(String master, String appName) {
        SparkSession.Builder builder = SparkSession.builder()
                .master(master)
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC");
        Matcher local = LOCAL_CORES.matcher(master);
        if (local.matches()) {
            builder.config("spark.sql.shuffle.partitions", local.group(1));
        }
        return builder.getOrCreate();
    }

}
