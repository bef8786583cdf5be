/**
 * Message tracking, the read side for agencies: a message's status with its deliveries, and an
 * agency's own traffic ({@code GET /api/v1/messages}).
 */
package cn.gov.honghu.hub.tracking;
