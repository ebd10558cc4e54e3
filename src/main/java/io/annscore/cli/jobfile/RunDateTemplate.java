package io.annscore.cli.jobfile;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the run date into a path: {@code {run_date}} becomes {@code 2024-05-31} and
 * {@code {run_date:PATTERN}} the date formatted with any {@link DateTimeFormatter} pattern, so
 * {@code data/{run_date:yyyy/MM/dd}/*.parquet} becomes {@code data/2024/05/31/*.parquet}.
 *
 * <p>Other braces are left alone: they are Hadoop glob alternatives ({@code {a,b}}). A brace that
 * looks like a misspelt run date ({@code {run-date}}, {@code {rundate}}, {@code {RUN_DATE}}) is an
 * error rather than a glob that silently matches nothing.
 */
public final class RunDateTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{run_date(?::([^{}]*))?}");
    private static final Pattern NEAR_MISS = Pattern.compile("\\{\\s*(?i:run[-_ ]?date)[^{}]*}");

    private RunDateTemplate() {
    }

    /**
     * @param key the configuration key the path came from, named in errors
     * @throws ConfigurationException naming the key for an invalid pattern or a misspelt placeholder
     */
    public static String fill(String key, String path, LocalDate runDate) {
        Matcher m = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            checkNoNearMiss(key, path.substring(last, m.start()));
            out.append(path, last, m.start());
            out.append(format(key, m.group(1), runDate));
            last = m.end();
        }
        checkNoNearMiss(key, path.substring(last));
        out.append(path.substring(last));
        return out.toString();
    }

    /** Whether the path holds a run-date placeholder. */
    public static boolean isTemplate(String path) {
        return PLACEHOLDER.matcher(path).find();
    }

    private static String format(String key, String pattern, LocalDate date) {
        if (pattern == null) {
            return date.toString();
        }
        if (pattern.isEmpty()) {
            throw new ConfigurationException("key " + key + ": empty date pattern in {run_date:}; write {run_date}"
                    + " or a pattern such as {run_date:yyyy/MM/dd}");
        }
        try {
            return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(date);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new ConfigurationException("key " + key + ": invalid date pattern '" + pattern + "' in {run_date:"
                    + pattern + "}: " + e.getMessage(), e);
        }
    }

    private static void checkNoNearMiss(String key, String text) {
        Matcher near = NEAR_MISS.matcher(text);
        if (near.find()) {
            throw new ConfigurationException("key " + key + ": unknown placeholder '" + near.group()
                    + "'; did you mean {run_date} or {run_date:PATTERN}?");
        }
    }
}
