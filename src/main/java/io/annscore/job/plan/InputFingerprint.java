package io.annscore.job.plan;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a run read, in one string a later run can compare: the SHA-256 of the sorted lines
 * {@code <qualified path>\t<size in bytes>\t<modification time in ms>} of every data file the run
 * listed, followed by the number of files and bytes. Two runs with the same fingerprint listed the
 * same files with the same sizes and times; a file re-landed, grown, added or removed changes it.
 * It is computed on the driver from file statuses only (no file is opened). A file system that does
 * not keep modification times (0 for every file) falls back to names and sizes.
 *
 * @param value {@code sha256:<64 hex digits>;files=<n>;bytes=<b>}
 * @param files the number of data files
 * @param bytes their total size
 */
public record InputFingerprint(String value, int files, long bytes) {

    /** The fingerprint of {@code files} (qualified paths, as Spark lists them). */
    public static InputFingerprint of(Configuration conf, List<String> files) {
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        try {
            Map<Path, Map<Path, FileStatus>> byFolder = new HashMap<>();
            for (String file : files) {
                Path path = new Path(file);
                FileSystem fs = path.getFileSystem(conf);
                Path qualified = fs.makeQualified(path);
                // One listing per folder rather than one status call per file (a date's files share a folder).
                Map<Path, FileStatus> folder = byFolder.computeIfAbsent(qualified.getParent(), dir -> list(fs, dir));
                FileStatus status = folder.get(qualified);
                if (status == null) {
                    status = fs.getFileStatus(qualified);
                }
                lines.add(qualified + "\t" + status.getLen() + "\t" + status.getModificationTime());
                bytes += status.getLen();
            }
        } catch (FileNotFoundException e) {
            throw new io.annscore.job.InputException("an input file disappeared while the run listed it: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status of the input files: " + e.getMessage(), e);
        }
        lines.sort(null);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String line : lines) {
            sha.update(line.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        String value = "sha256:" + HexFormat.of().formatHex(sha.digest()) + ";files=" + lines.size() + ";bytes=" + bytes;
        return new InputFingerprint(value, lines.size(), bytes);
    }

    private static Map<Path, FileStatus> list(FileSystem fs, Path dir) {
        Map<Path, FileStatus> m = new LinkedHashMap<>();
        try {
            for (FileStatus s : fs.listStatus(dir)) {
                m.put(fs.makeQualified(s.getPath()), s);
            }
        } catch (IOException e) {
            // Fall back to one status call per file.
        }
        return m;
    }
}
