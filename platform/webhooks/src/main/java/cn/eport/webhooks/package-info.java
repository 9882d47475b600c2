/**
 * Delivering webhooks to subscribers, as a library for the service that keeps the subscriptions.
 *
 * <ul>
 *   <li>{@link cn.eport.webhooks.WebhookSigner}: Standard Webhooks signatures and secrets;</li>
 *   <li>{@link cn.eport.webhooks.EndpointPolicy}: which URLs may be called at all, checked at
 *       registration and again, on the resolved addresses, at every connection;</li>
 *   <li>{@link cn.eport.webhooks.WebhookSender}: one signed POST per attempt, answered by a
 *       {@link cn.eport.webhooks.DeliveryAttempt};</li>
 *   <li>{@link cn.eport.webhooks.RetrySchedule}: when to try again, and when to give up.</li>
 * </ul>
 *
 * <p>Plain Java and Apache HttpClient 5, no Spring: storing subscriptions and pending deliveries,
 * and running the attempts, is the using service's business.
 */
@NullMarked
package cn.eport.webhooks;

import org.jspecify.annotations.NullMarked;
