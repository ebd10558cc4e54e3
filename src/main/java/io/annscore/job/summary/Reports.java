package io.annscore.job.summary;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/** Reading what a report shows from the tables, and writing it. */
public final class Reports {
    public static final String FILE = "report.html";

    private Reports() {
    }

    /** A summary row as column → value (Spark's values: Row for structs, Seq for arrays, Map for maps). */
    public static Map<String, Object> values(Row row, StructType schema) {
        Map<String, Object> m = new LinkedHashMap<>();
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], row.get(i));
        }
        return m;
    }

    public static Map<String, Object> values(Row row) {
        return values(row, row.schema());
    }

    /** The job's run rows (no segment rows) in the summary table, oldest first; empty when there is none. */
    public static List<Map<String, Object>> runs(SparkSession spark, String summaryPath, String summaryTable, String jobName) {
        List<Row> rows = StoredTables.query(spark, summaryPath, summaryTable, jobName, null, "summary",
                t -> t.where(functions.col("segment").isNull()).collectAsList(), List.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(values(r));
        }
        out.sort(Comparator.comparing((Map<String, Object> m) -> ((Date) m.get("run_date")).toLocalDate())
                .thenComparing(m -> String.valueOf(m.get("end_time"))));
        return out;
    }

    /** The segment rows of one run of the job. */
    public static List<Map<String, Object>> segments(SparkSession spark, String summaryPath, String summaryTable,
                                                     String jobName, LocalDate date) {
        List<Row> rows = StoredTables.query(spark, summaryPath, summaryTable, jobName, date, "summary",
                t -> t.where(functions.col("segment").isNotNull()).orderBy("segment").collectAsList(), List.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(values(r));
        }
        return out;
    }

    /**
     * The trend: the job's latest {@code n} runs before {@code date} from the summary table, then this
     * run's row (a re-run of a date replaces that date's row).
     */
    public static List<Map<String, Object>> history(SparkSession spark, String summaryPath, String summaryTable,
                                                    String jobName, LocalDate date, Map<String, Object> current, int n) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> r : runs(spark, summaryPath, summaryTable, jobName)) {
            if (!((Date) r.get("run_date")).toLocalDate().equals(date)) {
                all.add(r);
            }
        }
        all.add(current);
        all.sort(Comparator.comparing((Map<String, Object> m) -> ((Date) m.get("run_date")).toLocalDate()));
        return all.size() > n ? new ArrayList<>(all.subList(all.size() - n, all.size())) : all;
    }

    /** Writes {@code html} as {@code folder/report.html}. */
    public static Path write(Configuration conf, Path folder, String html) throws IOException {
        Path file = new Path(folder, FILE);
        FileSystem fs = file.getFileSystem(conf);
        fs.mkdirs(folder);
        try (OutputStream out = fs.create(file, true)) {
            out.write(html.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
