package cn.eport.mail;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Just the platform's mail (and the messaging it stands on), against the shared test database. */
@SpringBootApplication
class MailTestApplication {
}
