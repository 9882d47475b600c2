package cn.eport.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every endpoint needs a valid bearer JWT except the public paths; the actuator's others (metrics,
 * Prometheus) need the OPS role; roles come from the token's {@code roles} claim, or wherever
 * {@link IdentityClaims} says the identity provider puts them. Sessions are never created and CSRF protection is off because no endpoint
 * accepts cookies: a browser cannot be tricked into sending a bearer token.
 */
// Before WebMvcAutoConfiguration: it adds Boot's own ProblemDetailsExceptionHandler, at @Order(0),
// unless a ResponseEntityExceptionHandler is already defined; registered after it, ApiProblems would
// lose every standard MVC exception (unreadable body, type mismatch) to Boot's handler.
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"})
@EnableConfigurationProperties({WebSettings.class, IdentityClaims.class})
@EnableMethodSecurity
@Import({ApiProblems.class, ControlCharacterCheck.class})
public class ApiSecurityAutoConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, WebSettings settings, IdentityClaims claims,
            ObjectProvider<JwtDecoder> decoders) throws Exception {
        if (decoders.getIfAvailable() == null) {
            // Without one no token could ever be checked: say what to configure rather than fail on a missing bean.
            throw new IllegalStateException("No identity provider: set EPORT_OIDC_ISSUER_URI (an OIDC issuer, such as a"
                    + " Keycloak realm) or EPORT_JWT_PUBLIC_KEY_LOCATION (one RS256 public key, file:/...)");
        }
        Converter<Jwt, AbstractAuthenticationToken> roles = token -> {
            Jwt jwt = claims.normalise(token);
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            EportUser.from(jwt).roles().forEach(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        };
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(settings.publicPaths().toArray(String[]::new)).permitAll()
                        .requestMatchers("/actuator/**").hasRole(EportRole.OPS.name())
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(roles))
                        .authenticationEntryPoint((request, response, failure) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            Problems.write(response, HttpStatus.UNAUTHORIZED, Problems.UNAUTHENTICATED,
                                    "A valid bearer token is required");
                        })
                        .accessDeniedHandler((request, response, denied) -> Problems.write(response,
                                HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "You may not do this")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, failure) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            Problems.write(response, HttpStatus.UNAUTHORIZED, Problems.UNAUTHENTICATED,
                                    "A valid bearer token is required");
                        }))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(WebSettings settings) {
        FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(new RequestSizeLimit(settings.maxRequestBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setUrlPatterns(List.of("/*"));
        return registration;
    }
}
