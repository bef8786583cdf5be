/**
 * The hub's ciphers and hashes (HUB-SPEC section 11): the personal-data cipher (AES-256-GCM or
 * SM4-GCM) and its keys, the canonical JSON that hashes are taken over, and Bouncy Castle for the
 * SM algorithms.
 */
package cn.gov.honghu.hub.crypto;
