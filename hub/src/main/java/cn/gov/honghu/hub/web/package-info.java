/**
 * HTTP concerns shared by the controllers: resolving the caller from its bearer key and answering
 * problems as RFC 9457.
 */
package cn.gov.honghu.hub.web;
