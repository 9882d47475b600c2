/**
 * The pipeline every agency checker shares. An agency service provides {@link cn.eport.agencycheck.AgencyRules}
 * and its configuration; this kit consumes each submitted application once per revision, runs the
 * rules, records the check and publishes the signed verdict on the agency's own topic, all through
 * the platform's inbox and outbox.
 */
@NullMarked
package cn.eport.agencycheck;

import org.jspecify.annotations.NullMarked;
