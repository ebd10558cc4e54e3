package io.annscore.bench;

import io.annscore.metrics.ColumnProfiles;
import io.annscore.network.Network;
import io.annscore.network.Scorer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The per-row cost of the profiles beside the forward pass they ride on, in one thread of one JVM:
 * the CPU time of {@link ColumnProfiles#addBlock} (features and outputs, 10 bins each: the steady
 * state of a job, bins from an earlier profile) against {@link Scorer#scoreBatch} on the same
 * blocks of 8 rows (both with the same copying of the blocks). Both are timed in the same process,
 * one after the other in each of 12 rounds (the first 4 not counted), so a loaded machine slows them
 * alike; the ratio is what the profile adds to the scoring work of a task.
 *
 * <pre>java -cp target/classes:target/bench-classes:$(cat target/annscore-classpath.txt) \
 *     io.annscore.bench.ProfileCostCheck target/e2e/models/128-256-128-10-seed42/model.json</pre>
 */
public final class ProfileCostCheck {
    public static void main(String[] args) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (String file : args) {
            Network net = io.annscore.model.ModelFile.read(Files.readAllBytes(Path.of(file)));
            int f = net.inputSize();
            int o = net.outputSize();
            int rows = 8 * 4096;
            Random r = new Random(1);
            double[] x = new double[rows * f];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            double[][] edges = new double[f + o][];
            for (int c = 0; c < f; c++) {
                edges[c] = new double[] {-1.28, -0.84, -0.52, -0.25, 0, 0.25, 0.52, 0.84, 1.28};
            }
            Scorer scorer = net.newScorer();
            double[] out = new double[8 * o];
            double[] block = new double[8 * f];
            // the outputs' bins at the deciles of the outputs themselves, as a job's earlier profile chooses them
            double[] allOut = new double[rows * o];
            for (int b = 0; b < rows; b += 8) {
                System.arraycopy(x, b * f, block, 0, 8 * f);
                scorer.scoreBatch(block, 8, out);
                System.arraycopy(out, 0, allOut, b * o, 8 * o);
            }
            for (int j = 0; j < o; j++) {
                double[] col = new double[rows];
                for (int r2 = 0; r2 < rows; r2++) {
                    col[r2] = allOut[r2 * o + j];
                }
                java.util.Arrays.sort(col);
                edges[f + j] = ColumnProfiles.quantileEdges(col, 10);
            }
            boolean[] all = new boolean[8];
            java.util.Arrays.fill(all, true);
            long score = 0;
            long profile = 0;
            double sink = 0;
            for (int round = 0; round < 12; round++) {
                ColumnProfiles p = new ColumnProfiles(f, o, edges);
                double[] outs = new double[rows * o];
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int b = 0; b < rows; b += 8) {
                    System.arraycopy(x, b * f, block, 0, 8 * f);
                    scorer.scoreBatch(block, 8, out);
                    System.arraycopy(out, 0, outs, b * o, 8 * o);
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int b = 0; b < rows; b += 8) {
                    System.arraycopy(x, b * f, block, 0, 8 * f);
                    System.arraycopy(outs, b * o, out, 0, 8 * o);
                    p.addBlock(block, out, 8, all);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                long s = t1 - t0;
                long q = t2 - t1;
                sink += p.columns(10).get(0).mean();
                if (round >= 4) { // after the JIT's warm-up
                    score += s;
                    profile += q;
                }
            }
            double n = 8.0 * rows;
            System.out.printf(Locale.ROOT, "%s: forward pass %.2f µs/row, profile %.2f µs/row (%d features, %d outputs,"
                    + " 10 bins): +%.1f%% of the forward pass  (%s)%n", file, score / n / 1e3, profile / n / 1e3, f, o,
                    100.0 * profile / score, sink == 12345 ? "" : "ok");
        }
    }
}
