package io.annscore.job.rows;

/**
 * Why a row went to quarantine instead of being scored. The code is what the quarantine output's
 * {@code reason} column holds.
 */
public enum QuarantineReason {
    /** A feature is null or an empty field. */
    MISSING_FEATURE("missing_feature"),
    /** A feature is text that is not a number ({@code n/a}, {@code 1,5}). */
    NON_NUMERIC_FEATURE("non_numeric_feature"),
    /** A feature is NaN or ±infinity (written out, or a number beyond the range of a double). */
    NON_FINITE_FEATURE("non_finite_feature"),
    /**
     * The record has more or fewer fields than the header (CSV), or a feature vector has another
     * size than the network's input.
     */
    WRONG_FIELD_COUNT("wrong_field_count"),
    /**
     * A line that is no record at all: it has no delimiter (a single field where several are
     * expected) or an unterminated quote; or a sparse vector whose indices do not fit its size.
     */
    MALFORMED_RECORD("malformed_record"),
    /**
     * A CSV field that holds the quote character although the record parsed (single-line CSV): the
     * second half of a record that a line break inside quotes cut in two, or a stray quote. Its
     * values cannot be trusted to sit in their columns.
     */
    STRAY_QUOTE("stray_quote"),
    /**
     * The features were usable but the network's output is NaN or ±infinity somewhere (a feature
     * so large that a sum overflows, a softmax over infinite logits). Decided after scoring.
     */
    NON_FINITE_OUTPUT("non_finite_output");

    private final String code;

    QuarantineReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
