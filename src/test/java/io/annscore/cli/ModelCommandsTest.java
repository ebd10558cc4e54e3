package io.annscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.testing.ModelDigests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect and import through Main, on the demo network and the oracle fixtures' ONNX and MLlib models. */
class ModelCommandsTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/iris_relu_multiclass");

    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void inspectPrintsTheDemoNetwork() throws Exception {
        Path model = Path.of("jobs/models/iris.json");
        assertEquals(0, run("inspect", model.toString()), err);
        // 4 inputs -> 16 ReLU -> 3 softmax: 4*16 + 16 = 80 and 16*3 + 3 = 51 parameters, 131 in all.
        assertTrue(out.contains("parameters   131 (weights and biases)"), out);
        assertTrue(out.contains("task         multiclass (classes: 0, 1, 2)"), out);
        assertTrue(out.contains("inputs       4 features: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm"), out);
        assertTrue(out.matches("(?s).*\\n\\s+0\\s+4\\s+16\\s+weighted_sum\\s+relu\\s+80\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1\\s+16\\s+3\\s+weighted_sum\\s+softmax\\s+51\\n.*"), out);
        assertTrue(out.contains("sha256       " + sha256(model) + "\n"), out);
    }

    @Test
    void inspectReadsAnOnnxFileDirectlyRecognisedByContent() throws Exception {
        // The iris export: 4 inputs -> 16 ReLU -> 3 softmax, 80 + 51 = 131 parameters (float32 weights).
        Path onnx = FIXTURE.resolve("model.onnx");
        assertEquals(0, run("inspect", onnx.toString()), err);
        assertTrue(out.contains("file         " + onnx + " (ONNX file, imported in memory)\n"), out);
        assertTrue(out.contains("sha256       " + ModelDigests.sha256(onnx) + "\n"), out);
        assertTrue(out.contains("parameters   131 (weights and biases)"), out);
        assertTrue(out.matches("(?s).*\\n\\s+0\\s+4\\s+16\\s+weighted_sum\\s+relu\\s+80\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1\\s+16\\s+3\\s+weighted_sum\\s+softmax\\s+51\\n.*"), out);
        assertTrue(out.contains("  importer = onnx\n"), out);

        // The same bytes under a .json name are still ONNX: the kind comes from the content.
        Path misnamed = Files.copy(onnx, dir.resolve("iris.json"));
        assertEquals(0, run("inspect", misnamed.toString()), err);
        assertTrue(out.contains("(ONNX file, imported in memory)"), out);
        assertTrue(out.contains("sha256       " + ModelDigests.sha256(onnx) + "\n"), out);
    }

    @Test
    void inspectReadsAnMllibDirectoryDirectly() throws Exception {
        // MLlib layers [4, 8, 3], sigmoid hidden layer, softmax output: 4*8 + 8 = 40 and 8*3 + 3 = 27 parameters.
        Path mllib = FIXTURE.resolve("mllib_model");
        assertEquals(0, run("inspect", mllib.toString()), err);
        assertTrue(out.contains("file         " + mllib + " (MLlib model directory, imported in memory)\n"), out);
        assertTrue(out.contains("sha256       " + ModelDigests.mllibDirectory(mllib) + "\n"), out);
        assertTrue(out.contains("parameters   67 (weights and biases)"), out);
        assertTrue(out.matches("(?s).*\\n\\s+0\\s+4\\s+8\\s+weighted_sum\\s+sigmoid\\s+40\\n.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1\\s+8\\s+3\\s+weighted_sum\\s+softmax\\s+27\\n.*"), out);
        assertTrue(out.contains("  importer = mllib\n"), out);

        // A directory that is no MLlib model is a model error naming it
        Path folder = Files.createDirectories(dir.resolve("not-a-model/data")).getParent();
        assertEquals(3, run("inspect", folder.toString()));
        assertEquals("annscore: model error: the model " + folder + " is a directory without a metadata/ folder,"
                + " so not a saved MLlib model", err.strip());
    }

    @Test
    void aModelFileLargerThanTheHeapIsOneLineAndExit3WithoutOutOfMemory() throws Exception {
        // Given a 1.9 GB file (sparse: no disk used) and a JVM of 256 MB heap
        Path huge = dir.resolve("huge.json");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(1_900_000_000L);
        }
        Path onnx = Files.createLink(dir.resolve("huge.onnx"), huge);
        for (String[] command : new String[][] {{"inspect", huge.toString()},
                {"import", "--from", "onnx", onnx.toString(), "--out", dir.resolve("out.json").toString()}}) {
            // When inspect or import reads it in a child JVM
            java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            line.addAll(java.util.List.of(command));
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            // Then it exits 3 with one line giving the size and the heap, before reading a byte
            assertEquals(3, p.waitFor(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.matches("annscore: model error: .*" + java.util.regex.Pattern.quote(command[command.length - 1]
                    .equals(huge.toString()) ? huge.toString() : onnx.toString()) + ".* holds 1812 MiB, and reading it"
                    + " needs about 3624 MiB of heap, but the JVM has \\d+ MiB free of \\d+ MiB; give it more .*"), output);
            assertTrue(!output.contains("OutOfMemoryError"), output);
        }
    }

    @Test
    void inspectOfABrokenModelIsAModelError() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"annscore-network\", \"format_version\": 1}");
        assertEquals(3, run("inspect", bad.toString()));
        assertTrue(err.startsWith("annscore: model error: "), err);
        assertEquals(1, err.lines().count(), err);

        Path junk = dir.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        assertEquals(3, run("inspect", junk.toString()));
        assertTrue(err.startsWith("annscore: model error: "), err);
    }

    @Test
    void importOnnxWritesOurFormatWithProvenance() throws Exception {
        Path onnx = FIXTURE.resolve("model.onnx");
        Path target = dir.resolve("models/iris-from-onnx.json");
        assertEquals(0, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString(), "--name", "iris-onnx"), err);
        assertTrue(Files.isRegularFile(target));
        assertTrue(out.startsWith("wrote " + target + "\n"), out);

        assertEquals(0, run("inspect", target.toString()), err);
        assertTrue(out.contains("model        iris-onnx"), out);
        assertTrue(out.contains("parameters   131 (weights and biases)"), out);
        assertTrue(out.contains("  importer = onnx\n"), out);
        assertTrue(out.contains("  source_sha256 = " + sha256(onnx) + "\n"), out);
        assertTrue(out.contains("sha256       " + sha256(target) + "\n"), out);

        // An existing file is kept unless --force.
        assertEquals(2, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString()));
        assertTrue(err.startsWith("annscore: usage error: --out " + target + " exists; give --force"), err);
        assertEquals(0, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString(), "--force"), err);
    }

    @Test
    void importMllibAndWrongSourceKind() throws Exception {
        Path target = dir.resolve("mllib.json");
        assertEquals(0, run("import", "--from", "mllib", FIXTURE.resolve("mllib_model").toString(), "--out",
                target.toString()), err);
        // MLlib layers [4, 8, 3]: 4*8 + 8 = 40 and 8*3 + 3 = 27, 67 parameters.
        assertTrue(out.contains("parameters   67 (weights and biases)"), out);
        assertTrue(out.contains("  importer = mllib\n"), out);

        assertEquals(3, run("import", "--from", "onnx", FIXTURE.resolve("data.csv").toString(), "--out",
                dir.resolve("x.json").toString()));
        assertTrue(err.startsWith("annscore: model error: "), err);
        assertEquals(2, run("import", "--from", "keras", "m.h5", "--out", "x.json"));
        assertTrue(err.startsWith("annscore: usage error: Invalid value for option '--from'"), err);
    }

    private static final Path EXPORTS = Path.of("src/test/resources/exports");

    @Test
    void importRefusesAClassifierEndingInLogitsUntilItsOutputsAreDeclared() throws Exception {
        Path onnx = EXPORTS.resolve("logits_multiclass/opset13.onnx");
        Path target = dir.resolve("logits.json");
        assertEquals(3, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString(),
                "--task", "multiclass"));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("does not produce probabilities") && err.contains("--outputs")
                && err.contains("model.outputs"), err);
        assertEquals(0, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString(),
                "--outputs", "logits"), err);
        String file = java.nio.file.Files.readString(target);
        assertTrue(file.contains("\"task\": \"multiclass\"") && file.contains("\"values\": \"logits\""), file);
        assertTrue(out.contains("turned into probabilities by softmax"), out);
        assertEquals(2, run("import", "--from", "onnx", onnx.toString(), "--out", dir.resolve("y.json").toString(),
                "--outputs", "odds"));
        assertTrue(err.contains("--outputs: unknown kind of outputs 'odds'"), err);
    }

    @Test
    void importTakesTheFeatureNamesFromACsvHeader() throws Exception {
        Path onnx = EXPORTS.resolve("logits_multiclass/opset13.onnx");
        Path data = EXPORTS.resolve("logits_multiclass/data.csv");
        Path target = dir.resolve("named.json");
        assertEquals(0, run("import", "--from", "onnx", onnx.toString(), "--out", target.toString(), "--outputs",
                "logits", "--features-from", data.toString(), "--ignore-columns", "id,label"), err);
        assertTrue(out.contains("13 features: x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12"), out);
        assertTrue(out.contains("feature_names_from = caller"), out);
        // Without --ignore-columns the header has 15 columns for 13 inputs.
        assertEquals(3, run("import", "--from", "onnx", onnx.toString(), "--out", dir.resolve("z.json").toString(),
                "--outputs", "logits", "--features-from", data.toString()));
        assertTrue(err.contains("13 inputs but 15 feature columns were given"), err);
        assertEquals(2, run("import", "--from", "onnx", onnx.toString(), "--out", dir.resolve("z.json").toString(),
                "--features-from", data.toString(), "--ignore-columns", "nope"));
        assertTrue(err.contains("has no column 'nope'"), err);
    }
}
