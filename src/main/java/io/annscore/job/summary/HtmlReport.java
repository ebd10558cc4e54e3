package io.annscore.job.summary;

import java.util.List;
import java.util.Map;

/** The HTML report of a run: one self-contained file. */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(Map<String, Object> run, List<Map<String, Object>> segments,
                                List<Map<String, Object>> history, List<Profiles.Entry> profile,
                                Map<String, Profiles.Entry> reference) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>annscore</title></head><body></body></html>";
    }
}
