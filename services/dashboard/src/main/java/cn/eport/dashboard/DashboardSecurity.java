package cn.eport.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Where the platform's resource server finds the bearer token: in the Authorization header, as
 * everywhere, and for the live stream alone also in the {@code access_token} query parameter
 * (RFC 6750 section 2.3), since a browser's EventSource cannot set headers. A token in a URL can end
 * up in logs and histories, so no other endpoint accepts one there.
 */
@Configuration(proxyBeanMethods = false)
class DashboardSecurity {

    @Bean
    BearerTokenResolver dashboardBearerTokens() {
        DefaultBearerTokenResolver headerOnly = new DefaultBearerTokenResolver();
        DefaultBearerTokenResolver headerOrQuery = new DefaultBearerTokenResolver();
        headerOrQuery.setAllowUriQueryParameter(true);
        return new BearerTokenResolver() {
            @Override
            public @Nullable String resolve(HttpServletRequest request) {
                String path = request.getRequestURI().substring(request.getContextPath().length());
                return DashboardController.STREAM.equals(path) ? headerOrQuery.resolve(request) : headerOnly.resolve(request);
            }
        };
    }
}
