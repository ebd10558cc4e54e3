package io.annscore.job.rows;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line the way Spark's CSV reader does for our purposes: fields separated by a
 * (possibly multi-character) delimiter, a field may be quoted, and inside quotes a doubled quote or
 * the escape character followed by a quote stands for a quote. Used for the header and to tell
 * apart the kinds of record the CSV reader only calls "corrupt". Not on the per-row path of clean
 * records.
 */
public final class CsvLine {
    /** The escape character annscore's CSV reader is set up with. */
    public static final char ESCAPE = '\\';
    private CsvLine() {
    }

    /**
     * One record's fields written back as a CSV line that the same reader reads as those fields: a
     * field holding the delimiter, the quote or a line break is quoted, with the quote escaped; a
     * null field is empty.
     */
    public static String render(String[] fields, String delimiter, char quote, char escape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(delimiter);
            }
            String f = fields[i];
            if (f == null) {
                continue;
            }
            boolean quoted = f.contains(delimiter) || f.indexOf(quote) >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
            if (!quoted) {
                b.append(f);
                continue;
            }
            b.append(quote);
            for (int j = 0; j < f.length(); j++) {
                char c = f.charAt(j);
                // an escape escapes only a quote, or an escape that would be read as escaping one
                boolean beforeQuote = j + 1 == f.length() || f.charAt(j + 1) == quote;
                if (c == quote || c == escape && beforeQuote) {
                    b.append(escape);
                }
                b.append(c);
            }
            b.append(quote);
        }
        return b.toString();
    }

    /** The fields of {@code line}, unquoted; null when a quote is never closed. */
    public static List<String> split(String line, String delimiter, char quote, char escape) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == escape && escape != quote && i + 1 < n && line.charAt(i + 1) == quote) {
                    field.append(quote);
                    i += 2;
                } else if (c == quote && i + 1 < n && line.charAt(i + 1) == quote) {
                    field.append(quote);
                    i += 2;
                } else if (c == quote) {
                    inQuotes = false;
                    i++;
                } else {
                    field.append(c);
                    i++;
                }
            } else if (c == quote) {
                inQuotes = true;
                i++;
            } else if (line.startsWith(delimiter, i)) {
                fields.add(field.toString());
                field.setLength(0);
                i += delimiter.length();
            } else {
                field.append(c);
                i++;
            }
        }
        if (inQuotes) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    /**
     * Classifies a line the CSV reader could not turn into a record of {@code expectedFields}
     * fields: {@link QuarantineReason#MALFORMED_RECORD} when it is no record at all (an unterminated
     * quote, or a single field where several are expected, or — oddly — the right number of fields),
     * else {@link QuarantineReason#WRONG_FIELD_COUNT}.
     */
    static QuarantineReason classifyCorrupt(String line, String delimiter, char quote, char escape, int expectedFields) {
        List<String> fields = split(line, delimiter, quote, escape);
        if (fields == null || (fields.size() == 1 && expectedFields > 1) || fields.size() == expectedFields) {
            return QuarantineReason.MALFORMED_RECORD;
        }
        return QuarantineReason.WRONG_FIELD_COUNT;
    }

    /** How many fields {@code line} has, or −1 when a quote is never closed. */
    static int fieldCount(String line, String delimiter, char quote, char escape) {
        List<String> fields = split(line, delimiter, quote, escape);
        return fields == null ? -1 : fields.size();
    }
}
