package io.annscore.bench;

import io.annscore.metrics.ChartStats;
import io.annscore.metrics.Metric;
import io.annscore.metrics.MetricStats;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import io.annscore.network.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The per-row cost of a run's metrics beside the forward pass, in one thread of one JVM, as
 * {@link ProfileCostCheck} does for the profiles: the CPU time of what a task does per scored row
 * for the metrics — {@link MetricStats#add} with every metric of the task (the AUC histograms and
 * the confusion matrix included) and {@link ChartStats#add} (the report's score histograms) —
 * against {@link Scorer#scoreBatch} over the same rows, with labels drawn at random. 12 rounds,
 * the first 4 not counted.
 *
 * <pre>java -cp "target/bench/classes:$(cat target/bench/bench.classpath)" \
 *     io.annscore.bench.MetricsCostCheck target/e2e/models/32-64-32-4-seed42/model.json [binary|multiclass]</pre>
 *
 * The task defaults to the network's (multiclass for a softmax output); {@code binary} scores the
 * first output through a sigmoid instead, to time the binary statistics (ROC and PR histograms).
 */
public final class MetricsCostCheck {
    public static void main(String[] args) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Network net = io.annscore.model.ModelFile.read(Files.readAllBytes(Path.of(args[0])));
        Task task = args.length > 1 ? Task.parse(args[1]) : Task.MULTICLASS;
        int f = net.inputSize();
        int o = net.outputSize();
        int k = task == Task.BINARY ? 1 : o;
        int rows = 8 * 4096;
        Random r = new Random(1);
        double[] x = new double[rows * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[][] labels = new double[rows][];
        for (int i = 0; i < rows; i++) {
            labels[i] = new double[] {task == Task.BINARY ? r.nextInt(2) : r.nextInt(o)};
        }
        List<Metric> metrics = Arrays.stream(Metric.values()).filter(m -> m.appliesTo(task)).toList();
        Scorer scorer = net.newScorer();
        double[] out = new double[8 * o];
        double[] block = new double[8 * f];
        double[][] outputs = new double[rows][];
        long score = 0;
        long stats = 0;
        double sink = 0;
        for (int round = 0; round < 12; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int b = 0; b < rows; b += 8) {
                System.arraycopy(x, b * f, block, 0, 8 * f);
                scorer.scoreBatch(block, 8, out);
                for (int j = 0; j < 8; j++) {
                    if (outputs[b + j] == null) {
                        outputs[b + j] = new double[k];
                    }
                    if (task == Task.BINARY) {
                        outputs[b + j][0] = 1 / (1 + Math.exp(-out[j * o]));
                    } else {
                        System.arraycopy(out, j * o, outputs[b + j], 0, o);
                    }
                }
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            MetricStats m = MetricStats.create(task, k, 0.5, metrics, List.of(), 2);
            ChartStats c = new ChartStats(task == Task.MULTICLASS, false, k);
            for (int i = 0; i < rows; i++) {
                m.add(outputs[i], labels[i], 1);
                c.add(outputs[i], labels[i], 1);
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            sink += m.rows();
            if (round >= 4) { // after the JIT's warm-up
                score += t1 - t0;
                stats += t2 - t1;
            }
        }
        double n = 8.0 * rows;
        System.out.printf(Locale.ROOT, "%s (%s, %d metrics): forward pass %.2f µs/row, metrics %.3f µs/row:"
                + " +%.1f%% of the forward pass  (%s)%n", args[0], task, metrics.size(), score / n / 1e3,
                stats / n / 1e3, 100.0 * stats / score, sink > 0 ? "ok" : "");
    }
}
