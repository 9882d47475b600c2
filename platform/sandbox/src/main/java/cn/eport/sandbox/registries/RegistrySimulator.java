package cn.eport.sandbox.registries;

import cn.eport.contracts.Agency;
import cn.eport.contracts.EnterpriseType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The six agencies' registries over HTTP, serving the sample data by the registry contract of the
 * agency-check kit: {@code POST /<agency>/<collection>/lookup} answers the records it holds among
 * the numbers asked for.
 * Each registry can be switched off ({@link #setDown}) to watch checks park and recover, also over HTTP
 * from this machine only, for the fault harness and for trying outages by hand:
 * <ul>
 * <li>{@code POST /admin/outages/<agency>?seconds=60}: the agency's registry answers 503 for that long
 * (without {@code seconds}, until told otherwise);</li>
 * <li>{@code DELETE /admin/outages/<agency>}: it answers again;</li>
 * <li>{@code GET /admin/outages}: which are down, and until when.</li>
 * </ul>
 * Every registry also serves its change feed, {@code GET /<agency>/changes?after=<cursor>&limit=<n>}:
 * {@code {"changes": [{"cursor", "collection", "record"}], "next"}}, the records changed after the cursor,
 * oldest first. A test, or an operator from this machine, changes a record with
 * {@code POST /admin/records/<agency>/<collection>/<number>} and a body of {@code {"status": "REVOKED"}},
 * {@code {"validUntil": "2026-12-01"}} or both (REVOKED, SUSPENDED, VALID to reinstate, and a past
 * {@code validUntil} to expire); the answer is the record as it is now, 404 for a record it does not hold.
 * It also keeps a {@link WebhookInbox} at {@code /webhook-inbox/<name>}, an endpoint to point a
 * webhook subscription at. A request to {@code /admin} from anywhere but loopback gets 403: in compose the agencies' services
 * reach the registries from other containers, and may not switch them off.
 */
public final class RegistrySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistrySimulator.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private static final int MOST_CHANGES_PER_PAGE = 1000;

    private final Map<String, String> records = new ConcurrentHashMap<>();
    /** Per agency, every change in the order made: change {@code i} has cursor {@code firstCursor + i + 1}. */
    private final Map<Agency, List<String>> changes = new EnumMap<>(Agency.class);
    /**
     * Below the first change's cursor: the microseconds of the start, so that the cursors of a simulator
     * started again (its changes forgotten) still come after those a follower has already read.
     */
    private final long firstCursor = System.currentTimeMillis() * 1000;
    /** Per agency, until when its registry answers 503; null while it answers. */
    private final Map<Agency, AtomicReference<Instant>> downUntil = new LinkedHashMap<>();

    private RegistrySimulator(HttpServer server, List<SampleEnterprise> enterprises, LocalDate today) {
        this.server = server;
        for (Agency agency : Agency.values()) {
            downUntil.put(agency, new AtomicReference<>());
            changes.put(agency, new ArrayList<>());
        }
        enterprises.forEach(enterprise -> file(enterprise, today));
        server.createContext("/", this::answer);
        server.createContext("/admin/outages", this::outages);
        server.createContext("/admin/records/", this::records);
        server.createContext("/webhook-inbox/", new WebhookInbox()::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> new Thread(r, "registry-simulator")));
    }

    /** Starts the registries on {@code port} (0: a free one) with the sample data as of {@code today}. */
    public static RegistrySimulator start(int port, List<SampleEnterprise> enterprises, LocalDate today) {
        try {
            RegistrySimulator simulator = new RegistrySimulator(
                    HttpServer.create(new InetSocketAddress("localhost", port), 200), enterprises, today);
            simulator.server.start();
            log.info("Registry simulator serving {} records of {} enterprises at {}", simulator.records.size(),
                    enterprises.size(), simulator.baseUrl(Agency.QUALITY).replace("/quality", ""));
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the registry simulator on port " + port, e);
        }
    }

    /** Runs the registries on their own, on {@code PORT} (8090): for docker-compose and for trying the contract by hand. */
    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8090"));
        start(port, SampleData.enterprises(), LocalDate.now());
    }

    /** Where the agency's registry answers: its {@code EPORT_REGISTRY_URL}. */
    public String baseUrl(Agency agency) {
        return "http://localhost:" + server.getAddress().getPort() + "/" + agency.id();
    }

    /** While down, the agency's registry answers every request with 503. */
    public void setDown(Agency agency, boolean isDown) {
        downUntil.get(agency).set(isDown ? Instant.MAX : null);
    }

    /** The agency's registry answers every request with 503 until {@code until}. */
    public void setDownUntil(Agency agency, Instant until) {
        downUntil.get(agency).set(until);
    }

    private boolean isDown(Agency agency) {
        Instant until = downUntil.get(agency).get();
        return until != null && Instant.now().isBefore(until);
    }

    /**
     * Changes the record {@code number} in the agency's {@code collection}: its status, when
     * {@code status} is given, and its last valid day, when {@code validUntil} is; the change goes on
     * the agency's feed. Returns the record as it is now.
     *
     * @throws IllegalArgumentException when the registry holds no such record, or the status is not one of the contract's
     */
    public String changeRecord(Agency agency, String collection, String number, @Nullable String status,
            @Nullable LocalDate validUntil) {
        if (status != null && !List.of("VALID", "REVOKED", "SUSPENDED", "UNKNOWN").contains(status)) {
            throw new IllegalArgumentException("status must be VALID, REVOKED, SUSPENDED or UNKNOWN, not " + status);
        }
        String key = "/" + agency.id() + "/" + collection + "/" + number;
        List<String> feed = changes.get(agency);
        synchronized (feed) {
            String held = records.get(key);
            if (held == null) {
                throw new IllegalArgumentException("the " + agency.id() + " registry holds no " + collection + " " + number);
            }
            ObjectNode record = (ObjectNode) JSON.readTree(held);
            if (status != null) {
                record.put("status", status);
            }
            if (validUntil != null) {
                record.put("validUntil", validUntil.toString());
            }
            String now = JSON.writeValueAsString(record);
            records.put(key, now);
            ObjectNode change = JSON.createObjectNode();
            change.put("cursor", firstCursor + feed.size() + 1);
            change.put("collection", collection);
            change.set("record", record);
            feed.add(JSON.writeValueAsString(change));
            log.info("Registry of {}: {} {} is now {}", agency.id(), collection, number, now);
            return now;
        }
    }

    /** {@code POST /admin/records/<agency>/<collection>/<number>}: see the class comment. */
    private void records(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (fromElsewhere(exchange)) {
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().split("/");
            Agency agency = parts.length == 6 ? agencyOf(parts[3]) : null;
            if (agency == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String status;
            LocalDate validUntil;
            try {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readNBytes(4096));
                status = body.hasNonNull("status") ? body.get("status").asString() : null;
                validUntil = body.hasNonNull("validUntil") ? LocalDate.parse(body.get("validUntil").asString()) : null;
                if (status == null && validUntil == null) {
                    throw new IllegalArgumentException("say what changes: status, validUntil or both");
                }
            } catch (JacksonException | DateTimeParseException | IllegalArgumentException | ClassCastException e) {
                send(exchange, 400, "{\"error\":" + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}");
                return;
            }
            try {
                send(exchange, 200, changeRecord(agency, parts[4], parts[5], status, validUntil));
            } catch (IllegalArgumentException e) {
                send(exchange, e.getMessage().startsWith("status") ? 400 : 404,
                        "{\"error\":" + JSON.writeValueAsString(e.getMessage()) + "}");
            }
        }
    }

    /** {@code GET /<agency>/changes?after=&limit=}: the changes after the cursor, oldest first. */
    private void feed(HttpExchange exchange, Agency agency) throws IOException {
        long after;
        int limit;
        try {
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            after = Long.parseLong(query.getOrDefault("after", "0"));
            limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            if (after < 0 || limit < 1) {
                throw new NumberFormatException("after must be 0 or more, limit 1 or more");
            }
        } catch (NumberFormatException e) {
            send(exchange, 400, "{\"error\":\"after and limit are whole numbers\"}");
            return;
        }
        List<String> feed = changes.get(agency);
        StringJoiner page = new StringJoiner(",", "{\"changes\":[", "");
        long next = after;
        synchronized (feed) {
            int from = (int) Math.max(0, Math.min(after - firstCursor, feed.size()));
            int to = (int) Math.min(feed.size(), from + (long) Math.min(limit, MOST_CHANGES_PER_PAGE));
            feed.subList(from, to).forEach(page::add);
            next = to == from ? after : firstCursor + to;
        }
        send(exchange, 200, page + "],\"next\":" + next + "}");
    }

    /** An admin request from anywhere but this machine: answered 403. */
    private static boolean fromElsewhere(HttpExchange exchange) throws IOException {
        if (exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            return false;
        }
        exchange.sendResponseHeaders(403, -1);
        return true;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code /admin/outages[/<agency>]}: see the class comment. */
    private void outages(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (fromElsewhere(exchange)) {
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String method = exchange.getRequestMethod();
            if (parts.length == 3 && "GET".equals(method)) {
                StringJoiner body = new StringJoiner(",", "{", "}");
                downUntil.forEach((agency, until) -> body.add("\"" + agency.id() + "\":"
                        + (isDown(agency) ? "\"" + (until.get() == Instant.MAX ? "indefinitely" : until.get().toString()) + "\"" : "null")));
                send(exchange, 200, body.toString());
                return;
            }
            Agency agency = parts.length == 4 ? agencyOf(parts[3]) : null;
            if (agency == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if ("POST".equals(method)) {
                String query = exchange.getRequestURI().getQuery();
                Instant until = Instant.MAX;
                if (query != null && query.startsWith("seconds=")) {
                    try {
                        until = Instant.now().plusMillis(Math.round(Double.parseDouble(query.substring("seconds=".length())) * 1000));
                    } catch (NumberFormatException e) {
                        exchange.sendResponseHeaders(400, -1);
                        return;
                    }
                }
                setDownUntil(agency, until);
                log.info("Registry of {} answers 503 {}", agency.id(), until == Instant.MAX ? "until told otherwise" : "until " + until);
                exchange.sendResponseHeaders(204, -1);
            } else if ("DELETE".equals(method)) {
                setDownUntil(agency, null);
                log.info("Registry of {} answers again", agency.id());
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void file(SampleEnterprise e, LocalDate today) {
        String code = e.organisationCode().replace("-", "");
        LocalDate inForce = today.plusYears(3);
        SampleEnterprise.Fate fate = e.fate();
        put(Agency.QUALITY, "organisation-codes", code, record(code, e.name(),
                fate == SampleEnterprise.Fate.ORGANISATION_CODE_REVOKED ? "REVOKED" : "VALID", inForce, null));
        String licenceName = fate == SampleEnterprise.Fate.BUSINESS_LICENCE_NAME_DIFFERS
                ? e.name().replace("有限公司", "（集团）有限公司") : e.name();
        LocalDate licenceUntil = fate == SampleEnterprise.Fate.BUSINESS_LICENCE_EXPIRING ? today.plusDays(10) : inForce;
        for (String number : List.of(e.uscc(), e.businessRegistrationNumber())) {
            put(Agency.COMMERCE, "business-licences", number, record(number, licenceName, "VALID", licenceUntil, null));
        }
        LocalDate taxUntil = fate == SampleEnterprise.Fate.TAX_REGISTRATION_EXPIRED ? today.minusDays(30) : inForce;
        for (String number : List.of(e.uscc(), e.taxRegistrationNumber())) {
            put(Agency.TAX, "tax-registrations", number, record(number, e.name(), "VALID", taxUntil, null));
        }
        put(Agency.TRADE, "trade-certificates", e.tradeCertificateNumber(), record(e.tradeCertificateNumber(), e.name(),
                fate == SampleEnterprise.Fate.TRADE_CERTIFICATE_UNKNOWN ? "UNKNOWN" : "VALID", inForce,
                e.type() == EnterpriseType.FOREIGN_INVESTED ? "FIE_APPROVAL" : "IMPORT_EXPORT_QUALIFICATION"));
        put(Agency.FOREX, "write-off-qualifications", code, record(code, e.name(),
                fate == SampleEnterprise.Fate.WRITE_OFF_QUALIFICATION_SUSPENDED ? "SUSPENDED" : "VALID", null, null));
        put(Agency.CUSTOMS, "declaration-units", e.customsRegistrationCode(),
                record(e.customsRegistrationCode(), e.name(), "VALID", inForce, null));
        for (int i = 0; i < e.operators().size(); i++) {
            SampleEnterprise.Operator operator = e.operators().get(i);
            boolean revoked = fate == SampleEnterprise.Fate.BROKER_CERTIFICATE_REVOKED && i == 0;
            put(Agency.CUSTOMS, "broker-certificates", operator.brokerCertificate(),
                    record(operator.brokerCertificate(), operator.name(), revoked ? "REVOKED" : "VALID", today.plusYears(2), null));
        }
    }

    private void put(Agency agency, String collection, String number, String json) {
        records.put("/" + agency.id() + "/" + collection + "/" + number, json);
    }

    private static String record(String number, String holder, String status, LocalDate validUntil, String kind) {
        return "{\"number\":\"" + number + "\",\"holderName\":\"" + holder + "\",\"status\":\"" + status + "\",\"validUntil\":"
                + (validUntil == null ? "null" : "\"" + validUntil + "\"")
                + (kind == null ? "" : ",\"kind\":\"" + kind + "\"") + "}";
    }

    /** {@code POST /<agency>/<collection>/lookup} with {@code {"numbers": [...]}}: the records held, as {@code {"records": [...]}}. */
    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (parts.length == 3 && "changes".equals(parts[2]) && agencyOf(parts[1]) != null
                    && "GET".equals(exchange.getRequestMethod())) {
                if (isDown(agencyOf(parts[1]))) {
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    feed(exchange, agencyOf(parts[1]));
                }
                return;
            }
            Agency agency = parts.length == 4 ? agencyOf(parts[1]) : null;
            if (agency == null || !"lookup".equals(parts[3]) || !"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (isDown(agency)) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            JsonNode asked = JSON.readTree(exchange.getRequestBody());
            StringJoiner found = new StringJoiner(",", "{\"records\":[", "]}");
            asked.path("numbers").forEach(number -> {
                String record = records.get("/" + agency.id() + "/" + parts[2] + "/" + number.asString());
                if (record != null) {
                    found.add(record);
                }
            });
            send(exchange, 200, found.toString());
        } catch (JacksonException e) {
            exchange.sendResponseHeaders(400, -1);
        }
    }

    private static Agency agencyOf(String id) {
        for (Agency agency : Agency.values()) {
            if (agency.id().equals(id)) {
                return agency;
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
