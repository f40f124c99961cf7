package dev.sluice.core.internal;

import com.squareup.moshi.JsonReader;
import dev.sluice.core.SinkException;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import okio.Buffer;

/**
 * Reads the current state of a JSON Lines dataset folder: committed files in name order, the last
 * version of each id winning, deletes removing. Ids and operations come from each file's index
 * under {@code ROOT/.sluice/ids/DATASET/}; a file without one (written by an older version) falls back to the record's top-level
 * {@code id} and treats {@code "deleted": true} as a delete.
 */
public final class JsonLinesState {
  private JsonLinesState() {}

  /** The committed data files of a dataset folder, in name (commit) order. */
  public static List<Path> committedFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.endsWith(".jsonl") && !n.startsWith(".");
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new SinkException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static String lastBaseName(Path dir) {
    List<Path> files = committedFiles(dir);
    if (files.isEmpty()) {
      return "";
    }
    String name = files.get(files.size() - 1).getFileName().toString();
    String base = name.substring(0, name.length() - ".jsonl".length());
    return base.matches(".*-\\d+") ? base : "";
  }

  /** The current state of a dataset under a sink's root: id to record, in first-seen order. */
  public static Map<String, DataRecord> read(Path root, String dataset) {
    Map<String, DataRecord> state = new LinkedHashMap<>();
    Path indexDir = JsonLinesSink.indexDir(root, dataset);
    for (Path file : committedFiles(root.resolve(dataset))) {
      List<String> lines = readLines(file);
      List<String[]> index = readIndex(indexDir, file);
      for (int i = 0; i < lines.size(); i++) {
        DataRecord record = DataRecord.fromJson(lines.get(i));
        String[] entry = index != null ? index.get(i) : fallback(record, file);
        if (entry[0].equals("D")) {
          state.remove(entry[1]);
        } else {
          state.put(entry[1], record);
        }
      }
    }
    return state;
  }

  /** The ids of a dataset's current state under a sink's root. */
  public static Set<String> ids(Path root, String dataset) {
    Set<String> ids = new LinkedHashSet<>();
    Path indexDir = JsonLinesSink.indexDir(root, dataset);
    for (Path file : committedFiles(root.resolve(dataset))) {
      List<String[]> index = readIndex(indexDir, file);
      if (index == null) {
        index = new ArrayList<>();
        for (String line : readLines(file)) {
          index.add(fallback(DataRecord.fromJson(line), file));
        }
      }
      for (String[] entry : index) {
        if (entry[0].equals("D")) {
          ids.remove(entry[1]);
        } else {
          ids.add(entry[1]);
        }
      }
    }
    return ids;
  }

  private static String[] fallback(DataRecord record, Path file) {
    Object id = record.get("id");
    if (!(id instanceof String)) {
      throw new SinkException("A line of " + file + " has no index entry and no string 'id' field:"
          + " the file was not written by this sink", null);
    }
    boolean deleted = Boolean.TRUE.equals(record.get("deleted"));
    return new String[] {deleted ? "D" : "U", (String) id};
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SinkException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String[]> readIndex(Path indexDir, Path file) {
    String name = file.getFileName().toString();
    Path index = indexDir.resolve(
        name.substring(0, name.length() - ".jsonl".length()) + JsonLinesSink.INDEX_SUFFIX);
    List<String[]> entries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonReader json = JsonReader.of(new Buffer().writeUtf8(line.substring(1)));
        entries.add(new String[] {line.substring(0, 1), (String) JsonValues.read(json)});
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new SinkException("Cannot read " + index + ": " + e.getMessage(), e);
    }
    return entries;
  }
}
