package io.annscore.job.rows;

import java.util.Locale;

/**
 * Reads a number written as text (a CSV field, a string column), telling apart the ways it can fail.
 * Accepts what Spark's CSV reader accepts for doubles: Java's decimal and exponent forms, and NaN,
 * Inf, Infinity with an optional sign in any letter case (which are numbers, but not finite ones).
 * Surrounding white space is ignored.
 */
public final class NumberText {
    /** What a parse found. */
    enum Status {
        /** The text is a finite number, now in {@link #value}. */
        OK,
        /** Null, empty or blank. */
        MISSING,
        /** Text that is not a number. */
        NON_NUMERIC,
        /** NaN or an infinity, written as a word or overflowing a double. */
        NON_FINITE
    }

    /** The value of the last successful {@link #parse}. */
    double value;

    /** Parses {@code text} (null counts as missing) and returns OK, MISSING, NON_NUMERIC or NON_FINITE. */
    Status parse(String text) {
        if (text == null) {
            return Status.MISSING;
        }
        String s = text.strip();
        if (s.isEmpty()) {
            return Status.MISSING;
        }
        char last = s.charAt(s.length() - 1);
        if (last == 'N' || last == 'n' || last == 'f' || last == 'F' || last == 'y' || last == 'Y') {
            String word = s.toLowerCase(Locale.ROOT);
            if (word.startsWith("+") || word.startsWith("-")) {
                word = word.substring(1);
            }
            if (word.equals("nan") || word.equals("inf") || word.equals("infinity")) {
                return Status.NON_FINITE;
            }
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Status.NON_NUMERIC;
        }
        if (!Double.isFinite(v)) {
            return Status.NON_FINITE;
        }
        value = v;
        return Status.OK;
    }
}
