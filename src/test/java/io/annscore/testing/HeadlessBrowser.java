package io.annscore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (JDK's HTTP client and
 * WebSocket, no driver library): opens a page, records every network request and every console
 * message, exception and log entry, evaluates JavaScript and takes screenshots.
 */
public final class HeadlessBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profileDir;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** URLs requested since the last {@link #open}. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Console errors, uncaught exceptions and error log entries since the last {@link #open}. */
    public final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The Chromium binary: {@code chromium} on the PATH (Debian), or null. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    public HeadlessBrowser(String binary) throws Exception {
        profileDir = Files.createTempDirectory("annscore-chromium");
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--remote-debugging-port=0",
                "--user-data-dir=" + profileDir, "--window-size=1400,1000", "about:blank")
                .redirectErrorStream(true).start();
        String ws = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            int at = line.indexOf("ws://");
            if (line.contains("DevTools listening on") && at >= 0) {
                ws = line.substring(at).trim();
                break;
            }
        }
        if (ws == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not start its DevTools endpoint");
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // chromium's own log: not the page's
                }
            } catch (IOException e) {
                // closed
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(ws);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + browser.getHost() + ":" + browser.getPort();
        JsonNode target = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(target.get("webSocketDebuggerUrl").asText()), new Listener()).get(30, TimeUnit.SECONDS);
        call("Page.enable", null);
        call("Runtime.enable", null);
        call("Log.enable", null);
        call("Network.enable", null);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(JSON.readTree(text));
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void handle(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.path("method").asText();
        JsonNode p = m.path("params");
        switch (method) {
            case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args").toString());
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").toString());
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + p.path("entry").path("text").asText());
                }
            }
            case "Page.loadEventFired" -> loaded.complete(null);
            default -> {
            }
        }
    }

    public JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.set("params", params);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(m), true).get(30, TimeUnit.SECONDS);
        JsonNode r = f.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /** Opens a file and waits for its load event (and a moment for late errors or requests). */
    public void open(Path file) throws Exception {
        requests.clear();
        errors.clear();
        loaded = new CompletableFuture<>();
        ObjectNode p = JSON.createObjectNode();
        p.put("url", file.toUri().toString());
        call("Page.navigate", p);
        loaded.get(60, TimeUnit.SECONDS);
        Thread.sleep(500);
    }

    /** The value of a JavaScript expression (JSON-serializable). */
    public JsonNode evaluate(String expression) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("expression", expression);
        p.put("returnByValue", true);
        JsonNode r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the whole page ({@code scale} &lt; 1 makes it smaller). */
    public void screenshot(Path png, double scale, Integer maxHeight) throws Exception {
        JsonNode size = evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        ObjectNode p = JSON.createObjectNode();
        p.put("format", "png");
        p.put("captureBeyondViewport", true);
        ObjectNode clip = p.putObject("clip");
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", size.get(0).asInt());
        clip.put("height", maxHeight == null ? size.get(1).asInt() : Math.min(maxHeight, size.get(1).asInt()));
        clip.put("scale", scale);
        JsonNode r = call("Page.captureScreenshot", p);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var walk = Files.walk(profileDir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // a temp folder
        }
    }
}
