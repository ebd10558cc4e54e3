package io.annscore.importers;

import io.annscore.importers.ModelSources.Kind;
import io.annscore.model.HeapRoom;
import io.annscore.model.ModelFile;
import io.annscore.model.ModelFormatException;
import io.annscore.network.Network;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Loads the model a job names, on the driver, from any Hadoop file system (local, HDFS, S3A, ...):
 * driver and executors share no disk, so the executors never read the model's path.
 *
 * <p>The kind is recognised by content, not by name: a directory with a {@code metadata/} folder is
 * a Spark MLlib model ({@link MllibImporter}); a file whose text starts with '{' is our JSON model
 * file ({@link ModelFile}); any other file must be ONNX ({@link OnnxImporter}). ONNX and MLlib
 * models are imported in memory by the same naming rule as {@code import}: inputs the source leaves
 * unnamed take the job's feature columns, else the names x0..x{n−1}. They are written into our format, which is read back so that the driver checks the very bytes
 * the executors will decode. Every failure is a {@link ModelLoadException} naming the path.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * @param path the model's path as the user gave it (relative paths resolve against the default
     *     file system of {@code conf})
     * @param conf the Hadoop configuration (the Spark context's, or a plain one outside Spark)
     * @param features the job's feature columns, naming the inputs of an imported network whose
     *     source does not name them; empty for none
     * @throws ModelLoadException when the path names nothing readable, is no model annscore reads,
     *     or holds an invalid network or one that cannot be imported
     */
    public static LoadedModel load(String path, Configuration conf, List<String> features) {
        return load(path, conf, features, null, null);
    }

    /**
     * As {@link #load(String, Configuration, List)}, with what the job declares about the model
     * (model.task, model.outputs): an imported model takes them; our model file says both itself,
     * and a declaration that disagrees with it is refused.
     *
     * @param task the declared task, or null
     * @param outputs the declared kind of outputs, or null
     */
    public static LoadedModel load(String path, Configuration conf, List<String> features, Task task,
                                   OutputValues outputs) {
        // The one naming rule, as import applies it: the file's names, else the job's features, else x0..x{n-1}.
        ImportOptions options = ImportOptions.defaults().withFeatures(features).withTask(task).withValues(outputs);
        try {
            Path given = new Path(path);
            FileSystem fs = given.getFileSystem(conf);
            Path qualified = fs.makeQualified(given);
            FileStatus status;
            try {
                status = fs.getFileStatus(qualified);
            } catch (FileNotFoundException e) {
                throw new ModelLoadException("the model " + path + " does not exist (" + qualified + ")", e);
            }
            if (status.isDirectory()) {
                Path metadata = new Path(qualified, "metadata");
                if (!fs.exists(metadata) || !fs.getFileStatus(metadata).isDirectory()) {
                    throw new ModelLoadException("the model " + path + " is a directory without a metadata/ folder,"
                            + " so not a saved MLlib model", null);
                }
                Network imported = MllibImporter.read(qualified, conf, options);
                return imported(imported, imported.info().provenance().get(Provenance.SOURCE_SHA256), Kind.MLLIB, qualified);
            }
            byte[] bytes = readFile(fs, status, path);
            Kind kind;
            try {
                kind = ModelSources.detect(bytes);
            } catch (ImportException e) {
                throw new ModelLoadException("the model " + path + " " + e.getMessage(), e);
            }
            if (kind == Kind.JSON) {
                Network network = ModelFile.read(bytes);
                checkDeclared(path, network, task, outputs);
                return new LoadedModel(network, bytes, ModelFile.sha256(bytes), kind, qualified.toString());
            }
            Network imported = OnnxImporter.read(bytes, qualified.toString(), options);
            return imported(imported, ModelFile.sha256(bytes), kind, qualified);
        } catch (ModelFormatException e) {
            throw new ModelLoadException("the model " + path + " is not a valid network: " + e.getMessage(), e);
        } catch (ImportException e) {
            throw new ModelLoadException("the model " + path + " could not be imported: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the model " + path + ": " + e.getMessage(), e);
        }
    }

    /** A model file states its task and outputs; the job may repeat them, not contradict them. */
    private static void checkDeclared(String path, Network network, Task task, OutputValues outputs) {
        if (task != null && task != network.task()) {
            throw new ModelLoadException("the model " + path + " is a " + network.task().id() + " network, but"
                    + " model.task (--task) says " + task.id() + "; a model file states its task itself:"
                    + " leave model.task unset, or change the 'task' field of the file's 'output'", null);
        }
        OutputValues values = network.output().values();
        if (outputs != null && outputs != values) {
            throw new ModelLoadException("the model " + path + " says its outputs are " + values.id() + ", but"
                    + " model.outputs (--outputs) says " + outputs.id() + "; a model file states them itself:"
                    + " leave model.outputs unset, or change the 'values' field of the file's 'output'", null);
        }
    }

    /** Our format of an imported network, read back: what the executors will run. */
    private static LoadedModel imported(Network network, String sourceSha256, Kind kind, Path location) {
        byte[] modelFile = ModelFile.write(network);
        Network decoded;
        try {
            decoded = ModelFile.read(modelFile);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("the network imported from " + location + " does not read back from our"
                    + " model format: " + e.getMessage(), e);
        }
        return new LoadedModel(decoded, modelFile, sourceSha256, kind, location.toString());
    }

    private static byte[] readFile(FileSystem fs, FileStatus status, String path) throws IOException {
        if (status.getLen() > ModelFile.MAX_FILE_BYTES) {
            throw new ModelLoadException("the model " + path + " holds " + status.getLen() + " bytes, more than the "
                    + ModelFile.MAX_FILE_BYTES + " a model file may", null);
        }
        String noRoom = HeapRoom.shortfall(status.getLen());
        if (noRoom != null) {
            throw new ModelLoadException("the model " + path + " " + noRoom, null);
        }
        try (InputStream in = fs.open(status.getPath())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) status.getLen());
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
