package cn.eport.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckCharacterTest {

    @ParameterizedTest
    @CsvSource({"D2143569, X", "M000100Y, 4", "00000000, 0"})
    void computesTheOrganisationCodeCheckCharacterOfGb11714(String body, char expected) {
        assertThat(OrganisationCode.checkCharacter(body)).isEqualTo(expected);
    }

    @Test
    void computesTheUsccCheckCharacterOfGb32100() {
        assertThat(UnifiedSocialCreditCode.checkCharacter("91350100M000100Y4")).isEqualTo('3');
    }

    @Test
    void computesTheIso7064Mod1110CheckDigitOfAbusinessRegistrationNumber() {
        assertThat(BusinessRegistrationNumber.checkDigit("11010800000001")).isEqualTo('6');
    }

    @Test
    void everyDigitTypoInAbusinessRegistrationNumberIsCaught() {
        String valid = "110108000000016";
        for (int i = 0; i < valid.length(); i++) {
            for (char d = '0'; d <= '9'; d++) {
                if (d != valid.charAt(i)) {
                    String typo = valid.substring(0, i) + d + valid.substring(i + 1);
                    assertThat(BusinessRegistrationNumber.problemWith(typo)).as(typo).isPresent();
                }
            }
        }
    }

    @Test
    void computesTheResidentIdCheckCharacterOfGb11643() {
        assertThat(ResidentIdNumber.checkCharacter("11010519491231002")).isEqualTo('X');
    }

    @Test
    void masksAllButTheFirstThreeAndLastFourCharactersOfAnIdNumber() {
        assertThat(ResidentIdNumber.masked("11010519491231002X")).isEqualTo("110***********002X");
        assertThat(ResidentIdNumber.masked("123")).isEqualTo("***");
    }

    @Test
    void printsAnOrganisationCodeWithItsHyphen() {
        assertThat(OrganisationCode.printed("D2143569X")).isEqualTo("D2143569-X");
        assertThat(OrganisationCode.compact("D2143569-X")).isEqualTo("D2143569X");
    }
}
