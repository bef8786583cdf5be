package cn.gov.honghu.hub.agency;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

  private static void writeOwnerOnly(Path file, Map<String, String> entries, boolean append)
      throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Non-POSIX file system: the data directory's own permissions must protect the keys.
    }
    StringBuilder text = new StringBuilder();
    entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try (Writer writer =
        append
            ? Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)
            : Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(text.toString());
    }
  }
}
