package io.annscore.cli.jobfile;

import static io.annscore.job.JobKeys.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.annscore.network.OutputValues;
import io.annscore.network.Task;
import io.annscore.job.JobConfig.Format;
import io.annscore.job.JobConfig.InputConfig;
import io.annscore.job.JobConfig.OutputConfig;
import io.annscore.job.OutputColumn;
import io.annscore.job.JobConfig.SummaryConfig;
import io.annscore.job.JobConfig;
import io.annscore.metrics.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds a {@link JobConfig} from three layers, each overriding the one before: the shipped
 * defaults ({@code conf/annscore-defaults.conf}, packaged as the classpath resource
 * {@value #DEFAULTS_RESOURCE}), the job file (HOCON), and the command line (flags and
 * {@code --set key=value}). Unknown keys, values of the wrong type and values out of range are
 * errors that name the key and where it was set; paths get the run date filled in.
 */
public final class JobFileLoader {
    public static final String DEFAULTS_RESOURCE = "annscore-defaults.conf";
    /** The job name when neither the job file nor the command line gives one and there is no job file. */
    public static final String DEFAULT_JOB_NAME = "annscore";

    private static final Pattern JOB_NAME_CHARS = JobConfig.JOB_NAME;
    private static final Pattern FOUR_DIGIT_YEAR_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    /** One value given on the command line: the key it sets and the flag that gave it. */
    public record Override(String key, Object value, String source) {
    }

    private final Clock clock;

    /** @param clock decides "yesterday" when no run date is given (UTC) */
    public JobFileLoader(Clock clock) {
        this.clock = clock;
    }

    public JobFileLoader() {
        this(Clock.systemUTC());
    }

    /**
     * Parses one {@code --set key=value}. The value is a string, or HOCON when it starts with
     * {@code [} or <code>{</code> (a list or an object), or null when it is {@code null}.
     */
    public static Override parseSet(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new ConfigurationException("--set expects key=value, found '" + keyValue + "'");
        }
        String key = keyValue.substring(0, eq).trim();
        String text = keyValue.substring(eq + 1).trim();
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new ConfigurationException("--set " + keyValue + ": '" + key + "' is not a valid key", e);
        }
        Object value;
        if (text.equals("null")) {
            value = null;
        } else if (text.startsWith("[") || text.startsWith("{")) {
            try {
                value = ConfigFactory.parseString("v = " + text).getValue("v").unwrapped();
            } catch (ConfigException e) {
                throw new ConfigurationException("--set " + key + ": cannot parse " + redacted(text) + " as a HOCON "
                        + (text.startsWith("[") ? "list" : "object"), e);
            }
        } else {
            value = text;
        }
        return new Override(key, value, "--set");
    }

    /**
     * @param jobFile the job file, or null to run from the command line alone
     * @param overrides the command line's values, flags and {@code --set} alike; a key given twice is
     *     an error
     * @throws ConfigurationException naming the key for anything wrong
     */
    public JobConfig load(Path jobFile, List<Override> overrides) {
        Config merged = merge(jobFile, overrides);
        checkKeys(merged.root(), "");
        return new Reader(merged, jobFile).build();
    }

    /** Every job key, in the order of the defaults file, which is their one registry. */
    static final List<String> ALL;
    /** The groups: keys whose value is an object of further keys. */
    static final Set<String> GROUPS;

    static {
        List<String> keys = new ArrayList<>();
        Set<String> groups = new java.util.HashSet<>();
        collectKeys(defaults().root(), "", keys, groups);
        ALL = List.copyOf(keys);
        GROUPS = Set.copyOf(groups);
    }

    private static Config defaults() {
        return ConfigFactory.parseResources(JobFileLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static void collectKeys(ConfigObject object, String prefix, List<String> keys, Set<String> groups) {
        // Typesafe Config keeps an object's entries in no particular order: sort by line in the file.
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(object.entrySet());
        entries.sort(java.util.Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        for (Map.Entry<String, ConfigValue> e : entries) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof ConfigObject child && !MAPS.contains(key)) {
                groups.add(key);
                collectKeys(child, key, keys, groups);
            } else {
                keys.add(key);
            }
        }
    }

    /** The layers merged and resolved, unchecked. */
    Config merge(Path jobFile, List<Override> overrides) {
        Config defaults = defaults();
        Config job = ConfigFactory.empty();
        if (jobFile != null) {
            if (!Files.isRegularFile(jobFile)) {
                throw new ConfigurationException("job file " + jobFile + ": no such file");
            }
            try {
                job = ConfigFactory.parseFile(jobFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigurationException("job file " + jobFile + ": " + e.getMessage(), e);
            }
        }
        Config commandLine = ConfigFactory.empty();
        Map<String, String> sourceOfKey = new LinkedHashMap<>();
        for (Override o : overrides) {
            String previous = sourceOfKey.putIfAbsent(o.key(), o.source());
            if (previous != null) {
                throw new ConfigurationException("key " + o.key() + " is given twice on the command line ("
                        + previous + " and " + o.source() + ")");
            }
            ConfigValue value = ConfigValueFactory.fromAnyRef(o.value(), "command line " + o.source());
            try {
                commandLine = commandLine.withValue(o.key(), value);
            } catch (ConfigException e) {
                throw new ConfigurationException(o.source() + " " + o.key() + ": " + e.getMessage(), e);
            }
        }
        try {
            return commandLine.withFallback(job).withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    // ---- unknown keys ----------------------------------------------------------------------

    private static void checkKeys(ConfigObject object, String prefix) {
        List<String> problems = new ArrayList<>();
        collectUnknown(object, prefix, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    private static void collectUnknown(ConfigObject object, String prefix, List<String> problems) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = prefix.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : prefix + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue value = e.getValue();
            boolean isObject = value.valueType() == ConfigValueType.OBJECT;
            if (ALL.contains(key)) {
                if (isObject && !MAPS.contains(key)) {
                    problems.add("key " + key + ": expected a value, found a group of keys" + where(value.origin()));
                }
            } else if (GROUPS.contains(key)) {
                if (isObject) {
                    collectUnknown((ConfigObject) value, key, problems);
                } else {
                    problems.add("key " + key + ": is a group of keys (" + String.join(", ", keysOf(key))
                            + "), found " + describe(value) + where(value.origin()));
                }
            } else if (isObject && !((ConfigObject) value).isEmpty()) {
                collectUnknown((ConfigObject) value, key, problems);
            } else {
                problems.add(unknownKey(key, value.origin()));
            }
        }
    }

    private static String unknownKey(String key, ConfigOrigin origin) {
        StringBuilder m = new StringBuilder("unknown key ").append(key).append(where(origin));
        if (key.startsWith("spark.")) {
            return m.append("; Spark settings go on the command line: ./submit.sh --conf ").append(key)
                    .append("=VALUE <command> ...").toString();
        }
        List<String> candidates = new ArrayList<>(ALL);
        Optional<String> suggestion = NearestKey.suggest(key, candidates);
        suggestion.ifPresent(s -> m.append("; did you mean ").append(s).append('?'));
        return m.toString();
    }

    private static List<String> keysOf(String group) {
        return ALL.stream().filter(k -> k.startsWith(group + ".")).collect(Collectors.toList());
    }

    static String where(ConfigOrigin origin) {
        if (origin == null) {
            return "";
        }
        String place;
        if (origin.filename() != null) {
            place = origin.filename();
        } else if (origin.resource() != null) {
            place = "defaults " + origin.resource();
        } else {
            place = origin.description();
        }
        return origin.lineNumber() > 0 ? " (" + place + ": " + origin.lineNumber() + ")" : " (" + place + ")";
    }

    private static String describe(ConfigValue value) {
        switch (value.valueType()) {
            case LIST: return "a list";
            case OBJECT: return "a group of keys";
            case NULL: return "null";
            default: return redacted(String.valueOf(value.unwrapped()));
        }
    }

    /** Values up to this length are shown whole in an error (a mistyped word: 'xls', 'maybe'). */
    static final int SHOWN_WHOLE = 6;

    /**
     * A configuration value as an error may show it: whole when short, else its first three
     * characters and its length, since a value put under the wrong key may be a secret
     * ({@code '${DB_PASSWORD}'} bound to a boolean). The key and the file and line say where to look.
     */
    public static String redacted(String value) {
        if (value.length() <= SHOWN_WHOLE) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, 3) + "…' (" + value.length() + " characters)";
    }

    // ---- typed reading -----------------------------------------------------------------------

    /** Reads typed values from the merged configuration; every error names the key and its origin. */
    private final class Reader {
        private final Config config;
        private final Path jobFile;

        Reader(Config config, Path jobFile) {
            this.config = config;
            this.jobFile = jobFile;
        }

        JobConfig build() {
            String jobName = Optional.ofNullable(string(JOB_NAME)).orElseGet(this::defaultJobName);
            if (!JOB_NAME_CHARS.matcher(jobName).matches()) {
                throw error(JOB_NAME, "a name of letters, digits, '.', '_' and '-' (it becomes a folder and a"
                        + " partition value)", redacted(jobName));
            }
            LocalDate runDate = runDate();

            String modelPath = required(MODEL_PATH, "--model PATH");
            List<String> inputPaths = list(INPUT_PATHS, false);
            String inputTable = string(INPUT_TABLE);
            String inputWhere = string(INPUT_WHERE);
            if (inputTable != null && !inputPaths.isEmpty()) {
                throw new ConfigurationException("keys " + INPUT_PATHS + " and " + INPUT_TABLE + ": give one of them,"
                        + " not both");
            }
            if (inputWhere != null && inputTable == null) {
                throw new ConfigurationException("key " + INPUT_WHERE + ": filters an " + INPUT_TABLE + "; give one");
            }
            if (inputPaths.isEmpty() && inputTable == null) {
                throw new ConfigurationException("key " + INPUT_PATHS + ": missing; give at least one path in the job"
                        + " file or with --input PATH");
            }
            String outputPath = stripTrailingSlash(required(OUTPUT_PATH, "--output PATH"));
            Format inputFormat = Optional.ofNullable(format(INPUT_FORMAT, Format.CSV, Format.PARQUET))
                    .orElseGet(() -> inputPaths.isEmpty() ? Format.PARQUET : guessFormat(inputPaths.get(0)));
            Format outputFormat = Optional.ofNullable(format(OUTPUT_FORMAT, Format.PARQUET, Format.CSV, Format.DELTA))
                    .orElse(Format.PARQUET);
            JobConfig.Formats formats = new JobConfig.Formats(
                    Optional.ofNullable(format(QUARANTINE_FORMAT, Format.PARQUET, Format.DELTA)).orElse(Format.PARQUET),
                    Optional.ofNullable(format(SUMMARY_FORMAT, Format.PARQUET, Format.DELTA)).orElse(Format.PARQUET));

            String delimiter = Optional.ofNullable(string(CSV_DELIMITER)).orElse(",");
            if (delimiter.isEmpty()) {
                throw error(CSV_DELIMITER, "a non-empty string", "''");
            }
            String quote = Optional.ofNullable(string(CSV_QUOTE)).orElse("\"");
            if (quote.length() != 1) {
                throw error(CSV_QUOTE, "one character", redacted(quote));
            }
            List<String> features = list(FEATURES, true);
            String featureColumn = string(FEATURE_COLUMN);
            if (featureColumn != null && !features.isEmpty()) {
                throw new ConfigurationException("keys " + FEATURES + " and " + FEATURE_COLUMN + ": give one of them,"
                        + " not both (the features come either from columns or from one vector column)");
            }
            InputConfig input = new InputConfig(
                    fill(INPUT_PATHS, inputPaths, runDate),
                    inputFormat,
                    bool(CSV_HEADER, true),
                    delimiter,
                    quote,
                    features,
                    map(COLUMN_MAPPING),
                    featureColumn,
                    list(LABELS, true),
                    list(PASS_THROUGH, true),
                    string(WEIGHT),
                    bool(CSV_MULTI_LINE, false),
                    inputTable,
                    inputWhere == null ? null : fill(INPUT_WHERE, inputWhere, runDate));

            String quarantinePath = Optional.ofNullable(string(QUARANTINE_PATH)).orElse(outputPath + "_quarantine");
            String summaryPath = string(SUMMARY_PATH);
            String summaryTable = string(SUMMARY_TABLE);
            SummaryConfig summary;
            if (summaryPath != null && summaryTable != null) {
                throw new ConfigurationException("keys " + SUMMARY_PATH + " and " + SUMMARY_TABLE
                        + ": give one of them, not both");
            } else if (summaryTable != null) {
                summary = new SummaryConfig(null, summaryTable);
            } else {
                summary = SummaryConfig.atPath(fill(SUMMARY_PATH,
                        summaryPath != null ? summaryPath : outputPath + "_summary", runDate));
            }
            double maxFraction = fraction(MAX_QUARANTINE_FRACTION);
            String output = fill(OUTPUT_PATH, outputPath, runDate);
            String quarantine = fill(QUARANTINE_PATH, quarantinePath, runDate);
            checkDistinct(OUTPUT_PATH, output, QUARANTINE_PATH, quarantine);
            if (summary.path() != null) {
                checkDistinct(OUTPUT_PATH, output, SUMMARY_PATH, summary.path());
                checkDistinct(QUARANTINE_PATH, quarantine, SUMMARY_PATH, summary.path());
            }
            try {
                return new JobConfig(
                        jobName,
                        runDate,
                        fill(MODEL_PATH, modelPath, runDate),
                        input,
                        new OutputConfig(output, outputFormat, outputColumns(), outputLayout(outputFormat), catalog()),
                        quarantine,
                        maxFraction,
                        summary,
                        metrics(),
                        list(SEGMENTS, true),
                        thresholds(),
                        topK(),
                        parsed(MODEL_TASK, Task::parse),
                        parsed(MODEL_OUTPUTS, OutputValues::parse),
                        new JobConfig.LockConfig(seconds(LOCK_WAIT), seconds(LOCK_LEASE)),
                        formats,
                        precision(),
                        monitoring(runDate));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
        }

        /** output.table, quarantine.table and catalog.local-path. */
        private JobConfig.Catalog catalog() {
            String local = string(CATALOG_LOCAL_PATH);
            if (local == null || local.isBlank()) {
                throw error(CATALOG_LOCAL_PATH, "a folder", "null");
            }
            return new JobConfig.Catalog(string(OUTPUT_TABLE), string(QUARANTINE_TABLE), local);
        }

        private void checkDistinct(String key1, String path1, String key2, String path2) {
            if (stripTrailingSlash(path1).equals(stripTrailingSlash(path2))) {
                throw new ConfigurationException("keys " + key1 + " and " + key2 + " name the same path " + path1
                        + "; predictions, quarantine and summary each need their own");
            }
        }

        /** model.precision: float64 (the default) or float32. */
        private io.annscore.network.Precision precision() {
            String s = string(MODEL_PRECISION);
            if (s == null) {
                return io.annscore.network.Precision.FLOAT64;
            }
            try {
                return io.annscore.network.Precision.parse(s);
            } catch (IllegalArgumentException e) {
                throw error(MODEL_PRECISION, "float64 or float32", redacted(s));
            }
        }

        /** output.columns: names of {@link OutputColumn}, each once. */
        private List<OutputColumn> outputColumns() {
            List<OutputColumn> out = new ArrayList<>();
            for (String id : list(OUTPUT_COLUMNS, true)) {
                OutputColumn c;
                try {
                    c = OutputColumn.parse(id);
                } catch (IllegalArgumentException e) {
                    ConfigValue v = value(OUTPUT_COLUMNS);
                    throw new ConfigurationException("key " + OUTPUT_COLUMNS + ": " + e.getMessage()
                            + (v == null ? "" : where(v.origin())));
                }
                if (out.contains(c)) {
                    throw new ConfigurationException("key " + OUTPUT_COLUMNS + ": " + c.id() + " is named twice");
                }
                out.add(c);
            }
            return out;
        }

        /** output.layout: arrays or columns, or null for the default; CSV has no arrays. */
        private JobConfig.Layout outputLayout(Format outputFormat) {
            String s = string(OUTPUT_LAYOUT);
            if (s == null) {
                return null;
            }
            JobConfig.Layout layout;
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "arrays": layout = JobConfig.Layout.ARRAYS; break;
                case "columns": layout = JobConfig.Layout.COLUMNS; break;
                default: throw error(OUTPUT_LAYOUT, "arrays or columns", redacted(s));
            }
            if (layout == JobConfig.Layout.ARRAYS && outputFormat == Format.CSV) {
                throw new ConfigurationException("keys " + OUTPUT_LAYOUT + " and " + OUTPUT_FORMAT + ": CSV has no"
                        + " arrays; with output.format = csv the layout is always columns");
            }
            return layout;
        }

        private List<String> metrics() {
            List<String> ids = list(METRICS, true);
            for (String id : ids) {
                try {
                    Metric.parse(id);
                } catch (IllegalArgumentException e) {
                    ConfigValue v = value(METRICS);
                    throw new ConfigurationException("key " + METRICS + ": " + e.getMessage()
                            + (v == null ? "" : where(v.origin())));
                }
            }
            return ids;
        }

        /** metric-thresholds: numbers in [0, 1], each once. */
        private List<Double> thresholds() {
            List<Double> out = new ArrayList<>();
            for (String text : list(METRIC_THRESHOLDS, true)) {
                double t;
                try {
                    t = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw error(METRIC_THRESHOLDS, "a list of numbers from 0 to 1", "'" + text + "'");
                }
                if (!(t >= 0 && t <= 1)) {
                    throw error(METRIC_THRESHOLDS, "a list of numbers from 0 to 1", text);
                }
                if (out.contains(t)) {
                    throw error(METRIC_THRESHOLDS, "each threshold once", text + " twice");
                }
                out.add(t);
            }
            return out;
        }

        /** metric-top-k: an integer ≥ 1. */
        private int topK() {
            String text = string(METRIC_TOP_K);
            if (text == null) {
                return io.annscore.metrics.MetricStats.DEFAULT_TOP_K;
            }
            try {
                int k = Integer.parseInt(text.trim());
                if (k >= 1) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(METRIC_TOP_K, "an integer of at least 1", "'" + text + "'");
        }

        private String defaultJobName() {
            if (jobFile == null) {
                return DEFAULT_JOB_NAME;
            }
            String file = jobFile.getFileName().toString();
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }

        private LocalDate runDate() {
            String text = string(RUN_DATE);
            if (text == null) {
                return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
            }
            try {
                // LocalDate.parse also takes '+10000-01-01', a year no partition value can carry
                if (!FOUR_DIGIT_YEAR_DATE.matcher(text).matches()) {
                    throw new DateTimeParseException("not yyyy-MM-dd", text, 0);
                }
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw error(RUN_DATE, "a date yyyy-MM-dd with a 4-digit year", redacted(text));
            }
        }

        private ConfigValue value(String key) {
            if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
                return null;
            }
            return config.getValue(key);
        }

        private ConfigurationException error(String key, String expected, String found) {
            ConfigValue v = value(key);
            return new ConfigurationException("key " + key + ": expected " + expected + ", found " + found
                    + (v == null ? "" : where(v.origin())));
        }

        private String required(String key, String flag) {
            String s = string(key);
            if (s == null || s.isBlank()) {
                throw new ConfigurationException("key " + key + ": missing; set it in the job file or give " + flag);
            }
            return s;
        }

        private String string(String key) {
            ConfigValue v = value(key);
            if (v == null) {
                return null;
            }
            switch (v.valueType()) {
                case STRING:
                case NUMBER:
                case BOOLEAN:
                    return String.valueOf(v.unwrapped());
                default:
                    throw error(key, "a string", describe(v));
            }
        }

        private boolean bool(String key, boolean dflt) {
            ConfigValue v = value(key);
            if (v == null) {
                return dflt;
            }
            if (v.valueType() == ConfigValueType.BOOLEAN) {
                return (Boolean) v.unwrapped();
            }
            if (v.valueType() == ConfigValueType.STRING) {
                switch (((String) v.unwrapped()).toLowerCase(Locale.ROOT)) {
                    case "true": case "yes": case "on": return true;
                    case "false": case "no": case "off": return false;
                    default:
                }
            }
            throw error(key, "true or false", describe(v));
        }

        private double fraction(String key) {
            ConfigValue v = value(key);
            if (v == null) {
                return JobConfig.DEFAULT_MAX_QUARANTINE_FRACTION;
            }
            double d;
            if (v.valueType() == ConfigValueType.NUMBER) {
                d = ((Number) v.unwrapped()).doubleValue();
            } else if (v.valueType() == ConfigValueType.STRING) {
                try {
                    d = Double.parseDouble(((String) v.unwrapped()).trim());
                } catch (NumberFormatException e) {
                    throw error(key, "a number from 0 to 1", describe(v));
                }
            } else {
                throw error(key, "a number from 0 to 1", describe(v));
            }
            if (!(d >= 0 && d <= 1)) {
                throw error(key, "a number from 0 to 1", String.valueOf(d));
            }
            return d;
        }

        /** A value read by a parser whose message says what is known; null when unset. */
        private <T> T parsed(String key, java.util.function.Function<String, T> parser) {
            String s = string(key);
            if (s == null) {
                return null;
            }
            try {
                return parser.apply(s.trim());
            } catch (IllegalArgumentException e) {
                ConfigValue v = value(key);
                throw new ConfigurationException("key " + key + ": " + e.getMessage() + (v == null ? "" : where(v.origin())));
            }
        }

        /** The progress, profile, drift and report keys. */
        private JobConfig.Monitoring monitoring(LocalDate runDate) {
            String profilePath = string(PROFILE_PATH);
            String referenceProfile = string(DRIFT_REFERENCE_PROFILE);
            String reportPath = string(REPORT_PATH);
            String referenceRun = string(DRIFT_REFERENCE_RUN);
            if (referenceRun != null) {
                try {
                    LocalDate.parse(referenceRun.trim());
                } catch (java.time.format.DateTimeParseException e) {
                    throw error(DRIFT_REFERENCE_RUN, "a run date yyyy-MM-dd", redacted(referenceRun));
                }
                referenceRun = referenceRun.trim();
            }
            return new JobConfig.Monitoring(seconds(PROGRESS_SECONDS), bool(PROFILE_ENABLED, true),
                    profilePath == null ? null : fill(PROFILE_PATH, profilePath, runDate), whole(PROFILE_BINS, 2, 100),
                    referenceRun, referenceProfile == null ? null : fill(DRIFT_REFERENCE_PROFILE, referenceProfile, runDate),
                    positive(DRIFT_PSI_WARNING), positive(DRIFT_PSI_ALARM), bool(DRIFT_FAIL_ON_ALARM, false),
                    bool(REPORT_ENABLED, true), reportPath == null ? null : fill(REPORT_PATH, reportPath, runDate),
                    whole(REPORT_TREND_RUNS, 1, 10_000));
        }

        private int whole(String key, int min, int max) {
            ConfigValue v = value(key);
            String expected = "a whole number from " + min + " to " + max;
            if (v == null || v.valueType() != ConfigValueType.NUMBER && v.valueType() != ConfigValueType.STRING) {
                throw error(key, expected, v == null ? "null" : describe(v));
            }
            try {
                int n = Integer.parseInt(String.valueOf(v.unwrapped()).trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(key, expected, describe(v));
        }

        private double positive(String key) {
            ConfigValue v = value(key);
            if (v != null && (v.valueType() == ConfigValueType.NUMBER || v.valueType() == ConfigValueType.STRING)) {
                try {
                    double d = Double.parseDouble(String.valueOf(v.unwrapped()).trim());
                    if (d > 0 && Double.isFinite(d)) {
                        return d;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw error(key, "a number above 0", v == null ? "null" : describe(v));
        }

        /** A whole number of seconds, 0 to a day. */
        private int seconds(String key) {
            ConfigValue v = value(key);
            if (v == null || v.valueType() != ConfigValueType.NUMBER && v.valueType() != ConfigValueType.STRING) {
                throw error(key, "a whole number of seconds from 0 to 86400", v == null ? "null" : describe(v));
            }
            String text = String.valueOf(v.unwrapped()).trim();
            try {
                int n = Integer.parseInt(text);
                if (n >= 0 && n <= 86_400) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw error(key, "a whole number of seconds from 0 to 86400", describe(v));
        }

        private Format format(String key, Format... allowed) {
            String s = string(key);
            if (s == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (Format f : allowed) {
                String name = f.name().toLowerCase(Locale.ROOT);
                if (name.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return f;
                }
                names.add(name);
            }
            String expected = names.size() == 2 ? names.get(0) + " or " + names.get(1)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
            throw error(key, expected, redacted(s));
        }

        /**
         * A list of strings. A plain string is one element, or (when {@code splitCommas}, for column
         * names and metric ids) a comma-separated list, as given on the command line.
         */
        private List<String> list(String key, boolean splitCommas) {
            ConfigValue v = value(key);
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (v.valueType() == ConfigValueType.LIST) {
                for (Object element : (List<?>) v.unwrapped()) {
                    if (element == null || element instanceof List || element instanceof Map) {
                        throw error(key, "a list of strings", "an element " + (element == null ? "null"
                                : element instanceof List ? "that is a list" : "that is a group of keys"));
                    }
                    out.add(String.valueOf(element));
                }
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                throw error(key, "a list of strings", "a group of keys");
            } else {
                String s = String.valueOf(v.unwrapped());
                out.addAll(splitCommas ? Arrays.asList(s.split(",")) : List.of(s));
            }
            List<String> trimmed = out.stream().map(String::trim).collect(Collectors.toList());
            if (trimmed.stream().anyMatch(String::isEmpty)) {
                throw error(key, "a list of non-empty strings", trimmed.toString());
            }
            return trimmed;
        }

        private Map<String, String> map(String key) {
            ConfigValue v = value(key);
            if (v == null) {
                return Map.of();
            }
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw error(key, "a group of name = column entries", describe(v));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
                ConfigValueType t = e.getValue().valueType();
                if (t != ConfigValueType.STRING && t != ConfigValueType.NUMBER) {
                    throw error(key, "a column name for feature '" + e.getKey() + "'", describe(e.getValue()));
                }
                out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
            return out;
        }

        private List<String> fill(String key, List<String> paths, LocalDate runDate) {
            return paths.stream().map(p -> RunDateTemplate.fill(key, p, runDate)).collect(Collectors.toList());
        }

        private String fill(String key, String path, LocalDate runDate) {
            return RunDateTemplate.fill(key, path, runDate);
        }
    }

    private static Format guessFormat(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".csv") || p.endsWith(".csv.gz") || p.endsWith(".csv.bz2") ? Format.CSV : Format.PARQUET;
    }

    private static String stripTrailingSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/") && !p.endsWith("://")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The configuration as {@code key = value} lines, every key with the value the run will use. */
    public static String describe(JobConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(JOB_NAME, c.jobName());
        m.put(RUN_DATE, c.runDate());
        m.put(MODEL_PATH, c.modelPath());
        m.put(MODEL_TASK, c.modelTask() == null ? "(the model's, or inferred)" : c.modelTask().id());
        m.put(MODEL_OUTPUTS, c.modelOutputs() == null ? "(the model's, or inferred)" : c.modelOutputs().id());
        m.put(MODEL_PRECISION, c.precision().id());
        m.put(INPUT_PATHS, c.input().paths());
        m.put(INPUT_TABLE, c.input().table());
        m.put(INPUT_WHERE, c.input().where());
        m.put(INPUT_FORMAT, c.input().format().name().toLowerCase(Locale.ROOT));
        if (c.input().format() == Format.CSV) {
            m.put(CSV_HEADER, c.input().csvHeader());
            m.put(CSV_DELIMITER, c.input().csvDelimiter());
            m.put(CSV_QUOTE, c.input().csvQuote());
            m.put(CSV_MULTI_LINE, c.input().csvMultiLine());
        }
        m.put(FEATURES, c.input().featureColumns().isEmpty() ? "(the network's feature names)" : c.input().featureColumns());
        m.put(FEATURE_COLUMN, c.input().featureVectorColumn());
        m.put(COLUMN_MAPPING, c.input().columnMapping());
        m.put(LABELS, c.input().labelColumns());
        m.put(PASS_THROUGH, c.input().passThroughColumns());
        m.put(WEIGHT, c.input().weightColumn());
        m.put(OUTPUT_PATH, c.output().path());
        m.put(OUTPUT_FORMAT, c.output().format().name().toLowerCase(Locale.ROOT));
        m.put(OUTPUT_COLUMNS, c.output().columns().isEmpty() ? "(every column that applies)"
                : c.output().columns().stream().map(OutputColumn::id).toList());
        m.put(OUTPUT_LAYOUT, c.output().effectiveLayout().id());
        m.put(OUTPUT_TABLE, c.output().catalog().predictions());
        m.put(QUARANTINE_PATH, c.quarantinePath());
        m.put(QUARANTINE_FORMAT, c.formats().quarantine().name().toLowerCase(Locale.ROOT));
        m.put(QUARANTINE_TABLE, c.output().catalog().quarantine());
        m.put(MAX_QUARANTINE_FRACTION, c.maxQuarantineFraction());
        m.put(SUMMARY_PATH, c.summary().path());
        m.put(SUMMARY_TABLE, c.summary().table());
        m.put(SUMMARY_FORMAT, c.formats().summary().name().toLowerCase(Locale.ROOT));
        m.put(METRICS, c.metrics().isEmpty() ? "(every metric of the network's task)" : c.metrics());
        m.put(METRIC_THRESHOLDS, c.metricThresholds());
        m.put(METRIC_TOP_K, c.topK());
        m.put(SEGMENTS, c.segmentColumns());
        m.put(LOCK_WAIT, c.lock().waitSeconds());
        m.put(LOCK_LEASE, c.lock().leaseSeconds());
        JobConfig.Monitoring mon = c.monitoring();
        m.put(PROGRESS_SECONDS, mon.progressSeconds());
        m.put(PROFILE_ENABLED, mon.profile());
        m.put(PROFILE_PATH, c.profilePath());
        m.put(PROFILE_BINS, mon.bins());
        m.put(DRIFT_REFERENCE_RUN, mon.referenceRun());
        m.put(DRIFT_REFERENCE_PROFILE, mon.referenceProfile());
        m.put(DRIFT_PSI_WARNING, mon.psiWarning());
        m.put(DRIFT_PSI_ALARM, mon.psiAlarm());
        m.put(DRIFT_FAIL_ON_ALARM, mon.failOnAlarm());
        m.put(REPORT_ENABLED, mon.report());
        m.put(REPORT_PATH, c.reportPath());
        m.put(REPORT_TREND_RUNS, mon.trendRuns());
        m.put(CATALOG_LOCAL_PATH, c.output().catalog().localPath());
        int width = m.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        m.forEach((k, v) -> out.append("  ").append(String.format("%-" + width + "s", k)).append(" = ")
                .append(v == null ? "null" : v).append('\n'));
        return out.toString();
    }
}
