package cn.eport.web;

import cn.eport.messaging.PlatformMigrations;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.aopalliance.intercept.MethodInterceptor;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Idempotent} handler methods for every service with a REST API: the {@code idempotency_keys}
 * table in the service's schema (platform migration 0.3), the interceptor around the marked
 * methods, the janitor that forgets keys after the retention, and the header in the OpenAPI document.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@EnableConfigurationProperties(IdempotencySettings.class)
public class IdempotencyAutoConfiguration {

    /**
     * Inside method security (a caller who may not act is refused before any key is looked at) and
     * outside a {@code @Transactional} on the same method, which then joins the key's transaction.
     */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

    @Bean
    FlywayConfigurationCustomizer idempotencyKeysMigration() {
        return PlatformMigrations.alsoMigrate("classpath:db/platform/web");
    }

    @Bean
    IdempotentRequests idempotentRequests(JdbcClient jdbc, PlatformTransactionManager transactions, JsonMapper json,
            IdempotencySettings settings) {
        return new IdempotentRequests(jdbc, new TransactionTemplate(transactions), json, settings);
    }

    /**
     * An infrastructure advisor, applied by whichever auto-proxy creator the context has (method
     * security's or AOP's). Static, and resolving the interceptor on first use, so that declaring it
     * does not create the data source and the mapper before the post-processors are ready.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor idempotentHandlerMethods(ObjectProvider<IdempotentRequests> requests) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(Idempotent.class),
                (MethodInterceptor) invocation -> requests.getObject().invoke(invocation));
        advisor.setOrder(ORDER);
        return advisor;
    }

    @Bean
    IdempotencyKeyJanitor idempotencyKeyJanitor(JdbcClient jdbc, IdempotencySettings settings) {
        return new IdempotencyKeyJanitor(jdbc, settings);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OperationCustomizer.class)
    static class OpenApi {

        /** The header and its two problems on every {@link Idempotent} operation of the OpenAPI document. */
        @Bean
        OperationCustomizer idempotencyKeyHeader() {
            return (operation, handlerMethod) -> {
                if (!handlerMethod.hasMethodAnnotation(Idempotent.class)) {
                    return operation;
                }
                operation.addParametersItem(new HeaderParameter().name(IdempotencyKey.HEADER).required(false)
                        .schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH))
                        .description("Optional (IETF draft-ietf-httpapi-idempotency-key-header): a key of your choice, e.g. a UUID, "
                                + "to retry safely. A repeat with the same key and the same request gets the first answer again "
                                + "(with Idempotent-Replayed: true) and does nothing; a repeat while the first still runs waits "
                                + "for it. Only successful answers are kept; keys are forgotten after 24 hours."));
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                responses.addApiResponse("422", new ApiResponse().description(
                        "The Idempotency-Key was first used with another request (problem " + IdempotentRequests.KEY_REUSED + ")"));
                return operation.responses(responses);
            };
        }
    }
}
