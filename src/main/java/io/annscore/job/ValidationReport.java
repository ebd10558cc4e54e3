package io.annscore.job;

import io.annscore.network.Task;
import java.util.List;
import java.util.Map;

/**
 * What {@link ScoringJob#validate(int)} found: the model and how the input feeds it, and how the
 * rows of a sample would fare (parsed, not scored).
 *
 * @param featureSources network input → the column (or vector element) it reads, in input order
 * @param inputColumns the columns stored in the input files, in file order
 * @param sampleRows rows parsed from the start of the input
 * @param sampleQuarantined of those, reason code → rows that would be quarantined
 * @param sampleDetails the first few quarantine details, for the user to look at
 */
public record ValidationReport(
        String modelName,
        String modelVersion,
        String modelSha256,
        Task task,
        int inputSize,
        int outputSize,
        Map<String, String> featureSources,
        List<String> labelColumns,
        List<String> inputColumns,
        long sampleRows,
        Map<String, Long> sampleQuarantined,
        List<String> sampleDetails) {

    public ValidationReport {
        featureSources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(featureSources));
        labelColumns = List.copyOf(labelColumns);
        inputColumns = List.copyOf(inputColumns);
        sampleQuarantined = Map.copyOf(sampleQuarantined);
        sampleDetails = List.copyOf(sampleDetails);
    }
}
