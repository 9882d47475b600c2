package cn.eport.sandbox.registries;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver for trying webhooks on the local system, beside the registries:
 * {@code POST /webhook-inbox/<name>} keeps the delivery (answers 204) and {@code GET
 * /webhook-inbox/<name>} lists the last 200 of that name, oldest first, with their Standard Webhooks
 * headers. Loopback only. Not a part of the joint review: a subscriber's endpoint stand-in.
 */
final class WebhookInbox {

    private static final int KEPT = 200;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Deque<String>> inboxes = new LinkedHashMap<>();

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress() || parts.length != 3 || parts[2].length() > 64) {
                exchange.sendResponseHeaders(parts.length != 3 ? 404 : 403, -1);
                return;
            }
            String name = parts[2];
            if ("POST".equals(exchange.getRequestMethod())) {
                byte[] body = exchange.getRequestBody().readNBytes(256 * 1024);
                Map<String, Object> received = new LinkedHashMap<>();
                received.put("receivedAt", Instant.now().toString());
                for (String header : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
                    received.put(header, exchange.getRequestHeaders().getFirst(header));
                }
                received.put("body", new String(body, StandardCharsets.UTF_8));
                synchronized (inboxes) {
                    Deque<String> inbox = inboxes.computeIfAbsent(name, n -> new ArrayDeque<>());
                    inbox.addLast(JSON.writeValueAsString(received));
                    while (inbox.size() > KEPT) {
                        inbox.removeFirst();
                    }
                }
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            StringJoiner list = new StringJoiner(",\n", "[", "]\n");
            synchronized (inboxes) {
                inboxes.getOrDefault(name, new ArrayDeque<>()).forEach(list::add);
            }
            byte[] bytes = list.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
