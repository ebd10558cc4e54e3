package io.annscore.job.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {
    @Test
    void splitsOnTheDelimiterAndUnquotes() {
        assertEquals(List.of("a", "b,c", "d\"e", "", "f"), CsvLine.split("a,\"b,c\",\"d\"\"e\",,f", ",", '"', '\\'));
        assertEquals(List.of("x", "y\"z"), CsvLine.split("x;\"y\\\"z\"", ";", '"', '\\'));
        assertEquals(List.of("1", "2", "3"), CsvLine.split("1||2||3", "||", '"', '\\'));
        assertEquals(List.of(""), CsvLine.split("", ",", '"', '\\'));
    }

    @Test
    void anUnterminatedQuoteIsNoRecord() {
        assertNull(CsvLine.split("1,\"2,3", ",", '"', '\\'));
        assertEquals(-1, CsvLine.fieldCount("1,\"2,3", ",", '"', '\\'));
    }

    @Test
    void corruptLinesAreTooShortTooLongOrNoRecordAtAll() {
        // Given a header of 6 fields
        assertEquals(QuarantineReason.WRONG_FIELD_COUNT, CsvLine.classifyCorrupt("32,1,2,3", ",", '"', '\\', 6));
        assertEquals(QuarantineReason.WRONG_FIELD_COUNT, CsvLine.classifyCorrupt("1,2,3,4,5,6,7", ",", '"', '\\', 6));
        assertEquals(QuarantineReason.MALFORMED_RECORD,
                CsvLine.classifyCorrupt("#### this line is not a record at all", ",", '"', '\\', 6));
        assertEquals(QuarantineReason.MALFORMED_RECORD, CsvLine.classifyCorrupt("1,\"2,3,4,5,6", ",", '"', '\\', 6));
        // a quoted delimiter is no field separator: 5 fields, not 6
        assertEquals(QuarantineReason.WRONG_FIELD_COUNT, CsvLine.classifyCorrupt("1,\"2,3\",4,5,6", ",", '"', '\\', 6));
    }

    @Test
    void aRenderedRecordSplitsBackIntoItsFields() {
        String[] fields = {"plain", "a,b", "say \"hi\"", "back\\slash", "two\nlines", null, "", "q\\\"x"};
        String line = CsvLine.render(fields, ",", '"', '\\');
        assertEquals("plain,\"a,b\",\"say \\\"hi\\\"\",back\\slash,\"two\nlines\",,,\"q\\\\\\\"x\"", line);
        // null and "" both come back empty: a CSV line cannot tell them apart
        // (split does not know an escaped escape, the last field; Spark's reader does)
        assertEquals(List.of("plain", "a,b", "say \"hi\"", "back\\slash", "two\nlines", "", ""),
                CsvLine.split(line, ",", '"', '\\').subList(0, 7));
        assertEquals("1;2", CsvLine.render(new String[] {"1", "2"}, ";", '"', '\\'));
    }
}
