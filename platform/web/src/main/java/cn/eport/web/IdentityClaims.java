package cn.eport.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Where an identity provider puts what {@link EportUser} needs, so that any OIDC provider's tokens
 * work: Keycloak, for one, puts realm roles under {@code realm_access.roles}. The token is read once,
 * at authentication, and handed on with the platform's own claims {@code roles} and {@code agency}.
 *
 * @param roles     the claim that lists the caller's roles, a dotted path into nested claims
 * @param agency    the claim that names a reviewer's agency (its lower-case id), a dotted path
 * @param roleNames the provider's role names that are not the platform's own ({@code eport-reviewer: REVIEWER});
 *                  a name that is neither is ignored
 */
@ConfigurationProperties("eport.security.claims")
public record IdentityClaims(@DefaultValue("roles") String roles, @DefaultValue("agency") String agency,
        @DefaultValue Map<String, EportRole> roleNames) {

    /** {@code jwt} with the platform's own {@code roles} and {@code agency} claims, read from where this provider keeps them. */
    Jwt normalise(Jwt jwt) {
        if (roles.equals("roles") && agency.equals("agency") && roleNames.isEmpty()) {
            return jwt;
        }
        List<String> platformRoles = new ArrayList<>();
        for (String claimed : strings(claim(jwt.getClaims(), roles))) {
            EportRole mapped = roleNames.get(claimed);
            platformRoles.add(mapped != null ? mapped.name() : claimed);
        }
        Map<String, Object> claims = new LinkedHashMap<>(jwt.getClaims());
        claims.put("roles", List.copyOf(platformRoles));
        Object agencyClaim = claim(jwt.getClaims(), agency);
        if (agencyClaim instanceof String name) {
            claims.put("agency", name);
        } else {
            claims.remove("agency");
        }
        return new Jwt(jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), jwt.getHeaders(), claims);
    }

    private static @Nullable Object claim(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String step : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(step);
        }
        return value;
    }

    private static List<String> strings(@Nullable Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(item -> {
                if (item instanceof String text) {
                    strings.add(text);
                }
            });
        } else if (value instanceof String text) {
            strings.add(text);
        }
        return strings;
    }
}
