package cn.gov.honghu.hub.bench;

import java.util.Arrays;
import java.util.List;

/** Recorded durations (nanoseconds), thread-safe, with exact percentiles. */
final class Samples {

  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  /** The q-quantile (0 < q <= 1, nearest rank) in milliseconds; NaN when empty. */
  synchronized double percentileMs(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * size);
    return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
  }

  double maxMs() {
    return percentileMs(1.0);
  }

  /** min, median, max of figures from several runs. */
  record Spread(double min, double median, double max) {
    static Spread of(List<Double> figures) {
      double[] sorted = figures.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (sorted.length == 0) {
        return new Spread(Double.NaN, Double.NaN, Double.NaN);
      }
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Spread(sorted[0], median, sorted[n - 1]);
    }
  }
}
