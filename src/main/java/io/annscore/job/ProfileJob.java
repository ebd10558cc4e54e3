package io.annscore.job;

import io.annscore.job.rows.ModelPayload;
import io.annscore.job.summary.Profiles;
import io.annscore.metrics.ColumnProfiles;
import io.annscore.model.ModelFile;
import io.annscore.model.ModelFormatException;
import io.annscore.network.Scorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.Tuple2;

/**
 * {@code ./submit.sh profile}: the profile of a table's feature columns (the training data, say),
 * and, given the network, of its outputs on those rows, written as a profile file that a job names
 * as its drift reference ({@code drift.reference-profile}).
 *
 * <p>Two passes: the first keeps {@link ColumnProfiles}' bottom-k sample and takes the bins from its
 * quantiles, exactly as the first run of a job does; the second counts every row on those bins, so
 * the file's histograms are exact. A row is profiled when all the columns hold a number (and, with
 * the network, all its outputs are finite, as a scored row of a job); a column's {@code missing}
 * counts the rows where it is null, empty, not a number or not finite. The outputs are the network's
 * in float64, as a job writes them (probabilities for a classifier). The partials merge in partition
 * order.
 */
public final class ProfileJob {
    private final SparkSession spark;

    public ProfileJob(SparkSession spark) {
        this.spark = spark;
    }

    /** Profiles {@code columns} of {@code table} on {@code bins} bins (from quantiles) and writes the file {@code out}. */
    public List<Profiles.Entry> run(Dataset<Row> table, List<String> columns, int bins, String out, String source)
            throws IOException {
        return run(table, columns, columns, null, bins, out, source);
    }

    /**
     * Profiles the columns {@code columns} of {@code table} as the features {@code features} (the
     * same order; a feature is read from the column a job's {@code input.column-mapping} names), and
     * with {@code modelFile} (an annscore model file's bytes; null for none) the network's outputs
     * on every profiled row, named {@code output_0 …}; writes the file {@code out}.
     */
    public List<Profiles.Entry> run(Dataset<Row> table, List<String> columns, List<String> features, byte[] modelFile,
                                    int bins, String out, String source) throws IOException {
        for (String c : columns) {
            if (!List.of(table.columns()).contains(c)) {
                throw new InputException("the input has no column '" + c + "' (columns: " + String.join(", ", table.columns())
                        + ")");
            }
        }
        List<Column> select = new ArrayList<>();
        for (String c : columns) {
            select.add(functions.col("`" + c.replace("`", "``") + "`").cast(DataTypes.DoubleType).as(c));
        }
        JavaRDD<Row> rows = table.select(select.toArray(new Column[0])).javaRDD();
        int n = columns.size();
        Broadcast<ModelPayload> model = null;
        int outputs = 0;
        if (modelFile != null) {
            outputs = network(ModelPayload.of(modelFile)).outputSize();
            model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ModelPayload.of(modelFile));
        }
        spark.sparkContext().setJobDescription("annscore profile: choose the bins");
        ColumnProfiles sampled = pass(rows, n, outputs, model, null);
        List<ColumnProfiles.Column> first = sampled.columns(bins);
        double[][] edges = new double[n + outputs][];
        for (int c = 0; c < n + outputs; c++) {
            edges[c] = first.get(c).edges();
        }
        spark.sparkContext().setJobDescription("annscore profile: count the rows");
        ColumnProfiles counted = pass(rows, n, outputs, model, edges);
        spark.sparkContext().setJobDescription(null);
        if (model != null) {
            model.destroy();
        }
        List<Profiles.Entry> entries = Profiles.entries(counted, features, outputs, bins,
                new Profiles.Plan(null, null, edges, fill(n + outputs, "file")), 1, 1);
        Profiles.writeFile(spark.sparkContext().hadoopConfiguration(), out, source, entries);
        return entries;
    }

    private static String[] fill(int n, String s) {
        String[] a = new String[n];
        java.util.Arrays.fill(a, s);
        return a;
    }

    private static io.annscore.network.Network network(ModelPayload payload) {
        try {
            return ModelFile.read(payload.bytes());
        } catch (ModelFormatException e) {
            throw new IllegalStateException("the model failed to load: " + e.getMessage(), e);
        }
    }

    private static ColumnProfiles pass(JavaRDD<Row> rows, int n, int outputs, Broadcast<ModelPayload> model,
                                       double[][] edges) {
        List<Tuple2<Integer, ColumnProfiles>> parts = rows.mapPartitionsWithIndex(
                (Integer partition, Iterator<Row> it) -> {
                    ColumnProfiles p = new ColumnProfiles(n, outputs, edges);
                    p.startPartition(partition);
                    Scorer scorer = model == null ? null : network(model.value()).newScorer();
                    double[] values = new double[n];
                    boolean[] one = {true};
                    double[] none = new double[0];
                    while (it.hasNext()) {
                        Row r = it.next();
                        boolean ok = true;
                        for (int c = 0; c < n; c++) {
                            if (r.isNullAt(c) || !Double.isFinite(r.getDouble(c))) {
                                p.addMissing(c);
                                ok = false;
                            } else {
                                values[c] = r.getDouble(c);
                            }
                        }
                        if (!ok) {
                            continue;
                        }
                        double[] y = scorer == null ? none : scorer.score(values);
                        if (finite(y)) {
                            p.addBlock(values, y, 1, one);
                        }
                    }
                    return List.of(new Tuple2<>(partition, p)).iterator();
                }, true).collect();
        List<Tuple2<Integer, ColumnProfiles>> sorted = new ArrayList<>(parts);
        sorted.sort(java.util.Comparator.comparing(Tuple2::_1));
        ColumnProfiles total = new ColumnProfiles(n, outputs, edges);
        for (Tuple2<Integer, ColumnProfiles> t : sorted) {
            total.merge(t._2());
        }
        return total;
    }

    private static boolean finite(double[] y) {
        for (double v : y) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
