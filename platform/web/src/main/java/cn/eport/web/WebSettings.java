package cn.eport.web;

import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param publicPaths     paths anyone may read without a token: health, the OpenAPI document, the event
 *                        contracts (AsyncAPI and JSON Schemas at /eport/contracts/), the agencies' key
 *                        histories (/eport/keys/), and a case's evidence (/eport/evidence/, which
 *                        checks its caller itself: an OPS token or intake's grant)
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 */
@Validated
@ConfigurationProperties("eport.web")
public record WebSettings(
        @DefaultValue({"/actuator/health/**", "/actuator/info", "/v3/api-docs/**", "/eport/contracts/**", "/eport/keys/**", "/eport/evidence/**", "/error"}) List<String> publicPaths,
        @Min(1024) @DefaultValue("65536") int maxRequestBytes) {
}
