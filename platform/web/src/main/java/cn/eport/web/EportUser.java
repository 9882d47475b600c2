package cn.eport.web;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, from their token: the subject (an enterprise account, a clerk's or a reviewer's
 * staff id), their roles, and for reviewers the agency they review for.
 *
 * @param agency lower-case agency id ({@code tax}) from the {@code agency} claim; only reviewers have one
 */
public record EportUser(String subject, Set<EportRole> roles, @Nullable String agency) {

    public static EportUser from(Jwt jwt) {
        Set<EportRole> roles = EnumSet.noneOf(EportRole.class);
        List<String> claimed = jwt.getClaimAsStringList("roles");
        if (claimed != null) {
            for (String role : claimed) {
                for (EportRole known : EportRole.values()) {
                    if (known.name().equalsIgnoreCase(role)) {
                        roles.add(known);
                    }
                }
            }
        }
        return new EportUser(jwt.getSubject(), roles, jwt.getClaimAsString("agency"));
    }

    public boolean has(EportRole role) {
        return roles.contains(role);
    }
}
