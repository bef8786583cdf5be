package cn.gov.honghu.hub.config;

import java.util.List;

/** A configuration the hub refuses to start with; the message names every offending key. */
public class InvalidHubConfigurationException extends RuntimeException {

  public InvalidHubConfigurationException(List<String> problems) {
    super("Invalid hub configuration:\n  - " + String.join("\n  - ", problems));
  }
}
