"""Daily partitions as `date_updated` windows (UTC days, ClickUp's ms-epoch timestamps).

The first partition also holds everything older than the start date and the last one everything newer
than today, so no record ever falls outside a partition: their windows are open-ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAY_MS = 86_400_000


def day_start_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp() * 1000)


def utc_day(ms: int | str) -> dt.date:
    return dt.datetime.fromtimestamp(int(ms) / 1000, tz=dt.timezone.utc).date()


@dataclass(frozen=True)
class DayRange:
    """Days `first..last` (inclusive) out of the partitions `first_partition..last_partition`."""

    first: dt.date
    last: dt.date
    first_partition: dt.date
    last_partition: dt.date

    @property
    def from_ms(self) -> int | None:
        return None if self.first <= self.first_partition else day_start_ms(self.first)

    @property
    def before_ms(self) -> int | None:
        return None if self.last >= self.last_partition else day_start_ms(self.last) + DAY_MS

    def partition_for(self, ms: int | str | None) -> dt.date:
        day = utc_day(ms) if ms is not None and ms != "" else self.first_partition
        return min(max(day, self.first_partition), self.last_partition)

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]
