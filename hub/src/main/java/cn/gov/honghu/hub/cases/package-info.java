/**
 * The case index: who opened each case and who its parties are, built from accepted messages; the
 * party rule and routing read it.
 */
package cn.gov.honghu.hub.cases;
