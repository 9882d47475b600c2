package cn.eport.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Which characters a text field may not hold, stated here independently of the categories the rule
 * is written in: the table lists them one by one, and the properties check that the scan finds one
 * wherever it stands and never flags the text people really write.
 */
class ControlCharactersTest {

    /** Each one is refused: controls (tab and line breaks included), bidirectional controls, invisible format characters. */
    private static final List<Integer> FORBIDDEN = List.of(
            0x0000, 0x0001, 0x0008, 0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x001B, 0x001F, 0x007F, 0x0080, 0x0085, 0x009F,
            0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
            0x2028, 0x2029, 0x2060, 0x2061, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0xFFF9, 0xFFFB,
            0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE0001, 0xE0041, 0xE007F);

    @Example
    void refusesEveryControlFormatAndBidirectionalCharacterOfTheList() {
        for (int codePoint : FORBIDDEN) {
            assertThat(ControlCharacters.isForbidden(codePoint)).as("U+%04X", codePoint).isTrue();
            assertThat(ControlCharacters.indexOfFirst("林" + new String(Character.toChars(codePoint)) + "明")).as("U+%04X", codePoint)
                    .isEqualTo(1);
        }
    }

    @Example
    void acceptsWhatNamesAddressesAndCodesReallyHold() {
        for (String text : List.of("福州榕城进出口贸易有限公司", "福州市鼓楼区五四路1号　２栋", "０５９１－８７６５４３２１", "M000100Y-4",
                "O'Brien & Söhne GmbH", "𠀀𪚥 (CJK Extension B)", "\uE000 private use", "e\u0301 combining accent", "葛\uDB40\uDD00 (ideographic variation)",
                "😀 🇨🇳", "")) {
            assertThat(ControlCharacters.indexOfFirst(text)).as(text).isEqualTo(-1);
        }
    }

    @Example
    void describesTheCharacterByCodeNameAndKind() {
        assertThat(ControlCharacters.describe(0x0000)).isEqualTo("U+0000 (NULL), a control character");
        assertThat(ControlCharacters.describe(0x202E)).isEqualTo("U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control");
        assertThat(ControlCharacters.describe(0x200B)).isEqualTo("U+200B (ZERO WIDTH SPACE), an invisible format character");
        assertThat(ControlCharacters.describe(0x2028)).isEqualTo("U+2028 (LINE SEPARATOR), a line break");
        assertThat(ControlCharacters.visible("a\u0000b\u202Ec")).isEqualTo("a\\u0000b\\u202Ec");
    }

    @Property
    void textOfAllowedCharactersIsNeverFlagged(@ForAll("allowedText") String text) {
        assertThat(ControlCharacters.indexOfFirst(text)).isEqualTo(-1);
        assertThat(ControlCharacters.visible(text)).isEqualTo(text);
    }

    @Property
    void aForbiddenCharacterIsFoundWhereverItStands(@ForAll("allowedText") String text, @ForAll("forbidden") int codePoint,
            @ForAll @IntRange(min = 0, max = 1000) int position) {
        int at = text.offsetByCodePoints(0, position % (text.codePointCount(0, text.length()) + 1));
        String spoiled = text.substring(0, at) + new String(Character.toChars(codePoint)) + text.substring(at);

        assertThat(ControlCharacters.indexOfFirst(spoiled)).isEqualTo(at);
        assertThat(ControlCharacters.visible(spoiled)).contains(String.format("\\u%04X", codePoint));
        assertThat(ControlCharacters.indexOfFirst(ControlCharacters.visible(spoiled))).isEqualTo(-1);
    }

    @Provide
    Arbitrary<String> allowedText() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0x20, 0x7E),         // printable ASCII
                Arbitraries.integers().between(0x4E00, 0x9FFF),     // CJK unified ideographs
                Arbitraries.integers().between(0xFF01, 0xFF5E),     // full-width forms, full-width digits among them
                Arbitraries.of(0x3000, 0x3001, 0x3002, 0x00A0),     // ideographic space and punctuation, no-break space
                Arbitraries.integers().between(0x0300, 0x036F),     // combining marks
                Arbitraries.integers().between(0xE000, 0xF8FF),     // private use
                Arbitraries.integers().between(0x20000, 0x2A6DF),   // CJK Extension B: surrogate pairs
                Arbitraries.integers().between(0x1F600, 0x1F64F));  // emoji: surrogate pairs
        return codePoints.list().ofMaxSize(40).map(list -> {
            StringBuilder text = new StringBuilder();
            list.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    @Provide
    Arbitrary<Integer> forbidden() {
        return Arbitraries.of(FORBIDDEN);
    }
}
