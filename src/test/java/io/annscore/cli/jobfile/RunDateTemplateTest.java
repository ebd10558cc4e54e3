package io.annscore.cli.jobfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RunDateTemplateTest {
    private static final LocalDate DATE = LocalDate.of(2024, 1, 7);

    @Test
    void isoDateByDefaultAndAnyPatternAfterTheColon() {
        assertEquals("s3a://b/events/dt=2024-01-07/", RunDateTemplate.fill("k", "s3a://b/events/dt={run_date}/", DATE));
        assertEquals("in/2024/01/07/*.csv", RunDateTemplate.fill("k", "in/{run_date:yyyy/MM/dd}/*.csv", DATE));
        assertEquals("in/20240107-Sun", RunDateTemplate.fill("k", "in/{run_date:yyyyMMdd}-{run_date:EEE}", DATE));
        assertEquals("q/2024-007", RunDateTemplate.fill("k", "q/{run_date:yyyy-DDD}", DATE));
    }

    @Test
    void globBracesAreLeftAlone() {
        assertEquals("in/{a,b}/2024-01-07/*", RunDateTemplate.fill("k", "in/{a,b}/{run_date}/*", DATE));
        assertFalse(RunDateTemplate.isTemplate("in/{a,b}/*"));
        assertTrue(RunDateTemplate.isTemplate("in/{run_date:yyyy}/*"));
    }

    @Test
    void invalidPatternNamesTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RunDateTemplate.fill("input.paths", "in/{run_date:yyyy-bb}", DATE));
        assertTrue(e.getMessage().startsWith("key input.paths: invalid date pattern 'yyyy-bb' in {run_date:yyyy-bb}"),
                e.getMessage());
    }

    @Test
    void misspeltPlaceholderIsAnErrorNotAGlob() {
        for (String p : new String[] {"in/{run-date}", "in/{rundate}", "in/{RUN_DATE:yyyy}"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> RunDateTemplate.fill("output.path", p, DATE), p);
            assertTrue(e.getMessage().startsWith("key output.path: unknown placeholder '{"), e.getMessage());
            assertTrue(e.getMessage().endsWith("did you mean {run_date} or {run_date:PATTERN}?"), e.getMessage());
        }
    }
}
