/** The append-only lifecycle event table that the timeline, statistics and audit chain read. */
package cn.gov.honghu.hub.event;
