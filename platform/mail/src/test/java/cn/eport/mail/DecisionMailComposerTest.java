package cn.eport.mail;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Reason;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecisionMailComposerTest {

    private static final UUID APPLICATION = UUID.fromString("0b6f3c1e-2a4d-4e8f-9a1b-3c5d7e9f1a2b");

    private final DecisionMailComposer composer = new DecisionMailComposer();

    @Test
    void aRejectionSaysWhichAgencyRejectedWhyAndHowToResubmitInChineseThenEnglish() {
        DecisionMailComposer.ComposedMail mail = composer.compose(Notices.rejected(APPLICATION, Notices.taxNumberMismatch()));

        assertThat(mail.subject()).isEqualTo("【中国电子口岸】入网申请未通过审查 / E-Port application not approved — YY2026000000011");
        assertThat(mail.body())
                .contains("福州闽江进出口贸易有限公司", "未通过国家税务局的审查", "税务登记证上的企业名称与申请不一致",
                        "（代码 TAX_REGISTRATION_NAME_MISMATCH）", "请按上述原因修改申请后重新提交", "预约单号 YY2026000000011",
                        APPLICATION.toString(), "2026-03-05 14:30（北京时间）")
                .contains("was not approved by the State Taxation Bureau",
                        "The enterprise name on the tax registration certificate differs from the application (code TAX_REGISTRATION_NAME_MISMATCH)",
                        "Please amend the application accordingly and submit it again",
                        "quoting the appointment slip number YY2026000000011", "2026-03-05 14:30 China Standard Time");
        assertThat(mail.body().indexOf("税务登记证上的企业名称")).isLessThan(mail.body().indexOf("Dear applicant"));
    }

    @Test
    void aRejectionWithoutASingleAgencyNamesTheJointReview() {
        DecisionNotice byNoOne = new DecisionNotice(DecisionNotice.Kind.REJECTED, APPLICATION, 1, "YY2026000000011", "某公司",
                "林晓明", "110***********002X", List.of(Notices.taxNumberMismatch()), null, null, Notices.DECIDED_AT);

        assertThat(composer.compose(byNoOne).body()).contains("未通过联合审查", "was not approved by the joint review");
    }

    @Test
    void anApprovalListsTheSixAgenciesAndWhatToBringToTelecomAndCustoms() {
        DecisionMailComposer.ComposedMail mail = composer.compose(Notices.approved(APPLICATION));

        assertThat(mail.subject()).isEqualTo("【中国电子口岸】入网申请已通过审查 / E-Port application approved — YY2026000000011");
        assertThat(mail.body())
                .contains("已通过全部六个部门", "质量技术监督局", "工商行政管理局", "国家税务局", "外经贸委", "国家外汇管理局", "海关")
                .contains("到电信局", "购买 17999 网络接入卡", "企业代码登记")
                .contains("到海关联合办公窗口", "预约单号 YY2026000000011", "法定代表人 林晓明 的身份证（号码 110***********002X）",
                        "企业法人营业执照、组织机构代码证", "领取法人卡和操作员卡")
                .contains("All six agencies of the joint review", "State Administration of Foreign Exchange")
                .contains("buy the 17999 network access card and register the enterprise code",
                        "the ID card of the legal representative, 林晓明 (110***********002X)",
                        "business licence", "organisation code certificate",
                        "collect the legal-person IC card (法人卡) and the operator cards (操作员卡)");
    }

    @Test
    void aSuspensionSaysTheCardsAreSuspendedWhyAndWhatToDo() {
        Reason lapsed = new Reason("CUSTOMS_REGISTRATION_LAPSED", "报关单位注册登记已失效", "The customs registration has lapsed");

        DecisionMailComposer.ComposedMail mail = composer.compose(Notices.suspended(APPLICATION, lapsed));

        assertThat(mail.subject()).isEqualTo("【中国电子口岸】IC卡已暂停使用 / E-Port cards suspended — YY2026000000011");
        assertThat(mail.body())
                .contains("经海关决定", "IC 卡（法人卡及操作员卡）已暂停使用", "报关单位注册登记已失效（代码 CUSTOMS_REGISTRATION_LAPSED）",
                        "请按上述原因修改申请后重新提交")
                .contains("have been suspended by the Customs", "The customs registration has lapsed (code CUSTOMS_REGISTRATION_LAPSED)",
                        "Please amend the application accordingly and submit it again");
    }

    @Test
    void aWholeIdNumberQuotedInAReasonArrivesMasked() {
        Reason quoting = new Reason("COMMERCE_LEGAL_REPRESENTATIVE_MISMATCH",
                "法定代表人身份证号码 11010519491231002X 与营业执照不符",
                "The legal representative's ID number 11010519491231002X differs from the business licence");

        String body = composer.compose(Notices.rejected(APPLICATION, quoting)).body();

        assertThat(body).doesNotContain("11010519491231002X")
                .contains("法定代表人身份证号码 110***********002X 与营业执照不符", "ID number 110***********002X differs");
    }

    @Test
    void anIdNumberPassedWholeWhereTheMaskedOneBelongsIsMaskedAndNamesAreMaskedToo() {
        DecisionNotice careless = new DecisionNotice(DecisionNotice.Kind.APPROVED, APPLICATION, 1, "YY2026000000011",
                "某公司 11010519491231002X", "林晓明", "11010519491231002X", List.of(), null, null, Notices.DECIDED_AT);

        String body = composer.compose(careless).body();

        assertThat(body).doesNotContain("11010519491231002X").contains("（号码 110***********002X）", "某公司 110***********002X");
    }

    @Test
    void aLineBreakInTheSlipNumberCannotStartAHeaderOfItsOwn() {
        DecisionNotice injected = new DecisionNotice(DecisionNotice.Kind.APPROVED, APPLICATION, 1, "YY2026000000011\r\nBcc: x@evil.example",
                "某公司", "林晓明", "110***********002X", List.of(), null, null, Notices.DECIDED_AT);

        assertThat(composer.compose(injected).subject()).doesNotContain("\r", "\n").endsWith("YY2026000000011 Bcc: x@evil.example");
    }
}
