package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import java.util.Set;

/** A member agency as the hub knows it at run time. The API key itself is never held. */
public record Agency(
    String code, String name, AgencyKind kind, DeliveryMode deliveryMode, Set<String> waterAreas) {

  public boolean isAdministrative() {
    return kind == AgencyKind.ADMINISTRATIVE;
  }

  public boolean usesInbox() {
    return deliveryMode == DeliveryMode.PULL;
  }

  /** Consumes its own broker queue: its deliveries go through the outbox relay. */
  public boolean consumesQueue() {
    return deliveryMode == DeliveryMode.JMS;
  }

  /** Receives HTTP pushes: the webhook dispatcher delivers from the database. */
  public boolean usesWebhook() {
    return deliveryMode == DeliveryMode.WEBHOOK;
  }
}
