package cn.eport.identifiers;

import static cn.eport.identifiers.Disagreement.TAX_NUMBER_AND_ORGANISATION_CODE;
import static cn.eport.identifiers.Disagreement.TAX_NUMBER_AND_USCC;
import static cn.eport.identifiers.Disagreement.USCC_AND_ORGANISATION_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisagreementTest {

    private static final String USCC = "91350100M000100Y43";

    @Test
    void aUsccAgreesWithTheOrganisationCodeInItsCharacters9To17() {
        assertThat(Disagreement.among(USCC, "M000100Y-4", "350100M000100Y4")).isEmpty();
    }

    @Test
    void aUsccThatNamesAnotherOrganisationDisagrees() {
        assertThat(Disagreement.among(USCC, "D2143569-X", null)).containsExactly(USCC_AND_ORGANISATION_CODE);
    }

    @Test
    void aTaxNumberMustEndInTheOrganisationCode() {
        assertThat(Disagreement.among(null, "D2143569-X", "350100M000100Y4"))
                .containsExactly(TAX_NUMBER_AND_ORGANISATION_CODE);
    }

    @Test
    void withoutAnOrganisationCodeTheTaxNumberIsComparedWithTheUscc() {
        assertThat(Disagreement.among(USCC, null, "350100D2143569X")).containsExactly(TAX_NUMBER_AND_USCC);
    }

    @Test
    void absentIdentifiersAgreeWithAnything() {
        assertThat(Disagreement.among(null, null, null)).isEmpty();
        assertThat(Disagreement.among(USCC, null, null)).isEmpty();
    }
}
