/**
 * Typed configuration (hub.*), its start-up checks, and the composition root that wires the plain
 * classes of the message path.
 */
package cn.gov.honghu.hub.config;
