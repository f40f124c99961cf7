package dev.sluice.stripe.internal;

import com.squareup.moshi.JsonReader;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.JsonValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.BufferedSource;

/** One page of a Stripe list, read as a stream: the objects and whether more follow. */
public record ListPage(List<DataRecord> data, boolean hasMore) {

  /** Reads Stripe's list envelope {@code {"object":"list","data":[…],"has_more":…}}. */
  public static ListPage read(BufferedSource body) throws IOException {
    JsonReader reader = JsonReader.of(body);
    List<DataRecord> data = null;
    Boolean hasMore = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "data":
          data = new ArrayList<>();
          reader.beginArray();
          while (reader.hasNext()) {
            data.add(JsonValues.readRecord(reader));
          }
          reader.endArray();
          break;
        case "has_more":
          hasMore = reader.nextBoolean();
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
    if (data == null || hasMore == null) {
      throw new JsonFormatException(
          "The answer is not a Stripe list: it lacks " + (data == null ? "\"data\"" : "\"has_more\""));
    }
    return new ListPage(data, hasMore);
  }
}
