package cn.eport.messaging;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Just the platform's messaging, against the shared test broker and database. */
@SpringBootApplication
class MessagingTestApplication {
}
