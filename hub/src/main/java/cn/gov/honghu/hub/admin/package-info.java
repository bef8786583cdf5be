/** The admin API of the failed store and the refused messages, with the audit of every action. */
package cn.gov.honghu.hub.admin;
