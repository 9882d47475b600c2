package cn.eport.intake;

import static cn.eport.intake.SampleForm.LEGACY_ORGANISATION_CODE;
import static cn.eport.intake.SampleForm.LEGACY_TAX_REGISTRATION_NUMBER;
import static cn.eport.intake.SampleForm.valid;
import static cn.eport.intake.SampleForm.validLegacy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.eport.web.FieldError;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What intake can tell from the form alone. Each row: what the applicant did, the form, and every
 * error expected as "field code" - no more, no fewer.
 */
class FormChecksTest {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private final FormChecks checks = new FormChecks(VALIDATION.getValidator());

    @AfterAll
    static void closeValidation() {
        VALIDATION.close();
    }

    @Test
    void aFullyValidFormHasNoProblems() {
        assertThat(checks.problemsWith(valid().form())).isEmpty();
    }

    @Test
    void aFullyValidLegacyFormWithoutUsccHasNoProblems() {
        assertThat(checks.problemsWith(validLegacy().form())).isEmpty();
    }

    @Test
    void identifiersAreAcceptedInLowerCaseAndTheOrganisationCodeWithoutItsHyphen() {
        SampleForm form = valid()
                .with("enterprise.uscc", "91350100m000100y43")
                .with("enterprise.organisationCode", "m000100y4")
                .with("enterprise.taxRegistrationNumber", "350100m000100y4")
                .with("legalRepresentative.idNumber", "11010519491231002x");

        assertThat(checks.problemsWith(form.form())).isEmpty();
    }

