package io.annscore.job.tables;

import io.annscore.job.JobConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Whether an existing table's columns are those the job writes, compared by name and type (not nullability). */
public final class TableSchemas {
    private TableSchemas() {
    }

    /**
     * Refuses a table whose columns differ from {@code expected}, naming the first column that does
     * not fit.
     *
     * @param table how the message names the table, e.g. "the Delta table at out/p (output.path)"
     */
    public static void check(String table, StructType expected, StructType actual) {
        Map<String, StructField> have = new LinkedHashMap<>();
        for (StructField f : actual.fields()) {
            have.put(f.name().toLowerCase(java.util.Locale.ROOT), f);
        }
        for (StructField want : expected.fields()) {
            StructField found = have.remove(want.name().toLowerCase(java.util.Locale.ROOT));
            if (found == null) {
                throw new JobConfigException(table + " has no column " + want.name() + " (" + want.dataType().catalogString()
                        + "), which this job writes; write to a new table, or add the column");
            }
            if (!found.dataType().catalogString().equals(want.dataType().catalogString())) {
                throw new JobConfigException(table + " has column " + want.name() + " of type "
                        + found.dataType().catalogString() + ", this job writes " + want.dataType().catalogString());
            }
        }
        if (!have.isEmpty()) {
            StructField extra = have.values().iterator().next();
            throw new JobConfigException(table + " has column " + extra.name() + " (" + extra.dataType().catalogString()
                    + "), which this job does not write; write to a new table, or drop the column");
        }
    }
}
