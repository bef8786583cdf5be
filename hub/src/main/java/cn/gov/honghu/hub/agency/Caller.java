package cn.gov.honghu.hub.agency;

/** Who is calling, once the bearer key has been checked. */
public sealed interface Caller {

  /** A member agency's system. */
  record AgencyCaller(Agency agency) implements Caller {}

  /** A hub administrator. */
  record AdminCaller(String name) implements Caller {}
}
