package cn.eport.cardissuance;

import static cn.eport.cardissuance.CardRule.Decision.ALREADY_ISSUED;
import static cn.eport.cardissuance.CardRule.Decision.AWAITING_APPROVALS;
import static cn.eport.cardissuance.CardRule.Decision.AWAITING_TELECOM;
import static cn.eport.cardissuance.CardRule.Decision.ISSUE;
import static cn.eport.cardissuance.CardRule.Decision.WITHDRAWN;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Outcome;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The card rule, one row per situation: the facts of one application and what the rule decides. */
class CardRuleTest {

    private static final Agency[] FIVE = {Agency.QUALITY, Agency.COMMERCE, Agency.TAX, Agency.TRADE, Agency.FOREX};
    private static final Agency[] ALL_SIX = Agency.values();

    static Stream<Arguments> situations() {
        return Stream.of(
                //  situation                                                  decision            rev  withdrawn registered issued  verdicts
                row("all six approved the current revision, telecom registered", ISSUE,              1, false, true,  false, approvals(1, ALL_SIX)),
                row("five approvals wait for the sixth",                       AWAITING_APPROVALS, 1, false, true,  false, approvals(1, FIVE)),
                row("no verdict yet",                                          AWAITING_APPROVALS, 1, false, true,  false, List.of()),
                row("six approvals wait for telecom's registration",           AWAITING_TELECOM,   1, false, false, false, approvals(1, ALL_SIX)),
                row("withdrawn gets no cards, whatever else holds",            WITHDRAWN,          1, true,  true,  false, approvals(1, ALL_SIX)),
                row("withdrawn is said before an existing card set",           WITHDRAWN,          1, true,  true,  true,  approvals(1, ALL_SIX)),
                row("a card set is issued once",                               ALREADY_ISSUED,     1, false, true,  true,  approvals(1, ALL_SIX)),
                row("six approvals of an older revision do not count",         AWAITING_APPROVALS, 2, false, true,  false, approvals(1, ALL_SIX)),
                row("five of the current revision and the sixth of an older",  AWAITING_APPROVALS, 2, false, true,  false,
                        concat(approvals(2, FIVE), approvals(1, Agency.CUSTOMS))),
                row("an older revision's rejection does not count against six approvals", ISSUE,   2, false, true,  false,
                        concat(List.of(verdict(1, Agency.TAX, Outcome.REJECTED)), approvals(2, ALL_SIX))),
                row("five approvals and a rejection",                          AWAITING_APPROVALS, 1, false, true,  false,
                        concat(approvals(1, FIVE), List.of(verdict(1, Agency.CUSTOMS, Outcome.REJECTED)))),
                row("five approvals and a referral waiting for its reviewer",  AWAITING_APPROVALS, 1, false, true,  false,
                        concat(approvals(1, FIVE), List.of(verdict(1, Agency.CUSTOMS, Outcome.REFERRED)))),
                row("six copies of one agency's approval count as one agency", AWAITING_APPROVALS, 1, false, true,  false,
                        approvals(1, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("situations")
    void decidesWhenAnApplicationGetsItsCards(String situation, CardRule.Decision expected, CardRule.Facts facts) {
        assertThat(CardRule.decide(facts)).as(situation).isEqualTo(expected);
    }

    @Test
    void theRuleDependsOnNoFrameworkAndDoesNoIo() {
        noClasses().that().haveNameMatching(CardRule.class.getName() + ".*")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..", "java.sql..",
                        "java.net..", "tools.jackson..", "org.slf4j..")
                .because("the card rule is plain Java: facts in, decision out")
                .check(new ClassFileImporter().importPackagesOf(CardRule.class));
    }

    private static Arguments row(String situation, CardRule.Decision expected, int currentRevision, boolean withdrawn,
            boolean registeredAtTelecom, boolean cardsIssued, List<CardRule.Verdict> verdicts) {
        return Arguments.of(situation, expected, new CardRule.Facts(currentRevision, withdrawn, registeredAtTelecom, cardsIssued, verdicts));
    }

    private static CardRule.Verdict verdict(int revision, Agency agency, Outcome outcome) {
        return new CardRule.Verdict(revision, agency, outcome);
    }

    private static List<CardRule.Verdict> approvals(int revision, Agency... agencies) {
        return Arrays.stream(agencies).map(agency -> verdict(revision, agency, Outcome.APPROVED)).toList();
    }

    private static List<CardRule.Verdict> concat(List<CardRule.Verdict> first, List<CardRule.Verdict> second) {
        List<CardRule.Verdict> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
