/**
 * The applicant's decision emails, in Chinese and English: {@link cn.eport.mail.DecisionMail#queue}
 * writes the mail into the service's {@code mail_outbox} in the caller's transaction, and a
 * background worker sends it over SMTP with retries, so an SMTP outage loses nothing and never
 * holds up the decision that caused the mail.
 */
@NullMarked
package cn.eport.mail;

import org.jspecify.annotations.NullMarked;
