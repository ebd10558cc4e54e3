package io.annscore.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.annscore.importers.ModelSources.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSourcesTest {

    @Test
    void recognisesEachKindByContentNotByName(@TempDir Path dir) throws Exception {
        assertEquals(Kind.ONNX, ModelSources.detect(Fixtures.path("iris_relu_multiclass", "model.onnx")));
        assertEquals(Kind.MLLIB, ModelSources.detect(Fixtures.path("iris_relu_multiclass", "mllib_model")));

        Path onnxNamedJson = Files.copy(Fixtures.path("iris_relu_multiclass", "model.onnx"), dir.resolve("model.json"));
        assertEquals(Kind.ONNX, ModelSources.detect(onnxNamedJson));
        Path json = Files.writeString(dir.resolve("model.onnx"), "\uFEFF\n  {\"format\": \"annscore\"}",
                StandardCharsets.UTF_8);
        assertEquals(Kind.JSON, ModelSources.detect(json));
    }

    @Test
    void refusesWhatIsNoModel(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "weights: see attached spreadsheet\n");
        ImportException e = assertThrows(ImportException.class, () -> ModelSources.detect(text));
        assertTrue(e.getMessage().contains("is not a model annscore reads"), e.getMessage());

        byte[] onnx = Files.readAllBytes(Fixtures.path("iris_relu_multiclass", "model.onnx"));
        Path truncated = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(onnx, onnx.length / 3));
        assertThrows(ImportException.class, () -> ModelSources.detect(truncated));

        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(ImportException.class, () -> ModelSources.detect(empty));
        assertTrue(e.getMessage().contains("without a metadata/ folder"), e.getMessage());
    }
}
