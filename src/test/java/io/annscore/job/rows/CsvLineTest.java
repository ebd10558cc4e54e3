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
}
