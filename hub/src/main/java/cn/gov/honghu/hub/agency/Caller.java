package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.config.HubProperties.AdminRole;

/** Who is calling, once the bearer key has been checked. */
public sealed interface Caller {

  /** A member agency's system. */
  record AgencyCaller(Agency agency) implements Caller {}

  /** A hub administrator, and what its role lets it do (HUB-SPEC section 11). */
  record AdminCaller(String name, AdminRole role) implements Caller {}
}
