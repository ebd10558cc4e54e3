package io.annscore.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Model identities computed by the tests themselves, from the documented rules, not by the code under test. */
public final class ModelDigests {
    private ModelDigests() {
    }

    /** SHA-256 (lower-case hex) of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(newSha256().digest(Files.readAllBytes(file)));
    }

    /**
     * The MLlib importer's documented digest of a model directory: for each file under data/ and
     * metadata/ whose name does not start with '_' or '.', in order of relative path, the UTF-8
     * relative path, a zero byte, the length as 8 bytes big-endian, then the contents.
     */
    public static String mllibDirectory(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        for (String sub : List.of("data", "metadata")) {
            try (Stream<Path> s = Files.list(dir.resolve(sub))) {
                s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_") && !n.startsWith("."))
                        .sorted().forEach(n -> files.add(sub + "/" + n));
            }
        }
        MessageDigest sha = newSha256();
        for (String name : files) {
            byte[] content = Files.readAllBytes(dir.resolve(name));
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(ByteBuffer.allocate(8).putLong(content.length).array());
            sha.update(content);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
