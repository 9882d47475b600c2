package cn.eport.messaging;

import cn.eport.testsupport.RealInfrastructure;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/** A test of the messaging platform against the real broker and database, sharing one Spring context. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = MessagingTestApplication.class, properties = "spring.config.name=messaging-test")
@ContextConfiguration(initializers = RealInfrastructure.class)
@interface MessagingTest {
}
