/**
 * HTTP concerns shared by the controllers: resolving the caller from its bearer key, and refusals
 * ({@link cn.gov.honghu.hub.web.ProblemException}) answered as RFC 9457 problems.
 */
package cn.gov.honghu.hub.web;
