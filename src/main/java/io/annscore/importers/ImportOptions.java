package io.annscore.importers;

import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import java.util.List;

/**
 * What the caller knows about a network that its file may not say.
 *
 * @param name the model's name; null to take it from the file name (or the file itself)
 * @param features the feature columns in input order (typically the job's), used when the file
 *     does not name its inputs; empty (or null) for none
 * @param task the task; null to infer it from the output layer (softmax with two or more outputs:
 *     multiclass; one sigmoid output: binary; anything else: regression)
 * @param values what the last layer produces (probabilities, logits or log-probabilities); null to
 *     infer it from the graph (a trailing LogSoftmax: log-probabilities; else probabilities)
 * @param generateNames when neither the file nor {@code features} names the inputs: true to call
 *     them x0..x{n−1} (for a model file written by {@code import}), false to leave them unnamed (for
 *     a job, which then takes its input columns in order)
 */
public record ImportOptions(String name, List<String> features, Task task, OutputValues values,
                            boolean generateNames) {

    public ImportOptions {
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** No name, no feature names (x0..x{n−1} unless the file has them), task inferred. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, List.of(), null, null, true);
    }

    public ImportOptions withName(String newName) {
        return new ImportOptions(newName, features, task, values, generateNames);
    }

    public ImportOptions withFeatures(List<String> newFeatures) {
        return new ImportOptions(name, newFeatures, task, values, generateNames);
    }

    public ImportOptions withTask(Task newTask) {
        return new ImportOptions(name, features, newTask, values, generateNames);
    }

    /** Leaves inputs that nothing names unnamed, instead of calling them x0..x{n−1}. */
    public ImportOptions withoutGeneratedNames() {
        return new ImportOptions(name, features, task, values, false);
    }

    /** Declares what the last layer produces; null to infer it from the graph. */
    public ImportOptions withValues(OutputValues newValues) {
        return new ImportOptions(name, features, task, newValues, generateNames);
    }
}
