/**
 * Who the hub talks to: the agency registry, API-key hashes and the constant-time key check, and
 * the development keys of the embedded default.
 */
package cn.gov.honghu.hub.agency;
