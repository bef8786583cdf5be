package cn.gov.honghu.connectors.jms;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * The broker side of delivery mode {@code jms} (HUB-SPEC section 4): each agency consumes its own
 * queue {@code hub.delivery.<code>} with its own credentials. From the hub's broker account and the
 * jms agencies' accounts this builds what an embedded Artemis needs:
 *
 * <ul>
 *   <li>a JAAS security manager holding the users and their roles in memory ({@link
 *       InVMLoginModule}; no login.config on disk);
 *   <li>the security settings: the hub's role may do everything on {@code hub.#}; an agency's role
 *       may only consume and browse its own queue; any other user or an anonymous connection may do
 *       nothing;
 *   <li>the agency queues themselves: an agency may not create its queue, and it may connect before
 *       the hub relayed its first delivery.
 * </ul>
 *
 * An external broker gets the same settings from its broker.xml and its own login configuration.
 */
public final class AgencyQueueSecurity {

  public static final String QUEUE_PREFIX = "hub.delivery.";
  public static final String HUB_ADDRESSES = "hub.#";
  public static final String HUB_ROLE = "hub";

  /** A broker account: the hub's, or a jms agency's (then {@code code} is the agency code). */
  public record Account(String code, String user, String password) {

    public Account {
      requireText(code, "code");
      requireText(user, "user of '" + code + "'");
      requireText(password, "password of '" + code + "'");
    }

    /** Without the password: an account may end up in an exception message or a debugger. */
    @Override
    public String toString() {
      return "Account[code=" + code + ", user=" + user + "]";
    }
  }

  private final Account hub;
  private final List<Account> agencies;

  /**
   * @param hubUser the broker user the hub itself connects as
   * @param agencies the accounts of the agencies in delivery mode jms
   * @throws IllegalArgumentException for a blank value, or a user name given twice (roles would
   *     mix)
   */
  public AgencyQueueSecurity(String hubUser, String hubPassword, List<Account> agencies) {
    this.hub = new Account(HUB_ROLE, hubUser, hubPassword);
    this.agencies = List.copyOf(agencies);
    Set<String> users = new HashSet<>(Set.of(hub.user()));
    Set<String> codes = new HashSet<>();
    for (Account agency : this.agencies) {
      if (!codes.add(agency.code())) {
        throw new IllegalArgumentException("agency '" + agency.code() + "' is given twice");
      }
      if (!users.add(agency.user())) {
        throw new IllegalArgumentException(
            "agency '" + agency.code() + "': its broker user is the hub's or another agency's");
      }
    }
  }

  /** The queue an agency consumes. */
  public static String queue(String agencyCode) {
    return QUEUE_PREFIX + agencyCode;
  }

  /** The role of an agency's user; it grants consume and browse on the agency's queue only. */
  public static String agencyRole(String agencyCode) {
    return "agency-" + agencyCode;
  }

  /** The users and their roles, checked in memory. */
  public ActiveMQJAASSecurityManager securityManager() {
    SecurityConfiguration users = new SecurityConfiguration();
    users.addUser(hub.user(), hub.password());
    users.addRole(hub.user(), HUB_ROLE);
    for (Account agency : agencies) {
      users.addUser(agency.user(), agency.password());
      users.addRole(agency.user(), agencyRole(agency.code()));
    }
    return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users);
  }

  /** Turns security on and adds the security settings and the agency queues. */
  public void applyTo(Configuration configuration) {
    configuration.setSecurityEnabled(true);
    securitySettings().forEach(configuration::putSecurityRoles);
    for (Account agency : agencies) {
      String queue = queue(agency.code());
      configuration.addAddressConfiguration(
          new CoreAddressConfiguration()
              .setName(queue)
              .addRoutingType(RoutingType.ANYCAST)
              .addQueueConfiguration(
                  QueueConfiguration.of(queue)
                      .setAddress(queue)
                      .setRoutingType(RoutingType.ANYCAST)));
    }
  }

  /**
   * Match to roles. Artemis applies the most specific match alone, not merged with {@code hub.#},
   * so every agency queue lists the hub's role again.
   */
  private Map<String, Set<Role>> securitySettings() {
    Map<String, Set<Role>> settings = new LinkedHashMap<>();
    settings.put(HUB_ADDRESSES, Set.of(everything(HUB_ROLE)));
    for (Account agency : agencies) {
      settings.put(
          queue(agency.code()),
          Set.of(everything(HUB_ROLE), consumeAndBrowse(agencyRole(agency.code()))));
    }
    return settings;
  }

  private static Role everything(String role) {
    return new Role(role, true, true, true, true, true, true, true, true, true, true, true, true);
  }

  private static Role consumeAndBrowse(String role) {
    // name, send, consume, create/delete durable queue, create/delete non-durable queue, manage,
    // browse, create/delete address, view, edit
    return new Role(
        role, false, true, false, false, false, false, false, true, false, false, false, false);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("broker account: " + what + " is blank");
    }
  }
}
