package io.annscore.importers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The oracle fixtures copied under src/test/resources/fixtures, read the simple way. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String caseName, String file) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + caseName + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode caseJson(String caseName) throws IOException {
        return new ObjectMapper().readTree(path(caseName, "case.json").toFile());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The rows of a CSV file with a header, as column → text, keyed by the first column (id). */
    static Map<String, Map<String, String>> csvById(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length != header.length) {
                continue;   // a malformed line of a dirty case
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int k = 0; k < header.length; k++) {
                row.put(header[k], f[k]);
            }
            rows.put(f[0], row);
        }
        return rows;
    }

    /** The feature values of a row, or null when one is not a finite number (a dirty row). */
    static double[] features(Map<String, String> row, List<String> columns) {
        double[] x = new double[columns.size()];
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = Double.parseDouble(row.get(columns.get(i)));
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(x[i])) {
                return null;
            }
        }
        return x;
    }
}
