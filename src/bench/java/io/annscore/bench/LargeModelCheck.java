package io.annscore.bench;

import io.annscore.model.ModelFile;
import io.annscore.network.Network;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The large-network check of {@code bench/run-large-model.sh}, in two steps, each its own JVM:
 *
 * <pre>
 *   LargeModelCheck prepare DIR LAYERS ROWS SEED   writes DIR/model.json and DIR/input.csv
 *   LargeModelCheck read MODEL                      times reading the model file, three times
 * </pre>
 *
 * The script then scores the table through {@code submit.sh} with Spark's default driver memory.
 */
public final class LargeModelCheck {
    private LargeModelCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), Arrays.stream(args[2].split("-")).mapToInt(Integer::parseInt).toArray(),
                    Integer.parseInt(args[3]), Long.parseLong(args[4]));
        } else if (args.length == 2 && args[0].equals("read")) {
            read(Path.of(args[1]));
        } else {
            throw new IllegalArgumentException("usage: LargeModelCheck prepare DIR LAYERS ROWS SEED | read MODEL");
        }
    }

    private static void prepare(Path dir, int[] layers, int rows, long seed) throws IOException {
        Files.createDirectories(dir);
        Network network = new BenchNetwork(layers, seed).toAnnscore("large-" + String.join("-",
                Arrays.stream(layers).mapToObj(Integer::toString).toArray(String[]::new)));
        long start = System.nanoTime();
        byte[] bytes = ModelFile.write(network);
        Files.write(dir.resolve("model.json"), bytes);
        System.out.printf(Locale.ROOT, "model  %s: %,d parameters, file %.1f MB, written in %.2f s%n",
                network.info().name(), parameters(network), bytes.length / 1e6, (System.nanoTime() - start) / 1e9);

        SplittableRandom random = new SplittableRandom(seed + 1);
        int classes = layers[layers.length - 1];
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("input.csv"))) {
            StringBuilder line = new StringBuilder("id");
            for (String f : BenchNetwork.featureNames(layers[0])) {
                line.append(',').append(f);
            }
            out.write(line.append(",label\n").toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(r);
                for (int i = 0; i < layers[0]; i++) {
                    line.append(',').append(random.nextDouble(-1, 1));
                }
                out.write(line.append(',').append(random.nextInt(classes)).append('\n').toString());
            }
        }
        System.out.printf(Locale.ROOT, "input  %,d rows × %d features (CSV)%n", rows, layers[0]);
    }

    private static long parameters(Network network) {
        long n = 0;
        for (var layer : network.layers()) {
            n += (long) layer.inputSize() * layer.outputSize() + layer.outputSize();
        }
        return n;
    }

    /** Reads the file three times in this (fresh) JVM: the first read pays for class loading and JIT warm-up. */
    private static void read(Path model) throws Exception {
        Runtime rt = Runtime.getRuntime();
        for (int k = 1; k <= 3; k++) {
            long start = System.nanoTime();
            Network network = ModelFile.read(model);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "read   #%d: %.2f s (%,d parameters; max heap %d MiB)%n", k, seconds,
                    parameters(network), rt.maxMemory() >> 20);
        }
    }
}
