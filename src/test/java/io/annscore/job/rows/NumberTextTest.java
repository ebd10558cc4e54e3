package io.annscore.job.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumberTextTest {
    private final NumberText number = new NumberText();

    @Test
    void readsDecimalAndExponentForms() {
        assertEquals(NumberText.Status.OK, number.parse(" -1.5e3 "));
        assertEquals(-1500.0, number.value);
        assertEquals(NumberText.Status.OK, number.parse("0.07871"));
        assertEquals(0.07871, number.value);
        assertEquals(NumberText.Status.OK, number.parse("+2"));
        assertEquals(2.0, number.value);
    }

    @Test
    void tellsMissingFromTextFromNonFinite() {
        assertEquals(NumberText.Status.MISSING, number.parse(null));
        assertEquals(NumberText.Status.MISSING, number.parse(""));
        assertEquals(NumberText.Status.MISSING, number.parse("  "));
        assertEquals(NumberText.Status.NON_NUMERIC, number.parse("n/a"));
        assertEquals(NumberText.Status.NON_NUMERIC, number.parse("1,5"));
        assertEquals(NumberText.Status.NON_NUMERIC, number.parse("oops"));
        assertEquals(NumberText.Status.NON_FINITE, number.parse("NaN"));
        assertEquals(NumberText.Status.NON_FINITE, number.parse("-Infinity"));
        assertEquals(NumberText.Status.NON_FINITE, number.parse("inf"));
        assertEquals(NumberText.Status.NON_FINITE, number.parse("+Inf"));
        assertEquals(NumberText.Status.NON_FINITE, number.parse("1e400"));
    }
}
