package io.annscore.network;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who a network is: its name, version and description, and where it came from (for imported
 * networks: the source file, its SHA-256, the importer and the date).
 */
public record ModelInfo(String name, String version, String description, Map<String, String> provenance) {

    public ModelInfo {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        version = version == null ? "" : version;
        description = description == null ? "" : description;
        provenance = Collections.unmodifiableMap(new TreeMap<>(provenance == null ? Map.of() : provenance));
    }

    public static ModelInfo named(String name) {
        return new ModelInfo(name, "", "", Map.of());
    }
}
