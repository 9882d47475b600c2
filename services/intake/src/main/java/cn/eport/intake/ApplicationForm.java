package cn.eport.intake;

import cn.eport.contracts.EnterpriseType;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an applicant submits: Form 1 (企业情况表) and Form 2 (企业IC卡登记表). Unknown fields are
 * refused, so a misspelt field name is an error rather than silently missing data.
 *
 * <p>The enterprise's {@code contactEmail}, optional, is where the decisions it must act on are
 * mailed (a rejection, an approval, a suspension); it stays in intake and is never published.
 *
 * @param enterpriseAccount only when a customs clerk keys in a paper application: the enterprise
 *                          account it is filed under, which may then follow it online
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record ApplicationForm(
        @NotNull @Valid EnterpriseForm enterprise,
        @NotNull @Valid PersonForm legalRepresentative,
        @NotEmpty @Size(max = 50) List<@NotNull @Valid OperatorForm> operators,
        @Nullable @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._@-]+") String enterpriseAccount) {

    @JsonIgnoreProperties(ignoreUnknown = false)
    record EnterpriseForm(
            @NotBlank @Size(max = 100) String name,
            @NotNull EnterpriseType type,
            @Nullable @Size(max = 18) String uscc,
            @Nullable @Size(max = 10) String organisationCode,
            @Nullable @Size(max = 15) String businessRegistrationNumber,
            @Nullable @Size(max = 15) String taxRegistrationNumber,
            @NotBlank @Size(max = 10) String customsRegistrationCode,
            @Nullable @Size(max = 32) String tradeCertificateNumber,
            @NotBlank @Size(max = 200) String address,
            @NotBlank @Size(max = 50) String legalRepresentative,
            @NotBlank @Size(max = 30) @Pattern(regexp = "[0-9+() -]+") String contactPhone,
            @Nullable @Size(max = 254) @Pattern(regexp = "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+") String contactEmail) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record PersonForm(
            @NotBlank @Size(max = 50) String name,
            @NotBlank @Size(max = 18) String idNumber) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record OperatorForm(
            @NotBlank @Size(max = 50) String name,
            @NotBlank @Size(max = 18) String idNumber,
            @Nullable @Size(max = 32) String customsBrokerCertificate) {
    }
}
