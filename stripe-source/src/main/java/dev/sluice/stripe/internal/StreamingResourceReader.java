package dev.sluice.stripe.internal;

import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.xdm.JsonValues;
import com.squareup.moshi.JsonReader;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The OkHttp + Moshi reader: streams each page into records. */
public final class StreamingResourceReader implements StripeResourceReader {
  private final StripeTransport transport;

  /** A reader sending every request through {@code transport}. */
  public StreamingResourceReader(StripeTransport transport) {
    this.transport = transport;
  }

  @Override
  public ListPage list(String path, Map<String, String> params) {
    StripeTransport.Result<dev.sluice.stripe.internal.ListPage> result =
        transport.get(path, entries(params), dev.sluice.stripe.internal.ListPage::read);
    return new ListPage(result.value().data(), result.value().hasMore(), result.requests(), result.bytes(),
        result.stripeVersion());
  }

  @Override
  public Fetched retrieve(String path, Map<String, String> params) {
    StripeTransport.Result<dev.sluice.xdm.DataRecord> result =
        transport.get(path, entries(params), body -> JsonValues.readRecord(JsonReader.of(body)));
    return new Fetched(result.value(), result.requests(), result.bytes(), result.stripeVersion());
  }

  static List<Map.Entry<String, String>> entries(Map<String, String> params) {
    List<Map.Entry<String, String>> list = new ArrayList<>(params.size());
    params.forEach((k, v) -> list.add(new SimpleImmutableEntry<>(k, v)));
    return list;
  }

  @Override
  public String toString() {
    return "StripeReaders.streaming";
  }
}
