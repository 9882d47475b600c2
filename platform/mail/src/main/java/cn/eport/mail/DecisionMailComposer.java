package cn.eport.mail;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Reason;
import cn.eport.identifiers.ResidentIdNumber;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes a decision mail as a person reads it: plain text, Chinese first, then English. Every free
 * text of the notice (names, reason messages) goes through {@link ResidentIdNumber#maskedWithin}, so
 * an ID number quoted whole in a reason still leaves masked. Plain Java: no Spring, no I/O.
 */
final class DecisionMailComposer {

    /** The subject and body of one mail. */
    record ComposedMail(String subject, String body) {
    }

    private static final DateTimeFormatter BEIJING_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final String RULE = "------------------------------------------------------------";

    ComposedMail compose(DecisionNotice notice) {
        Text n = new Text(notice);
        return switch (notice.kind()) {
            case REJECTED -> new ComposedMail(subject("入网申请未通过审查", "E-Port application not approved", n), rejected(n));
            case APPROVED -> new ComposedMail(subject("入网申请已通过审查", "E-Port application approved", n), approved(n));
            case SUSPENDED -> new ComposedMail(subject("IC卡已暂停使用", "E-Port cards suspended", n), suspended(n));
        };
    }

    private static String subject(String zh, String en, Text n) {
        return "【中国电子口岸】" + zh + " / " + en + " — " + oneLine(n.slip);
    }

    private static String rejected(Text n) {
        String zhBy = n.agencyZh != null ? n.agencyZh + "的审查" : "联合审查";
        String enBy = n.agencyEn != null ? "the " + n.agencyEn : "the joint review";
        return n.enterprise + "：\n\n"
                + "贵单位的中国电子口岸入网申请（" + n.zhIdentity() + "）未通过" + zhBy + "。原因如下：\n\n"
                + zhReasons(n.reasons)
                + "\n请按上述原因修改申请后重新提交，并注明预约单号 " + n.slip + "（申请编号 " + n.applicationId + "）。\n"
                + "审查时间：" + n.decidedAt + "（北京时间）\n"
                + "\n" + RULE + "\n\n"
                + "Dear applicant,\n\n"
                + "The China E-Port application of " + n.enterprise + " (" + n.enIdentity() + ") was not approved by "
                + enBy + ", for these reasons:\n\n"
                + enReasons(n.reasons)
                + "\nPlease amend the application accordingly and submit it again, quoting the appointment slip number "
                + n.slip + " (application " + n.applicationId + ").\n"
                + "Decided: " + n.decidedAt + " China Standard Time\n"
                + footer();
    }

    private static String approved(Text n) {
        String zhAgencies = Arrays.stream(Agency.values()).map(Agency::zhName).collect(Collectors.joining("、"));
        String enAgencies = Arrays.stream(Agency.values()).map(Agency::enName).collect(Collectors.joining(", "));
        return n.enterprise + "：\n\n"
                + "贵单位的中国电子口岸入网申请（" + n.zhIdentity() + "）已通过全部六个部门（" + zhAgencies + "）的联合审查。"
                + "请按以下步骤办理：\n\n"
                + "一、到电信局：购买 17999 网络接入卡，并办理企业代码登记。\n"
                + "二、到海关联合办公窗口，携带：\n"
                + "    1. 预约单号 " + n.slip + "；\n"
                + "    2. 法定代表人 " + n.legalRepresentative + " 的身份证（号码 " + n.idNumber + "）；\n"
                + "    3. 企业法人营业执照、组织机构代码证。\n"
                + "    在窗口领取法人卡和操作员卡。\n\n"
                + "审查时间：" + n.decidedAt + "（北京时间）\n"
                + "\n" + RULE + "\n\n"
                + "Dear applicant,\n\n"
                + "All six agencies of the joint review (" + enAgencies + ") approved the China E-Port application of "
                + n.enterprise + " (" + n.enIdentity() + "). What to do next:\n\n"
                + "1. At the telecom office (电信局): buy the 17999 network access card and register the enterprise code.\n"
                + "2. At the customs joint office (海关), bring:\n"
                + "    a. the appointment slip number " + n.slip + ";\n"
                + "    b. the ID card of the legal representative, " + n.legalRepresentative + " (" + n.idNumber + ");\n"
                + "    c. the enterprise's business licence (企业法人营业执照) and organisation code certificate (组织机构代码证).\n"
                + "    There you collect the legal-person IC card (法人卡) and the operator cards (操作员卡).\n\n"
                + "Decided: " + n.decidedAt + " China Standard Time\n"
                + footer();
    }

    private static String suspended(Text n) {
        String zhBy = n.agencyZh != null ? "经" + n.agencyZh + "决定，" : "";
        String enBy = n.agencyEn != null ? " by the " + n.agencyEn : "";
        return n.enterprise + "：\n\n"
                + zhBy + "贵单位的中国电子口岸 IC 卡（法人卡及操作员卡）已暂停使用（" + n.zhIdentity() + "）。原因如下：\n\n"
                + zhReasons(n.reasons)
                + "\n暂停期间不能使用这些卡办理电子口岸业务。请按上述原因修改申请后重新提交，并注明预约单号 " + n.slip
                + "（申请编号 " + n.applicationId + "）。\n"
                + "决定时间：" + n.decidedAt + "（北京时间）\n"
                + "\n" + RULE + "\n\n"
                + "Dear applicant,\n\n"
                + "The China E-Port IC cards of " + n.enterprise + " (the legal-person card and the operator cards) have been suspended"
                + enBy + " (" + n.enIdentity() + "), for these reasons:\n\n"
                + enReasons(n.reasons)
                + "\nWhile suspended, the cards cannot be used for E-Port business. Please amend the application accordingly and"
                + " submit it again, quoting the appointment slip number " + n.slip + " (application " + n.applicationId + ").\n"
                + "Decided: " + n.decidedAt + " China Standard Time\n"
                + footer();
    }

    private static String zhReasons(List<Reason> reasons) {
        return numbered(reasons.stream().map(r -> r.zh() + "（代码 " + r.code() + "）").toList());
    }

    private static String enReasons(List<Reason> reasons) {
        return numbered(reasons.stream().map(r -> r.en() + " (code " + r.code() + ")").toList());
    }

    private static String numbered(List<String> lines) {
        if (lines.isEmpty()) {
            return "    （未说明 / none given）\n";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append("    ").append(i + 1).append(". ").append(lines.get(i)).append('\n');
        }
        return text.toString();
    }

    private static String footer() {
        return "\n--\n中国电子口岸 China E-Port\n此邮件由系统自动发送，请勿直接回复。 This mail was sent automatically; please do not reply to it.\n";
    }

    /** A header value on one line: a line break in it would start a header of its own. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t\\x00-\\x1f\\x7f]+", " ").strip();
    }

    /** The notice's texts as they may appear in a mail: every free text masked. */
    private static final class Text {

        final String slip;
        final String applicationId;
        final int revision;
        final String enterprise;
        final String legalRepresentative;
        final String idNumber;
        final List<Reason> reasons;
        final @Nullable String agencyZh;
        final @Nullable String agencyEn;
        final String decidedAt;

        Text(DecisionNotice notice) {
            slip = masked(notice.slipNumber());
            applicationId = notice.applicationId().toString();
            revision = notice.revision();
            enterprise = masked(notice.enterpriseName());
            legalRepresentative = masked(notice.legalRepresentativeName());
            // Masked again in case a caller passed it whole: it is never sent whole.
            idNumber = masked(notice.maskedLegalRepresentativeIdNumber());
            reasons = notice.reasons().stream().map(r -> new Reason(masked(r.code()), masked(r.zh()), masked(r.en()))).toList();
            agencyZh = notice.agencyZhName() == null ? null : masked(notice.agencyZhName());
            agencyEn = notice.agencyEnName() == null ? null : masked(notice.agencyEnName());
            decidedAt = BEIJING_TIME.format(notice.decidedAt());
        }

        String zhIdentity() {
            return "预约单号 " + slip + "，申请编号 " + applicationId + "，第 " + revision + " 版";
        }

        String enIdentity() {
            return "appointment slip " + slip + ", application " + applicationId + ", revision " + revision;
        }

        private static String masked(String text) {
            return ResidentIdNumber.maskedWithin(text);
        }
    }
}
