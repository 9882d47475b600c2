package cn.eport.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppointmentSlipNumberTest {

    @Test
    void carriesTheYearTheSequenceAndACheckDigit() {
        assertThat(AppointmentSlipNumber.of(2026, 1)).isEqualTo("YY2026000000011");
        assertThat(AppointmentSlipNumber.isWellFormed("YY2026000000011")).isTrue();
    }

    @Test
    void aMistypedDigitIsCaught() {
        assertThat(AppointmentSlipNumber.isWellFormed("YY2026000000021")).isFalse();
        assertThat(AppointmentSlipNumber.isWellFormed("YY2026000000012")).isFalse();
        assertThat(AppointmentSlipNumber.isWellFormed("XX2026000000011")).isFalse();
    }
}
