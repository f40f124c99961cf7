package dev.sluice.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** One account's data: the generated dataset and, per resource, the store with its overlay. */
public final class Account {
  private final String id;
  private final Dataset dataset;
  private final Map<String, ResourceStore> stores = new LinkedHashMap<>();

  public Account(String id, Dataset dataset) {
    this.id = id;
    this.dataset = dataset;
    for (String name : dataset.shapes().keySet()) {
      stores.put(name, new ResourceStore(dataset, name));
    }
  }

  public String id() {
    return id;
  }

  public Dataset dataset() {
    return dataset;
  }

  /** The store of a catalog resource, or null. */
  public ResourceStore store(String resource) {
    return stores.get(resource);
  }

  public Map<String, ResourceStore> stores() {
    return stores;
  }
}
