/**
 * The hub's keys and ciphers (HUB-SPEC section 11): generated key files, the personal-data cipher
 * (AES-256-GCM or SM4-GCM), and Bouncy Castle for the SM algorithms.
 */
package cn.gov.honghu.hub.crypto;
