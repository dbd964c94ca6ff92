"""The load benchmark's parts that run without a server: reading wrk's output, the floor
view, and the values it records (at a tiny scale of the bench data)."""

import pytest
from django.test import RequestFactory

from hemma.audit.models import AuditEvent
from hemma.bench import load
from hemma.bench.data import Scale, bench_data
from hemma.bench.floor import floor
from hemma.followup.models import Measurement

WRK_OUTPUT = """Running 15s test @ http://127.0.0.1:40123/api/v1/values
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.40ms    6.10ms  80.12ms   75.00%
    Req/Sec    94.10     12.30   120.00     70.00%
  Latency Distribution
     50%   20.11ms
     75%   24.30ms
     90%   29.80ms
     99%    1.02s
  2817 requests in 15.01s, 1.10MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    187.68
Transfer/sec:     75.12KB
"""


def test_wrks_output_gives_requests_rate_p99_and_every_error():
    assert load._parse(WRK_OUTPUT) == (2817, 187.68, 1020.0, 6)


def test_a_clean_run_has_no_errors():
    clean = WRK_OUTPUT.replace("  Non-2xx or 3xx responses: 3\n", "").replace(
        "read 1, write 0, timeout 2", "read 0, write 0, timeout 0"
    )

    assert load._parse(clean)[3] == 0


@pytest.mark.django_db
def test_the_floor_inserts_one_row_per_request():
    request = RequestFactory().post("/bench/floor/", data=b'{"a": 1}', content_type="text/plain")

    response = floor(request)

    assert response.status_code == 200
    assert AuditEvent.objects.filter(target_type=load.FLOOR_TARGET).count() == 1


@pytest.mark.django_db
def test_the_floor_is_not_mounted_on_a_real_installation(client):
    assert client.post("/bench/floor/", data="{}", content_type="text/plain").status_code == 404


@pytest.mark.django_db
def test_the_values_removed_for_the_load_are_given_back_after_it():
    # Given a tiny bench data set, its open year with values stored
    bench_data(scale=Scale(municipalities=3, years=2, activities=20, volunteers=5), out=print)
    bodies, keys, stored = load.bodies_prepare()
    assert bodies and stored
    assert not load._stored(keys).exists()
    # When the load records some of them anew (here: one, as the API would)
    first = stored[0]
    Measurement.objects.create(
        indicator_id=first.indicator_id,
        municipality_id=first.municipality_id,
        period=first.period,
        number=999,
        version=1,
    )

    load.values_restore(keys, stored)

    # Then the values are those stored before, and no other
    after = {(v.pk, v.number, v.version) for v in load._stored(keys)}
    assert after == {(v.pk, v.number, v.version) for v in stored}
