package dev.sluice.core;

/**
 * An update to a {@link FlowRegistry} entry was refused because the entry changed since its etag
 * was read: optimistic concurrency, like an HTTP {@code If-Match} that no longer matches. Read the
 * entry again, re-apply the change, and retry with its new etag.
 */
public class StaleEtagException extends SluiceException {
  private static final long serialVersionUID = 1L;
  private final String flowId;
  private final String currentEtag;

  /** Creates the exception for a flow, the etag given, and the current one. */
  public StaleEtagException(String flowId, String givenEtag, String currentEtag) {
    super("Flow '" + flowId + "' changed since etag " + givenEtag + " was read (it is now "
        + currentEtag + "): get the flow again, re-apply your change and retry with the new etag");
    this.flowId = flowId;
    this.currentEtag = currentEtag;
  }

  /** The flow concerned. */
  public String flowId() {
    return flowId;
  }

  /** The entry's current etag. */
  public String currentEtag() {
    return currentEtag;
  }

  @Override
  public String code() {
    return "PRECONDITION_FAILED";
  }
}
