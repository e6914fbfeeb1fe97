/**
 * Seed 003's notifications: what a conversation's background work tells its user. Written by the conversation
 * projector; read, marked read and deleted by their owner only.
 */
@NullMarked
package dev.agentry.api.notification;

import org.jspecify.annotations.NullMarked;
