package cn.eport.cardissuance;

import static cn.eport.cardissuance.CardRule.Decision.ALREADY_ISSUED;
import static cn.eport.cardissuance.CardRule.Decision.APPROVED_AGAIN;
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
                        approvals(1, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX, Agency.TAX)),
                row("an approval its agency withdrew does not count",          AWAITING_APPROVALS, 1, false, true,  false, 0,
                        approvals(1, ALL_SIX), withdrawal(1, Agency.COMMERCE)),
                row("a withdrawal of an older revision does not count against the current one", ISSUE, 2, false, true, false, 0,
                        approvals(2, ALL_SIX), withdrawal(1, Agency.COMMERCE)),
                row("an issued set whose newer revision all six approved is approved again", APPROVED_AGAIN, 2, false, true, true, 1,
                        concat(approvals(1, ALL_SIX), approvals(2, ALL_SIX)), withdrawal(1, Agency.COMMERCE)),
                row("an issued set is approved again only once per revision",  ALREADY_ISSUED,     2, false, true,  true,  2,
                        approvals(2, ALL_SIX), List.of()),
                row("a newer revision with five approvals leaves the set as it is", ALREADY_ISSUED, 2, false, true, true, 1,
                        approvals(2, FIVE), List.of()),
                row("a newer revision whose approval was withdrawn again is not approved again", ALREADY_ISSUED, 2, false, true, true, 1,
                        approvals(2, ALL_SIX), withdrawal(2, Agency.COMMERCE)));
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
        return row(situation, expected, currentRevision, withdrawn, registeredAtTelecom, cardsIssued, cardsIssued ? currentRevision : 0,
                verdicts, List.of());
    }

    private static Arguments row(String situation, CardRule.Decision expected, int currentRevision, boolean withdrawn,
            boolean registeredAtTelecom, boolean cardsIssued, int restsOn, List<CardRule.Verdict> verdicts,
            List<CardRule.Withdrawal> withdrawals) {
        return Arguments.of(situation, expected, new CardRule.Facts(currentRevision, withdrawn, registeredAtTelecom, cardsIssued, restsOn,
                verdicts, withdrawals));
    }

    private static List<CardRule.Withdrawal> withdrawal(int revision, Agency agency) {
        return List.of(new CardRule.Withdrawal(revision, agency));
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
