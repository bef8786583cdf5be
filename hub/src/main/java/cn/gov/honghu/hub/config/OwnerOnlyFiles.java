package cn.gov.honghu.hub.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Key files the hub generates into its data folder (party-hash key, dev keys, and any other
 * generated secret): readable and writable by the owner only (POSIX 600).
 *
 * <p>Important: the file is created with those permissions before a byte is written, so the secret
 * is never readable by others, not even for a moment; a file left by an older version with wider
 * permissions is narrowed when it is written or {@link #restrict restricted}. On a non-POSIX file
 * system the data folder's own permissions must protect it.
 */
public final class OwnerOnlyFiles {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** Writes {@code text} to {@code file}, replacing what was there. */
  public static void write(Path file, String text) throws IOException {
    create(file);
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Appends {@code text} to {@code file}, creating it if needed. */
  public static void append(Path file, String text) throws IOException {
    create(file);
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /**
   * The file's content, after writing {@code generated} into it if it did not exist: a generated
   * key is never replaced (what it protected would become unreadable or unverifiable).
   */
  public static String readOrCreate(Path file, java.util.function.Supplier<String> generated)
      throws IOException {
    if (!Files.exists(file)) {
      write(file, generated.get());
    }
    restrict(file); // written by a version that did not narrow it
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** Narrows an existing file to owner-only. */
  public static void restrict(Path file) throws IOException {
    if (isPosix() && Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static void create(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (!Files.exists(file)) {
      if (isPosix()) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
      }
    }
    restrict(file);
  }

  private static boolean isPosix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
