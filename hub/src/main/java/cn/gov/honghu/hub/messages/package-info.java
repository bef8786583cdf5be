/** Read side for agencies: a message's status with its deliveries, and an agency's own traffic. */
package cn.gov.honghu.hub.messages;
