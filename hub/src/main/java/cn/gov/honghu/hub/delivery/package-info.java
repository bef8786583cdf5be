/**
 * Delivery to recipients: the pull inbox with acknowledgement and redelivery (push connectors come
 * with the delivery issues).
 */
package cn.gov.honghu.hub.delivery;
