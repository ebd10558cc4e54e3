package io.annscore.job.rows;

import io.annscore.metrics.Metric;
import io.annscore.network.Task;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.DataType;

/**
 * What the executors need to know to turn one projected input row into one output row, besides the
 * network itself: the layout and types of the projected row ({@link InputPlan}) and the meaning of
 * the outputs. Small and serializable; shipped with the task closure.
 *
 * <p>The projected input row holds, in order: the pass-through columns, then either one column per
 * feature or the single feature-vector column, then the label columns, the segment columns (as
 * strings; after the weight column, when there is one), the CSV corrupt-record column (CSV only),
 * the CSV record's fields as an {@code array<string>} (CSV, when {@link #csvColumns} is not empty) and
 * the input file name.
 *
 * @param passThroughNames the pass-through columns' names (as written to the outputs)
 * @param passThroughTypes their types
 * @param featureNames what to call each feature in a quarantine detail (network name or column)
 * @param featureTypes each feature column's type, or null when the features come from a vector column
 * @param vectorType the feature-vector column's (storage) type: an {@code ArrayType} of numbers or the
 *     vector struct {type, size, indices, values}; null when the features are separate columns
 * @param labelTypes the label columns' types (numeric, string or boolean)
 * @param segmentCount how many segment columns follow the labels
 * @param csv whether a corrupt-record column follows the segments
 * @param csvDelimiter the CSV delimiter (to re-split corrupt records)
 * @param csvQuote the CSV quote character
 * @param csvFieldCount how many fields a CSV record has (the header's count)
 * @param task the network's task
 * @param inputSize the network's input size
 * @param outputSize the network's output size
 * @param classNames the network's class names (may be empty)
 * @param threshold the binary decision threshold
 * @param metrics the metrics to compute (empty: the task's default)
 * @param failPartition test hook: the partition whose first attempt throws, or −1
 * @param weighted whether a weight column (cast to double) follows the labels
 * @param metricThresholds binary: the further thresholds of the threshold report
 * @param topK the k of top-k accuracy
 * @param csvColumns the CSV file's columns, when the record's fields follow the corrupt-record
 *     column (to check them for stray quotes and render {@code raw_record}); empty otherwise
 * @param csvMultiLine whether the CSV reader reads quoted line breaks (then a quote inside a field
 *     is no sign of a record cut in two)
 */
public record RowSpec(
        List<String> passThroughNames,
        List<DataType> passThroughTypes,
        List<String> featureNames,
        List<DataType> featureTypes,
        DataType vectorType,
        List<DataType> labelTypes,
        int segmentCount,
        boolean csv,
        String csvDelimiter,
        char csvQuote,
        int csvFieldCount,
        Task task,
        int inputSize,
        int outputSize,
        List<String> classNames,
        double threshold,
        List<Metric> metrics,
        int failPartition,
        boolean weighted,
        List<Double> metricThresholds,
        int topK,
        List<String> csvColumns,
        boolean csvMultiLine) implements Serializable {

    /** Without a weight column or extra thresholds, and the default k. */
    public RowSpec(List<String> passThroughNames, List<DataType> passThroughTypes, List<String> featureNames,
                List<DataType> featureTypes, DataType vectorType, List<DataType> labelTypes, int segmentCount,
                boolean csv, String csvDelimiter, char csvQuote, int csvFieldCount, Task task, int inputSize,
                int outputSize, List<String> classNames, double threshold, List<Metric> metrics, int failPartition) {
        this(passThroughNames, passThroughTypes, featureNames, featureTypes, vectorType, labelTypes, segmentCount, csv,
                csvDelimiter, csvQuote, csvFieldCount, task, inputSize, outputSize, classNames, threshold, metrics,
                failPartition, false, List.of(), io.annscore.metrics.MetricStats.DEFAULT_TOP_K, List.of(), false);
    }

    /** Empty metric statistics for this network and job. */
    public io.annscore.metrics.MetricStats newMetricStats() {
        return io.annscore.metrics.MetricStats.create(task, outputSize, threshold, metrics, metricThresholds, topK);
    }

    int passThroughCount() {
        return passThroughNames.size();
    }

    boolean hasVector() {
        return vectorType != null;
    }

    /** Ordinal of the first feature column (or of the vector column). */
    int featureOrdinal() {
        return passThroughCount();
    }

    int labelOrdinal() {
        return featureOrdinal() + (hasVector() ? 1 : featureTypes.size());
    }

    int labelCount() {
        return labelTypes.size();
    }

    /** Ordinal of the weight column (when {@link #weighted}). */
    public int weightOrdinal() {
        return labelOrdinal() + labelCount();
    }

    int segmentOrdinal() {
        return weightOrdinal() + (weighted ? 1 : 0);
    }

    /** Ordinal of the corrupt-record column (CSV only). */
    int corruptOrdinal() {
        return segmentOrdinal() + segmentCount;
    }

    /** Whether the CSV record's fields are in the projected row (at {@link #recordOrdinal()}). */
    boolean hasCsvRecord() {
        return csv && !csvColumns.isEmpty();
    }

    int recordOrdinal() {
        return corruptOrdinal() + 1;
    }

    int fileOrdinal() {
        return corruptOrdinal() + (csv ? 1 : 0) + (hasCsvRecord() ? 1 : 0);
    }

    int projectedWidth() {
        return fileOrdinal() + 1;
    }
}
