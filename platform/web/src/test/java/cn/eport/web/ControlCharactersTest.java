package cn.eport.web;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.testsupport.FuzzBodies;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which characters a text field may not hold, stated here independently of the categories the rule
 * is written in: the table lists them one by one, and the loops check that the scan finds one
 * wherever it stands and never flags the text people really write, for every code point of the
 * allowed ranges and for a thousand texts drawn from the seed ({@value FuzzBodies#SEED_PROPERTY},
 * else {@link FuzzBodies#DEFAULT_SEED}), each named by seed and index when it fails.
 */
class ControlCharactersTest {

    private static final int TRIES = 1000;

    /** Each one is refused: controls (tab and line breaks included), bidirectional controls, invisible format characters. */
    private static final List<Integer> FORBIDDEN = List.of(
            0x0000, 0x0001, 0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x001B, 0x001F, 0x007F, 0x0080, 0x0085, 0x009F,
            0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
            0x2028, 0x2029, 0x2060, 0x2061, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0xFFF9, 0xFFFB,
            0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE0001, 0xE0041, 0xE007F);

    /** What names, addresses and codes are written in, each range first to last, both included. */
    private static final int[][] ALLOWED_RANGES = {
            {0x20, 0x7E},         // printable ASCII
            {0x4E00, 0x9FFF},     // CJK unified ideographs
            {0xFF01, 0xFF5E},     // full-width forms, full-width digits among them
            {0x3000, 0x3002},     // ideographic space and punctuation
            {0x00A0, 0x00A0},     // no-break space
            {0x0300, 0x036F},     // combining marks
            {0xE000, 0xF8FF},     // private use
            {0x20000, 0x2A6DF},   // CJK Extension B: surrogate pairs
            {0x1F600, 0x1F64F}};  // emoji: surrogate pairs

    private final long seed = FuzzBodies.seed();

    @Test
    void refusesEveryControlFormatAndBidirectionalCharacterOfTheList() {
        for (int codePoint : FORBIDDEN) {
            assertThat(ControlCharacters.isForbidden(codePoint)).as("U+%04X", codePoint).isTrue();
            assertThat(ControlCharacters.indexOfFirst("林" + new String(Character.toChars(codePoint)) + "明")).as("U+%04X", codePoint)
                    .isEqualTo(1);
        }
    }

    @Test
    void acceptsWhatNamesAddressesAndCodesReallyHold() {
        for (String text : List.of("福州榕城进出口贸易有限公司", "福州市鼓楼区五四路1号　２栋", "０５９１－８７６５４３２１", "M000100Y-4",
                "O'Brien & Söhne GmbH", "𠀀𪚥 (CJK Extension B)", "\uE000 private use", "e\u0301 combining accent", "葛\uDB40\uDD00 (ideographic variation)",
                "😀 🇨🇳", "")) {
            assertThat(ControlCharacters.indexOfFirst(text)).as(text).isEqualTo(-1);
        }
    }

    @Test
    void describesTheCharacterByCodeNameAndKind() {
        assertThat(ControlCharacters.describe(0x0000)).isEqualTo("U+0000 (NULL), a control character");
        assertThat(ControlCharacters.describe(0x202E)).isEqualTo("U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control");
        assertThat(ControlCharacters.describe(0x200B)).isEqualTo("U+200B (ZERO WIDTH SPACE), an invisible format character");
        assertThat(ControlCharacters.describe(0x2028)).isEqualTo("U+2028 (LINE SEPARATOR), a line break");
        assertThat(ControlCharacters.visible("a\u0000b\u202Ec")).isEqualTo("a\\u0000b\\u202Ec");
    }

    @Test
    void noCodePointOfTheAllowedRangesIsEverFlagged() {
        for (int[] range : ALLOWED_RANGES) {
            for (int codePoint = range[0]; codePoint <= range[1]; codePoint++) {
                String text = "林" + new String(Character.toChars(codePoint)) + "明";
                assertThat(ControlCharacters.isForbidden(codePoint)).as("U+%04X", codePoint).isFalse();
                assertThat(ControlCharacters.indexOfFirst(text)).as("U+%04X", codePoint).isEqualTo(-1);
            }
        }
    }

    /** Every code point there is, 0 to U+10FFFF: the scan finds it exactly when it is forbidden, and visible() writes it out then. */
    @Test
    void theScanFindsEveryCodePointThatIsForbiddenAndNoOther() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "林" + new String(Character.toChars(codePoint)) + "明";
            boolean forbidden = ControlCharacters.isForbidden(codePoint);
            assertThat(ControlCharacters.indexOfFirst(text)).as("U+%04X", codePoint).isEqualTo(forbidden ? 1 : -1);
            if (forbidden) {
                String shown = ControlCharacters.visible(text);
                assertThat(shown).as("U+%04X written out", codePoint).startsWith("林\\u").endsWith("明");
                assertThat(ControlCharacters.indexOfFirst(shown)).as("U+%04X written out", codePoint).isEqualTo(-1);
            } else {
                assertThat(ControlCharacters.visible(text)).as("U+%04X", codePoint).isEqualTo(text);
            }
        }
    }

    @Test
    void textOfAllowedCharactersIsNeverFlagged() {
        for (int i = 0; i < TRIES; i++) {
            String text = allowedText(random(i));
            assertThat(ControlCharacters.indexOfFirst(text)).as("%s: %s", where(i), text).isEqualTo(-1);
            assertThat(ControlCharacters.visible(text)).as("%s: %s", where(i), text).isEqualTo(text);
        }
    }

    @Test
    void aForbiddenCharacterIsFoundWhereverItStands() {
        for (int i = 0; i < TRIES; i++) {
            Random random = random(i);
            String text = allowedText(random);
            int codePoint = FuzzBodies.oneOf(random, FORBIDDEN);
            expectFound(text, codePoint, FuzzBodies.between(random, 0, 1000), where(i));
        }
        // And every one of the list at every place of a text with surrogate pairs, combining marks and full-width forms.
        String text = "福州 𠀀e\u0301Ｍ０😀\uE000";
        for (int codePoint : FORBIDDEN) {
            for (int position = 0; position <= text.codePointCount(0, text.length()); position++) {
                expectFound(text, codePoint, position, "every place");
            }
        }
    }

    /** Puts the forbidden character at a code point boundary (position modulo the places there are) and expects it found there. */
    private static void expectFound(String text, int codePoint, int position, String where) {
        int at = text.offsetByCodePoints(0, position % (text.codePointCount(0, text.length()) + 1));
        String spoiled = text.substring(0, at) + new String(Character.toChars(codePoint)) + text.substring(at);
        String description = String.format("%s: U+%04X at %d of %s", where, codePoint, at, text);

        assertThat(ControlCharacters.indexOfFirst(spoiled)).as(description).isEqualTo(at);
        assertThat(ControlCharacters.visible(spoiled)).as(description).contains(String.format("\\u%04X", codePoint));
        assertThat(ControlCharacters.indexOfFirst(ControlCharacters.visible(spoiled))).as(description).isEqualTo(-1);
    }

    /** Up to 40 code points of the allowed ranges, empty now and then. */
    private static String allowedText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = FuzzBodies.between(random, 0, 40); n > 0; n--) {
            int[] range = ALLOWED_RANGES[random.nextInt(ALLOWED_RANGES.length)];
            text.appendCodePoint(FuzzBodies.between(random, range[0], range[1]));
        }
        return text.toString();
    }

    /** The random numbers of try {@code index}: the same for the same seed and index. */
    private Random random(int index) {
        return new FuzzBodies.Run("ControlCharacters", seed).random(index, "text");
    }

    private String where(int index) {
        return "seed " + seed + ", try " + index + " (replay with -D" + FuzzBodies.SEED_PROPERTY + "=" + seed + ")";
    }
}
