package cn.gov.honghu.hub.routing;

import cn.gov.honghu.hub.alerts.AlertIndex.AlertView;
import cn.gov.honghu.hub.cases.CaseView;
import cn.gov.honghu.hub.message.Submission;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What a resolver or precondition may look at: the message, its case and its alert. */
record RoutingContext(Submission message, CaseView caseView, Optional<AlertView> alert) {

  String sender() {
    return message.sender();
  }

  String payloadText(String field) {
    JsonNode value = message.payload().get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
