package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Form 1 (企业情况表): the enterprise as the application describes it.
 *
 * <p>An enterprise registered since 2015 carries its unified social credit code; an older one the
 * legacy trio (organisation code, business registration number, tax registration number). Either
 * may be absent ({@code null}), never both; when both are present they agree.
 *
 * @param name                       registered name, as on its certificates
 * @param type                       domestic or foreign-invested
 * @param uscc                       统一社会信用代码, optional
 * @param organisationCode           组织机构代码, printed form {@code XXXXXXXX-C}, optional
 * @param businessRegistrationNumber 工商注册号, optional
 * @param taxRegistrationNumber      税务登记号, optional
 * @param customsRegistrationCode    海关注册编码
 * @param tradeCertificateNumber     number of the import/export qualification or FIE approval certificate
 * @param address                    registered address
 * @param legalRepresentative        name of the legal representative (法定代表人)
 * @param contactPhone               the applicant's contact telephone
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Enterprise(
        String name,
        EnterpriseType type,
        String uscc,
        String organisationCode,
        String businessRegistrationNumber,
        String taxRegistrationNumber,
        String customsRegistrationCode,
        String tradeCertificateNumber,
        String address,
        String legalRepresentative,
        String contactPhone) {
}
