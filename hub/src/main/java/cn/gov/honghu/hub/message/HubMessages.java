package cn.gov.honghu.hub.message;

import java.time.Instant;

/**
 * Where the watches put the messages the hub sends itself ({@code store.MessageStore}); an
 * interface so that features the store reads (alerts) can send without depending on the store.
 */
public interface HubMessages {

  /**
   * Stores a hub-generated message with its deliveries in the caller's transaction; returns its
   * message id, or null when it has no recipient.
   */
  String storeHubMessage(HubMessage message, Instant now);
}
