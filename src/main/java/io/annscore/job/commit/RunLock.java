package io.annscore.job.commit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per target and date. The lock is a file, {@code <output>/_annscore/lock-<date>},
 * made with the file system's atomic create-if-absent: {@code create(path, overwrite=false)} on HDFS,
 * whose NameNode refuses a second creator, and the JDK's {@code createFile} (O_EXCL) on a local disk.
 * Its holder renews a lease by touching the file's modification time every {@code lease / 3}; a
 * lock whose lease ran out is taken over by renaming it
 * to a name of the taker's own (a rename succeeds for one taker only) before creating a new one.
 *
 * <p>Object stores (S3, GCS, ABFS without hierarchical namespace) have no atomic create-if-absent
 * through Hadoop's API, so this lock does not exclude two writers there: run one writer per target
 * and date from the scheduler, or keep the outputs on HDFS or a file system that has it.
 */
public final class RunLock implements AutoCloseable {
    /** How long a lock lives without its holder renewing it. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    private final FileSystem fs;
    private final Path path;
    private final String runId;
    private final ScheduledExecutorService heartbeat;

    private RunLock(FileSystem fs, Path path, String runId, Duration lease) {
        this.fs = fs;
        this.path = path;
        this.runId = runId;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annscore-lock-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** The lock file of {@code output} for {@code partition} (a date folder's name, or "undated"). */
    public static Path lockPath(Path output, String partition) {
        return new Path(new Path(output, Journal.FOLDER), "lock-" + partition);
    }

    /**
     * Takes the lock, waiting up to {@code wait} for a live holder to finish.
     *
     * @throws LockHeldException when another run holds it past {@code wait}
     */
    public static RunLock acquire(Configuration conf, Path lockPath, String runId, String job, Duration lease,
                                  Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        try {
            FileSystem fs = lockPath.getFileSystem(conf);
            while (true) {
                if (tryCreate(fs, lockPath, runId, job)) {
                    return new RunLock(fs, lockPath, runId, lease);
                }
                FileStatus held;
                try {
                    held = fs.getFileStatus(lockPath);
                } catch (java.io.FileNotFoundException gone) {
                    continue; // released between our create and our look: try again
                }
                Instant renewed = Instant.ofEpochMilli(held.getModificationTime());
                if (renewed.plus(lease).isBefore(Instant.now())) {
                    Path stale = lockPath.suffix(".stale-" + runId);
                    if (fs.rename(lockPath, stale)) {
                        fs.delete(stale, false);
                    }
                    continue;
                }
                if (!Instant.now().isBefore(deadline)) {
                    throw new LockHeldException(lockPath.toString(), read(fs, lockPath), renewed);
                }
                Thread.sleep(Math.min(1000, Math.max(50, Duration.between(Instant.now(), deadline).toMillis())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + lockPath + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock " + lockPath, e);
        }
    }

    private static boolean tryCreate(FileSystem fs, Path lockPath, String runId, String job) throws IOException {
        String holder = "run " + runId + " of job " + job + " on " + host() + " (pid " + ProcessHandle.current().pid()
                + "), since " + Instant.now();
        if ("file".equals(fs.getUri().getScheme())) {
            // Hadoop's local file system checks and then creates (two steps); the JDK's createFile is O_EXCL.
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(lockPath).toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            try {
                java.nio.file.Files.createFile(local);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            java.nio.file.Files.writeString(local, holder);
            return true;
        }
        try (OutputStream out = fs.create(lockPath, false)) {
            out.write(holder.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(lockPath)) {
                return false; // some file systems report an existing file as a plain IOException
            }
            throw e;
        }
    }

    private static String read(FileSystem fs, Path p) {
        try (InputStream in = fs.open(p)) {
            byte[] b = in.readNBytes(1000);
            return new String(b, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "an unknown run";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }

    private void renew() {
        try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            // The next renewal tries again; a lease that runs out lets another run take over.
        }
    }

    /** Releases the lock if this run still holds it. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (read(fs, path).startsWith("run " + runId + " ")) {
                fs.delete(path, false);
                // A run that published nothing leaves no folder behind: _annscore, then the output, when empty.
                for (Path dir = path.getParent(), stop = dir.getParent().getParent(); dir != null && !dir.equals(stop);
                        dir = dir.getParent()) {
                    if (!fs.exists(dir) || fs.listStatus(dir).length > 0) {
                        break;
                    }
                    fs.delete(dir, false);
                }
            }
        } catch (IOException e) {
            // Left behind, the lock's lease runs out and the next run takes it over.
        }
    }
}