    static Stream<Arguments> missingFields() {
        return Stream.of(
                arguments("no enterprise", valid().without("enterprise"), List.of("enterprise NotNull")),
                arguments("no legal representative", valid().without("legalRepresentative"), List.of("legalRepresentative NotNull")),
                arguments("no operators", valid().without("operators"), List.of("operators NotEmpty")),
                arguments("an empty operator list", valid().with("operators", List.of()), List.of("operators NotEmpty")),
                arguments("no enterprise name", valid().without("enterprise.name"), List.of("enterprise.name NotBlank")),
                arguments("a blank enterprise name", valid().with("enterprise.name", "   "), List.of("enterprise.name NotBlank")),
                arguments("no enterprise type", valid().without("enterprise.type"), List.of("enterprise.type NotNull")),
                arguments("no customs registration code", valid().without("enterprise.customsRegistrationCode"),
                        List.of("enterprise.customsRegistrationCode NotBlank")),
                arguments("no address", valid().without("enterprise.address"), List.of("enterprise.address NotBlank")),
                arguments("no legal representative's name on Form 1", valid().without("enterprise.legalRepresentative"),
                        List.of("enterprise.legalRepresentative NotBlank")),
                arguments("no contact phone", valid().without("enterprise.contactPhone"), List.of("enterprise.contactPhone NotBlank")),
                arguments("no legal representative's name on Form 2", valid().without("legalRepresentative.name"),
                        List.of("legalRepresentative.name NotBlank")),
                arguments("no legal representative's ID number", valid().without("legalRepresentative.idNumber"),
                        List.of("legalRepresentative.idNumber NotBlank")),
                arguments("a null operator, named by its index", valid().with("operators[1]", null), List.of("operators[1] NotNull")),
                arguments("no name for the second operator", valid().without("operators[1].name"), List.of("operators[1].name NotBlank")),
                arguments("no ID number for the first operator", valid().without("operators[0].idNumber"),
                        List.of("operators[0].idNumber NotBlank")),
                arguments("several missing at once, all reported", valid().without("enterprise.name").without("enterprise.address")
                                .without("operators[0].name"),
                        List.of("enterprise.address NotBlank", "enterprise.name NotBlank", "operators[0].name NotBlank")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFields")
    void refusesAFormWithMissingFields(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> overLongStrings() {
        return Stream.of(
                arguments("an enterprise name of 101 characters", valid().with("enterprise.name", "企".repeat(101)),
                        List.of("enterprise.name Size")),
                arguments("an address of 201 characters", valid().with("enterprise.address", "路".repeat(201)),
                        List.of("enterprise.address Size")),
                arguments("a trade certificate number of 33 characters", valid().with("enterprise.tradeCertificateNumber", "Z".repeat(33)),
                        List.of("enterprise.tradeCertificateNumber Size")),
                arguments("a contact phone of 31 characters", valid().with("enterprise.contactPhone", "1".repeat(31)),
                        List.of("enterprise.contactPhone Size")),
                arguments("a legal representative's name of 51 characters", valid().with("legalRepresentative.name", "林".repeat(51)),
                        List.of("legalRepresentative.name Size")),
                arguments("an operator's broker certificate of 33 characters",
                        valid().with("operators[1].customsBrokerCertificate", "B".repeat(33)),
                        List.of("operators[1].customsBrokerCertificate Size")),
                arguments("a USCC of 19 characters is too long and the wrong length", valid().with("enterprise.uscc", SampleForm.USCC + "1"),
                        List.of("enterprise.uscc Size", "enterprise.uscc WRONG_LENGTH")),
                arguments("a resident ID number of 19 characters", valid().with("legalRepresentative.idNumber", "110105194912310021X"),
                        List.of("legalRepresentative.idNumber Size", "legalRepresentative.idNumber WRONG_LENGTH")),
                arguments("an enterprise account of 65 characters", valid().with("enterpriseAccount", "a".repeat(65)),
                        List.of("enterpriseAccount Size")),
                arguments("51 operators", valid().with("operators", fiftyOneOperators()), List.of("operators Size")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLongStrings")
    void refusesAFormWithOverLongValues(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> wrongCheckCharacters() {
        return Stream.of(
                arguments("a USCC ending 4 instead of 3", valid().with("enterprise.uscc", "91350100M000100Y44"),
                        List.of("enterprise.uscc WRONG_CHECK_CHARACTER")),
                arguments("an organisation code ending 5 instead of 4", valid().with("enterprise.organisationCode", "M000100Y-5"),
                        List.of("enterprise.organisationCode WRONG_CHECK_CHARACTER")),
                arguments("a business registration number ending 7 instead of 6",
                        valid().with("enterprise.businessRegistrationNumber", "110108000000017"),
                        List.of("enterprise.businessRegistrationNumber WRONG_CHECK_CHARACTER")),
                arguments("a tax number whose organisation code ends 5 instead of 4",
                        valid().with("enterprise.taxRegistrationNumber", "350100M000100Y5"),
                        List.of("enterprise.taxRegistrationNumber WRONG_CHECK_CHARACTER")),
                arguments("a legal representative's ID number ending 1 instead of X",
                        valid().with("legalRepresentative.idNumber", "110105194912310021"),
                        List.of("legalRepresentative.idNumber WRONG_CHECK_CHARACTER")),
                arguments("the second operator's ID number with the wrong check character",
                        valid().with("operators[1].idNumber", wrongCheckCharacter(SampleForm.idNumber("350103", "19900921", "015"))),
                        List.of("operators[1].idNumber WRONG_CHECK_CHARACTER")),
                arguments("a legacy organisation code ending 0 instead of X",
                        validLegacy().with("enterprise.organisationCode", "D2143569-0"),
                        List.of("enterprise.organisationCode WRONG_CHECK_CHARACTER")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongCheckCharacters")
    void refusesAnIdentifierWithTheWrongCheckCharacter(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> malformedIdentifiers() {
        return Stream.of(
                arguments("a USCC with the letter I, which its alphabet lacks", valid().with("enterprise.uscc", "91350100M000100I43"),
                        List.of("enterprise.uscc INVALID_CHARACTER")),
                arguments("an organisation code of eight characters", valid().with("enterprise.organisationCode", "M000100Y"),
                        List.of("enterprise.organisationCode WRONG_LENGTH")),
                arguments("a business registration number with a letter", valid().with("enterprise.businessRegistrationNumber", "11010800000001A"),
                        List.of("enterprise.businessRegistrationNumber INVALID_CHARACTER")),
                arguments("a tax number whose area code has a letter", valid().with("enterprise.taxRegistrationNumber", "35010AM000100Y4"),
                        List.of("enterprise.taxRegistrationNumber INVALID_CHARACTER")),
                arguments("a resident ID number born on 30 February", valid().with("legalRepresentative.idNumber", SampleForm.idNumber("110105", "19490230", "002")),
                        List.of("legalRepresentative.idNumber INVALID_BIRTH_DATE")),
                arguments("a customs registration code of nine characters", valid().with("enterprise.customsRegistrationCode", "350191012"),
                        List.of("enterprise.customsRegistrationCode WRONG_LENGTH")),
                arguments("a contact phone with letters", valid().with("enterprise.contactPhone", "call me"),
                        List.of("enterprise.contactPhone Pattern")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedIdentifiers")
    void refusesAnIdentifierOfTheWrongShape(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> usccOrLegacyTrio() {
        String required = "USCC_OR_LEGACY_TRIO";
        return Stream.of(
                arguments("the USCC alone is enough", valid().without("enterprise.organisationCode")
                        .without("enterprise.businessRegistrationNumber").without("enterprise.taxRegistrationNumber"), List.of()),
                arguments("the legacy trio alone is enough", validLegacy(), List.of()),
                arguments("neither the USCC nor any of the trio", validLegacy().without("enterprise.organisationCode")
                                .without("enterprise.businessRegistrationNumber").without("enterprise.taxRegistrationNumber"),
                        List.of("enterprise.businessRegistrationNumber " + required, "enterprise.organisationCode " + required,
                                "enterprise.taxRegistrationNumber " + required)),
                arguments("no USCC and no business registration number", validLegacy().without("enterprise.businessRegistrationNumber"),
                        List.of("enterprise.businessRegistrationNumber " + required)),
                arguments("no USCC and a blank tax number", validLegacy().with("enterprise.taxRegistrationNumber", " "),
                        List.of("enterprise.taxRegistrationNumber " + required)),
                arguments("a blank USCC counts as none", validLegacy().with("enterprise.uscc", "").without("enterprise.organisationCode"),
                        List.of("enterprise.organisationCode " + required)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usccOrLegacyTrio")
    void requiresTheUsccOrTheWholeLegacyTrio(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> disagreements() {
        return Stream.of(
                arguments("a USCC with another organisation's code", valid().with("enterprise.organisationCode", LEGACY_ORGANISATION_CODE)
                                .without("enterprise.taxRegistrationNumber"),
                        List.of("enterprise.organisationCode DISAGREES_USCC_AND_ORGANISATION_CODE")),
                arguments("an organisation code with another organisation's tax number",
                        validLegacy().with("enterprise.taxRegistrationNumber", SampleForm.TAX_REGISTRATION_NUMBER),
                        List.of("enterprise.taxRegistrationNumber DISAGREES_TAX_NUMBER_AND_ORGANISATION_CODE")),
                arguments("a USCC with another organisation's tax number and no organisation code",
                        valid().without("enterprise.organisationCode").with("enterprise.taxRegistrationNumber", LEGACY_TAX_REGISTRATION_NUMBER),
                        List.of("enterprise.taxRegistrationNumber DISAGREES_TAX_NUMBER_AND_USCC")),
                arguments("a USCC with another organisation's code and tax number",
                        valid().with("enterprise.organisationCode", LEGACY_ORGANISATION_CODE)
                                .with("enterprise.taxRegistrationNumber", LEGACY_TAX_REGISTRATION_NUMBER),
                        List.of("enterprise.organisationCode DISAGREES_USCC_AND_ORGANISATION_CODE")),
                arguments("a USCC and organisation code that agree, with another organisation's tax number",
                        valid().with("enterprise.taxRegistrationNumber", LEGACY_TAX_REGISTRATION_NUMBER),
                        List.of("enterprise.taxRegistrationNumber DISAGREES_TAX_NUMBER_AND_ORGANISATION_CODE")),
                arguments("a malformed identifier is reported for its check character, not compared",
                        valid().with("enterprise.uscc", "91350100M000100Y44").with("enterprise.organisationCode", LEGACY_ORGANISATION_CODE),
                        List.of("enterprise.uscc WRONG_CHECK_CHARACTER")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("disagreements")
    void refusesIdentifiersThatNameDifferentOrganisations(String what, SampleForm form, List<String> expected) {
        assertThat(problems(form)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void reportsEveryProblemOfTheFormInOnePassSortedByField() {
        SampleForm form = valid()
                .without("enterprise.name")
                .with("enterprise.uscc", "91350100M000100Y44")
                .with("operators[0].idNumber", "110105194912310021")
                .with("legalRepresentative.name", "林".repeat(51));

        assertThat(checks.problemsWith(form.form())).extracting(FieldError::field).containsExactly(
                "enterprise.name", "enterprise.uscc", "legalRepresentative.name", "operators[0].idNumber");
    }

    @Test
    void anIdentifierProblemIsExplainedInEnglishAndChinese() {
        assertThat(checks.problemsWith(valid().with("enterprise.uscc", "91350100M000100Y44").form()))
                .singleElement()
                .satisfies(error -> assertThat(error.message())
                        .contains("unified social credit code", "check character", "统一社会信用代码", "校验码"));
    }

    @Test
    void theUsccOrTrioRuleIsExplainedInChinese() {
        assertThat(checks.problemsWith(validLegacy().without("enterprise.taxRegistrationNumber").form()))
                .singleElement()
                .satisfies(error -> assertThat(error.message()).contains("unified social credit code", "统一社会信用代码"));
    }

    private List<String> problems(SampleForm form) {
        return checks.problemsWith(form.form()).stream().map(error -> error.field() + " " + error.code()).toList();
    }

    private static String wrongCheckCharacter(String idNumber) {
        char right = idNumber.charAt(17);
        return idNumber.substring(0, 17) + (right == '0' ? '1' : '0');
    }

    private static List<Map<String, Object>> fiftyOneOperators() {
        List<Map<String, Object>> operators = new ArrayList<>();
        IntStream.rangeClosed(1, 51).forEach(n -> operators.add(SampleForm.operator("操作员" + n,
                SampleForm.idNumber("350102", "19850314", String.format("%03d", n)), "BG350100" + String.format("%02d", n))));
        return operators;
    }
}
