package cn.eport.identifiers;

import static cn.eport.identifiers.IdentifierKind.BUSINESS_REGISTRATION_NUMBER;
import static cn.eport.identifiers.IdentifierKind.CUSTOMS_REGISTRATION_CODE;
import static cn.eport.identifiers.IdentifierKind.ORGANISATION_CODE;
import static cn.eport.identifiers.IdentifierKind.RESIDENT_ID_NUMBER;
import static cn.eport.identifiers.IdentifierKind.TAX_REGISTRATION_NUMBER;
import static cn.eport.identifiers.IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE;
import static cn.eport.identifiers.IdentifierProblem.INVALID_BIRTH_DATE;
import static cn.eport.identifiers.IdentifierProblem.INVALID_CHARACTER;
import static cn.eport.identifiers.IdentifierProblem.WRONG_CHECK_CHARACTER;
import static cn.eport.identifiers.IdentifierProblem.WRONG_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdentifierKindTest {

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of(ORGANISATION_CODE, "D2143569-X"),        // the example of GB 11714
                Arguments.of(ORGANISATION_CODE, "D2143569X"),         // hyphen optional on input
                Arguments.of(ORGANISATION_CODE, "M000100Y-4"),        // characters 9-17 of the USCC example
                Arguments.of(UNIFIED_SOCIAL_CREDIT_CODE, "91350100M000100Y43"),
                Arguments.of(BUSINESS_REGISTRATION_NUMBER, "110108000000016"),
                Arguments.of(TAX_REGISTRATION_NUMBER, "350100D2143569X"),
                Arguments.of(RESIDENT_ID_NUMBER, "11010519491231002X"),
                Arguments.of(CUSTOMS_REGISTRATION_CODE, "3501910123"),
                Arguments.of(CUSTOMS_REGISTRATION_CODE, "350191A01B"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wellFormed")
    void acceptsTheStandardsExamples(IdentifierKind kind, String value) {
        assertThat(kind.problemWith(value)).isEmpty();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(ORGANISATION_CODE, "D2143569-1", WRONG_CHECK_CHARACTER),
                Arguments.of(ORGANISATION_CODE, "D2143569-", WRONG_LENGTH),
                Arguments.of(ORGANISATION_CODE, "d2143569-X", INVALID_CHARACTER),
                Arguments.of(ORGANISATION_CODE, "D214356#-X", INVALID_CHARACTER),
                Arguments.of(UNIFIED_SOCIAL_CREDIT_CODE, "91350100M000100Y4Z", INVALID_CHARACTER), // Z is not in the alphabet
                Arguments.of(UNIFIED_SOCIAL_CREDIT_CODE, "91350100M000100Y44", WRONG_CHECK_CHARACTER),
                Arguments.of(UNIFIED_SOCIAL_CREDIT_CODE, "91350100M000100Y4", WRONG_LENGTH),
                Arguments.of(UNIFIED_SOCIAL_CREDIT_CODE, "91350100I000100Y43", INVALID_CHARACTER),
                Arguments.of(BUSINESS_REGISTRATION_NUMBER, "110108000000017", WRONG_CHECK_CHARACTER),
                Arguments.of(BUSINESS_REGISTRATION_NUMBER, "11010800000001A", INVALID_CHARACTER),
                Arguments.of(BUSINESS_REGISTRATION_NUMBER, "11010800000001", WRONG_LENGTH),
                Arguments.of(TAX_REGISTRATION_NUMBER, "350100D21435691", WRONG_CHECK_CHARACTER),
                Arguments.of(TAX_REGISTRATION_NUMBER, "35010AD2143569X", INVALID_CHARACTER),
                Arguments.of(RESIDENT_ID_NUMBER, "110105194912310021", WRONG_CHECK_CHARACTER),
                Arguments.of(RESIDENT_ID_NUMBER, "11010519491331002X", INVALID_BIRTH_DATE),
                Arguments.of(RESIDENT_ID_NUMBER, "1101051949123100X2", INVALID_CHARACTER),
                Arguments.of(RESIDENT_ID_NUMBER, "11010519491231002", WRONG_LENGTH),
                Arguments.of(CUSTOMS_REGISTRATION_CODE, "350191012", WRONG_LENGTH),
                Arguments.of(CUSTOMS_REGISTRATION_CODE, "35019a0123", INVALID_CHARACTER));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("malformed")
    void namesWhatIsWrongWith(IdentifierKind kind, String value, IdentifierProblem expected) {
        assertThat(kind.problemWith(value)).isEqualTo(Optional.of(expected));
    }
}
