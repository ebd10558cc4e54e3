package io.annscore.cli.jobfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.cli.jobfile.JobFileLoader.Override;
import io.annscore.job.JobConfig.Format;
import io.annscore.job.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFileLoaderTest {
    // 2024-03-01T00:30 UTC is still 2024-02-29 in New York: "yesterday in UTC" must be 2024-02-29,
    // whatever the clock's own zone says.
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-01T00:30:00Z"), ZoneId.of("America/New_York"));
    private final JobFileLoader loader = new JobFileLoader(CLOCK);

    @TempDir
    Path dir;

    private Path job(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<Override> flags(String... keyValues) {
        return java.util.Arrays.stream(keyValues).map(JobFileLoader::parseSet).toList();
    }

    private ConfigurationException fails(Path jobFile, List<Override> overrides) {
        return assertThrows(ConfigurationException.class, () -> loader.load(jobFile, overrides));
    }

    @Test
    void flagsAloneMakeAJobWithTheDocumentedDefaults() {
        // Given only the three required keys on the command line
        JobConfig c = loader.load(null, List.of(
                new Override("model.path", "m.json", "--model"),
                new Override("input.paths", List.of("in/a.csv"), "--input"),
                new Override("output.path", "out/preds/", "--output")));
        // Then every other key has its default
        assertEquals("annscore", c.jobName());
        assertEquals(LocalDate.of(2024, 2, 29), c.runDate());
        assertEquals(Format.CSV, c.input().format(), "guessed from the .csv extension");
        assertTrue(c.input().csvHeader());
        assertEquals(",", c.input().csvDelimiter());
        assertEquals("\"", c.input().csvQuote());
        assertEquals(Format.PARQUET, c.output().format());
        assertEquals("out/preds", c.output().path());
        assertEquals("out/preds_quarantine", c.quarantinePath());
        assertEquals("out/preds_summary", c.summary().path());
        assertNull(c.summary().table());
        assertEquals(0.01, c.maxQuarantineFraction());
        assertEquals(List.of(), c.metrics());
        assertEquals(List.of(), c.input().labelColumns());
        assertNull(c.input().weightColumn());
        assertEquals(List.of(), c.metricThresholds());
        assertEquals(2, c.topK());
        assertNull(c.modelTask());
        assertNull(c.modelOutputs());
        assertEquals(io.annscore.network.Precision.FLOAT64, c.precision());
        assertEquals(List.of(), c.output().columns());
        assertEquals(JobConfig.Layout.COLUMNS, c.output().effectiveLayout());
    }

    @Test
    void outputColumnsLayoutAndPrecision() throws Exception {
        Path f = job("o.conf", "model.path = m.json\ninput.paths = [in.parquet]\noutput.path = out\n"
                + "output.columns = [probability, pass-through]\noutput.layout = arrays\nmodel.precision = float32\n");
        JobConfig c = loader.load(f, List.of());
        assertEquals(List.of(io.annscore.job.OutputColumn.PROBABILITY, io.annscore.job.OutputColumn.PASS_THROUGH),
                c.output().columns());
        assertEquals(JobConfig.Layout.ARRAYS, c.output().effectiveLayout());
        assertEquals(io.annscore.network.Precision.FLOAT32, c.precision());
        // the --set form, a comma-separated list
        JobConfig set = loader.load(f, flags("output.columns=loss,predicted_class"));
        assertEquals(List.of(io.annscore.job.OutputColumn.LOSS, io.annscore.job.OutputColumn.PREDICTED_CLASS),
                set.output().columns());
    }

    @Test
    void badOutputColumnsLayoutOrPrecisionNameTheKey() throws Exception {
        Path f = job("b.conf", "model.path = m.json\ninput.paths = [in.csv]\noutput.path = out\n");
        String unknown = fails(job("b2.conf", "model.path = m.json\ninput.paths = [in.csv]\noutput.path = out\n"
                + "output.columns = [probabilities]\n"), List.of()).getMessage();
        assertTrue(unknown.startsWith("key output.columns: unknown output column 'probabilities'; known: pass-through,"
                + " outputs, prediction, probability, predicted_class, predicted_label, loss ("), unknown);
        assertTrue(unknown.endsWith("b2.conf: 4)"), unknown);
        assertEquals("key output.columns: loss is named twice",
                fails(f, flags("output.columns=loss,loss")).getMessage());
        assertTrue(fails(f, flags("output.format=csv", "output.layout=arrays")).getMessage()
                .startsWith("keys output.layout and output.format: CSV has no arrays"));
        assertTrue(fails(f, flags("model.precision=float16")).getMessage()
                .startsWith("key model.precision: expected float64 or float32"));
    }

    @Test
    void weightThresholdsAndTopK() throws Exception {
        Path f = job("w.conf", "model.path = m.json\ninput.paths = [in.csv]\noutput.path = out\n"
                + "input.weight = w\nmetric-thresholds = [0.2, 0.75]\nmetric-top-k = 3\n");
        JobConfig c = loader.load(f, List.of());
        assertEquals("w", c.input().weightColumn());
        assertEquals(List.of(0.2, 0.75), c.metricThresholds());
        assertEquals(3, c.topK());
        // from the command line, a list as a comma-separated string
        assertEquals(List.of(0.1, 0.9), loader.load(f, flags("metric-thresholds=0.1,0.9")).metricThresholds());
    }

    @Test
    void badThresholdsAndTopKNameTheKey() throws Exception {
        Path f = job("bad.conf", "model.path = m.json\ninput.paths = [in.csv]\noutput.path = out\n");
        assertEquals("key metric-thresholds: expected a list of numbers from 0 to 1, found 1.5 (range.conf: 4)",
                fails(job("range.conf", "model.path = m.json\ninput.paths = [in.csv]\noutput.path = out\n"
                        + "metric-thresholds = [0.5, 1.5]\n"), List.of()).getMessage().replace(dir + "/", ""));
        assertTrue(fails(f, flags("metric-thresholds=0.3,abc")).getMessage()
                .startsWith("key metric-thresholds: expected a list of numbers from 0 to 1, found 'abc'"));
        assertTrue(fails(f, flags("metric-thresholds=0.3,0.3")).getMessage()
                .startsWith("key metric-thresholds: expected each threshold once, found 0.3 twice"));
        assertEquals("key metric-top-k: expected an integer of at least 1, found '0' (command line --set)",
                fails(f, flags("metric-top-k=0")).getMessage());
        assertTrue(fails(f, flags("metric-top-k=2.5")).getMessage()
                .startsWith("key metric-top-k: expected an integer of at least 1, found '2.5'"));
    }

    @Test
    void theModelsTaskAndOutputsAreKeysAndFlags() throws Exception {
        List<Override> base = flags("model.path=m", "input.paths=x.csv", "output.path=o");
        Path f = job("logits.conf", "model { task = multiclass, outputs = logits }\n");
        JobConfig c = loader.load(f, base);
        assertEquals(io.annscore.network.Task.MULTICLASS, c.modelTask());
        assertEquals(io.annscore.network.OutputValues.LOGITS, c.modelOutputs());
        JobConfig flagged = loader.load(null, with(base, "model.outputs=log_probabilities"));
        assertEquals(io.annscore.network.OutputValues.LOG_PROBABILITIES, flagged.modelOutputs());
        assertTrue(fails(null, with(base, "model.outputs=odds")).getMessage().startsWith(
                "key model.outputs: unknown kind of outputs 'odds'; known: probabilities, logits, log_probabilities"));
        assertTrue(fails(null, with(base, "model.task=ranking")).getMessage().startsWith(
                "key model.task: unknown task 'ranking'"));
    }

    @Test
    void theCommandLineOverridesTheJobFileWhichOverridesTheDefaults() throws Exception {
        Path f = job("nightly.conf", """
                model.path = models/m.json
                input { paths = ["in/x.parquet"], labels = [y], csv.delimiter = ";" }
                output.path = out/p
                quarantine.max-fraction = 0.2
                metrics = [accuracy]
                """);
        JobConfig c = loader.load(f, flags("quarantine.max-fraction=0.05", "input.labels=[a, b]"));
        assertEquals("nightly", c.jobName(), "the job file's name without .conf");
        assertEquals(0.05, c.maxQuarantineFraction());
        assertEquals(List.of("a", "b"), c.input().labelColumns());
        assertEquals(";", c.input().csvDelimiter(), "job file over defaults");
        assertEquals("\"", c.input().csvQuote(), "defaults kept where the job file is silent");
        assertEquals(Format.PARQUET, c.input().format());
        assertEquals(List.of("accuracy"), c.metrics());
    }

    @Test
    void runDateFillsEveryPathTemplate() throws Exception {
        Path f = job("d.conf", """
                run-date = "2024-05-31"
                model.path = "models/{run_date:yyyyMM}/m.json"
                input.paths = ["data/{run_date:yyyy/MM/dd}/*.parquet", "extra/{a,b}/{run_date}"]
                output.path = "out/{run_date}"
                """);
        JobConfig c = loader.load(f, List.of());
        assertEquals("models/202405/m.json", c.modelPath());
        assertEquals(List.of("data/2024/05/31/*.parquet", "extra/{a,b}/2024-05-31"), c.input().paths());
        assertEquals("out/2024-05-31", c.output().path());
        assertEquals("out/2024-05-31_quarantine", c.quarantinePath());
        assertEquals("out/2024-05-31_summary", c.summary().path());
    }

    @Test
    void unknownKeySuggestsTheNearestKnownKey() throws Exception {
        Path f = job("t.conf", "model.path = m\ninput.paths = [x]\noutput.path = o\ninput.fromat = csv\n");
        ConfigurationException e = fails(f, List.of());
        assertTrue(e.getMessage().startsWith("unknown key input.fromat ("), e.getMessage());
        assertTrue(e.getMessage().contains("t.conf: 4)"), "names the file and line: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("did you mean input.format?"), e.getMessage());
    }

    @Test
    void keyInTheWrongGroupSuggestsTheKeysWithThatName() {
        ConfigurationException e = fails(null, flags("format=csv"));
        assertEquals("unknown key format (command line --set); did you mean input.format or output.format or quarantine.format or summary.format?",
                e.getMessage());
    }

    @Test
    void unknownKeyFarFromAnyKnownOneGetsNoSuggestion() {
        ConfigurationException e = fails(null, flags("colour=blue"));
        assertEquals("unknown key colour (command line --set)", e.getMessage());
    }

    @Test
    void sparkSettingsInAJobFilePointToTheCommandLine() {
        ConfigurationException e = fails(null, flags("spark.executor.memory=4g"));
        assertTrue(e.getMessage().contains("./submit.sh --conf spark.executor.memory=VALUE"), e.getMessage());
    }

    @Test
    void typeAndRangeErrorsNameTheKey() throws Exception {
        List<Override> base = flags("model.path=m", "input.paths=x.csv", "output.path=o");
        assertEquals("key input.format: expected csv or parquet, found 'xls' (command line --set)",
                fails(null, with(base, "input.format=xls")).getMessage());
        assertEquals("key input.csv.header: expected true or false, found 'maybe' (command line --set)",
                fails(null, with(base, "input.csv.header=maybe")).getMessage());
        assertEquals("key quarantine.max-fraction: expected a number from 0 to 1, found 1.5 (command line --set)",
                fails(null, with(base, "quarantine.max-fraction=1.5")).getMessage());
        assertEquals("key quarantine.max-fraction: expected a number from 0 to 1, found 'lots' (command line --set)",
                fails(null, with(base, "quarantine.max-fraction=lots")).getMessage());
        assertEquals("key run-date: expected a date yyyy-MM-dd with a 4-digit year, found '202…' (10 characters)"
                + " (command line --set)", fails(null, with(base, "run-date=2024-02-30")).getMessage());
        assertEquals("key input.csv.quote: expected one character, found '\"\"' (command line --set)",
                fails(null, with(base, "input.csv.quote=\"\"")).getMessage());
        assertTrue(fails(null, with(base, "job.name=my job")).getMessage().startsWith("key job.name: expected a name"));
    }

    @Test
    void typeErrorsInAJobFileNameFileAndLine() throws Exception {
        Path f = job("bad.conf", "model.path = m\ninput.paths = [x]\noutput.path = o\n\nmetrics { a = 1 }\n");
        assertEquals("key metrics: expected a value, found a group of keys (" + f + ": 5)", fails(f, List.of()).getMessage());
        Path g = job("bad2.conf", "model.path = m\ninput = [x]\noutput.path = o\n");
        assertTrue(fails(g, List.of()).getMessage().startsWith("key input: is a group of keys (input.paths, "));
    }

    @Test
    void unknownMetricIdsAreConfigurationErrors() {
        ConfigurationException e = fails(null, flags("model.path=m", "input.paths=x", "output.path=o",
                "metrics=[accuracy, acuracy]"));
        assertTrue(e.getMessage().startsWith("key metrics: unknown metric 'acuracy'; known: mse, rmse, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(command line --set)"), e.getMessage());
    }

    @Test
    void missingRequiredKeysSayWhichFlagGivesThem() {
        assertEquals("key model.path: missing; set it in the job file or give --model PATH",
                fails(null, flags("input.paths=x", "output.path=o")).getMessage());
        assertEquals("key input.paths: missing; give at least one path in the job file or with --input PATH",
                fails(null, flags("model.path=m", "output.path=o")).getMessage());
        assertEquals("key output.path: missing; set it in the job file or give --output PATH",
                fails(null, flags("model.path=m", "input.paths=x")).getMessage());
    }

    @Test
    void aKeyGivenByFlagAndBySetIsAnError() {
        List<Override> o = new java.util.ArrayList<>(flags("model.path=m", "input.paths=x", "output.path=o"));
        o.add(new Override("model.path", "n", "--model"));
        assertEquals("key model.path is given twice on the command line (--set and --model)", fails(null, o).getMessage());
    }

    @Test
    void summaryTableReplacesTheDefaultSummaryPathAndBothAreRefused() {
        List<Override> base = flags("model.path=m", "input.paths=x", "output.path=o");
        JobConfig c = loader.load(null, with(base, "summary.table=ops.annscore_runs"));
        assertEquals("ops.annscore_runs", c.summary().table());
        assertNull(c.summary().path());
        assertEquals("keys summary.path and summary.table: give one of them, not both",
                fails(null, with(with(base, "summary.table=t"), "summary.path=p")).getMessage());
    }

    @Test
    void listsAndMapsFromTheCommandLineAndTheJobFile() throws Exception {
        Path f = job("m.conf", """
                model.path = m
                input.paths = [x]
                output.path = o
                input.column-mapping { petal_width = pw, "sepal.length" = sl }
                """);
        JobConfig c = loader.load(f, flags("input.features=petal_width, sepal.length", "segments=region"));
        assertEquals(List.of("petal_width", "sepal.length"), c.input().featureColumns());
        assertEquals(Map.of("petal_width", "pw", "sepal.length", "sl"), c.input().columnMapping());
        assertEquals(List.of("region"), c.segmentColumns());
        assertEquals("keys input.features and input.feature-column: give one of them, not both (the features come"
                + " either from columns or from one vector column)",
                fails(f, flags("input.features=a", "input.feature-column=v")).getMessage());
    }

    @Test
    void malformedJobFileIsAConfigurationErrorNamingTheFile() throws Exception {
        Path f = job("broken.conf", "model.path = [m\n");
        ConfigurationException e = fails(f, List.of());
        assertTrue(e.getMessage().startsWith("job file " + f + ": "), e.getMessage());
        assertEquals("job file " + dir.resolve("none.conf") + ": no such file",
                fails(dir.resolve("none.conf"), List.of()).getMessage());
    }

    @Test
    void predictionsQuarantineAndSummaryNeedTheirOwnPaths() {
        assertEquals("keys output.path and quarantine.path name the same path o; predictions, quarantine and summary"
                + " each need their own",
                fails(null, flags("model.path=m", "input.paths=x", "output.path=o", "quarantine.path=o/")).getMessage());
        assertEquals("keys quarantine.path and summary.path name the same path q; predictions, quarantine and summary"
                + " each need their own",
                fails(null, flags("model.path=m", "input.paths=x", "output.path=o", "quarantine.path=q",
                        "summary.path=q")).getMessage());
    }

    @Test
    void theShippedJobFilesLoad() {
        JobConfig demo = loader.load(Path.of("jobs/demo.conf"), List.of());
        assertEquals("demo", demo.jobName());
        assertEquals(List.of("jobs/data/iris.csv"), demo.input().paths());
        assertEquals(List.of("label"), demo.input().labelColumns());
        assertEquals(List.of("id"), demo.input().passThroughColumns());
        assertEquals("out/demo/predictions", demo.output().path());

        JobConfig nightly = loader.load(Path.of("jobs/nightly-example.conf"), flags("run-date=2024-05-31"));
        assertEquals("iris-nightly", nightly.jobName());
        assertEquals(List.of("jobs/data/landing/iris/2024/05/31/*.csv"), nightly.input().paths());
        assertEquals(0.005, nightly.maxQuarantineFraction());
        assertEquals(List.of("cross_entropy", "accuracy"), nightly.metrics());
    }

    @Test
    void aRunDateNeedsAFourDigitYear() {
        List<Override> base = flags("model.path=m", "input.paths=x.csv", "output.path=o");
        // LocalDate.parse alone takes these (years 10000 and −1)
        for (String date : List.of("+10000-01-01", "-0001-01-01", "+2024-01-01")) {
            assertTrue(fails(null, with(base, "run-date=" + date)).getMessage()
                    .startsWith("key run-date: expected a date yyyy-MM-dd with a 4-digit year, found '"), date);
        }
        assertEquals(LocalDate.of(9999, 12, 31), loader.load(null, with(base, "run-date=9999-12-31")).runDate());
        assertEquals(LocalDate.of(1, 1, 1), loader.load(null, with(base, "run-date=0001-01-01")).runDate());
    }

    @Test
    void aSecretUnderAKeyOfTheWrongTypeIsNotEchoed() throws Exception {
        String secret = "s3cr3t-Tok3n-9f8e7d6c5b4a";
        List<Override> base = flags("model.path=m", "input.paths=x.csv", "output.path=o");
        for (String key : List.of("input.csv.header", "quarantine.max-fraction", "input.format", "input.csv.quote",
                "run-date")) {
            String message = fails(null, with(base, key + "=" + secret)).getMessage();
            assertTrue(message.startsWith("key " + key + ": expected "), message);
            assertTrue(message.contains("found 's3c…' (25 characters)"), message);
            assertFalse(message.contains("cr3t"), message);
        }
        // also from a job file, a list where a value is expected, and a --set value HOCON cannot parse
        Path f = job("s.conf", "model.path = m\ninput.paths = [x.csv]\noutput.path = o\ninput.csv.header = \"" + secret + "\"\n");
        assertEquals("key input.csv.header: expected true or false, found 's3c…' (25 characters) (s.conf: 4)",
                fails(f, List.of()).getMessage().replace(f.toString(), "s.conf"));
        ConfigurationException unparsable = assertThrows(ConfigurationException.class,
                () -> JobFileLoader.parseSet("input.labels=[" + secret + ", \"open"));
        assertFalse(unparsable.getMessage().contains("cr3t"), unparsable.getMessage());
    }

    @Test
    void setNeedsKeyEqualsValue() {
        assertEquals("--set expects key=value, found 'model.path'",
                assertThrows(ConfigurationException.class, () -> JobFileLoader.parseSet("model.path")).getMessage());
    }

    @Test
    void describeListsEveryKeyWithItsValue() {
        JobConfig c = loader.load(null, flags("model.path=m", "input.paths=x.parquet", "output.path=o"));
        String text = JobFileLoader.describe(c);
        for (String key : JobFileLoader.ALL) {
            if (!key.startsWith("input.csv.")) {
                assertTrue(text.contains("  " + key + " "), key + " missing from\n" + text);
            }
        }
        assertTrue(text.contains(String.format("%-25s = 2024-02-29\n", "run-date")), text);
    }

    private static List<Override> with(List<Override> base, String keyValue) {
        List<Override> o = new java.util.ArrayList<>(base);
        o.add(JobFileLoader.parseSet(keyValue));
        return o;
    }
}
