package io.annscore.cli.jobfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NearestKeyTest {
    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NearestKey.distance("abc", "abc"));
        assertEquals(3, NearestKey.distance("kitten", "sitting"));
        assertEquals(2, NearestKey.distance("fromat", "format"), "a transposition is two substitutions");
        assertEquals(4, NearestKey.distance("", "path"));
    }

    @Test
    void suggestsTypoFixesAndKeysWithTheSameLeaf() {
        List<String> known = JobFileLoader.ALL;
        assertEquals(Optional.of("quarantine.max-fraction"), NearestKey.suggest("quarantine.max_fraction", known));
        assertEquals(Optional.of("input.pass-through"), NearestKey.suggest("input.passthrough", known));
        assertEquals(Optional.of("input.labels"), NearestKey.suggest("labels", known));
        assertEquals(Optional.of("model.path or input.paths or output.path or quarantine.path or summary.path"
                + " or profile.path or report.path"),
                NearestKey.suggest("data.path", known));
        assertEquals(Optional.empty(), NearestKey.suggest("colour", known));
    }
}
