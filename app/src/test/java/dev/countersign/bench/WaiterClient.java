package dev.countersign.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds many long-polls from a process of its own (each process may open 20,000 files here, and
 * the server's sockets count against the server's process). Prints READY once every call is
 * sent, then one line per final status, then DONE.
 * Arguments: baseUrl token idsFile waitSeconds callsPerId.
 */
public final class WaiterClient {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        List<String> ids = Files.readAllLines(Path.of(args[2]));
        int wait = Integer.parseInt(args[3]);
        int perId = Integer.parseInt(args[4]);
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        var statuses = new ConcurrentHashMap<String, AtomicInteger>();
        var calls = new java.util.ArrayList<CompletableFuture<Void>>();
        for (String id : ids) {
            for (int i = 0; i < perId; i++) {
                var request = HttpRequest.newBuilder(URI.create(base + "/api/v1/actions/" + id + "?wait=" + wait))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(wait + 60)).GET().build();
                calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((response, error) -> {
                            String key = error != null ? "error:" + error.getClass().getSimpleName()
                                    : response.statusCode() + ":" + response.body().replaceAll(".*\"status\":\"([A-Z]+)\".*", "$1");
                            statuses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            return null;
                        }));
            }
        }
        System.out.println("READY " + calls.size());
        System.out.flush();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        statuses.forEach((status, count) -> System.out.println("STATUS " + status + " " + count.get()));
        System.out.println("DONE");
    }
}
