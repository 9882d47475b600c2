package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every agency concludes from its registry's record of a certificate, with reason codes in
 * the agency's namespace ({@code <AGENCY>_<DOCUMENT>_<FINDING>}):
 * <ul>
 * <li>{@code NOT_REGISTERED}, {@code REVOKED}, {@code SUSPENDED}, {@code EXPIRED}: rejected;</li>
 * <li>{@code STATUS_UNKNOWN}, {@code EXPIRING} (valid for less than {@value #EXPIRING_WITHIN_DAYS} more days),
 * {@code NAME_MISMATCH} (the registered holder is not the name on the form, after normalising widths,
 * spaces and brackets): referred to a reviewer.</li>
 * </ul>
 */
public final class CertificateFindings {

    public static final int EXPIRING_WITHIN_DAYS = 30;

    private CertificateFindings() {
    }

    /** A document an agency checks: its code word, and its name in Chinese and English. */
    public record Document(String code, String zh, String en) {
    }

    /**
     * @param number       the certificate number on the form, quoted in the messages
     * @param expectedName the holder's name on the form
     */
    public static List<Finding> of(Agency agency, Document document, String number, Optional<RegistryRecord> record,
            String expectedName, LocalDate today) {
        if (record.isEmpty()) {
            return List.of(Finding.reject(Finding.code(agency, document.code(), "NOT_REGISTERED"),
                    document.zh() + " " + number + " 在登记机关无记录，请核对证书编号，或先到" + agency.zhName() + "办理登记。",
                    "The " + document.en() + " " + number + " is not on the register: check the number, or register with the "
                            + agency.enName() + " first."));
        }
        RegistryRecord found = record.get();
        switch (found.status()) {
            case REVOKED -> {
                return List.of(Finding.reject(Finding.code(agency, document.code(), "REVOKED"),
                        document.zh() + " " + number + " 已被吊销，须重新取得有效证书。",
                        "The " + document.en() + " " + number + " has been revoked: a valid one is needed."));
            }
            case SUSPENDED -> {
                return List.of(Finding.reject(Finding.code(agency, document.code(), "SUSPENDED"),
                        document.zh() + " " + number + " 已暂停，恢复后方可申请。",
                        "The " + document.en() + " " + number + " is suspended: apply again once it is reinstated."));
            }
            case UNKNOWN -> {
                return List.of(Finding.refer(Finding.code(agency, document.code(), "STATUS_UNKNOWN"),
                        document.zh() + " " + number + " 的状态登记机关无法确认，转人工审核。",
                        "The register cannot confirm the status of the " + document.en() + " " + number + "; a reviewer will look."));
            }
            case VALID -> {
                // the findings below
            }
        }
        List<Finding> findings = new ArrayList<>();
        LocalDate validUntil = found.validUntil();
        if (validUntil != null && validUntil.isBefore(today)) {
            return List.of(Finding.reject(Finding.code(agency, document.code(), "EXPIRED"),
                    document.zh() + " " + number + " 已于 " + validUntil + " 过期，请办理换证后重新提交。",
                    "The " + document.en() + " " + number + " expired on " + validUntil + ": renew it and submit again."));
        }
        if (validUntil != null && validUntil.isBefore(today.plusDays(EXPIRING_WITHIN_DAYS))) {
            findings.add(Finding.refer(Finding.code(agency, document.code(), "EXPIRING"),
                    document.zh() + " " + number + " 将于 " + validUntil + " 到期（不足" + EXPIRING_WITHIN_DAYS + "天），转人工审核。",
                    "The " + document.en() + " " + number + " expires on " + validUntil + ", within " + EXPIRING_WITHIN_DAYS
                            + " days; a reviewer will look."));
        }
        if (!EnterpriseNames.same(found.holderName(), expectedName)) {
            findings.add(Finding.refer(Finding.code(agency, document.code(), "NAME_MISMATCH"),
                    document.zh() + " " + number + " 登记的名称为“" + found.holderName() + "”，与申请表“" + expectedName + "”不一致，转人工审核。",
                    "The " + document.en() + " " + number + " is registered to \"" + found.holderName()
                            + "\", not \"" + expectedName + "\" as on the form; a reviewer will look."));
        }
        return findings;
    }
}
