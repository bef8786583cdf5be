package cn.gov.honghu.hub.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Key files the hub generates into its data folder (party-hash key, PII key, audit signing key):
 * created readable by the owner only, never replaced once written (a new key would make what the
 * old one protected unreadable or unverifiable).
 */
public final class KeyFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFiles() {}

  /** The file's content, after writing {@code generated} into it if it did not exist. */
  public static String readOrCreate(Path file, Supplier<String> generated) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        writeOwnerOnly(file, generated.get());
      } catch (FileAlreadyExistsException raced) {
        // another instance on the same folder wrote it first: use theirs
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** Creates {@code file} with mode 600 from the start, so the key is never readable by others. */
  public static void writeOwnerOnly(Path file, String content) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    Files.createFile(file, attributes);
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
