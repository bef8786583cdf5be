/** The figures inspections report ({@code GET /admin/v1/stats}), computed from the store. */
package cn.gov.honghu.hub.stats;
