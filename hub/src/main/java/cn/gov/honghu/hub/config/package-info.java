/**
 * What is cross-cutting, and nothing of one feature: typed configuration ({@code hub.*}) with its
 * start-up checks, the embedded defaults, the clock, the OpenAPI description and the test-only
 * fault hooks. Each feature wires its own classes in a {@code *Configuration} beside it.
 */
package cn.gov.honghu.hub.config;
