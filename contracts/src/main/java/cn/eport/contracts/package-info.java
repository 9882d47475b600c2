/**
 * The events the joint review publishes, as immutable records, and the topics they travel on.
 *
 * <p>Each event type has a JSON Schema beside it ({@link EventType#schemaResource()}) and an entry in
 * {@code asyncapi.yaml}. Published schemas are never edited in a breaking way: a breaking change is
 * a new event type version. Readers ignore fields they do not know. Fields documented as optional
 * may be {@code null}; every other field is present. No event carries a personal ID number whole.
 */
package cn.eport.contracts;
