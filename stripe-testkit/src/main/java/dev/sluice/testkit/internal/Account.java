package dev.sluice.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** One account's data: the generated dataset and, per resource, the store with its overlay. */
public final class Account {
  private final String id;
  private final Dataset dataset;
  private final Map<String, ResourceStore> stores = new LinkedHashMap<>();

  /** Makes an account's stores over its dataset. */
  public Account(String id, Dataset dataset) {
    this.id = id;
    this.dataset = dataset;
    for (String name : dataset.shapes().keySet()) {
      stores.put(name, new ResourceStore(dataset, name));
    }
  }

  /** The account's name: {@code platform} or a connected account id. */
  public String id() {
    return id;
  }

  /** The account's generated data. */
  public Dataset dataset() {
    return dataset;
  }

  /** The store of a catalog resource, or null. */
  public ResourceStore store(String resource) {
    return stores.get(resource);
  }

  /** Every resource's store, by resource name. */
  public Map<String, ResourceStore> stores() {
    return stores;
  }
}
