package io.annscore.importers;

import io.annscore.network.Task;
import java.util.List;

/**
 * What the caller knows about a network that its file may not say.
 *
 * @param name the model's name; null to take it from the file name (or the file itself)
 * @param features the feature columns in input order (typically the job's), used when the file
 *     does not name its inputs; empty (or null) for none, in which case the inputs are called x0..x{n−1}
 * @param task the task; null to infer it from the output layer (softmax with two or more outputs:
 *     multiclass; one sigmoid output: binary; anything else: regression)
 */
public record ImportOptions(String name, List<String> features, Task task) {

    public ImportOptions {
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** No name, no feature names, task inferred. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, List.of(), null);
    }

    public ImportOptions withName(String newName) {
        return new ImportOptions(newName, features, task);
    }

    public ImportOptions withFeatures(List<String> newFeatures) {
        return new ImportOptions(name, newFeatures, task);
    }

    public ImportOptions withTask(Task newTask) {
        return new ImportOptions(name, features, newTask);
    }
}
