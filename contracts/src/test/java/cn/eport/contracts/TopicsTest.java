package cn.eport.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicsTest {

    @Test
    void everyEventHasItsOneTopic() {
        assertThat(Topics.of(SampleEvents.applicationSubmitted())).isEqualTo("eport.applications");
        assertThat(Topics.of(SampleEvents.verdictIssued())).isEqualTo("eport.verdicts.quality");
        assertThat(Topics.of(SampleEvents.cardsIssued())).isEqualTo("eport.cards");
        assertThat(Topics.of(SampleEvents.applicationAmended())).isEqualTo("eport.applications");
        assertThat(Topics.of(SampleEvents.applicationWithdrawn())).isEqualTo("eport.applications");
        assertThat(Topics.of(SampleEvents.telecomRegistered())).isEqualTo("eport.telecom");
    }

    @ParameterizedTest
    @EnumSource(Agency.class)
    void aVerdictTopicNamesItsAgency(Agency agency) {
        assertThat(Topics.agencyOfVerdictTopic(Topics.verdicts(agency))).isEqualTo(agency);
    }

    @Test
    void onlyVerdictTopicsHaveAnAgency() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topics.agencyOfVerdictTopic(Topics.CARDS));
    }
}
