/**
 * The contracts between Agentry's services: every message that crosses Kafka, its envelope, its topic and
 * its wire codec. Records and typed values only; nothing here knows Spring or a database.
 */
@NullMarked
package dev.agentry.events;

import org.jspecify.annotations.NullMarked;
