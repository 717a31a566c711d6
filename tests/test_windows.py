import datetime as dt

from clickup_elt.clickup.windows import DAY_MS, DayRange, day_start_ms, utc_day

D = dt.date


def test_inner_range_is_bounded_by_utc_midnights():
    r = DayRange(D(2024, 3, 5), D(2024, 3, 7), D(2024, 1, 1), D(2024, 12, 31))
    assert r.from_ms == day_start_ms(D(2024, 3, 5))
    assert r.before_ms == day_start_ms(D(2024, 3, 8))
    assert r.before_ms - r.from_ms == 3 * DAY_MS


def test_first_and_last_partitions_are_open_ended():
    r = DayRange(D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31))
    assert r.from_ms is None and r.before_ms is None
    # records older than the start date or newer than today still land in a partition
    assert r.partition_for(day_start_ms(D(2019, 6, 1))) == D(2024, 1, 1)
    assert r.partition_for(str(day_start_ms(D(2030, 1, 1)))) == D(2024, 12, 31)


def test_partition_is_the_utc_day_of_the_timestamp():
    r = DayRange(D(2024, 1, 1), D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31))
    last_ms_of_day = day_start_ms(D(2024, 5, 2)) - 1
    assert r.partition_for(str(last_ms_of_day)) == D(2024, 5, 1)
    assert utc_day(day_start_ms(D(2024, 5, 2))) == D(2024, 5, 2)
    assert r.days() == [D(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
