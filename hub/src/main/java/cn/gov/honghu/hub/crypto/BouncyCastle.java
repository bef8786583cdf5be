package cn.gov.honghu.hub.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle as a provider object handed to the JCA calls that need SM3 or SM4, not registered
 * JVM-wide, so that no other algorithm of the hub (TLS, SHA-256, AES) changes provider.
 */
public final class BouncyCastle {

  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
