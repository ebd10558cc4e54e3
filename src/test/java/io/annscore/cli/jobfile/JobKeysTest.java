package io.annscore.cli.jobfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.job.JobKeys;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The defaults file is the one registry of job keys: every key named in {@link JobKeys}, in a
 * message (a string literal) or a Javadoc {@code {@code …}} of the main sources, or in a code span of
 * the README and docs, is a key of that file.
 */
class JobKeysTest {
    /** A dotted key of one of the groups, or a top-level key; what a message or a page would name. */
    private static final Pattern KEY = Pattern.compile(
            "(?<![\\w.$/-])((?:job|model|input|output|quarantine|summary)\\.[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)(?![\\w(-])");
    private static final Pattern JAVA_TEXT = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"|\\{@code [^}]*}");
    private static final Pattern MARKDOWN_CODE = Pattern.compile("`[^`\\n]+`");
    /** The README's example of the error an unknown key gets. */
    private static final Set<String> MISSPELLED_ON_PURPOSE = Set.of("input.fromat");
    /** File names look like keys: {@code model.json}. */
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.(json|conf|csv|onnx|parquet|properties|md)");

    @Test
    void keyConstantsAreKeysOfTheDefaultsFile() throws IllegalAccessException {
        int checked = 0;
        for (Field f : JobKeys.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String key = (String) f.get(null);
                assertTrue(JobFileLoader.ALL.contains(key), "JobKeys." + f.getName() + " = " + key + " is no key of the defaults file");
                checked++;
            }
        }
        assertTrue(checked >= 20, "only " + checked + " constants");
    }

    @Test
    void defaultsFileListsTheDocumentedKeysInOrder() {
        assertEquals(List.of("job.name", "run-date", "model.path", "model.task", "model.outputs", "model.precision",
                "input.paths"), JobFileLoader.ALL.subList(0, 7));
        assertTrue(JobFileLoader.GROUPS.contains("input.csv"));
        assertTrue(!JobFileLoader.ALL.contains("input.csv") && JobFileLoader.ALL.contains("input.column-mapping"));
    }

    @Test
    void everyKeyNamedInSourcesAndDocsExists() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> problems = new ArrayList<>();
        List<Path> javaFiles;
        try (Stream<Path> s = Files.walk(root.resolve("src/main/java"))) {
            javaFiles = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        int seen = 0;
        for (Path p : javaFiles) {
            seen += scan(root, p, JAVA_TEXT, problems);
        }
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        for (Path p : pages) {
            seen += scan(root, p, MARKDOWN_CODE, problems);
        }
        assertTrue(seen > 50, "only " + seen + " key names found: is the scan looking in the right places?");
        assertEquals(List.of(), problems);
    }

    private static int scan(Path root, Path file, Pattern spans, List<String> problems) throws IOException {
        String text = Files.readString(file);
        int seen = 0;
        Matcher span = spans.matcher(text);
        while (span.find()) {
            Matcher key = KEY.matcher(span.group());
            while (key.find()) {
                String name = key.group(1);
                seen++;
                if (MISSPELLED_ON_PURPOSE.contains(name) || FILE_NAME.matcher(name).matches()) {
                    continue;
                }
                if (!JobFileLoader.ALL.contains(name) && !JobFileLoader.GROUPS.contains(name)) {
                    int line = (int) text.substring(0, span.start()).chars().filter(c -> c == '\n').count() + 1;
                    problems.add(root.relativize(file) + ":" + line + ": " + name);
                }
            }
        }
        return seen;
    }
}
