package cn.eport.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The header's value as the draft writes it (a structured-field string) and as many clients send it (a bare token). */
class IdempotencyKeyTest {

    @ParameterizedTest(name = "{0} is the key {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "8e03978e-40d5-43e8-bc93-6894a57f9324   | 8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"8e03978e-40d5-43e8-bc93-6894a57f9324\" | 8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"two words, and a comma\"             | two words, and a comma",
            "\"a \\\"quoted\\\" \\\\ key\"           | a \"quoted\" \\ key",
            "YmFzZTY0L2tleT0=                       | YmFzZTY0L2tleT0=",
            "'  padded  '                           | padded"})
    void acceptsAStructuredFieldStringOrABareToken(String header, String key) {
        assertThat(IdempotencyKey.parse(List.of(header)).value()).isEqualTo(key);
    }

    @ParameterizedTest(name = "[{0}] is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "''                  | WRONG_LENGTH",
            "\"\"                | WRONG_LENGTH",
            "two words           | INVALID_CHARACTER",
            "a,b                 | INVALID_CHARACTER",
            "\"unclosed          | INVALID_CHARACTER",
            "schlüssel           | INVALID_CHARACTER",
            "\"schlüssel\"       | INVALID_CHARACTER",
            "\"bad \\n escape\"  | MALFORMED",
            "\"in \" side\"      | MALFORMED"})
    void refusesWhatIsNeitherWithTheReason(String header, String code) {
        assertThatThrownBy(() -> IdempotencyKey.parse(List.of(header)))
                .isInstanceOfSatisfying(ApiProblems.InvalidInput.class, problem -> {
                    assertThat(problem.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("Idempotency-Key");
                        assertThat(error.code()).isEqualTo(code);
                    });
                });
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {1, 255})
    void keysOfOneTo255CharactersAreAccepted(int length) {
        assertThat(IdempotencyKey.parse(List.of("k".repeat(length))).value()).hasSize(length);
    }

    @Test
    void aKeyOf256CharactersOrTwoHeadersAreRefused() {
        assertThatThrownBy(() -> IdempotencyKey.parse(List.of("k".repeat(256)))).hasMessageContaining("1 to 255");
        assertThatThrownBy(() -> IdempotencyKey.parse(List.of("a", "b"))).hasMessageContaining("sent 2 times");
    }
}
