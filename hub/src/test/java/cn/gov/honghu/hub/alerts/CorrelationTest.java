package cn.gov.honghu.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import cn.gov.honghu.hub.alerts.AlertIndex.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Great-circle distance and the choice of incident at and around the distance boundary. */
class CorrelationTest {

  private static final double LAT = 29.7931;
  private static final double LON = 113.5102;

  /** The latitude {@code metres} north of {@link #LAT} on the spec's sphere. */
  private static double north(double metres) {
    return LAT + Math.toDegrees(metres / GreatCircle.EARTH_RADIUS_M);
  }

  @Test
  void shouldMeasureAGreatCircleOnTheSpecsSphere() {
    // one degree of latitude is R * pi / 180
    assertThat(GreatCircle.distanceMeters(0, 0, 1, 0)).isCloseTo(111_195.08, within(0.01));
    // one degree of longitude shrinks with the cosine of the latitude
    assertThat(GreatCircle.distanceMeters(60, 10, 60, 11))
        .isCloseTo(111_195.08 * Math.cos(Math.toRadians(60)), within(1.0));
    // across the antimeridian the short way round, not 359 degrees
    assertThat(GreatCircle.distanceMeters(0, 179.5, 0, -179.5)).isCloseTo(111_195.08, within(0.01));
    assertThat(GreatCircle.distanceMeters(LAT, LON, north(500), LON)).isCloseTo(500, within(1e-6));
  }

  @Test
  void shouldJoinAtExactlyTheDistanceAndNotJustBeyondIt() {
    List<Report> at = List.of(new Report("near", north(500), LON));
    List<Report> beyond = List.of(new Report("far", north(500.01), LON));

    assertThat(AlertIndex.nearest(at, LAT, LON, 500)).contains("near");
    assertThat(AlertIndex.nearest(beyond, LAT, LON, 500)).isEmpty();
  }

  @Test
  void shouldJoinTheNearestIncidentWhenTwoAreInRangeAndMeasureToAnyOfItsReports() {
    // incident A: one report 400 m away; incident B: a far report and one 100 m away
    List<Report> reports =
        List.of(
            new Report("A", north(400), LON),
            new Report("B", north(5_000), LON),
            new Report("B", north(-100), LON));

    assertThat(AlertIndex.nearest(reports, LAT, LON, 500)).contains("B");
  }
}
