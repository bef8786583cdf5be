/**
 * Who may call and how much (HUB-SPEC sections 10 and 11): the API-key authentication in front of
 * every {@code /api} and {@code /admin} endpoint, before any body is read; the roles; failed
 * authentications per source address; per-agency rate and concurrency limits; body size limits.
 */
package cn.gov.honghu.hub.security;
