"""Who hears what, and how much speech a night needs: the pure planning rules."""

from __future__ import annotations

import pytest

from datetime import datetime

from flows.models import DISTRICT, Station, Story, StoryState
from flows.pipeline.synthesising import station_hears

DISTRICT_STATION = Station(id="vo-nhai", name="Đài huyện", kind="district")
THAN_SA = Station(id="than-sa", name="Đài xã Thần Sa", kind="commune", commune="than-sa")


@pytest.mark.parametrize(
    ("station", "audience", "hears"),
    [(DISTRICT_STATION, [DISTRICT], True), (DISTRICT_STATION, ["than-sa"], True),
     (THAN_SA, [DISTRICT], True), (THAN_SA, ["than-sa", "sang-moc"], True), (THAN_SA, ["la-hien"], False),
     (THAN_SA, [], False)],
)
def test_station_hears(station: Station, audience: list[str], hears: bool) -> None:
    assert station_hears(station, _story(audience)) is hears


def _story(audience: list[str], stations: tuple[str, ...] = ()) -> Story:
    return Story(1, "s", "1", "Tin", StoryState.APPROVED, datetime(2023, 12, 1), audience=tuple(audience),
                 stations=stations)


def test_a_story_sent_to_chosen_stations_airs_only_there() -> None:
    alert = _story([DISTRICT], stations=("than-sa",))
    assert station_hears(THAN_SA, alert) and not station_hears(DISTRICT_STATION, alert)
