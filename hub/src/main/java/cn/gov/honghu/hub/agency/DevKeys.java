package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.config.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development keys for the embedded default (HUB-SPEC section 2): generated once on first start;
 * the plain keys are written once to {@code <data-dir>/dev-keys.properties} (owner-only), and only
 * their SHA-256 hashes are kept, in {@code <data-dir>/dev-key-hashes.properties}, which later
 * starts read.
 */
public final class DevKeys {

  public static final String ADMIN_PREFIX = "admin.";
  static final String KEYS_FILE = "dev-keys.properties";
  static final String HASHES_FILE = "dev-key-hashes.properties";
  private static final Logger log = LoggerFactory.getLogger(DevKeys.class);

  private DevKeys() {}

  /** Returns the hex SHA-256 per agency code and per {@code admin.<name>}. */
  public static Map<String, String> loadOrCreate(
      Path dataDir, List<String> agencyCodes, String admin) throws IOException {
    Files.createDirectories(dataDir);
    Path hashesFile = dataDir.resolve(HASHES_FILE);
    Path keysFile = dataDir.resolve(KEYS_FILE);
    Map<String, String> hashes = new LinkedHashMap<>();
    if (Files.exists(hashesFile)) {
      Properties stored = new Properties();
      try (Reader reader = Files.newBufferedReader(hashesFile, StandardCharsets.UTF_8)) {
        stored.load(reader);
      }
      stored.forEach((k, v) -> hashes.put((String) k, (String) v));
    }
    Map<String, String> newKeys = new LinkedHashMap<>();
    for (String code : agencyCodes) {
      if (!hashes.containsKey(code)) {
        newKeys.put(code, ApiKeys.generate());
      }
    }
    if (!hashes.containsKey(ADMIN_PREFIX + admin)) {
      newKeys.put(ADMIN_PREFIX + admin, ApiKeys.generate());
    }
    if (!newKeys.isEmpty()) {
      newKeys.forEach((k, key) -> hashes.put(k, ApiKeys.sha256Hex(key)));
      writeOwnerOnly(keysFile, newKeys, Files.exists(keysFile));
      writeOwnerOnly(hashesFile, hashes, false);
    }
    log.info("Development API keys (embedded default) are in {}", keysFile.toAbsolutePath());
    return hashes;
  }

  /**
   * The hex SHA-256 of keys that are no secret: the development keys generated in {@code dataDir}
   * (if any) and the examples' and tests' keys ({@code <name>-demo-key}, {@code <name>-test-key})
   * for the given agency codes and admin names. The prod profile refuses them.
   */
  public static Set<String> weakKeyHashes(Path dataDir, Collection<String> names)
      throws IOException {
    Set<String> hashes = new HashSet<>();
    Path hashesFile = dataDir.resolve(HASHES_FILE);
    if (Files.exists(hashesFile)) {
      Properties stored = new Properties();
      try (Reader reader = Files.newBufferedReader(hashesFile, StandardCharsets.UTF_8)) {
        stored.load(reader);
      }
      stored.values().forEach(v -> hashes.add(((String) v).strip().toLowerCase(Locale.ROOT)));
    }
    for (String name : names) {
      hashes.add(ApiKeys.sha256Hex(name + "-demo-key"));
      hashes.add(ApiKeys.sha256Hex(name + "-test-key"));
    }
    return hashes;
  }

  private static void writeOwnerOnly(Path file, Map<String, String> entries, boolean append)
      throws IOException {
    StringBuilder text = new StringBuilder();
    entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    if (append) {
      OwnerOnlyFiles.append(file, text.toString());
    } else {
      OwnerOnlyFiles.write(file, text.toString());
    }
  }
}
