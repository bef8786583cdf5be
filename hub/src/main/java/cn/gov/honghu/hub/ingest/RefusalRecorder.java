package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import cn.gov.honghu.hub.web.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records every refused post as a REFUSED event: who, which messageId (when it looks like one), the
 * status and the hub's own reason. The rejected-messages view of the admins reads these.
 */
public class RefusalRecorder {

  /**
   * A messageId is kept only when it is one (the envelope schema's UUID): anything else a sender
   * put there may be personal data (an ID or phone number typed into the wrong field), and the
   * refusal's record and the audit chain keep what they hold in plain text for years.
   */
  private static final Pattern UUID_LIKE =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private static final Logger log = LoggerFactory.getLogger(RefusalRecorder.class);

  private final EventLog events;
  private final JsonMapper json;

  public RefusalRecorder(EventLog events, JsonMapper json) {
    this.events = events;
    this.json = json;
  }

  public void record(Submission message, ProblemException refusal) {
    record(message == null ? null : message.caller(), messageId(message), refusal);
  }

  public void record(Agency caller, String messageId, ProblemException refusal) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("title", refusal.title());
    detail.put("detail", refusal.detail());
    detail.putAll(refusal.members());
    try {
      events.append(
          new Event(
              Kind.REFUSED,
              caller == null ? null : caller.code(),
              messageId,
              null,
              refusal.status(),
              json.writeValueAsString(detail)));
    } catch (DataAccessException e) {
      // The refusal is answered all the same; only its record is missing (database down).
      log.warn("Could not record a {} refusal: {}", refusal.status(), e.getClass().getSimpleName());
    }
  }

  private static String messageId(Submission message) {
    if (message == null || message.envelope() == null) {
      return null;
    }
    String id = message.messageId();
    return UUID_LIKE.matcher(id).matches() ? id : null;
  }
}
